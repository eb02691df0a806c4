// AWS Signature Version 4 for S3: the Authorization header form, the presigned (query) form,
// and the chunk/trailer signatures of streaming (aws-chunked) uploads.
//
// References: "Authenticating Requests (AWS Signature Version 4)" in the S3 API reference
// (sig-v4-header-based-auth, sigv4-query-string-auth, sigv4-streaming, sigv4-streaming-trailers).
//
// Thread-safety: pure functions, safe for concurrent use (`secrets` must be too).
#pragma once

#include "auth/auth.h"
#include "auth/uri_encoding.h"

#include "maxiofs/aws/sigv4_signer.h"

#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3::auth {

// The signature itself (signing key, canonical request, string to sign) is the project's one
// implementation in maxiofs/aws/sigv4_signer.h, shared with the S3 client.
using aws::CanonicalRequest;
using aws::DeriveSigningKey;
using aws::kSigV4Algorithm;
using aws::SignHex;
using aws::StringToSign;

inline constexpr int64_t kMaxPresignedExpiresSeconds = 7 * 24 * 3600;  // 604800

// "AKID/20130524/us-east-1/s3/aws4_request"
struct SigV4Credential {
  std::string access_key;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  // "20130524/us-east-1/s3/aws4_request"
  std::string Scope() const;
};

// The parsed value of an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
// header.
struct SigV4Authorization {
  SigV4Credential credential;
  std::vector<std::string> signed_headers;  // as listed, lower-cased
  std::string signature;                    // 64 hex digits as sent
};

// Parses a credential ("AK/date/region/service/aws4_request"); false if malformed.
bool ParseSigV4Credential(std::string_view s, SigV4Credential& out);

// Parses an Authorization header value. The three components may be separated by commas
// and/or spaces, in any order. Errors: AuthorizationHeaderMalformed.
S3Result<SigV4Authorization> ParseSigV4Authorization(std::string_view value);

// Canonical header lines ("name:value\n" for each signed header, values trimmed, inner
// whitespace runs collapsed, repeated headers joined by ','). A signed header that is absent
// contributes an empty value.
std::string CanonicalHeaders(const AuthRequest& req, const std::vector<std::string>& names);

// Streaming: "AWS4-HMAC-SHA256-PAYLOAD\n" amz_date "\n" scope "\n" previous "\n"
// hex(sha256("")) "\n" chunk_sha256_hex.
std::string ChunkStringToSign(const ChunkSigningContext& ctx, std::string_view previous_signature,
                              std::string_view chunk_sha256_hex);
// Streaming trailer: "AWS4-HMAC-SHA256-TRAILER\n" amz_date "\n" scope "\n" previous "\n"
// trailer_sha256_hex (the SHA-256 of the "name:value\n" trailer lines).
std::string TrailerStringToSign(const ChunkSigningContext& ctx, std::string_view previous_signature,
                                std::string_view trailer_sha256_hex);

// Verifies a request carrying an "AWS4-HMAC-SHA256 ..." Authorization header (`authorization`
// is its value). Errors: AuthorizationHeaderMalformed, AccessDenied (no usable date, unsigned
// x-amz-* headers), InvalidRequest (no x-amz-content-sha256), InvalidArgument (unknown
// x-amz-content-sha256 value), InvalidAccessKeyId, RequestTimeTooSkewed, SignatureDoesNotMatch.
S3Result<AuthResult> VerifySigV4Header(const AuthRequest& req, std::string_view authorization,
                                       const SecretLookup& secrets);

// Verifies a presigned request (X-Amz-Algorithm, X-Amz-Credential, ... in `params`).
// Errors: AuthorizationQueryParametersError (missing/malformed parameters, X-Amz-Expires not
// in 1..604800), AccessDenied (expired, or dated more than 15 minutes ahead), InvalidRequest
// (streaming payload), InvalidArgument, InvalidAccessKeyId, SignatureDoesNotMatch.
S3Result<AuthResult> VerifySigV4Query(const AuthRequest& req, const std::vector<QueryParam>& params,
                                      const SecretLookup& secrets);

}  // namespace maxiofs::s3::auth
