// Tagging: Get/Put/DeleteObjectTagging (?tagging on an object, with versionId) and
// Get/Put/DeleteBucketTagging (?tagging on a bucket); the x-amz-tagging header of writes and
// x-amz-tagging-count of reads. The rules (limits, where tags live) are the engine's.
#include "authz_map.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/tagging_document.h"

namespace maxiofs::s3 {
namespace {

// Any valid Tagging document fits (50 tags of 128 + 256 characters, each written as a
// numeric character reference, is under 200 KiB); more is refused before it is buffered.
constexpr size_t kMaxTaggingBody = 256 * 1024;

S3Error AccessDenied() { return S3Error{S3ErrorCode::kAccessDenied, "Access Denied"}; }

}  // namespace

S3Result<engine::TagSet> TaggingHeader(const HttpRequest& request) {
  if (request.HeaderCount("x-amz-tagging") > 1) {
    return S3Error{S3ErrorCode::kInvalidArgument, "The header x-amz-tagging may appear only once."};
  }
  auto value = request.Header("x-amz-tagging");
  if (!value) return engine::TagSet{};
  return ParseTaggingHeader(TrimOws(*value));
}

S3Result<bool> TaggingDirectiveIsReplace(const HttpRequest& request) {
  std::string_view d = TrimOws(request.Header("x-amz-tagging-directive").value_or("COPY"));
  if (d == "COPY") return false;
  if (d == "REPLACE") return true;
  return S3Error{S3ErrorCode::kInvalidArgument, "Unknown tagging directive."};
}

void AddTaggingCountHeader(const engine::ObjectInfo& info, Response& r) {
  if (info.tag_count > 0) r.AddHeader("x-amz-tagging-count", std::to_string(info.tag_count));
}

HandlerOutcome HandleGetObjectTagging(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  auto got = ctx.engine.GetObjectTagging({ctx.route.bucket, ctx.route.key, version.value()});
  if (!got.has_value()) return ObjectError(ctx, got.error());
  Response r = MakeXmlResponse(WriteTaggingDocument(got->tags));
  AddReadVersionHeader(ctx.engine, ctx.route.bucket, got->version_id, r);
  return Respond(std::move(r));
}

HandlerOutcome HandlePutObjectTagging(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  if (!ctx.request.has_body()) {
    return S3Error{S3ErrorCode::kMissingRequestBodyError, "Request Body is empty"};
  }
  return ReadCheckedDocument(
      ctx, kMaxTaggingBody, false,
      [&engine = ctx.engine, authz = ctx.authz, bucket = ctx.route.bucket, key = ctx.route.key,
       version = version.value(),
       origin = OriginOf(ctx)](std::string_view body) -> S3Result<Response> {
        auto tags = ParseTaggingDocument(body);
        if (!tags.has_value()) return tags.error();
        // Authorized here, with the tags as s3:RequestObjectTag/<key> and
        // s3:RequestObjectTagKeys (the router leaves this operation to its handler).
        engine::AuthzRequest q = authz;
        q.action = version.empty() ? "s3:PutObjectTagging" : "s3:PutObjectVersionTagging";
        q.bucket = bucket;
        q.key = key;
        q.version_id = version;
        AddRequestTagConditions(tags.value(), q.context);
        if (!engine.iam().Authorize(q).ok()) return AccessDenied();
        auto put = engine.PutObjectTagging({bucket, key, version, std::move(tags).value(), origin});
        if (!put.has_value()) return FromStatus(put.error());
        Response r;
        AddReadVersionHeader(engine, bucket, put.value(), r);
        return r;
      });
}

HandlerOutcome HandleDeleteObjectTagging(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  auto done = ctx.engine.DeleteObjectTagging(
      {ctx.route.bucket, ctx.route.key, version.value(), OriginOf(ctx)});
  if (!done.has_value()) return ObjectError(ctx, done.error());
  Response r;
  r.status = 204;
  AddReadVersionHeader(ctx.engine, ctx.route.bucket, done.value(), r);
  return Respond(std::move(r));
}

HandlerOutcome HandleGetBucketTagging(RequestContext& ctx) {
  auto tags = ctx.engine.GetBucketTagging(ctx.route.bucket);
  if (!tags.has_value()) return FromStatus(tags.error());
  return Respond(MakeXmlResponse(WriteTaggingDocument(tags.value())));
}

HandlerOutcome HandlePutBucketTagging(RequestContext& ctx) {
  if (!ctx.request.has_body()) {
    return S3Error{S3ErrorCode::kMissingRequestBodyError, "Request Body is empty"};
  }
  return ReadCheckedDocument(ctx, kMaxTaggingBody, false,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto tags = ParseTaggingDocument(body);
                               if (!tags.has_value()) return tags.error();
                               if (tags.value().empty())
                                 return MalformedXmlError();  // S3: a TagSet needs a Tag
                               Status st = engine.PutBucketTagging(bucket, tags.value());
                               if (!st.ok()) return FromStatus(st);
                               Response r;
                               r.status = 204;
                               return r;
                             });
}

HandlerOutcome HandleDeleteBucketTagging(RequestContext& ctx) {
  Status st = ctx.engine.DeleteBucketTagging(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
