// DeleteObject: 204 whether or not the key existed, as S3. With versionId, exactly that
// version (subject to object lock and x-amz-bypass-governance-retention); without, a delete
// marker in a versioned bucket. x-amz-delete-marker / x-amz-version-id say what happened.
#include "handlers/handler.h"
#include "headers.h"

namespace maxiofs::s3 {

HandlerOutcome HandleDeleteObject(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  engine::DeleteObjectRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.version_id = version.value();
  req.bypass_governance = BypassGovernance(ctx.request);
  req.origin = OriginOf(ctx);
  if (auto m = ctx.request.Header("if-match")) req.preconditions.if_match = ParseETagList(*m);
  if (auto t = ctx.request.Header("x-amz-if-match-last-modified-time")) {
    std::optional<int64_t> ns = ParseHttpDate(*t);
    if (!ns) {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "x-amz-if-match-last-modified-time must be an HTTP date"};
    }
    req.if_match_last_modified_s = *ns / 1'000'000'000;
  }
  if (auto n = ctx.request.Header("x-amz-if-match-size")) {
    std::optional<uint64_t> size = ParseUint64(*n);
    if (!size) {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "x-amz-if-match-size must be a non-negative integer"};
    }
    req.if_match_size = *size;
  }
  auto result = ctx.engine.DeleteObject(req);
  if (!result.has_value()) return FromStatus(result.error());
  Response r;
  r.status = 204;
  if (result->delete_marker) r.AddHeader("x-amz-delete-marker", "true");
  // The version removed (or the marker created); S3 echoes a requested version id.
  std::string id = result->version_id.empty() ? req.version_id : result->version_id;
  if (result->delete_marker && !id.empty()) {
    r.AddHeader("x-amz-version-id", id);
  } else {
    AddReadVersionHeader(ctx.engine, req.bucket, id, r);
  }
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
