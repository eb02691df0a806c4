// AWS Signature Version 4: the primitives both sides need (signing key, canonical request,
// string to sign, signature), and SigV4Signer, which signs an outgoing request with them. The
// S3 front end verifies requests with the same primitives (frontends/s3/auth/sigv4.cc), so
// there is one implementation of the signature, tested against AWS's published vectors.
//
// Reference: "Authenticating Requests (AWS Signature Version 4)", S3 API reference
// (sig-v4-header-based-auth).
//
// Thread-safety: the free functions are pure; SigV4Signer is safe for concurrent use.
#pragma once

#include "maxiofs/aws/uri_encoding.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::aws {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);

// A header value as it goes into the canonical headers: trimmed, each inner run of spaces and
// tabs collapsed to one space (SigV4's "Trimall").
std::string CanonicalHeaderValue(std::string_view value);

// The canonical request and string to sign, exactly as AWS defines them.
std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, std::string_view canonical_headers,
                             std::string_view signed_headers, std::string_view payload_hash);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

// Lower-case hex of HMAC-SHA256(signing_key, string_to_sign).
std::string SignHex(std::string_view signing_key, std::string_view string_to_sign);

// "yyyymmddThhmmssZ" of a time in seconds since the epoch (UTC).
std::string FormatAmzDate(int64_t unix_seconds);

struct SigV4Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // temporary credentials only; sent as x-amz-security-token
};

// An outgoing request to sign. Header names are lower-case; `headers` must already hold every
// header that is to be signed, host included (x-amz-* headers are always signed; so are host,
// content-md5, content-type and range).
struct RequestToSign {
  std::string_view method;  // "GET", "PUT", ...
  // The path as sent, already URI-encoded (UriEncode(path, /*encode_slash=*/false)).
  std::string_view encoded_path;
  std::vector<QueryParam> query;  // decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;
  // Hex SHA-256 of the body, or kUnsignedPayload.
  std::string payload_hash = std::string(kUnsignedPayload);
};

class SigV4Signer {
 public:
  // `region` such as "us-east-1" ("auto" for GCS), `service` "s3".
  SigV4Signer(SigV4Credentials credentials, std::string region, std::string service = "s3");

  // Adds x-amz-date, x-amz-content-sha256 (and x-amz-security-token) to `req.headers` and
  // then the Authorization header; `unix_seconds` is the signing time. Derived signing keys
  // are kept for the day they are valid.
  void Sign(RequestToSign& req, int64_t unix_seconds) const;

  const std::string& access_key() const { return credentials_.access_key; }
  const std::string& region() const { return region_; }

 private:
  std::string SigningKey(const std::string& date) const;

  const SigV4Credentials credentials_;
  const std::string region_;
  const std::string service_;
  mutable std::mutex mu_;            // guards the two below; a leaf lock
  mutable std::string key_date_;     // yyyymmdd of key_
  mutable std::string signing_key_;  // DeriveSigningKey(secret, key_date_, region_, service_)
};

}  // namespace maxiofs::aws
