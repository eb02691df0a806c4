#include "auth/sigv4.h"

#include "auth/crypto.h"
#include "auth/request_time.h"
#include "auth/request_view.h"
#include "auth/signing_key_cache.h"

#include <algorithm>
#include <optional>

namespace maxiofs::s3::auth {
namespace {

using aws::kUnsignedPayload;
constexpr std::string_view kStreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
constexpr std::string_view kStreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out.push_back(';');
    out += n;
  }
  return out;
}

// Splits "a;b;c" into lower-case names; false on an empty name.
bool SplitSignedHeaders(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  if (s.empty()) return false;
  while (true) {
    const size_t semi = s.find(';');
    const std::string_view name = s.substr(0, semi);
    if (name.empty()) return false;
    out.push_back(ToLower(name));
    if (semi == std::string_view::npos) return true;
    s.remove_prefix(semi + 1);
  }
}

struct PayloadSpec {
  PayloadMode mode = PayloadMode::kUnsigned;
  std::string expected_sha256;  // kSignedSha256 only, lower-case
};

// Classifies an x-amz-content-sha256 value; nullopt if it is none of the accepted forms.
std::optional<PayloadSpec> ClassifyPayload(std::string_view v) {
  if (v == kUnsignedPayload) return PayloadSpec{PayloadMode::kUnsigned, {}};
  if (v == kStreamingSigned) return PayloadSpec{PayloadMode::kStreamingSigned, {}};
  if (v == kStreamingSignedTrailer) return PayloadSpec{PayloadMode::kStreamingSignedTrailer, {}};
  if (v == kStreamingUnsignedTrailer) {
    return PayloadSpec{PayloadMode::kStreamingUnsignedTrailer, {}};
  }
  if (IsHex(v, 64)) return PayloadSpec{PayloadMode::kSignedSha256, ToLower(v)};
  return std::nullopt;
}

bool IsStreaming(PayloadMode m) {
  return m == PayloadMode::kStreamingSigned || m == PayloadMode::kStreamingSignedTrailer ||
         m == PayloadMode::kStreamingUnsignedTrailer;
}

// The scope's service: "s3", or "iam"/"sts" on the IAM/STS query API.
bool ServiceAllowed(const AuthRequest& req, std::string_view service) {
  return service == "s3" || (req.allow_iam_sts && (service == "iam" || service == "sts"));
}

// The scope's region: the server's (any when empty); IAM/STS requests also us-east-1.
bool RegionAllowed(const AuthRequest& req, std::string_view region) {
  return req.region.empty() || region == req.region || (req.allow_iam_sts && region == "us-east-1");
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Everything both forms need to check a signature.
struct V4Check {
  const SigV4Credential* credential = nullptr;
  const std::vector<std::string>* signed_headers = nullptr;
  std::string_view signature;
  std::string_view canonical_query;
  std::string_view payload_hash;  // as it goes into the canonical request
  std::string_view amz_date;
};

// Computes the expected signature for each accepted canonical URI and compares in constant
// time. On success fills `signing_key` and `signature_hex` (the verified signature).
std::optional<S3Error> CheckSignature(const AuthRequest& req, const V4Check& c,
                                      std::string_view secret, std::string& signing_key) {
  const SigV4Credential& cred = *c.credential;
  signing_key = req.signing_keys != nullptr
                    ? req.signing_keys->Get(secret, cred.date, cred.region, cred.service)
                    : DeriveSigningKey(secret, cred.date, cred.region, cred.service);
  const std::string scope = c.credential->Scope();
  const std::string headers = CanonicalHeaders(req, *c.signed_headers);
  const std::string signed_names = JoinNames(*c.signed_headers);
  // S3 does not normalize paths. A client signs the path it sends; "%2F" is kept as sent
  // first, then (if the path has one) also tried decoded to '/', the form that decodes the
  // whole path and re-encodes it keeping '/'. Both name the same S3 key.
  const std::string uri_kept = CanonicalUri(req.raw_path, /*keep_encoded_slash=*/true);
  const std::string uri_decoded = CanonicalUri(req.raw_path, /*keep_encoded_slash=*/false);
  bool matched = false;
  for (const std::string* uri : {&uri_kept, &uri_decoded}) {
    if (uri == &uri_decoded && uri_decoded == uri_kept) break;
    const std::string creq = CanonicalRequest(req.method, *uri, c.canonical_query, headers,
                                              signed_names, c.payload_hash);
    const std::string expected = SignHex(signing_key, StringToSign(c.amz_date, scope, creq));
    matched |= ConstantTimeEquals(expected, c.signature);
  }
  if (!matched) {
    return AuthError(S3ErrorCode::kSignatureDoesNotMatch,
                     "The request signature we calculated does not match the signature you "
                     "provided. Check your key and signing method.");
  }
  return std::nullopt;
}

AuthResult MakeResult(const SigV4Credential& cred, const PayloadSpec& payload,
                      std::string signing_key, std::string_view amz_date,
                      std::string_view signature, AuthScheme scheme) {
  AuthResult r;
  r.access_key = cred.access_key;
  r.scheme = scheme;
  r.service = cred.service;
  r.payload_mode = payload.mode;
  r.expected_sha256 = payload.expected_sha256;
  if (payload.mode == PayloadMode::kStreamingSigned ||
      payload.mode == PayloadMode::kStreamingSignedTrailer) {
    r.chunk = ChunkSigningContext{std::move(signing_key), std::string(amz_date), cred.Scope(),
                                  ToLower(signature)};
  }
  return r;
}

}  // namespace

