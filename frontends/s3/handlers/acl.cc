// ACLs: Get/PutBucketAcl and Get/PutObjectAcl (?acl). A Put takes one of a canned x-amz-acl
// header, x-amz-grant-* headers or an AccessControlPolicy body. What a grant allows, whom an
// e-mail address names, and whether the public-access block refuses it, is the engine's
// business.
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/acl_document.h"

namespace maxiofs::s3 {
namespace {

constexpr size_t kMaxAclBody = 64 * 1024;

// The ACL a Put asks for, from the header or the body; `apply` stores it.
HandlerOutcome PutAcl(RequestContext& ctx, std::function<Status(const engine::Acl&)> apply) {
  auto header = CannedAclHeader(ctx.request);
  if (!header.has_value()) return header.error();
  const std::string& canned = header.value();
  auto grants = GrantHeaders(ctx.request);
  if (!grants.has_value()) return grants.error();
  if (grants.value()) {
    if (!canned.empty() || ctx.request.has_body()) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Specify one of x-amz-acl, x-amz-grant-* headers or an AccessControlPolicy "
                     "body."};
    }
    Status st = apply(*grants.value());
    if (!st.ok()) return FromStatus(st);
    return Respond(Response{});
  }
  if (!canned.empty()) {
    if (ctx.request.has_body()) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Specify either x-amz-acl or an AccessControlPolicy body, not both."};
    }
    auto acl = engine::CannedAcl(canned);
    if (!acl.has_value()) return FromStatus(acl.error());
    Status st = apply(acl.value());
    if (!st.ok()) return FromStatus(st);
    return Respond(Response{});
  }
  if (!ctx.request.has_body()) {
    return S3Error{S3ErrorCode::kMissingSecurityHeader,
                   "Your request was missing a required header: x-amz-acl (or send an "
                   "AccessControlPolicy body)."};
  }
  HandlerResult result;
  result.consumer = BufferedBody(
      kMaxAclBody, S3Error{S3ErrorCode::kMalformedACLError, "The ACL document is too large."},
      [apply = std::move(apply)](std::string body, const HeaderList&) -> S3Result<Response> {
        auto acl = ParseAclDocument(body);
        if (!acl.has_value()) return acl.error();
        Status st = apply(acl.value());
        if (!st.ok()) return FromStatus(st);
        return Response{};
      });
  return result;
}

}  // namespace

HandlerOutcome HandleGetBucketAcl(RequestContext& ctx) {
  auto acl = ctx.engine.iam().GetBucketAcl(ctx.route.bucket);
  if (!acl.has_value()) return FromStatus(acl.error());
  return Respond(MakeXmlResponse(WriteAclDocument(acl.value(), ctx.options.owner_display_name)));
}

HandlerOutcome HandlePutBucketAcl(RequestContext& ctx) {
  return PutAcl(ctx, [&engine = ctx.engine, bucket = ctx.route.bucket](const engine::Acl& acl) {
    return engine.iam().PutBucketAcl(bucket, acl);
  });
}

HandlerOutcome HandleGetObjectAcl(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  auto acl = ctx.engine.iam().GetObjectAcl(ctx.route.bucket, ctx.route.key, version.value());
  if (!acl.has_value()) return FromStatus(acl.error());
  Response r = MakeXmlResponse(WriteAclDocument(acl.value(), ctx.options.owner_display_name));
  if (!version.value().empty()) r.AddHeader("x-amz-version-id", version.value());
  return Respond(std::move(r));
}

HandlerOutcome HandlePutObjectAcl(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  return PutAcl(ctx, [&engine = ctx.engine, bucket = ctx.route.bucket, key = ctx.route.key,
                      version = version.value()](const engine::Acl& acl) {
    return engine.iam().PutObjectAcl(bucket, key, version, acl);
  });
}

}  // namespace maxiofs::s3
