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
  // Root credentials (until IAM exists).
  std::string access_key;
  std::string secret_key;
};

struct RequestContext {
  engine::Engine& engine;
  const ServiceOptions& options;
  const HttpRequest& request;
  const Route& route;
  std::string access_key;  // authenticated access key id
  PayloadMode payload_mode = PayloadMode::kUnsigned;
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

// Common header sets.
// The headers of an object (ETag, Last-Modified, Content-Type, metadata, storage class).
void AddObjectHeaders(const engine::ObjectInfo& info, Response& r);
// "x-amz-checksum-<alg>" for a stored checksum, or empty for kNone.
std::string ChecksumHeaderName(engine::ChecksumAlgorithm algorithm);
// The algorithm named by "CRC32", "crc32", ... ; kNone when unknown.
engine::ChecksumAlgorithm ChecksumAlgorithmFromName(std::string_view name);
// Digest length in bytes of an algorithm (4 for CRC32, ...).
size_t ChecksumLength(engine::ChecksumAlgorithm algorithm);
// S3Error for a key longer than 1024 bytes (KeyTooLongError); nullopt when fine.
std::optional<S3Error> CheckKeyLength(std::string_view key);
// Rejects request headers that ask for a feature MaxIOFS does not implement (SSE, object lock,
// tagging, grants, non-private canned ACLs): NotImplemented. Answering success would be wrong.
std::optional<S3Error> RejectUnsupportedWriteHeaders(const HttpRequest& request);

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

// Dispatches on ctx.route.op (kNotImplemented -> 501).
HandlerOutcome Dispatch(RequestContext& ctx);

}  // namespace maxiofs::s3
