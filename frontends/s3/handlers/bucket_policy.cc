// Bucket policy and public-access block: Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus,
// Put/Get/DeletePublicAccessBlock. Validation and the rules are the engine's (Engine::iam());
// these translate the documents.
#include "handlers/body_integrity.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {
namespace {

// AWS's limit on a bucket policy (bytes).
constexpr size_t kMaxPolicyBody = 20 * 1024;
constexpr size_t kMaxPublicAccessBlockBody = 16 * 1024;

S3Error PolicyTooLarge() {
  return S3Error{S3ErrorCode::kMalformedPolicy, "Policies must be less than 20 KB (20480 bytes)"};
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

// The four flags of a PublicAccessBlockConfiguration document; absent ones are false.
S3Result<engine::PublicAccessBlock> ParsePublicAccessBlock(std::string_view body) {
  auto doc = ParseXml(body);
  if (!doc || doc->name != "PublicAccessBlockConfiguration") return MalformedXmlError();
  engine::PublicAccessBlock cfg;
  struct Flag {
    std::string_view name;
    bool* value;
  };
  for (Flag f : {Flag{"BlockPublicAcls", &cfg.block_public_acls},
                 Flag{"IgnorePublicAcls", &cfg.ignore_public_acls},
                 Flag{"BlockPublicPolicy", &cfg.block_public_policy},
                 Flag{"RestrictPublicBuckets", &cfg.restrict_public_buckets}}) {
    const XmlElement* e = doc->Child(f.name);
    if (e == nullptr) continue;
    std::string_view v = TrimOws(e->text);
    if (v != "true" && v != "false") return MalformedXmlError();
    *f.value = v == "true";
  }
  return cfg;
}

}  // namespace

HandlerOutcome HandlePutBucketPolicy(RequestContext& ctx) {
  auto integrity = ExtractBodyIntegrity(ctx.request, /*required=*/false);
  if (!integrity.has_value()) return integrity.error();
  if (ctx.request.content_length && *ctx.request.content_length > kMaxPolicyBody) {
    return PolicyTooLarge();
  }
  auto finish = [&engine = ctx.engine, bucket = ctx.route.bucket,
                 integrity = std::move(integrity).value()](
                    std::string body, const HeaderList& trailers) -> S3Result<Response> {
    if (auto err = VerifyBodyIntegrity(integrity, body, trailers)) return *err;
    if (TrimOws(body).empty()) {
      return S3Error{S3ErrorCode::kMalformedPolicy,
                     "Policies must be valid JSON and the first "
                     "byte must be '{'"};
    }
    Status st = engine.iam().PutBucketPolicy(bucket, body);
    if (!st.ok()) return FromStatus(st);
    return NoContent();
  };
  if (!ctx.request.has_body()) {
    auto r = finish("", {});
    if (!r.has_value()) return r.error();
    return Respond(std::move(r).value());
  }
  HandlerResult result;
  result.consumer = BufferedBody(kMaxPolicyBody, PolicyTooLarge(), std::move(finish));
  return result;
}

HandlerOutcome HandleGetBucketPolicy(RequestContext& ctx) {
  auto policy = ctx.engine.iam().GetBucketPolicy(ctx.route.bucket);
  if (!policy.has_value()) return FromStatus(policy.error());
  Response r;
  r.body = std::move(policy).value();
  r.AddHeader("Content-Type", "application/json");
  return Respond(std::move(r));
}

HandlerOutcome HandleDeleteBucketPolicy(RequestContext& ctx) {
  Status st = ctx.engine.iam().DeleteBucketPolicy(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  return Respond(NoContent());
}

HandlerOutcome HandleGetBucketPolicyStatus(RequestContext& ctx) {
  auto is_public = ctx.engine.iam().GetBucketPolicyStatus(ctx.route.bucket);
  if (!is_public.has_value()) return FromStatus(is_public.error());
  XmlWriter w;
  w.Open("PolicyStatus", kS3Xmlns);
  w.Element("IsPublic", is_public.value() ? "true" : "false");
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandlePutPublicAccessBlock(RequestContext& ctx) {
  return ReadCheckedDocument(ctx, kMaxPublicAccessBlockBody, /*integrity_required=*/false,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto cfg = ParsePublicAccessBlock(body);
                               if (!cfg.has_value()) return cfg.error();
                               Status st = engine.iam().PutPublicAccessBlock(bucket, cfg.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetPublicAccessBlock(RequestContext& ctx) {
  auto cfg = ctx.engine.iam().GetPublicAccessBlock(ctx.route.bucket);
  if (!cfg.has_value()) return FromStatus(cfg.error());
  auto flag = [](bool b) { return b ? "true" : "false"; };
  XmlWriter w;
  w.Open("PublicAccessBlockConfiguration", kS3Xmlns);
  w.Element("BlockPublicAcls", flag(cfg->block_public_acls));
  w.Element("IgnorePublicAcls", flag(cfg->ignore_public_acls));
  w.Element("BlockPublicPolicy", flag(cfg->block_public_policy));
  w.Element("RestrictPublicBuckets", flag(cfg->restrict_public_buckets));
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandleDeletePublicAccessBlock(RequestContext& ctx) {
  Status st = ctx.engine.iam().DeletePublicAccessBlock(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  return Respond(NoContent());
}

}  // namespace maxiofs::s3
