// PutObject: metadata, object lock headers, conditional writes; the body (size, digests,
// checksums, aws-chunked) is handled by upload_body.cc.
#include "handlers/handler.h"
#include "handlers/upload_body.h"
#include "headers.h"

namespace maxiofs::s3 {

HandlerOutcome HandlePutObject(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  if (auto err = RejectUnsupportedWriteHeaders(request)) return *err;

  auto body = ExtractUploadBody(ctx);
  if (!body.has_value()) return body.error();
  engine::PutObjectRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.expected_size = body.value().expected_size;
  req.expected_md5 = body.value().expected_md5;
  req.checksum_algorithm = body.value().checksum_algorithm;
  req.expected_checksum = body.value().expected_checksum;
  req.origin = OriginOf(ctx);
  if (ctx.route.op == S3Op::kPostObject) {
    req.created_by = engine::PutObjectRequest::CreatedBy::kPost;
  }

  auto meta = ExtractObjectMeta(request);
  if (!meta.has_value()) return meta.error();
  req.meta = std::move(meta).value();
  auto lock = ExtractLockRequest(request);
  if (!lock.has_value()) return lock.error();
  req.lock = std::move(lock).value();
  auto canned_acl = CannedAclHeader(request);
  if (!canned_acl.has_value()) return canned_acl.error();
  req.canned_acl = std::move(canned_acl).value();
  auto grants = GrantHeaders(request);
  if (!grants.has_value()) return grants.error();
  req.grants = std::move(grants).value();
  auto tags = TaggingHeader(request);
  if (!tags.has_value()) return tags.error();
  req.tags = std::move(tags).value();

  auto encryption = ExtractEncryption(ctx);
  if (!encryption.has_value()) return encryption.error();
  req.encryption = std::move(encryption).value();

  engine::Preconditions pre = ExtractPreconditions(request, "");
  req.preconditions.if_match = std::move(pre.if_match);
  req.preconditions.if_none_match = std::move(pre.if_none_match);

  auto writer = ctx.engine.BeginPut(req);
  if (!writer.has_value()) return FromStatus(writer.error());
  HandlerResult result;
  result.consumer = WriterBody(
      std::move(writer).value(), body.value().trailer_algorithm,
      [key = req.encryption.customer_key](const engine::ObjectInfo& info) -> S3Result<Response> {
        Response r = StoredObjectResponse(info);
        AddWriteVersionHeader(info.version_id, r);
        AddSseHeaders(info.storage, key, r);
        return r;
      });
  return result;
}

}  // namespace maxiofs::s3
