// Request authentication for the S3 API: AWS Signature V4 (Authorization header, presigned
// query, streaming aws-chunked payloads) and Signature V2 (header and query).
//
// Beast-free: works on a plain view of the request so it can be unit-tested with AWS's
// published vectors. Comparisons of signatures are constant-time. Secrets are never logged.
//
// Implementation map: auth.cc (scheme detection), sigv4.cc, sigv2.cc, chunked_decoder.cc,
// with crypto.cc, uri_encoding.cc, request_time.cc and request_view.cc as helpers.
#pragma once

#include "s3_error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::s3 {

namespace auth {
class SigningKeyCache;
}

// Looks up the secret key of an access key id. Returns the error to answer for a key that
// cannot sign (InvalidAccessKeyId for an unknown or inactive key, ExpiredToken for expired
// temporary credentials). Implementations must be safe for concurrent use.
using SecretLookup = std::function<S3Result<std::string>(std::string_view access_key)>;

// What auth reads of a request. All views borrow from the caller for the duration of the call.
struct AuthRequest {
  std::string_view method;     // "GET", "PUT", ...
  std::string_view raw_path;   // request-target path as received (percent-encoded), no query
  std::string_view raw_query;  // query string as received, without the '?'; may be empty
  // Header fields with lower-case names and values as received (not yet trimmed); a name may
  // repeat.
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  std::chrono::system_clock::time_point now;
  // The region this server serves: a SigV4 scope naming another region is refused, as AWS
  // does. Empty accepts any region (unit tests of signatures made for other regions).
  std::string_view region = "us-east-1";
  // Virtual-hosted-style requests: the bucket named by the Host header (SigV2's
  // CanonicalizedResource starts with "/<bucket>"). Empty for path-style requests.
  std::string_view virtual_host_bucket;
  // The IAM/STS query API (POST / on the S3 port): a SigV4 scope may also name the services
  // "iam" and "sts", and the region "us-east-1" (where SDKs sign IAM requests).
  bool allow_iam_sts = false;
  // The lower-case hex SHA-256 of a body already read, used as the payload hash when the
  // request has no x-amz-content-sha256 header (SDKs do not send it for IAM/STS). Empty: the
  // header is required.
  std::string_view payload_sha256;
  // SigV4 signing keys kept across requests (null: derived for each request). Not owned.
  auth::SigningKeyCache* signing_keys = nullptr;
};

// Which mechanism authenticated the request.
enum class AuthScheme : uint8_t {
  kAnonymous,
  kSigV4Header,  // Authorization: AWS4-HMAC-SHA256 ...
  kSigV4Query,   // presigned URL (X-Amz-Signature=...)
  kSigV2Header,  // Authorization: AWS AKID:signature
  kSigV2Query,   // AWSAccessKeyId=...&Expires=...&Signature=...
};

// How the request body must be handled after authentication.
enum class PayloadMode : uint8_t {
  kUnsigned,                  // UNSIGNED-PAYLOAD, SigV2, or presigned: body taken as is
  kSignedSha256,              // body's SHA-256 (hex) must equal expected_sha256
  kStreamingSigned,           // STREAMING-AWS4-HMAC-SHA256-PAYLOAD: aws-chunked, chunk sigs
  kStreamingSignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kStreamingUnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, no sigs
};

// What a streaming (aws-chunked) decoder needs to verify chunk signatures.
struct ChunkSigningContext {
  std::string signing_key;     // derived SigV4 key (binary, 32 bytes)
  std::string amz_date;        // x-amz-date of the request, e.g. "20130524T000000Z"
  std::string scope;           // "20130524/us-east-1/s3/aws4_request"
  std::string seed_signature;  // the request's signature (hex)
};

struct AuthResult {
  std::string access_key;
  PayloadMode payload_mode = PayloadMode::kUnsigned;
  std::string expected_sha256;               // kSignedSha256: lower-case hex
  std::optional<ChunkSigningContext> chunk;  // kStreamingSigned*
  bool anonymous = false;                    // no credentials at all were presented
  AuthScheme scheme = AuthScheme::kAnonymous;
  std::string service = "s3";  // SigV4: the credential scope's service; "s3" for SigV2
};

