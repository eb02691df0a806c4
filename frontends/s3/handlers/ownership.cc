// Bucket ownership controls (?ownershipControls): Put/Get/DeleteBucketOwnershipControls, and the
// x-amz-object-ownership header of CreateBucket. What BucketOwnerEnforced does to ACLs is the
// engine's business.
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <array>

namespace maxiofs::s3 {
namespace {

constexpr size_t kMaxOwnershipBody = 16 * 1024;

constexpr std::array<std::pair<std::string_view, engine::ObjectOwnership>, 3> kNames = {{
    {"BucketOwnerPreferred", engine::ObjectOwnership::kBucketOwnerPreferred},
    {"ObjectWriter", engine::ObjectOwnership::kObjectWriter},
    {"BucketOwnerEnforced", engine::ObjectOwnership::kBucketOwnerEnforced},
}};

std::optional<engine::ObjectOwnership> OwnershipFromName(std::string_view name) {
  for (const auto& [n, o] : kNames) {
    if (n == name) return o;
  }
  return std::nullopt;
}

std::string_view OwnershipName(engine::ObjectOwnership o) {
  for (const auto& [n, v] : kNames) {
    if (v == o) return n;
  }
  return "";
}

// <OwnershipControls><Rule><ObjectOwnership>X</ObjectOwnership></Rule></OwnershipControls>:
// exactly one rule naming a known setting, else MalformedXML.
S3Result<engine::ObjectOwnership> ParseOwnershipControls(std::string_view body) {
  auto doc = ParseXml(body);
  if (!doc || doc->name != "OwnershipControls") return MalformedXmlError();
  const XmlElement* rule = nullptr;
  for (const XmlElement& c : doc->children) {
    if (c.name != "Rule" || rule != nullptr) return MalformedXmlError();
    rule = &c;
  }
  if (rule == nullptr || rule->children.size() != 1) return MalformedXmlError();
  const XmlElement& value = rule->children[0];
  if (value.name != "ObjectOwnership") return MalformedXmlError();
  auto o = OwnershipFromName(TrimOws(value.text));
  if (!o) return MalformedXmlError();
  return *o;
}

}  // namespace

S3Result<std::optional<engine::ObjectOwnership>> ObjectOwnershipHeader(const HttpRequest& request) {
  auto v = request.Header("x-amz-object-ownership");
  if (!v) return std::optional<engine::ObjectOwnership>();
  auto o = OwnershipFromName(TrimOws(*v));
  if (!o) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "Invalid x-amz-object-ownership header: " + std::string(TrimOws(*v))};
  }
  return std::optional<engine::ObjectOwnership>(*o);
}

HandlerOutcome HandleGetBucketOwnershipControls(RequestContext& ctx) {
  auto o = ctx.engine.iam().GetBucketOwnershipControls(ctx.route.bucket);
  if (!o.has_value()) return FromStatus(o.error());
  XmlWriter w;
  w.Open("OwnershipControls", kS3Xmlns);
  w.Open("Rule");
  w.Element("ObjectOwnership", OwnershipName(o.value()));
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandlePutBucketOwnershipControls(RequestContext& ctx) {
  if (!ctx.request.has_body()) {
    return S3Error{S3ErrorCode::kMissingRequestBodyError, "Request Body is empty"};
  }
  return ReadCheckedDocument(ctx, kMaxOwnershipBody, false,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto o = ParseOwnershipControls(body);
                               if (!o.has_value()) return o.error();
                               Status st =
                                   engine.iam().PutBucketOwnershipControls(bucket, o.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleDeleteBucketOwnershipControls(RequestContext& ctx) {
  Status st = ctx.engine.iam().DeleteBucketOwnershipControls(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