std::string SigV4Credential::Scope() const {
  return date + "/" + region + "/" + service + "/aws4_request";
}

bool ParseSigV4Credential(std::string_view s, SigV4Credential& out) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t slash = s.find('/');
    parts.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  if (parts.size() != 5) return false;
  for (std::string_view p : parts) {
    if (p.empty()) return false;
  }
  if (parts[1].size() != 8 ||
      !std::all_of(parts[1].begin(), parts[1].end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  if (parts[4] != "aws4_request") return false;
  out.access_key = std::string(parts[0]);
  out.date = std::string(parts[1]);
  out.region = std::string(parts[2]);
  out.service = std::string(parts[3]);
  return true;
}

S3Result<SigV4Authorization> ParseSigV4Authorization(std::string_view value) {
  auto malformed = [](std::string msg) {
    return AuthError(S3ErrorCode::kAuthorizationHeaderMalformed, std::move(msg));
  };
  value = TrimWhitespace(value);
  if (!StartsWith(value, kSigV4Algorithm)) {
    return malformed("The authorization header is malformed; unsupported algorithm.");
  }
  value.remove_prefix(kSigV4Algorithm.size());
  if (value.empty() || (value.front() != ' ' && value.front() != '\t')) {
    return malformed(
        "The authorization header is malformed; expected a space after the algorithm.");
  }
  std::optional<std::string_view> credential, signed_headers, signature;
  while (!value.empty()) {
    const char c = value.front();
    if (c == ' ' || c == '\t' || c == ',') {
      value.remove_prefix(1);
      continue;
    }
    size_t end = value.find_first_of(", \t");
    const std::string_view part = value.substr(0, end);
    value = end == std::string_view::npos ? std::string_view() : value.substr(end);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return malformed("The authorization header is malformed; '" + std::string(part) +
                       "' is not a key=value pair.");
    }
    const std::string_view key = part.substr(0, eq);
    const std::string_view val = part.substr(eq + 1);
    std::optional<std::string_view>* slot = nullptr;
    if (key == "Credential") {
      slot = &credential;
    } else if (key == "SignedHeaders") {
      slot = &signed_headers;
    } else if (key == "Signature") {
      slot = &signature;
    } else {
      return malformed("The authorization header is malformed; unknown component '" +
                       std::string(key) + "'.");
    }
    if (slot->has_value()) {
      return malformed("The authorization header is malformed; '" + std::string(key) +
                       "' appears twice.");
    }
    *slot = val;
  }
  if (!credential || !signed_headers || !signature) {
    return malformed(
        "The authorization header is malformed; it needs Credential, SignedHeaders and "
        "Signature.");
  }
  SigV4Authorization out;
  if (!ParseSigV4Credential(*credential, out.credential)) {
    return malformed(
        "The authorization header is malformed; the Credential is mal-formed; expecting "
        "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  if (!SplitSignedHeaders(*signed_headers, out.signed_headers)) {
    return malformed("The authorization header is malformed; SignedHeaders is invalid.");
  }
  if (!IsHex(*signature, 64)) {
    return malformed("The authorization header is malformed; Signature must be 64 hex digits.");
  }
  out.signature = std::string(*signature);
  return out;
}

std::string CanonicalHeaders(const AuthRequest& req, const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    out += name;
    out.push_back(':');
    bool first_value = true;
    for (std::string_view v : HeaderValues(req, name)) {
      if (!first_value) out.push_back(',');
      first_value = false;
      out += aws::CanonicalHeaderValue(v);
    }
    out.push_back('\n');
  }
  return out;
}

std::string ChunkStringToSign(const ChunkSigningContext& ctx, std::string_view previous_signature,
                              std::string_view chunk_sha256_hex) {
  std::string out = "AWS4-HMAC-SHA256-PAYLOAD\n";
  out.append(ctx.amz_date).push_back('\n');
  out.append(ctx.scope).push_back('\n');
  out.append(previous_signature).push_back('\n');
  out.append(kEmptySha256Hex).push_back('\n');
  out.append(chunk_sha256_hex);
  return out;
}

