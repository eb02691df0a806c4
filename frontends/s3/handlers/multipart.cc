// Multipart uploads: CreateMultipartUpload (POST ?uploads), UploadPart (PUT ?partNumber&uploadId,
// the same body handling as PutObject), UploadPartCopy (x-amz-copy-source and an optional
// x-amz-copy-source-range), CompleteMultipartUpload (POST ?uploadId) and AbortMultipartUpload
// (DELETE ?uploadId). Listing is in multipart_list.cc.
#include "encoding.h"
#include "handlers/handler.h"
#include "handlers/upload_body.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {

namespace {

// 10,000 parts with quoted ETags and checksums fit well within this (bytes).
constexpr size_t kMaxCompleteBody = 4 * 1024 * 1024;

S3Result<uint32_t> PartNumberParam(const Route& route) {
  auto n = ParseUint64(route.Query("partNumber").value_or(""));
  if (!n || *n > 0xffffffffu) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "Part number must be an integer between 1 and 10000, inclusive"};
  }
  return static_cast<uint32_t>(*n);
}

// "bytes=first-last", both present: the only form UploadPartCopy accepts.
S3Result<engine::RangeSpec> ParseCopySourceRange(std::string_view value) {
  S3Error invalid{S3ErrorCode::kInvalidArgument,
                  "The x-amz-copy-source-range value must be of the form bytes=first-last where "
                  "first and last are the zero-based offsets of the first and last bytes to copy"};
  value = TrimOws(value);
  if (!value.starts_with("bytes=")) return invalid;
  value.remove_prefix(6);
  size_t dash = value.find('-');
  if (dash == std::string_view::npos) return invalid;
  auto first = ParseUint64(value.substr(0, dash));
  auto last = ParseUint64(value.substr(dash + 1));
  if (!first || !last || *last < *first) return invalid;
  engine::RangeSpec r;
  r.kind = engine::RangeSpec::Kind::kFromTo;
  r.first = *first;
  r.last = *last;
  return r;
}

void AddChecksumElement(XmlWriter& w, const engine::Checksum& checksum) {
  if (checksum.algorithm == engine::ChecksumAlgorithm::kNone) return;
  w.Element(ChecksumElementName(checksum.algorithm), checksum.value);
}

S3Result<Response> Complete(engine::Engine& engine, engine::CompleteMultipartRequest req,
                            const std::string& location, std::string_view body) {
  auto parts = ParseCompleteMultipartUpload(body);
  if (!parts.has_value()) return parts.error();
  req.parts = std::move(parts).value();
  auto info = engine.CompleteMultipartUpload(req);
  if (!info.has_value()) return FromStatus(info.error());
  XmlWriter w;
  w.Open("CompleteMultipartUploadResult", kS3Xmlns);
  w.Element("Location", location);
  w.Element("Bucket", req.bucket);
  w.Element("Key", req.key);
  w.Element("ETag", QuoteETag(info->etag));
  if (info->checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    AddChecksumElement(w, info->checksum);
    w.Element("ChecksumType", ChecksumTypeName(info->checksum_type));
  }
  Response r = MakeXmlResponse(w.Finish());
  AddWriteVersionHeader(info->version_id, r);
  AddSseHeaders(info->storage, "", r);
  AddExpirationHeader(*info, r);
  return r;
}

}  // namespace

