// The S3 operation handlers. Each translates one routed, authenticated request into engine
// calls and builds the response. Beast-free: they see an HttpRequest and a Route and return a
// HandlerResult, so tests drive them against a real engine without a socket.
//
// Threading: handlers and BodyConsumers run on the engine worker pool (they may block on disk).
// A BodyConsumer is called by one thread at a time.
#pragma once

#include "auth/auth.h"
#include "http_types.h"
#include "router.h"
#include "s3_error.h"

#include "maxiofs/engine/engine.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

// What handlers need to know about the server; fixed at start.
struct ServiceOptions {
  std::string region = "us-east-1";
  RouterOptions router;
  // The root access key (the principal of anonymous requests under anonymous_as_root).
  std::string access_key;
  // The account's DisplayName in Owner elements and ACLs; empty: left out.
  std::string owner_display_name;
  // Accept SSE-C (whose key travels in the request) on connections that are not TLS
  // (request.tls false).
  bool allow_insecure_sse_c = false;
  // Requests without credentials act as root (auth.enabled: false, loopback servers only).
  bool anonymous_as_root = false;
};

struct RequestContext {
  engine::Engine& engine;
  const ServiceOptions& options;
  const HttpRequest& request;
  const Route& route;
  std::string access_key;  // authenticated access key id
  PayloadMode payload_mode = PayloadMode::kUnsigned;
  // Who asks, with the request's condition keys: handlers that authorize per item
  // (DeleteObjects) copy it and set action/bucket/key.
  engine::AuthzRequest authz{};
};

// Takes a request body's decoded payload chunk by chunk. Destroying a consumer before Finish
// abandons the operation with no side effect (e.g. an uncommitted PUT leaves nothing).
class BodyConsumer {
 public:
  virtual ~BodyConsumer() = default;
  // The next payload bytes. An error ends the request (the body is not read further).
  virtual std::optional<S3Error> Consume(std::string_view payload) = 0;
  // The whole body was received; `trailers` are aws-chunked trailer fields (lower-case names).
  // Returns the response (errors as S3Error).
  virtual S3Result<Response> Finish(const HeaderList& trailers) = 0;
};

struct HandlerResult {
  Response response;                       // the answer, when consumer is null
  std::unique_ptr<BodyConsumer> consumer;  // non-null: the body must be read into it first
};
using HandlerOutcome = S3Result<HandlerResult>;

inline HandlerOutcome Respond(Response r) { return HandlerResult{std::move(r), nullptr}; }

// A consumer that buffers a small body (up to `limit` bytes, else `too_large`) and then calls
// `finish` with it.
std::unique_ptr<BodyConsumer> BufferedBody(
    size_t limit, S3Error too_large,
    std::function<S3Result<Response>(std::string body, const HeaderList& trailers)> finish);

// The body of a configuration request (PutBucketVersioning, PutObjectLockConfiguration, ...):
// buffers up to `limit` bytes (MalformedXML beyond), verifies the Content-MD5 or
// x-amz-checksum-* that was sent (InvalidRequest when none is and `integrity_required`;
// BadDigest on a mismatch), then calls `handle` with the document. An empty body is handed
// over as "" at once, without reading.
HandlerOutcome ReadCheckedDocument(
    RequestContext& ctx, size_t limit, bool integrity_required,
    std::function<S3Result<Response>(std::string_view document)> handle);