std::string TrailerStringToSign(const ChunkSigningContext& ctx, std::string_view previous_signature,
                                std::string_view trailer_sha256_hex) {
  std::string out = "AWS4-HMAC-SHA256-TRAILER\n";
  out.append(ctx.amz_date).push_back('\n');
  out.append(ctx.scope).push_back('\n');
  out.append(previous_signature).push_back('\n');
  out.append(trailer_sha256_hex);
  return out;
}

S3Result<AuthResult> VerifySigV4Header(const AuthRequest& req, std::string_view authorization,
                                       const SecretLookup& secrets) {
  auto parsed = ParseSigV4Authorization(authorization);
  if (!parsed.has_value()) return parsed.error();
  const SigV4Authorization& auth = parsed.value();
  const SigV4Credential& cred = auth.credential;

  // The request time: x-amz-date (ISO 8601 basic), else Date (an HTTP date).
  std::string amz_date;
  std::optional<int64_t> request_time;
  if (auto v = FindHeader(req, "x-amz-date")) {
    request_time = ParseAmzDate(TrimWhitespace(*v));
    if (request_time) amz_date = std::string(TrimWhitespace(*v));
  } else if (auto d = FindHeader(req, "date")) {
    request_time = ParseHttpDate(TrimWhitespace(*d));
    if (request_time) amz_date = FormatAmzDate(*request_time);
  }
  if (!request_time) {
    return AuthError(S3ErrorCode::kAccessDenied,
                     "AWS authentication requires a valid Date or x-amz-date header");
  }
  if (cred.date != std::string_view(amz_date).substr(0, 8)) {
    return AuthError(S3ErrorCode::kAuthorizationHeaderMalformed,
                     "Invalid credential date \"" + cred.date +
                         "\". This date is not the same as X-Amz-Date: \"" + amz_date.substr(0, 8) +
                         "\".");
  }
  if (!ServiceAllowed(req, cred.service)) {
    return AuthError(S3ErrorCode::kAuthorizationHeaderMalformed,
                     "The authorization header is malformed; incorrect service \"" + cred.service +
                         "\". This endpoint belongs to \"s3\".");
  }
  if (!RegionAllowed(req, cred.region)) {
    return AuthError(S3ErrorCode::kAuthorizationHeaderMalformed,
                     "The authorization header is malformed; the region '" + cred.region +
                         "' is wrong; expecting '" + std::string(req.region) + "'");
  }
  if (!Contains(auth.signed_headers, "host")) {
    return AuthError(S3ErrorCode::kAuthorizationHeaderMalformed,
                     "The authorization header is malformed; the host header must be signed.");
  }

  auto content_sha = FindHeader(req, "x-amz-content-sha256");
  if (!content_sha && !req.payload_sha256.empty()) content_sha = req.payload_sha256;
  if (!content_sha) {
    return AuthError(S3ErrorCode::kInvalidRequest,
                     "Missing required header for this request: x-amz-content-sha256");
  }
  const std::string_view payload_hash = TrimWhitespace(*content_sha);
  const auto payload = ClassifyPayload(payload_hash);
  if (!payload) {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                     "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                     "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                     "STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
  }

  // Every x-amz-* header present must be signed (S3 refuses unsigned ones).
  if (req.headers != nullptr) {
    for (const auto& [name, value] : *req.headers) {
      const std::string lower = ToLower(name);
      if (StartsWith(lower, "x-amz-") && !Contains(auth.signed_headers, lower)) {
        return AuthError(
            S3ErrorCode::kAccessDenied,
            "There were headers present in the request which were not signed: " + lower);
      }
    }
  }

  auto secret = LookupSecret(secrets, cred.access_key);
  if (!secret.has_value()) return secret.error();
  const int64_t now = ToUnixSeconds(req.now);
  if (*request_time > now + kMaxClockSkewSeconds || *request_time < now - kMaxClockSkewSeconds) {
    return AuthError(S3ErrorCode::kRequestTimeTooSkewed,
                     "The difference between the request time and the current time is too large.");
  }

  const std::string canonical_query = CanonicalQuery(ParseQuery(req.raw_query));
  V4Check check;
  check.credential = &cred;
  check.signed_headers = &auth.signed_headers;
  check.signature = auth.signature;
  check.canonical_query = canonical_query;
  check.payload_hash = payload_hash;
  check.amz_date = amz_date;
  std::string signing_key;
  if (auto err = CheckSignature(req, check, secret.value(), signing_key)) return *err;
  return MakeResult(cred, *payload, std::move(signing_key), amz_date, auth.signature,
                    AuthScheme::kSigV4Header);
}

