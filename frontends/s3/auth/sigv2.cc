#include "auth/sigv2.h"

#include "auth/crypto.h"
#include "auth/request_time.h"
#include "auth/request_view.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>

namespace maxiofs::s3::auth {
namespace {

// AWS's documented list plus what botocore's HmacV1Auth signs (a superset of AWS's list);
// a client and the server must agree on this set, and botocore is the reference client.
constexpr std::string_view kSubResources[] = {
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "defaultObjectAcl",
    "delete",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "partNumber",
    "policy",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "select",
    "select-type",
    "storageClass",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
};

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

S3Error Mismatch() {
  return AuthError(S3ErrorCode::kSignatureDoesNotMatch,
                   "The request signature we calculated does not match the signature you "
                   "provided. Check your key and signing method.");
}

AuthResult Accepted(std::string access_key, AuthScheme scheme) {
  AuthResult r;
  r.access_key = std::move(access_key);
  r.scheme = scheme;
  r.payload_mode = PayloadMode::kUnsigned;
  return r;
}

}  // namespace

bool IsSigV2SubResource(std::string_view name) {
  return std::find(std::begin(kSubResources), std::end(kSubResources), name) !=
         std::end(kSubResources);
}

// A path-style bucket request ("/bucket", no trailing slash): botocore signs it as "/bucket/".
bool IsBareBucketPath(const AuthRequest& req) {
  return req.virtual_host_bucket.empty() && req.raw_path.size() > 1 && req.raw_path[0] == '/' &&
         req.raw_path.find('/', 1) == std::string_view::npos;
}

std::string CanonicalizedResourceV2(const AuthRequest& req, const std::vector<QueryParam>& params,
                                    bool bucket_slash) {
  std::string out;
  if (!req.virtual_host_bucket.empty()) {
    out.push_back('/');
    out.append(req.virtual_host_bucket);
  }
  out.append(req.raw_path.empty() ? std::string_view("/") : req.raw_path);
  if (bucket_slash) out.push_back('/');
  std::vector<const QueryParam*> subs;
  for (const QueryParam& p : params) {
    if (IsSigV2SubResource(p.name)) subs.push_back(&p);
  }
  std::stable_sort(subs.begin(), subs.end(),
                   [](const QueryParam* a, const QueryParam* b) { return a->name < b->name; });
  for (size_t i = 0; i < subs.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    out += subs[i]->name;
    if (subs[i]->has_value) {
      out.push_back('=');
      out += subs[i]->value;
    }
  }
  return out;
}

std::string CanonicalizedAmzHeadersV2(const AuthRequest& req) {
  std::map<std::string, std::string> amz;
  if (req.headers != nullptr) {
    for (const auto& [name, value] : *req.headers) {
      std::string lower = ToLower(name);
      if (lower.rfind("x-amz-", 0) != 0) continue;
      auto [it, inserted] = amz.try_emplace(std::move(lower));
      if (!inserted) it->second.push_back(',');
      it->second += TrimWhitespace(value);
    }
  }
  std::string out;
  for (const auto& [name, value] : amz) {
    out += name;
    out.push_back(':');
    out += value;
    out.push_back('\n');
  }
  return out;
}

std::string StringToSignV2(const AuthRequest& req, const std::vector<QueryParam>& params,
                           std::string_view date_line, bool bucket_slash) {
  std::string out(req.method);
  out.push_back('\n');
  out += TrimWhitespace(FindHeader(req, "content-md5").value_or(""));
  out.push_back('\n');
  out += TrimWhitespace(FindHeader(req, "content-type").value_or(""));
  out.push_back('\n');
  out += date_line;
  out.push_back('\n');
  out += CanonicalizedAmzHeadersV2(req);
  out += CanonicalizedResourceV2(req, params, bucket_slash);
  return out;
}

// The literal query of botocore's request URIs that are not sub-resources ("/{Bucket}?list-type=2",
// "?encryption", "?retention", ...): its HmacV1 signer keeps that query in the path it signs,
// then appends "?" and the sub-resources (so "/b/k?retention?versionId=1").
constexpr std::string_view kBotocoreUriQueries[] = {
    "attributes",        "encryption",   "intelligent-tiering", "legal-hold", "list-type",
    "ownershipControls", "policyStatus", "publicAccessBlock",   "retention",
};

// The StringToSign botocore computes for a request whose first query parameter is one of
// kBotocoreUriQueries; nullopt for any other request.
std::optional<std::string> BotocoreUriQueryStringToSign(const AuthRequest& req,
                                                        const std::vector<QueryParam>& params,
                                                        std::string_view date_line) {
  if (params.empty() || std::find(std::begin(kBotocoreUriQueries), std::end(kBotocoreUriQueries),
                                  params[0].name) == std::end(kBotocoreUriQueries)) {
    return std::nullopt;
  }
  std::string sts = StringToSignV2(req, {}, date_line, false);
  sts.push_back('?');
  sts += params[0].name;
  if (params[0].has_value) {
    sts.push_back('=');
    sts += params[0].value;
  }
  std::string with_subs = CanonicalizedResourceV2(req, params, false);
  const size_t q = with_subs.find('?');
  if (q != std::string::npos) sts += with_subs.substr(q);
  return sts;
}

// Compares in constant time against the signature of the resource as sent and, for a bare
// path-style bucket path, of the same path with the trailing slash clients sign; and the form
// botocore signs for request URIs with a literal query (ListObjectsV2's "?list-type=2").
bool SignatureMatchesV2(const AuthRequest& req, const std::vector<QueryParam>& params,
                        std::string_view date_line, const std::string& secret,
                        std::string_view signature) {
  for (bool slash : {false, true}) {
    if (slash && !IsBareBucketPath(req)) break;
    const std::string expected =
        Base64Encode(HmacSha1(secret, StringToSignV2(req, params, date_line, slash)));
    if (ConstantTimeEquals(expected, signature)) return true;
  }
  if (std::optional<std::string> sts = BotocoreUriQueryStringToSign(req, params, date_line)) {
    return ConstantTimeEquals(Base64Encode(HmacSha1(secret, *sts)), signature);
  }
  return false;
}

S3Result<AuthResult> VerifySigV2Header(const AuthRequest& req, std::string_view authorization,
                                       const SecretLookup& secrets) {
  std::string_view v = TrimWhitespace(authorization);
  const S3Error malformed =
      AuthError(S3ErrorCode::kInvalidArgument,
                "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
  if (v.substr(0, 4) != "AWS ") return malformed;
  v = TrimWhitespace(v.substr(4));
  const size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == v.size()) return malformed;
  const std::string access_key(v.substr(0, colon));
  const std::string_view signature = v.substr(colon + 1);
  if (access_key.find_first_of(" \t") != std::string::npos ||
      signature.find_first_of(" \t:") != std::string_view::npos) {
    return malformed;
  }

  // x-amz-date wins over Date; when it is used, the Date line of StringToSign is empty.
  const auto amz_date = FindHeader(req, "x-amz-date");
  const auto date = FindHeader(req, "date");
  std::optional<int64_t> request_time;
  std::string_view date_line;
  if (amz_date) {
    request_time = ParseAnyDate(TrimWhitespace(*amz_date));
  } else if (date) {
    request_time = ParseAnyDate(TrimWhitespace(*date));
    date_line = TrimWhitespace(*date);
  }
  // A date before the epoch is no valid date (S3: AccessDenied, not RequestTimeTooSkewed).
  if (!request_time || *request_time < 0) {
    return AuthError(S3ErrorCode::kAccessDenied,
                     "AWS authentication requires a valid Date or x-amz-date header");
  }

  auto secret = LookupSecret(secrets, access_key);
  if (!secret.has_value()) return secret.error();
  const int64_t now = ToUnixSeconds(req.now);
  if (*request_time > now + kMaxClockSkewSeconds || *request_time < now - kMaxClockSkewSeconds) {
    return AuthError(S3ErrorCode::kRequestTimeTooSkewed,
                     "The difference between the request time and the current time is too large.");
  }
  const std::vector<QueryParam> params = ParseQuery(req.raw_query);
  if (!SignatureMatchesV2(req, params, date_line, secret.value(), signature)) return Mismatch();
  return Accepted(access_key, AuthScheme::kSigV2Header);
}

S3Result<AuthResult> VerifySigV2Query(const AuthRequest& req, const std::vector<QueryParam>& params,
                                      const SecretLookup& secrets) {
  const std::string* access_key = nullptr;
  const std::string* expires = nullptr;
  const std::string* signature = nullptr;
  for (const QueryParam& p : params) {
    if (p.name == "AWSAccessKeyId" && !access_key) access_key = &p.value;
    if (p.name == "Expires" && !expires) expires = &p.value;
    if (p.name == "Signature" && !signature) signature = &p.value;
  }
  if (!access_key || !expires || !signature || access_key->empty() || signature->empty()) {
    return AuthError(S3ErrorCode::kAccessDenied,
                     "Query-string authentication requires the Signature, Expires and "
                     "AWSAccessKeyId parameters");
  }
  const std::optional<int64_t> expires_at = ParseDecimalSeconds(*expires);
  if (!expires_at) {
    return AuthError(S3ErrorCode::kAccessDenied, "Invalid date (should be seconds since epoch)");
  }
  auto secret = LookupSecret(secrets, *access_key);
  if (!secret.has_value()) return secret.error();
  if (ToUnixSeconds(req.now) > *expires_at) {
    return AuthError(S3ErrorCode::kAccessDenied, "Request has expired");
  }
  // A client that did not percent-encode '+' in the base64 signature sent it as a space.
  std::string sig = *signature;
  std::replace(sig.begin(), sig.end(), ' ', '+');
  if (!SignatureMatchesV2(req, params, *expires, secret.value(), sig)) return Mismatch();
  return Accepted(*access_key, AuthScheme::kSigV2Query);
}

}  // namespace maxiofs::s3::auth