// Authenticates a request. Errors (S3 codes):
//  - AccessDenied: presigned URL expired ("Request has expired") or dated over 15 min ahead
//    ("Request is not valid yet"); no valid Date/x-amz-date; unsigned x-amz-* headers (V4
//    header form); SigV2 query parameters missing or Expires not a number.
//  - SignatureDoesNotMatch; whatever `secrets` answers for the key (InvalidAccessKeyId,
//    ExpiredToken).
//  - RequestTimeTooSkewed: header-signed request more than 15 min from `now`.
//  - AuthorizationHeaderMalformed: unparsable V4 Authorization, credential date != request
//    date, service != "s3" (or iam/sts with allow_iam_sts), host not signed.
//  - AuthorizationQueryParametersError: the same for presigned URLs, plus X-Amz-Expires not
//    in 1..604800.
//  - InvalidRequest: V4 header form without x-amz-content-sha256; streaming payload on a
//    presigned URL.
//  - InvalidArgument: unknown x-amz-content-sha256 value, unsupported Authorization type,
//    malformed SigV2 header, more than one auth mechanism in one request.
// An anonymous request (no Authorization header, no signature query parameters) returns an
// AuthResult with anonymous = true; the caller decides (the engine's Authorize).
// For kSignedSha256 the caller must hash the body and compare with expected_sha256
// (XAmzContentSHA256Mismatch); for streaming modes it must decode with ChunkedDecoder.
S3Result<AuthResult> Authenticate(const AuthRequest& req, const SecretLookup& secrets);

// Decodes an aws-chunked body incrementally, verifying each chunk signature when a signing
// context is given, and collecting trailer headers (e.g. x-amz-checksum-crc32).
//
// Grammar (sigv4-streaming, sigv4-streaming-trailers):
//   body    = *chunk last-chunk trailer CRLF
//   chunk   = hex-size [";chunk-signature=" sig] CRLF data CRLF
//   last    = "0" [";chunk-signature=" sig] CRLF
//   trailer = *(name ":" value CRLF) ["x-amz-trailer-signature:" sig CRLF]
// Memory is bounded (one size/trailer line of at most 4 KiB, trailers at most 16 KiB); chunk
// data is hashed and appended to `out` as it arrives, BEFORE that chunk's signature is
// checked (the signature of a chunk can only be checked once all its data was seen). So the
// caller may stream the decoded bytes to storage but must not commit them before done()
// is true and Feed() reported no error; a failed upload must be discarded (the engine's
// writer discards uncommitted data).
// Not thread-safe; one per request.
class ChunkedDecoder {
 public:
  // `ctx` set: verify chunk signatures (and the trailer signature when `trailer` is true).
  // From an AuthResult: kStreamingSigned -> (result.chunk, false);
  // kStreamingSignedTrailer -> (result.chunk, true); kStreamingUnsignedTrailer ->
  // (std::nullopt, true).
  ChunkedDecoder(std::optional<ChunkSigningContext> ctx, bool trailer);
  ChunkedDecoder(const ChunkedDecoder&) = delete;
  ChunkedDecoder& operator=(const ChunkedDecoder&) = delete;
  ~ChunkedDecoder();

  // Consumes raw body bytes and appends the decoded payload to `out`. Bytes after the end of
  // the encoding are an error. After an error the decoder stays failed and every later call
  // returns the same error. Errors: InvalidArgument for malformed framing (bad hex, missing
  // CRLF, chunk-size lines over 4 KiB, sizes over 16 MiB, trailers where none were declared,
  // bytes after the end), SignatureDoesNotMatch for a bad chunk or trailer signature (or a
  // missing trailer signature in the signed-trailer mode). A truncated body is reported by
  // Finish() (IncompleteBody), since Feed() cannot know the input has ended.
  std::optional<S3Error> Feed(std::string_view in, std::string& out);
  // True once the final zero-length chunk and any trailers were read.
  bool done() const;
  // At the end of the body: nullopt if done(), else IncompleteBody (truncated stream).
  std::optional<S3Error> Finish() const;
  // Decoded payload bytes emitted so far (compare with x-amz-decoded-content-length).
  uint64_t decoded_bytes() const;
  // Trailer fields (lower-case names), available once done().
  const std::vector<std::pair<std::string, std::string>>& trailers() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace maxiofs::s3
