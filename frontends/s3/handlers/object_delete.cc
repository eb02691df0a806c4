// DeleteObject: 204 whether or not the key existed, as S3.
#include "handlers/handler.h"
#include "headers.h"

namespace maxiofs::s3 {

HandlerOutcome HandleDeleteObject(RequestContext& ctx) {
  if (auto v = ctx.route.Query("versionId"); v && *v != "null") {
    return S3Error{S3ErrorCode::kNoSuchVersion, "The specified version does not exist."};
  }
  engine::DeleteObjectRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  if (auto m = ctx.request.Header("if-match")) req.preconditions.if_match = ParseETagList(*m);
  auto result = ctx.engine.DeleteObject(req);
  if (!result.has_value()) return FromStatus(result.error());
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