HandlerOutcome HandleCreateMultipartUpload(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  if (auto err = RejectUnsupportedWriteHeaders(request)) return *err;
  engine::CreateMultipartRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
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
  auto tags = TaggingHeader(request);  // applied when the upload completes
  if (!tags.has_value()) return tags.error();
  req.tags = std::move(tags).value();
  auto encryption = ExtractEncryption(ctx);
  if (!encryption.has_value()) return encryption.error();
  req.encryption = std::move(encryption).value();
  if (auto alg = request.Header("x-amz-checksum-algorithm")) {
    req.checksum_algorithm = ChecksumAlgorithmFromName(TrimOws(*alg));
    if (req.checksum_algorithm == engine::ChecksumAlgorithm::kNone) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Value for x-amz-checksum-algorithm header is invalid."};
    }
  }
  if (auto type = request.Header("x-amz-checksum-type")) {
    const std::string_view t = TrimOws(*type);
    if (t == "COMPOSITE") {
      req.checksum_type = engine::ChecksumType::kComposite;
    } else if (t == "FULL_OBJECT") {
      req.checksum_type = engine::ChecksumType::kFullObject;
    } else {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Value for x-amz-checksum-type header is invalid."};
    }
  }
  auto upload = ctx.engine.CreateMultipartUpload(req);
  if (!upload.has_value()) return FromStatus(upload.error());
  XmlWriter w;
  w.Open("InitiateMultipartUploadResult", kS3Xmlns);
  w.Element("Bucket", req.bucket);
  w.Element("Key", req.key);
  w.Element("UploadId", upload->upload_id);
  Response r = MakeXmlResponse(w.Finish());
  AddSseHeaders(upload->storage, req.encryption.customer_key, r);
  if (req.checksum_algorithm != engine::ChecksumAlgorithm::kNone) {
    r.AddHeader("x-amz-checksum-algorithm", ChecksumAlgorithmName(req.checksum_algorithm));
    r.AddHeader("x-amz-checksum-type", std::string(ChecksumTypeName(upload->checksum_type)));
  }
  return Respond(std::move(r));
}

HandlerOutcome HandleUploadPart(RequestContext& ctx) {
  auto part_number = PartNumberParam(ctx.route);
  if (!part_number.has_value()) return part_number.error();
  auto body = ExtractUploadBody(ctx);
  if (!body.has_value()) return body.error();
  engine::UploadPartRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.upload_id = std::string(ctx.route.Query("uploadId").value_or(""));
  req.part_number = part_number.value();
  req.expected_size = body.value().expected_size;
  req.expected_md5 = body.value().expected_md5;
  req.checksum_algorithm = body.value().checksum_algorithm;
  req.expected_checksum = body.value().expected_checksum;
  auto customer = ExtractCustomerKey(ctx, "x-amz-server-side-encryption-customer-");
  if (!customer.has_value()) return customer.error();
  req.customer_key = std::move(customer).value();
  auto writer = ctx.engine.BeginUploadPart(req);
  if (!writer.has_value()) return FromStatus(writer.error());
  HandlerResult result;
  result.consumer =
      WriterBody(std::move(writer).value(), body.value().trailer_algorithm,
                 [key = req.customer_key](const engine::ObjectInfo& info) -> S3Result<Response> {
                   Response r = StoredObjectResponse(info);
                   AddSseHeaders(info.storage, key, r);
                   return r;
                 });
  return result;
}

