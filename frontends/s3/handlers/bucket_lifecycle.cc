// Bucket lifecycle: Put/Get/DeleteBucketLifecycleConfiguration (?lifecycle on a bucket; the
// deprecated PutBucketLifecycle is the same request with rule-level Prefixes). The rules and
// their checks are the engine's; these translate XML.
#include "handlers/handler.h"
#include "responses.h"
#include "xml/lifecycle_document.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {
namespace {

// 1,000 rules with long prefixes and tags fit easily.
constexpr size_t kMaxLifecycleBody = 2 * 1024 * 1024;

}  // namespace

HandlerOutcome HandlePutBucketLifecycle(RequestContext& ctx) {
  // S3 requires Content-MD5 (or an x-amz-checksum-*) on this request; SDKs always send one.
  return ReadCheckedDocument(ctx, kMaxLifecycleBody, /*integrity_required=*/true,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto config = ParseLifecycleConfiguration(body);
                               if (!config.has_value()) return config.error();
                               Status st = engine.PutBucketLifecycle(bucket, config.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

void AddExpirationHeader(const engine::ObjectInfo& info, Response& r) {
  if (!info.expiration) return;
  r.AddHeader("x-amz-expiration",
              ExpirationHeader(info.expiration->date_ns, info.expiration->rule_id));
}

HandlerOutcome HandleGetBucketLifecycle(RequestContext& ctx) {
  auto config = ctx.engine.GetBucketLifecycle(ctx.route.bucket);
  if (!config.has_value()) {
    if (config.error().IsNotFound()) {
      return S3Error{S3ErrorCode::kNoSuchLifecycleConfiguration,
                     "The lifecycle configuration does not exist"};
    }
    return FromStatus(config.error());
  }
  return Respond(MakeXmlResponse(RenderLifecycleConfiguration(*config)));
}

HandlerOutcome HandleDeleteBucketLifecycle(RequestContext& ctx) {
  Status st = ctx.engine.DeleteBucketLifecycle(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
