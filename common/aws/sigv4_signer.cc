#include "maxiofs/aws/sigv4_signer.h"

#include "maxiofs/aws/crypto.h"

#include <time.h>

#include <algorithm>
#include <ctime>

namespace maxiofs::aws {

std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret), date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

std::string CanonicalHeaderValue(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  std::string out;
  out.reserve(v.size());
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::string_view signed_headers, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() +
              canonical_headers.size() + signed_headers.size() + payload_hash.size() + 8);
  out.append(method).push_back('\n');
  out.append(canonical_uri).push_back('\n');
  out.append(canonical_query).push_back('\n');
  out.append(canonical_headers).push_back('\n');
  out.append(signed_headers).push_back('\n');
  out.append(payload_hash);
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kSigV4Algorithm);
  out.push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  out += Sha256Hex(canonical_request);
  return out;
}

std::string SignHex(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

std::string FormatAmzDate(int64_t unix_seconds) {
  const time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[20];
  const size_t n = std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buf, n);
}

SigV4Signer::SigV4Signer(SigV4Credentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)) {}

std::string SigV4Signer::SigningKey(const std::string& date) const {
  std::lock_guard<std::mutex> l(mu_);
  if (key_date_ != date) {
    signing_key_ = DeriveSigningKey(credentials_.secret_key, date, region_, service_);
    key_date_ = date;
  }
  return signing_key_;
}

void SigV4Signer::Sign(RequestToSign& req, int64_t unix_seconds) const {
  const std::string amz_date = FormatAmzDate(unix_seconds);
  const std::string date = amz_date.substr(0, 8);
  req.headers.emplace_back("x-amz-date", amz_date);
  req.headers.emplace_back("x-amz-content-sha256", req.payload_hash);
  if (!credentials_.session_token.empty()) {
    req.headers.emplace_back("x-amz-security-token", credentials_.session_token);
  }
  // Signed: host, content-md5, content-type, range and every x-amz-* header, sorted by name;
  // a repeated name's values joined by ',' in the order given.
  std::vector<std::pair<std::string, std::string>> signed_list;
  for (const auto& [name, value] : req.headers) {
    if (name == "host" || name == "content-md5" || name == "content-type" || name == "range" ||
        name.starts_with("x-amz-")) {
      signed_list.emplace_back(name, CanonicalHeaderValue(value));
    }
  }
  std::stable_sort(signed_list.begin(), signed_list.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical_headers, signed_names;
  for (size_t i = 0; i < signed_list.size(); ++i) {
    if (i > 0 && signed_list[i].first == signed_list[i - 1].first) {
      canonical_headers.pop_back();  // the '\n'
      canonical_headers += ',' + signed_list[i].second + '\n';
      continue;
    }
    if (!signed_names.empty()) signed_names.push_back(';');
    signed_names += signed_list[i].first;
    canonical_headers += signed_list[i].first + ':' + signed_list[i].second + '\n';
  }
  const std::string scope = date + "/" + region_ + "/" + service_ + "/aws4_request";
  const std::string creq = CanonicalRequest(
      req.method, CanonicalUri(req.encoded_path, /*keep_encoded_slash=*/true),
      CanonicalQuery(req.query), canonical_headers, signed_names, req.payload_hash);
  const std::string signature = SignHex(SigningKey(date), StringToSign(amz_date, scope, creq));
  req.headers.emplace_back("authorization", std::string(kSigV4Algorithm) +
                                                " Credential=" + credentials_.access_key + "/" +
                                                scope + ", SignedHeaders=" + signed_names +
                                                ", Signature=" + signature);
}

}  // namespace maxiofs::aws
