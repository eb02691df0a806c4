// Bucket operations: ListBuckets, CreateBucket (with x-amz-bucket-object-lock-enabled,
// x-amz-acl and x-amz-grant-*), DeleteBucket, HeadBucket, GetBucketLocation.
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/owner_xml.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {

namespace {

// Largest CreateBucketConfiguration body accepted (bytes).
constexpr size_t kMaxCreateBucketBody = 64 * 1024;

S3Result<Response> CreateBucket(engine::Engine& engine, const engine::CreateBucketRequest& req,
                                const std::string& region, std::string_view body) {
  if (!TrimOws(body).empty() && body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    auto doc = ParseXml(body);
    if (!doc || doc->name != "CreateBucketConfiguration") {
      return S3Error{S3ErrorCode::kMalformedXML,
                     "The XML you provided was not well-formed or did not validate against our "
                     "published schema."};
    }
    if (const XmlElement* lc = doc->Child("LocationConstraint")) {
      std::string_view constraint = TrimOws(lc->text);
      if (!constraint.empty() && constraint != region) {
        return S3Error{S3ErrorCode::kIllegalLocationConstraint,
                       "The specified location-constraint is not valid"};
      }
    }
  }
  Status st = engine.CreateBucket(req);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.AddHeader("Location", "/" + req.bucket);
  return r;
}

}  // namespace

HandlerOutcome HandleListBuckets(RequestContext& ctx) {
  // Pagination (max-buckets 1..10000, an opaque continuation-token: base64 of the last name
  // answered) and prefix; without max-buckets every bucket in one answer, as before.
  const Route& route = ctx.route;
  std::optional<uint64_t> max_buckets;
  if (auto m = route.Query("max-buckets")) {
    max_buckets = ParseUint64(*m);
    if (!max_buckets || *max_buckets < 1 || *max_buckets > 10000) {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "max-buckets must be an integer between 1 and 10000"};
    }
  }
  std::string after;
  if (auto t = route.Query("continuation-token"); t && !t->empty()) {
    std::optional<std::string> decoded = Base64Decode(*t);
    if (!decoded || decoded->empty()) {
      return S3Error{S3ErrorCode::kInvalidArgument, "The continuation token provided is incorrect"};
    }
    after = std::move(*decoded);
  }
  const std::string prefix(route.Query("prefix").value_or(""));
  auto buckets = ctx.engine.ListBuckets();
  if (!buckets.has_value()) return FromStatus(buckets.error());
  std::vector<engine::BucketInfo> page;
  std::string next;
  for (auto& b : *buckets) {  // sorted by name
    if (!b.name.starts_with(prefix) || (!after.empty() && b.name <= after)) continue;
    if (max_buckets && page.size() == *max_buckets) {
      next = page.back().name;
      break;
    }
    page.push_back(std::move(b));
  }
  XmlWriter w;
  w.Open("ListAllMyBucketsResult", kS3Xmlns);
  WriteOwnerElement(w, "Owner", ctx.options.owner_display_name);
  w.Open("Buckets");
  for (const auto& b : page) {
    w.Open("Bucket");
    w.Element("Name", b.name);
    w.Element("CreationDate", FormatIso8601(b.created_ns));
    w.Close();
  }
  w.Close();
  if (!next.empty()) w.Element("ContinuationToken", Base64Encode(next));
  if (route.HasQuery("prefix")) w.Element("Prefix", prefix);
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandleCreateBucket(RequestContext& ctx) {
  bool object_lock = false;
  if (auto lock = ctx.request.Header("x-amz-bucket-object-lock-enabled")) {
    std::string v(TrimOws(*lock));
    for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (v != "true" && v != "false") {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "Invalid x-amz-bucket-object-lock-enabled header value"};
    }
    object_lock = v == "true";
  }
  if (auto err = RejectUnsupportedWriteHeaders(ctx.request)) return *err;
  engine::CreateBucketRequest req;
  req.bucket = ctx.route.bucket;
  req.object_lock_enabled = object_lock;
  auto canned_acl = CannedAclHeader(ctx.request);
  if (!canned_acl.has_value()) return canned_acl.error();
  req.canned_acl = std::move(canned_acl).value();
  auto grants = GrantHeaders(ctx.request);
  if (!grants.has_value()) return grants.error();
  req.grants = std::move(grants).value();
  auto ownership = ObjectOwnershipHeader(ctx.request);
  if (!ownership.has_value()) return ownership.error();
  req.object_ownership = ownership.value();
  if (!ctx.request.has_body()) {
    auto r = CreateBucket(ctx.engine, req, ctx.options.region, "");
    if (!r.has_value()) return r.error();
    return Respond(std::move(r).value());
  }
  HandlerResult result;
  result.consumer = BufferedBody(
      kMaxCreateBucketBody,
      S3Error{S3ErrorCode::kMalformedXML, "The XML you provided is too large."},
      [&engine = ctx.engine, req = std::move(req), region = ctx.options.region](
          std::string body, const HeaderList&) { return CreateBucket(engine, req, region, body); });
  return result;
}

HandlerOutcome HandleDeleteBucket(RequestContext& ctx) {
  Status st = ctx.engine.DeleteBucket(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

HandlerOutcome HandleHeadBucket(RequestContext& ctx) {
  auto info = ctx.engine.HeadBucket(ctx.route.bucket);
  if (!info.has_value()) return FromStatus(info.error());
  Response r;
  r.head = true;
  r.content_length = 0;
  r.AddHeader("x-amz-bucket-region", ctx.options.region);
  return Respond(std::move(r));
}

HandlerOutcome HandleGetBucketLocation(RequestContext& ctx) {
  auto info = ctx.engine.HeadBucket(ctx.route.bucket);
  if (!info.has_value()) return FromStatus(info.error());
  // us-east-1 is the empty constraint, as S3 answers.
  std::string constraint = ctx.options.region == "us-east-1" ? "" : ctx.options.region;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" +
                    std::string(kS3Xmlns) + "\">" + XmlEscape(constraint) + "</LocationConstraint>";
  return Respond(MakeXmlResponse(std::move(xml)));
}

}  // namespace maxiofs::s3