// Common header sets.
// The headers of an object (ETag, Last-Modified, Content-Type, metadata, storage class).
void AddObjectHeaders(const engine::ObjectInfo& info, Response& r);
// "x-amz-checksum-<alg>" for a stored checksum, or empty for kNone.
std::string ChecksumHeaderName(engine::ChecksumAlgorithm algorithm);
// "COMPOSITE" or "FULL_OBJECT" (x-amz-checksum-type, ChecksumType elements).
std::string_view ChecksumTypeName(engine::ChecksumType type);
// The algorithm named by "CRC32", "crc32", ... ; kNone when unknown.
engine::ChecksumAlgorithm ChecksumAlgorithmFromName(std::string_view name);
// Digest length in bytes of an algorithm (4 for CRC32, ...).
size_t ChecksumLength(engine::ChecksumAlgorithm algorithm);
// The answer to a stored body (PUT, UploadPart): ETag and the checksum header when one is stored.
Response StoredObjectResponse(const engine::ObjectInfo& info);
// --- Server-side encryption headers (sse_headers.cc) --------------------------------------------
// The SSE-C key of `prefix` ("x-amz-server-side-encryption-customer-" or
// "x-amz-copy-source-server-side-encryption-customer-"): the 32 raw key bytes, or "" when the
// request has none. InvalidRequest unless request.tls or options.allow_insecure_sse_c;
// InvalidArgument /
// InvalidEncryptionAlgorithmError for a missing part, a bad key or an MD5 mismatch.
S3Result<std::string> ExtractCustomerKey(const RequestContext& ctx, std::string_view prefix);
// The encryption a write asks for: SSE-C, x-amz-server-side-encryption (AES256, aws:kms with key
// id and context), or kDefault. InvalidArgument for unknown values and mixed modes.
S3Result<engine::EncryptionRequest> ExtractEncryption(const RequestContext& ctx);
// x-amz-server-side-encryption* answer headers for stored data; for SSE-C the key MD5 of the
// request's `customer_key`.
void AddSseHeaders(const engine::StorageInfo& storage, std::string_view customer_key, Response& r);

// Rejects request headers that ask for a feature MaxIOFS does not implement (website
// redirects): NotImplemented. Answering success would be wrong.
std::optional<S3Error> RejectUnsupportedWriteHeaders(const HttpRequest& request);
// --- Tagging (tagging.cc) -----------------------------------------------------------------------
// The tags of x-amz-tagging (empty when absent); InvalidArgument when malformed.
S3Result<engine::TagSet> TaggingHeader(const HttpRequest& request);
// x-amz-tagging-directive of CopyObject: true for REPLACE, false for COPY (the default);
// InvalidArgument for another value.
S3Result<bool> TaggingDirectiveIsReplace(const HttpRequest& request);
// x-amz-tagging-count on GET/HEAD of an object that has tags.
void AddTaggingCountHeader(const engine::ObjectInfo& info, Response& r);
// The canned ACL named by x-amz-acl (trimmed), "" when absent; InvalidArgument for a name
// engine::CannedAcl does not know.
S3Result<std::string> CannedAclHeader(const HttpRequest& request);
// --- Grant headers (grant_headers.cc) -----------------------------------------------------------
// The ACL the x-amz-grant-* headers give (owner: the account), nullopt when there are none;
// InvalidArgument for a malformed list or an unknown grantee type. Whether each grantee exists
// is the engine's call.
S3Result<std::optional<engine::Acl>> GrantHeaders(const HttpRequest& request);
// The XML element of a checksum: kCRC32 -> "ChecksumCRC32" (empty for kNone).
std::string ChecksumElementName(engine::ChecksumAlgorithm algorithm);
// The upper-case name S3 uses in x-amz-checksum-algorithm: "CRC32", ... (empty for kNone).
std::string ChecksumAlgorithmName(engine::ChecksumAlgorithm algorithm);

// A parsed x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, optionally with
// "?versionId=<id>" (empty version_id when absent).
struct CopySource {
  std::string bucket;
  std::string key;
  std::string version_id;
};
S3Result<CopySource> ParseCopySource(std::string_view raw);