HandlerOutcome HandleUploadPartCopy(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  auto part_number = PartNumberParam(ctx.route);
  if (!part_number.has_value()) return part_number.error();
  if (request.HeaderCount("x-amz-copy-source") != 1) {
    return S3Error{S3ErrorCode::kInvalidArgument, "Exactly one x-amz-copy-source is required."};
  }
  auto source = ParseCopySource(*request.Header("x-amz-copy-source"));
  if (!source.has_value()) return source.error();
  engine::UploadPartCopyRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.upload_id = std::string(ctx.route.Query("uploadId").value_or(""));
  req.part_number = part_number.value();
  req.src_bucket = source.value().bucket;
  req.src_key = source.value().key;
  req.src_version_id = source.value().version_id;
  if (auto range = request.Header("x-amz-copy-source-range")) {
    auto parsed = ParseCopySourceRange(*range);
    if (!parsed.has_value()) return parsed.error();
    req.src_range = parsed.value();
  }
  auto customer = ExtractCustomerKey(ctx, "x-amz-server-side-encryption-customer-");
  if (!customer.has_value()) return customer.error();
  req.customer_key = std::move(customer).value();
  auto src_key = ExtractCustomerKey(ctx, "x-amz-copy-source-server-side-encryption-customer-");
  if (!src_key.has_value()) return src_key.error();
  req.src_customer_key = std::move(src_key).value();
  req.source_preconditions = ExtractPreconditions(request, "x-amz-copy-source-");
  // Pin the source version so x-amz-copy-source-version-id names exactly what was copied.
  if (req.src_version_id.empty()) {
    engine::HeadObjectRequest head;
    head.bucket = req.src_bucket;
    head.key = req.src_key;
    head.customer_key = req.src_customer_key;
    auto current = ctx.engine.HeadObject(head);
    if (current.has_value()) req.src_version_id = current->version_id;
  }
  auto part = ctx.engine.UploadPartCopy(req);
  if (!part.has_value()) {
    if (part.error().code() == Status::Code::kNotModified) {
      return S3Error{S3ErrorCode::kPreconditionFailed,
                     "At least one of the pre-conditions you specified did not hold"};
    }
    return FromStatus(part.error());
  }
  XmlWriter w;
  w.Open("CopyPartResult", kS3Xmlns);
  w.Element("LastModified", FormatIso8601(part->last_modified_ns));
  w.Element("ETag", QuoteETag(part->etag));
  AddChecksumElement(w, part->checksum);
  Response r = MakeXmlResponse(w.Finish());
  AddReadVersionHeader(ctx.engine, req.src_bucket, req.src_version_id, r);
  for (auto& [name, value] : r.headers) {
    if (name == "x-amz-version-id") name = "x-amz-copy-source-version-id";
  }
  AddSseHeaders(part->storage, req.customer_key, r);
  return Respond(std::move(r));
}

HandlerOutcome HandleCompleteMultipartUpload(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  engine::CompleteMultipartRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.upload_id = std::string(ctx.route.Query("uploadId").value_or(""));
  req.origin = OriginOf(ctx);
  engine::Preconditions pre = ExtractPreconditions(request, "");
  req.preconditions.if_match = std::move(pre.if_match);
  req.preconditions.if_none_match = std::move(pre.if_none_match);
  // The object's checksum as the client computed it (compared as text by the engine: a
  // COMPOSITE one ends in "-<parts>", so it is not checked as base64 here).
  for (auto alg : {engine::ChecksumAlgorithm::kCRC32, engine::ChecksumAlgorithm::kCRC32C,
                   engine::ChecksumAlgorithm::kCRC64NVME, engine::ChecksumAlgorithm::kSHA1,
                   engine::ChecksumAlgorithm::kSHA256}) {
    auto v = request.Header(ChecksumHeaderName(alg));
    if (!v) continue;
    if (req.expected_checksum) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                     "allowed."};
    }
    req.expected_checksum = engine::Checksum{alg, std::string(TrimOws(*v))};
  }
  std::string host(TrimOws(request.Header("host").value_or("localhost")));
  std::string location = "http://" + host + "/" + PercentEncode(req.bucket, false) + "/" +
                         PercentEncode(req.key, true);
  if (!request.has_body()) {
    auto r = Complete(ctx.engine, std::move(req), location, "");
    if (!r.has_value()) return r.error();
    return Respond(std::move(r).value());
  }
  HandlerResult result;
  result.consumer =
      BufferedBody(kMaxCompleteBody, MalformedXmlError(),
                   [&engine = ctx.engine, req = std::move(req), location = std::move(location)](
                       std::string body, const HeaderList&) mutable {
                     return Complete(engine, std::move(req), location, body);
                   });
  return result;
}

HandlerOutcome HandleAbortMultipartUpload(RequestContext& ctx) {
  Status st = ctx.engine.AbortMultipartUpload(ctx.route.bucket, ctx.route.key,
                                              ctx.route.Query("uploadId").value_or(""));
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
