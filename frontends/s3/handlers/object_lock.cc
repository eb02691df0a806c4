// Object lock: Put/GetObjectLockConfiguration (?object-lock on a bucket), Put/GetObjectRetention
// (?retention) and Put/GetObjectLegalHold (?legal-hold) on an object version. Every rule
// (who may shorten what, which buckets allow lock) is the engine's; these translate XML.
// The Put operations require Content-MD5 or an x-amz-checksum-* header, as AWS does.
#include "handlers/body_integrity.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {

namespace {

// Largest lock document accepted (bytes).
constexpr size_t kMaxLockBody = 16 * 1024;

}  // namespace

HandlerOutcome HandlePutObjectLockConfiguration(RequestContext& ctx) {
  return ReadCheckedDocument(ctx, kMaxLockBody, /*integrity_required=*/true,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto cfg = ParseObjectLockConfiguration(body);
                               if (!cfg.has_value()) return cfg.error();
                               Status st = engine.PutObjectLockConfiguration(bucket, cfg.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetObjectLockConfiguration(RequestContext& ctx) {
  auto cfg = ctx.engine.GetObjectLockConfiguration(ctx.route.bucket);
  if (!cfg.has_value()) return FromStatus(cfg.error());
  XmlWriter w;
  w.Open("ObjectLockConfiguration", kS3Xmlns);
  if (cfg->enabled) w.Element("ObjectLockEnabled", "Enabled");
  const engine::DefaultRetention& def = cfg->default_retention;
  if (def.mode != engine::LockMode::kNone) {
    w.Open("Rule");
    w.Open("DefaultRetention");
    w.Element("Mode", LockModeName(def.mode));
    if (def.days > 0) w.Element("Days", std::to_string(def.days));
    if (def.years > 0) w.Element("Years", std::to_string(def.years));
    w.Close();
    w.Close();
  }
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandlePutObjectRetention(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  engine::PutRetentionRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.version_id = version.value();
  req.bypass_governance = BypassGovernance(ctx.request);
  return ReadCheckedDocument(
      ctx, kMaxLockBody, /*integrity_required=*/true,
      [&engine = ctx.engine, req](std::string_view body) mutable -> S3Result<Response> {
        auto retention = ParseRetention(body);
        if (!retention.has_value()) return retention.error();
        req.retention = retention.value();
        Status st = engine.PutObjectRetention(req);
        if (!st.ok()) return FromStatus(st);
        return Response{};
      });
}

HandlerOutcome HandleGetObjectRetention(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  auto retention = ctx.engine.GetObjectRetention(ctx.route.bucket, ctx.route.key, version.value());
  if (!retention.has_value()) return FromStatus(retention.error());
  XmlWriter w;
  w.Open("Retention", kS3Xmlns);
  w.Element("Mode", LockModeName(retention->mode));
  w.Element("RetainUntilDate", FormatIso8601(retention->retain_until_ns));
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandlePutObjectLegalHold(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  return ReadCheckedDocument(
      ctx, kMaxLockBody, /*integrity_required=*/true,
      [&engine = ctx.engine, bucket = ctx.route.bucket, key = ctx.route.key,
       version_id = version.value()](std::string_view body) -> S3Result<Response> {
        auto on = ParseLegalHold(body);
        if (!on.has_value()) return on.error();
        Status st = engine.PutObjectLegalHold(bucket, key, version_id, on.value());
        if (!st.ok()) return FromStatus(st);
        return Response{};
      });
}

HandlerOutcome HandleGetObjectLegalHold(RequestContext& ctx) {
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  auto on = ctx.engine.GetObjectLegalHold(ctx.route.bucket, ctx.route.key, version.value());
  if (!on.has_value()) return FromStatus(on.error());
  XmlWriter w;
  w.Open("LegalHold", kS3Xmlns);
  w.Element("Status", on.value() ? "ON" : "OFF");
  return Respond(MakeXmlResponse(w.Finish()));
}

}  // namespace maxiofs::s3