// --- Versioning and object lock headers (version_lock_headers.cc) -----------------------------
// x-amz-bypass-governance-retention: true (case-insensitive).
bool BypassGovernance(const HttpRequest& request);
// x-amz-object-lock-mode / -retain-until-date / -legal-hold of a write. InvalidArgument when a
// value is malformed or only one of mode and date is given.
S3Result<engine::LockRequest> ExtractLockRequest(const HttpRequest& request);
// x-amz-object-lock-* of an object version (GET/HEAD).
void AddLockHeaders(const engine::ObjectInfo& info, Response& r);
// x-amz-version-id of a new version (PUT, copy, multipart completion): omitted for "null".
void AddWriteVersionHeader(std::string_view version_id, Response& r);
// x-amz-version-id of a version read or deleted: "null" only in a bucket whose versioning was
// ever enabled (looked up in the engine).
void AddReadVersionHeader(engine::Engine& engine, std::string_view bucket,
                          std::string_view version_id, Response& r);
// The error answer for an engine status; for a delete marker (SubCode kDeleteMarker) it carries
// x-amz-delete-marker: true, x-amz-version-id and, on 405, Allow: DELETE.
HandlerOutcome ObjectError(const RequestContext& ctx, const Status& status);
// The versionId query parameter: empty when absent; InvalidArgument when present but empty.
S3Result<std::string> VersionIdParam(const Route& route);

// Listing parameters: a max count (max-keys, max-uploads, max-parts), clamped to 1000,
// InvalidArgument when not an integer; and encoding-type (absent or "url", else
// InvalidArgument).
S3Result<uint32_t> MaxParam(const Route& route, std::string_view name);
S3Result<bool> UrlEncodingParam(const Route& route);
// `s` percent-encoded when `url` (encoding-type=url), else as is.
std::string MaybeUrlEncode(bool url, std::string_view s);

HandlerOutcome HandleHealth(RequestContext& ctx);
HandlerOutcome HandleListBuckets(RequestContext& ctx);
HandlerOutcome HandleCreateBucket(RequestContext& ctx);
HandlerOutcome HandleDeleteBucket(RequestContext& ctx);
HandlerOutcome HandleHeadBucket(RequestContext& ctx);
HandlerOutcome HandleGetBucketLocation(RequestContext& ctx);
HandlerOutcome HandleGetBucketVersioning(RequestContext& ctx);
HandlerOutcome HandleListObjects(RequestContext& ctx);  // V1 and V2
HandlerOutcome HandleGetObject(RequestContext& ctx);    // GET and HEAD
HandlerOutcome HandlePutObject(RequestContext& ctx);
HandlerOutcome HandleCopyObject(RequestContext& ctx);
HandlerOutcome HandleDeleteObject(RequestContext& ctx);
HandlerOutcome HandleDeleteObjects(RequestContext& ctx);
// Versioning (versioning.cc).
HandlerOutcome HandlePutBucketVersioning(RequestContext& ctx);
HandlerOutcome HandleListObjectVersions(RequestContext& ctx);
// Object lock (object_lock.cc).
HandlerOutcome HandleGetObjectLockConfiguration(RequestContext& ctx);
HandlerOutcome HandlePutObjectLockConfiguration(RequestContext& ctx);
HandlerOutcome HandleGetObjectRetention(RequestContext& ctx);
HandlerOutcome HandlePutObjectRetention(RequestContext& ctx);
HandlerOutcome HandleGetObjectLegalHold(RequestContext& ctx);
HandlerOutcome HandlePutObjectLegalHold(RequestContext& ctx);
// Bucket default encryption (bucket_encryption.cc).
HandlerOutcome HandlePutBucketEncryption(RequestContext& ctx);
HandlerOutcome HandleGetBucketEncryption(RequestContext& ctx);
HandlerOutcome HandleDeleteBucketEncryption(RequestContext& ctx);
// Bucket policy and public-access block (bucket_policy.cc).
HandlerOutcome HandlePutBucketPolicy(RequestContext& ctx);
HandlerOutcome HandleGetBucketPolicy(RequestContext& ctx);
HandlerOutcome HandleDeleteBucketPolicy(RequestContext& ctx);
HandlerOutcome HandleGetBucketPolicyStatus(RequestContext& ctx);
HandlerOutcome HandlePutPublicAccessBlock(RequestContext& ctx);
HandlerOutcome HandleGetPublicAccessBlock(RequestContext& ctx);
HandlerOutcome HandleDeletePublicAccessBlock(RequestContext& ctx);
// Tagging (tagging.cc). PutObjectTagging authorizes itself once its body (the tags, for
// s3:RequestObjectTag) is read.
HandlerOutcome HandleGetObjectTagging(RequestContext& ctx);
HandlerOutcome HandlePutObjectTagging(RequestContext& ctx);
HandlerOutcome HandleDeleteObjectTagging(RequestContext& ctx);
HandlerOutcome HandleGetBucketTagging(RequestContext& ctx);
HandlerOutcome HandlePutBucketTagging(RequestContext& ctx);
HandlerOutcome HandleDeleteBucketTagging(RequestContext& ctx);
// Lifecycle (bucket_lifecycle.cc).
HandlerOutcome HandleGetBucketLifecycle(RequestContext& ctx);
HandlerOutcome HandlePutBucketLifecycle(RequestContext& ctx);
HandlerOutcome HandleDeleteBucketLifecycle(RequestContext& ctx);
// x-amz-expiration when a lifecycle rule will expire the object `info` describes.
void AddExpirationHeader(const engine::ObjectInfo& info, Response& r);
// Who asks and from where, for the bucket notifications a change causes (common.cc).
engine::RequestOrigin OriginOf(const RequestContext& ctx);

