// DeleteObjects (POST /bucket?delete): up to 1000 keys, each optionally with a VersionId,
// Quiet mode, per-key errors, x-amz-bypass-governance-retention. Each key is authorized on its
// own (s3:DeleteObject[Version]); a denied key is an AccessDenied <Error> of the result. The body
// must carry Content-MD5 or an x-amz-checksum-* header (or trailer), which is verified here.
#include "handlers/body_integrity.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {

namespace {

// 1000 keys of up to 1024 bytes each, escaped, fit well within this (bytes).
constexpr size_t kMaxDeleteBody = 2 * 1024 * 1024;
constexpr size_t kMaxKeys = 1000;

// Whether `base`'s principal may delete `key` (s3:DeleteObject, or s3:DeleteObjectVersion for
// a version; plus s3:BypassGovernanceRetention when asked to bypass).
bool MayDelete(engine::Engine& engine, const engine::AuthzRequest& base, const std::string& bucket,
               const std::string& key, const std::string& version_id, bool bypass_governance) {
  engine::AuthzRequest q = base;
  q.bucket = bucket;
  q.key = key;
  q.version_id = version_id;
  q.action = version_id.empty() ? "s3:DeleteObject" : "s3:DeleteObjectVersion";
  if (!version_id.empty()) q.context["s3:VersionId"] = {version_id};
  if (!engine.iam().Authorize(q).ok()) return false;
  if (!bypass_governance) return true;
  q.action = "s3:BypassGovernanceRetention";
  return engine.iam().Authorize(q).ok();
}

S3Result<Response> DeleteAll(engine::Engine& engine, const engine::AuthzRequest& authz,
                             const std::string& bucket, bool bypass_governance,
                             const engine::RequestOrigin& origin, std::string_view body) {
  auto doc = ParseXml(body);
  if (!doc || doc->name != "Delete") return MalformedXmlError();
  bool quiet = false;
  struct Item {
    std::string key;
    std::optional<std::string> version_id;
    // Conditions (AWS 2024): ETag, LastModifiedTime (whole seconds), Size.
    std::vector<std::string> if_match;
    std::optional<int64_t> last_modified_s;
    std::optional<uint64_t> size;
  };
  std::vector<Item> items;
  for (const auto& child : doc->children) {
    if (child.name == "Quiet") {
      std::string_view q = TrimOws(child.text);
      if (q != "true" && q != "false") return MalformedXmlError();
      quiet = q == "true";
    } else if (child.name == "Object") {
      const XmlElement* key = child.Child("Key");
      if (key == nullptr) return MalformedXmlError();
      Item item{key->text, std::nullopt, {}, std::nullopt, std::nullopt};
      if (const XmlElement* v = child.Child("VersionId")) item.version_id = v->text;
      if (const XmlElement* e = child.Child("ETag")) {
        item.if_match = ParseETagList(e->text);
        if (item.if_match.empty()) return MalformedXmlError();
      }
      if (const XmlElement* t = child.Child("LastModifiedTime")) {
        std::optional<int64_t> ns = ParseHttpDate(TrimOws(t->text));
        if (!ns) return MalformedXmlError();
        item.last_modified_s = *ns / 1'000'000'000;
      }
      if (const XmlElement* n = child.Child("Size")) {
        item.size = ParseUint64(TrimOws(n->text));
        if (!item.size) return MalformedXmlError();
      }
      items.push_back(std::move(item));
      if (items.size() > kMaxKeys) return MalformedXmlError();
    }
  }
  if (items.empty()) return MalformedXmlError();

  auto bucket_info = engine.HeadBucket(bucket);
  if (!bucket_info.has_value()) return FromStatus(bucket_info.error());

  XmlWriter w;
  w.Open("DeleteResult", kS3Xmlns);
  for (const auto& item : items) {
    std::optional<S3Error> error;
    engine::DeleteObjectResult result;
    if (item.version_id && item.version_id->empty()) {
      error = S3Error{S3ErrorCode::kInvalidArgument, "Version id cannot be the empty string"};
    } else if (!MayDelete(engine, authz, bucket, item.key, item.version_id.value_or(""),
                          bypass_governance)) {
      error = S3Error{S3ErrorCode::kAccessDenied, "Access Denied"};
    } else {
      engine::DeleteObjectRequest req;
      req.bucket = bucket;
      req.key = item.key;
      req.version_id = item.version_id.value_or("");
      req.bypass_governance = bypass_governance;
      req.origin = origin;
      req.preconditions.if_match = item.if_match;
      req.if_match_last_modified_s = item.last_modified_s;
      req.if_match_size = item.size;
      auto deleted = engine.DeleteObject(req);
      if (deleted.has_value()) {
        result = std::move(deleted).value();
      } else {
        error = FromStatus(deleted.error());
      }
    }
    if (error) {
      w.Open("Error");
      w.Element("Key", item.key);
      if (item.version_id) w.Element("VersionId", *item.version_id);
      w.Element("Code", S3ErrorCodeName(error->code));
      w.Element("Message", error->message);
      w.Close();
    } else if (!quiet) {
      w.Open("Deleted");
      w.Element("Key", item.key);
      if (item.version_id) w.Element("VersionId", *item.version_id);
      if (result.delete_marker) {
        w.Element("DeleteMarker", "true");
        w.Element("DeleteMarkerVersionId", result.version_id);
      }
      w.Close();
    }
  }
  return MakeXmlResponse(w.Finish());
}

}  // namespace

HandlerOutcome HandleDeleteObjects(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  auto integrity = ExtractBodyIntegrity(request, /*required=*/true);
  if (!integrity.has_value()) return integrity.error();
  if (!request.has_body()) {
    return S3Error{S3ErrorCode::kMissingRequestBodyError, "Request Body is empty"};
  }
  HandlerResult result;
  result.consumer = BufferedBody(
      kMaxDeleteBody, MalformedXmlError(),
      [&engine = ctx.engine, authz = ctx.authz, bucket = ctx.route.bucket,
       integrity = std::move(integrity).value(), bypass = BypassGovernance(request),
       origin = OriginOf(ctx)](std::string body, const HeaderList& trailers) -> S3Result<Response> {
        if (auto err = VerifyBodyIntegrity(integrity, body, trailers)) return *err;
        return DeleteAll(engine, authz, bucket, bypass, origin, body);
      });
  return result;
}

}  // namespace maxiofs::s3