S3Result<AuthResult> VerifySigV4Query(const AuthRequest& req, const std::vector<QueryParam>& params,
                                      const SecretLookup& secrets) {
  auto query_error = [](std::string msg) {
    return AuthError(S3ErrorCode::kAuthorizationQueryParametersError, std::move(msg));
  };
  struct Slot {
    std::string_view name;
    const std::string* value = nullptr;
  };
  Slot algorithm{"X-Amz-Algorithm"}, credential{"X-Amz-Credential"}, date{"X-Amz-Date"},
      expires{"X-Amz-Expires"}, signed_headers{"X-Amz-SignedHeaders"}, signature{"X-Amz-Signature"},
      content_sha{"X-Amz-Content-Sha256"};
  for (const QueryParam& p : params) {
    for (Slot* s :
         {&algorithm, &credential, &date, &expires, &signed_headers, &signature, &content_sha}) {
      if (p.name != s->name) continue;
      if (s->value != nullptr) return query_error(std::string(s->name) + " appears twice.");
      s->value = &p.value;
    }
  }
  if (!algorithm.value || !credential.value || !date.value || !expires.value ||
      !signed_headers.value || !signature.value) {
    return query_error(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, "
        "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
        "X-Amz-Expires parameters.");
  }
  if (*algorithm.value != kSigV4Algorithm) {
    return query_error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  SigV4Credential cred;
  if (!ParseSigV4Credential(*credential.value, cred)) {
    return query_error(
        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
        "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  const std::optional<int64_t> request_time = ParseAmzDate(*date.value);
  if (!request_time) {
    return query_error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const std::optional<int64_t> expires_parsed = ParseDecimalSeconds(*expires.value);
  if (!expires_parsed) return query_error("X-Amz-Expires should be a number");
  const int64_t expires_seconds = *expires_parsed;
  if (expires_seconds < 1) return query_error("X-Amz-Expires must be non-negative");
  if (expires_seconds > kMaxPresignedExpiresSeconds) {
    return query_error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
  if (cred.date != date.value->substr(0, 8)) {
    return query_error("Invalid credential date \"" + cred.date +
                       "\". This date is not the same as X-Amz-Date: \"" +
                       date.value->substr(0, 8) + "\".");
  }
  if (!ServiceAllowed(req, cred.service)) {
    return query_error("Error parsing the X-Amz-Credential parameter; incorrect service \"" +
                       cred.service + "\". This endpoint belongs to \"s3\".");
  }
  if (!RegionAllowed(req, cred.region)) {
    return query_error("Error parsing the X-Amz-Credential parameter; the region '" + cred.region +
                       "' is wrong; expecting '" + std::string(req.region) + "'");
  }
  std::vector<std::string> names;
  if (!SplitSignedHeaders(*signed_headers.value, names)) {
    return query_error("X-Amz-SignedHeaders is invalid.");
  }
  if (!Contains(names, "host")) {
    return query_error("X-Amz-SignedHeaders must include host.");
  }
  if (!IsHex(*signature.value, 64)) {
    return query_error("X-Amz-Signature must be 64 hex digits.");
  }

  PayloadSpec payload;
  std::string_view payload_hash = kUnsignedPayload;
  if (content_sha.value) {
    const auto spec = ClassifyPayload(*content_sha.value);
    if (!spec) {
      return AuthError(S3ErrorCode::kInvalidArgument,
                       "X-Amz-Content-Sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.");
    }
    if (IsStreaming(spec->mode)) {
      return AuthError(S3ErrorCode::kInvalidRequest,
                       "A presigned request cannot carry a streaming (aws-chunked) payload.");
    }
    payload = *spec;
    payload_hash = *content_sha.value;
  }

  auto secret = LookupSecret(secrets, cred.access_key);
  if (!secret.has_value()) return secret.error();
  const int64_t now = ToUnixSeconds(req.now);
  if (*request_time > now + kMaxClockSkewSeconds) {
    return AuthError(S3ErrorCode::kAccessDenied, "Request is not valid yet");
  }
  if (now > *request_time + expires_seconds) {
    return AuthError(S3ErrorCode::kAccessDenied, "Request has expired");
  }

  const std::string canonical_query = CanonicalQuery(params, "X-Amz-Signature");
  V4Check check;
  check.credential = &cred;
  check.signed_headers = &names;
  check.signature = *signature.value;
  check.canonical_query = canonical_query;
  check.payload_hash = payload_hash;
  check.amz_date = *date.value;
  std::string signing_key;
  if (auto err = CheckSignature(req, check, secret.value(), signing_key)) return *err;
  return MakeResult(cred, payload, std::move(signing_key), *date.value, *signature.value,
                    AuthScheme::kSigV4Query);
}

}  // namespace maxiofs::s3::auth
