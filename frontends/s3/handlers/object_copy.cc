// CopyObject: x-amz-copy-source "bucket/key" or "/bucket/key" (URL-encoded, optional
// "?versionId="), metadata directive COPY/REPLACE, x-amz-copy-source-if-* preconditions,
// object lock headers for the new version, tagging directive COPY/REPLACE (x-amz-tagging).
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {

HandlerOutcome HandleCopyObject(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  if (auto err = RejectUnsupportedWriteHeaders(request)) return *err;
  if (request.HeaderCount("x-amz-copy-source") != 1) {
    return S3Error{S3ErrorCode::kInvalidArgument, "Exactly one x-amz-copy-source is required."};
  }
  auto source = ParseCopySource(*request.Header("x-amz-copy-source"));
  if (!source.has_value()) return source.error();

  engine::CopyObjectRequest req;
  req.src_bucket = source.value().bucket;
  req.src_key = source.value().key;
  req.src_version_id = source.value().version_id;
  req.dst_bucket = ctx.route.bucket;
  req.dst_key = ctx.route.key;
  req.origin = OriginOf(ctx);
  std::string_view directive = TrimOws(request.Header("x-amz-metadata-directive").value_or("COPY"));
  if (directive == "REPLACE") {
    req.replace_metadata = true;
    auto meta = ExtractObjectMeta(request);
    if (!meta.has_value()) return meta.error();
    req.meta = std::move(meta).value();
  } else if (directive != "COPY") {
    return S3Error{S3ErrorCode::kInvalidArgument, "Unknown metadata directive."};
  }
  auto lock = ExtractLockRequest(request);
  if (!lock.has_value()) return lock.error();
  req.lock = std::move(lock).value();
  auto canned_acl = CannedAclHeader(request);
  if (!canned_acl.has_value()) return canned_acl.error();
  req.canned_acl = std::move(canned_acl).value();
  auto grants = GrantHeaders(request);
  if (!grants.has_value()) return grants.error();
  req.grants = std::move(grants).value();
  auto replace_tags = TaggingDirectiveIsReplace(request);
  if (!replace_tags.has_value()) return replace_tags.error();
  req.replace_tags = replace_tags.value();
  if (req.replace_tags) {
    auto tags = TaggingHeader(request);
    if (!tags.has_value()) return tags.error();
    req.tags = std::move(tags).value();
  }
  auto encryption = ExtractEncryption(ctx);
  if (!encryption.has_value()) return encryption.error();
  req.encryption = std::move(encryption).value();
  auto src_key = ExtractCustomerKey(ctx, "x-amz-copy-source-server-side-encryption-customer-");
  if (!src_key.has_value()) return src_key.error();
  req.src_customer_key = std::move(src_key).value();
  req.source_preconditions = ExtractPreconditions(request, "x-amz-copy-source-");
  engine::Preconditions dest = ExtractPreconditions(request, "");
  req.dest_preconditions.if_match = std::move(dest.if_match);
  req.dest_preconditions.if_none_match = std::move(dest.if_none_match);

  // The source version for x-amz-copy-source-version-id. The copy is not pinned to it: the
  // engine's rule for a copy onto itself differs with and without a version id. (A concurrent
  // overwrite of the source between the two calls can make this header name the older one.)
  std::string src_version_id = req.src_version_id;
  if (src_version_id.empty()) {
    engine::HeadObjectRequest head;
    head.bucket = req.src_bucket;
    head.key = req.src_key;
    head.customer_key = req.src_customer_key;
    auto current = ctx.engine.HeadObject(head);
    if (current.has_value()) src_version_id = current->version_id;
  }

  auto info = ctx.engine.CopyObject(req);
  if (!info.has_value()) {
    // Source conditions answer 412, never 304 (S3).
    if (info.error().code() == Status::Code::kNotModified) {
      return S3Error{S3ErrorCode::kPreconditionFailed,
                     "At least one of the pre-conditions you specified did not hold"};
    }
    return FromStatus(info.error());
  }
  XmlWriter w;
  w.Open("CopyObjectResult", kS3Xmlns);
  w.Element("LastModified", FormatIso8601(info->last_modified_ns));
  w.Element("ETag", QuoteETag(info->etag));
  if (info->checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    w.Element(ChecksumElementName(info->checksum.algorithm), info->checksum.value);
  }
  Response r = MakeXmlResponse(w.Finish());
  AddSseHeaders(info->storage, req.encryption.customer_key, r);
  AddReadVersionHeader(ctx.engine, req.src_bucket, src_version_id, r);
  for (auto& [name, value] : r.headers) {
    if (name == "x-amz-version-id") name = "x-amz-copy-source-version-id";
  }
  AddWriteVersionHeader(info->version_id, r);
  AddExpirationHeader(*info, r);
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