// Bucket notifications (bucket_notification.cc).
HandlerOutcome HandlePutBucketNotification(RequestContext& ctx);
HandlerOutcome HandleGetBucketNotification(RequestContext& ctx);

// Server access logging (bucket_logging.cc).
HandlerOutcome HandlePutBucketLogging(RequestContext& ctx);
HandlerOutcome HandleGetBucketLogging(RequestContext& ctx);
// CORS rules (bucket_cors.cc).
HandlerOutcome HandlePutBucketCors(RequestContext& ctx);
HandlerOutcome HandleGetBucketCors(RequestContext& ctx);
HandlerOutcome HandleDeleteBucketCors(RequestContext& ctx);
// ACLs (acl.cc).
HandlerOutcome HandleGetBucketAcl(RequestContext& ctx);
// object_attributes.cc
HandlerOutcome HandleGetObjectAttributes(RequestContext& ctx);
// ownership.cc
HandlerOutcome HandleGetBucketOwnershipControls(RequestContext& ctx);
HandlerOutcome HandlePutBucketOwnershipControls(RequestContext& ctx);
HandlerOutcome HandleDeleteBucketOwnershipControls(RequestContext& ctx);
// x-amz-object-ownership of CreateBucket (nullopt when absent); InvalidArgument for an unknown
// value.
S3Result<std::optional<engine::ObjectOwnership>> ObjectOwnershipHeader(const HttpRequest& request);
HandlerOutcome HandlePutBucketAcl(RequestContext& ctx);
HandlerOutcome HandleGetObjectAcl(RequestContext& ctx);
HandlerOutcome HandlePutObjectAcl(RequestContext& ctx);
// Multipart uploads (multipart.cc, multipart_list.cc).
HandlerOutcome HandleCreateMultipartUpload(RequestContext& ctx);
HandlerOutcome HandleUploadPart(RequestContext& ctx);
HandlerOutcome HandleUploadPartCopy(RequestContext& ctx);
HandlerOutcome HandleCompleteMultipartUpload(RequestContext& ctx);
HandlerOutcome HandleAbortMultipartUpload(RequestContext& ctx);
HandlerOutcome HandleListMultipartUploads(RequestContext& ctx);
HandlerOutcome HandleListParts(RequestContext& ctx);

// Dispatches on ctx.route.op (kNotImplemented -> 501; kIamQuery is S3Service's, never here:
// InternalError).
HandlerOutcome Dispatch(RequestContext& ctx);

}  // namespace maxiofs::s3
