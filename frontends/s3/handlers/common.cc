// Helpers shared by the handlers, and the dispatch table.
#include "authz_map.h"
#include "handlers/body_integrity.h"
#include "handlers/handler.h"
#include "headers.h"
#include "meta_value.h"
#include "xml/request_documents.h"

namespace maxiofs::s3 {

namespace {

class BufferedBodyConsumer final : public BodyConsumer {
 public:
  BufferedBodyConsumer(size_t limit, S3Error too_large,
                       std::function<S3Result<Response>(std::string, const HeaderList&)> finish)
      : limit_(limit), too_large_(std::move(too_large)), finish_(std::move(finish)) {}

  std::optional<S3Error> Consume(std::string_view payload) override {
    if (payload.size() > limit_ - body_.size()) return too_large_;
    body_.append(payload);
    return std::nullopt;
  }
  S3Result<Response> Finish(const HeaderList& trailers) override {
    return finish_(std::move(body_), trailers);
  }

 private:
  size_t limit_;
  S3Error too_large_;
  std::function<S3Result<Response>(std::string, const HeaderList&)> finish_;
  std::string body_;
};

}  // namespace

std::unique_ptr<BodyConsumer> BufferedBody(
    size_t limit, S3Error too_large,
    std::function<S3Result<Response>(std::string body, const HeaderList& trailers)> finish) {
  return std::make_unique<BufferedBodyConsumer>(limit, std::move(too_large), std::move(finish));
}

HandlerOutcome ReadCheckedDocument(
    RequestContext& ctx, size_t limit, bool integrity_required,
    std::function<S3Result<Response>(std::string_view document)> handle) {
  auto integrity = ExtractBodyIntegrity(ctx.request, integrity_required);
  if (!integrity.has_value()) return integrity.error();
  auto finish = [integrity = std::move(integrity).value(), handle = std::move(handle)](
                    std::string body, const HeaderList& trailers) -> S3Result<Response> {
    if (auto err = VerifyBodyIntegrity(integrity, body, trailers)) return *err;
    return handle(body);
  };
  if (!ctx.request.has_body()) {
    auto r = finish("", {});
    if (!r.has_value()) return r.error();
    return Respond(std::move(r).value());
  }
  HandlerResult result;
  result.consumer = BufferedBody(limit, MalformedXmlError(), std::move(finish));
  return result;
}

void AddObjectHeaders(const engine::ObjectInfo& info, Response& r) {
  r.AddHeader("ETag", QuoteETag(info.etag));
  r.AddHeader("Last-Modified", FormatHttpDate(info.last_modified_ns));
  r.AddHeader("Content-Type",
              info.meta.content_type.empty() ? "binary/octet-stream" : info.meta.content_type);
  if (!info.meta.content_encoding.empty()) {
    r.AddHeader("Content-Encoding", info.meta.content_encoding);
  }
  if (!info.meta.content_disposition.empty()) {
    r.AddHeader("Content-Disposition", info.meta.content_disposition);
  }
  if (!info.meta.cache_control.empty()) r.AddHeader("Cache-Control", info.meta.cache_control);
  if (!info.meta.content_language.empty()) {
    r.AddHeader("Content-Language", info.meta.content_language);
  }
  if (!info.meta.expires.empty()) r.AddHeader("Expires", info.meta.expires);
  if (!info.meta.storage_class.empty()) {
    r.AddHeader("x-amz-storage-class", info.meta.storage_class);
  }
  for (const auto& [name, value] : info.meta.user) {
    r.AddHeader("x-amz-meta-" + name, EncodeUserMetaValue(value));
  }
}

std::string_view ChecksumTypeName(engine::ChecksumType type) {
  return type == engine::ChecksumType::kFullObject ? "FULL_OBJECT" : "COMPOSITE";
}

std::string ChecksumHeaderName(engine::ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case engine::ChecksumAlgorithm::kNone:
      return "";
    case engine::ChecksumAlgorithm::kCRC32:
      return "x-amz-checksum-crc32";
    case engine::ChecksumAlgorithm::kCRC32C:
      return "x-amz-checksum-crc32c";
    case engine::ChecksumAlgorithm::kCRC64NVME:
      return "x-amz-checksum-crc64nvme";
    case engine::ChecksumAlgorithm::kSHA1:
      return "x-amz-checksum-sha1";
    case engine::ChecksumAlgorithm::kSHA256:
      return "x-amz-checksum-sha256";
  }
  return "";
}

engine::ChecksumAlgorithm ChecksumAlgorithmFromName(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "CRC32") return engine::ChecksumAlgorithm::kCRC32;
  if (upper == "CRC32C") return engine::ChecksumAlgorithm::kCRC32C;
  if (upper == "CRC64NVME") return engine::ChecksumAlgorithm::kCRC64NVME;
  if (upper == "SHA1") return engine::ChecksumAlgorithm::kSHA1;
  if (upper == "SHA256") return engine::ChecksumAlgorithm::kSHA256;
  return engine::ChecksumAlgorithm::kNone;
}

size_t ChecksumLength(engine::ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case engine::ChecksumAlgorithm::kNone:
      return 0;
    case engine::ChecksumAlgorithm::kCRC32:
      return 4;
    case engine::ChecksumAlgorithm::kCRC32C:
      return 4;
    case engine::ChecksumAlgorithm::kCRC64NVME:
      return 8;
    case engine::ChecksumAlgorithm::kSHA1:
      return 20;
    case engine::ChecksumAlgorithm::kSHA256:
      return 32;
  }
  return 0;
}

std::string ChecksumAlgorithmName(engine::ChecksumAlgorithm algorithm) {
  std::string name = ChecksumHeaderName(algorithm);
  if (name.empty()) return name;
  name = name.substr(15);  // after "x-amz-checksum-"
  for (char& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string ChecksumElementName(engine::ChecksumAlgorithm algorithm) {
  std::string name = ChecksumAlgorithmName(algorithm);
  return name.empty() ? name : "Checksum" + name;
}

Response StoredObjectResponse(const engine::ObjectInfo& info) {
  Response r;
  r.AddHeader("ETag", QuoteETag(info.etag));
  if (info.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    r.AddHeader(ChecksumHeaderName(info.checksum.algorithm), info.checksum.value);
  }
  AddExpirationHeader(info, r);
  return r;
}

std::optional<S3Error> RejectUnsupportedWriteHeaders(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    bool unsupported = name == "x-amz-website-redirect-location";
    if (unsupported) {
      return S3Error{
          S3ErrorCode::kNotImplemented,
          "A header you provided implies functionality that is not implemented: " + name};
    }
  }
  return std::nullopt;
}

S3Result<std::string> CannedAclHeader(const HttpRequest& request) {
  std::string name(TrimOws(request.Header("x-amz-acl").value_or("")));
  if (name.empty()) return name;
  auto acl = engine::CannedAcl(name);
  if (!acl.has_value()) return FromStatus(acl.error());
  return name;
}

HandlerOutcome Dispatch(RequestContext& ctx) {
  switch (ctx.route.op) {
    case S3Op::kHealthLive:
    case S3Op::kHealthReady:
      return HandleHealth(ctx);
    case S3Op::kListBuckets:
      return HandleListBuckets(ctx);
    case S3Op::kCreateBucket:
      return HandleCreateBucket(ctx);
    case S3Op::kDeleteBucket:
      return HandleDeleteBucket(ctx);
    case S3Op::kHeadBucket:
      return HandleHeadBucket(ctx);
    case S3Op::kGetBucketLocation:
      return HandleGetBucketLocation(ctx);
    case S3Op::kGetBucketVersioning:
      return HandleGetBucketVersioning(ctx);
    case S3Op::kListObjectsV1:
    case S3Op::kListObjectsV2:
      return HandleListObjects(ctx);
    case S3Op::kDeleteObjects:
      return HandleDeleteObjects(ctx);
    case S3Op::kGetObject:
    case S3Op::kHeadObject:
      return HandleGetObject(ctx);
    case S3Op::kPutObject:
      return HandlePutObject(ctx);
    case S3Op::kCopyObject:
      return HandleCopyObject(ctx);
    case S3Op::kDeleteObject:
      return HandleDeleteObject(ctx);
    case S3Op::kPutBucketVersioning:
      return HandlePutBucketVersioning(ctx);
    case S3Op::kListObjectVersions:
      return HandleListObjectVersions(ctx);
    case S3Op::kGetObjectLockConfiguration:
      return HandleGetObjectLockConfiguration(ctx);
    case S3Op::kPutObjectLockConfiguration:
      return HandlePutObjectLockConfiguration(ctx);
    case S3Op::kPutBucketEncryption:
      return HandlePutBucketEncryption(ctx);
    case S3Op::kGetBucketEncryption:
      return HandleGetBucketEncryption(ctx);
    case S3Op::kDeleteBucketEncryption:
      return HandleDeleteBucketEncryption(ctx);
    case S3Op::kGetObjectRetention:
      return HandleGetObjectRetention(ctx);
    case S3Op::kPutObjectRetention:
      return HandlePutObjectRetention(ctx);
    case S3Op::kGetObjectLegalHold:
      return HandleGetObjectLegalHold(ctx);
    case S3Op::kPutObjectLegalHold:
      return HandlePutObjectLegalHold(ctx);
    case S3Op::kCreateMultipartUpload:
      return HandleCreateMultipartUpload(ctx);
    case S3Op::kUploadPart:
      return HandleUploadPart(ctx);
    case S3Op::kUploadPartCopy:
      return HandleUploadPartCopy(ctx);
    case S3Op::kCompleteMultipartUpload:
      return HandleCompleteMultipartUpload(ctx);
    case S3Op::kAbortMultipartUpload:
      return HandleAbortMultipartUpload(ctx);
    case S3Op::kListMultipartUploads:
      return HandleListMultipartUploads(ctx);
    case S3Op::kListParts:
      return HandleListParts(ctx);
    case S3Op::kPutBucketPolicy:
      return HandlePutBucketPolicy(ctx);
    case S3Op::kGetBucketPolicy:
      return HandleGetBucketPolicy(ctx);
    case S3Op::kDeleteBucketPolicy:
      return HandleDeleteBucketPolicy(ctx);
    case S3Op::kGetBucketPolicyStatus:
      return HandleGetBucketPolicyStatus(ctx);
    case S3Op::kPutBucketCors:
      return HandlePutBucketCors(ctx);
    case S3Op::kGetBucketCors:
      return HandleGetBucketCors(ctx);
    case S3Op::kDeleteBucketCors:
      return HandleDeleteBucketCors(ctx);
    case S3Op::kCorsPreflight:
      return S3Error{S3ErrorCode::kInternalError, "CORS preflight reached the S3 dispatcher"};
    case S3Op::kPostObject:
      return S3Error{S3ErrorCode::kInternalError, "POST Object reached the S3 dispatcher"};
    case S3Op::kGetBucketAcl:
      return HandleGetBucketAcl(ctx);
    case S3Op::kPutBucketAcl:
      return HandlePutBucketAcl(ctx);
    case S3Op::kGetObjectAcl:
      return HandleGetObjectAcl(ctx);
    case S3Op::kPutObjectAcl:
      return HandlePutObjectAcl(ctx);
    case S3Op::kPutPublicAccessBlock:
      return HandlePutPublicAccessBlock(ctx);
    case S3Op::kGetPublicAccessBlock:
      return HandleGetPublicAccessBlock(ctx);
    case S3Op::kDeletePublicAccessBlock:
      return HandleDeletePublicAccessBlock(ctx);
    case S3Op::kGetObjectTagging:
      return HandleGetObjectTagging(ctx);
    case S3Op::kPutObjectTagging:
      return HandlePutObjectTagging(ctx);
    case S3Op::kDeleteObjectTagging:
      return HandleDeleteObjectTagging(ctx);
    case S3Op::kGetBucketTagging:
      return HandleGetBucketTagging(ctx);
    case S3Op::kPutBucketTagging:
      return HandlePutBucketTagging(ctx);
    case S3Op::kDeleteBucketTagging:
      return HandleDeleteBucketTagging(ctx);
    case S3Op::kGetBucketLifecycle:
      return HandleGetBucketLifecycle(ctx);
    case S3Op::kPutBucketLifecycle:
      return HandlePutBucketLifecycle(ctx);
    case S3Op::kDeleteBucketLifecycle:
      return HandleDeleteBucketLifecycle(ctx);
    case S3Op::kGetObjectAttributes:
      return HandleGetObjectAttributes(ctx);
    case S3Op::kGetBucketOwnershipControls:
      return HandleGetBucketOwnershipControls(ctx);
    case S3Op::kPutBucketOwnershipControls:
      return HandlePutBucketOwnershipControls(ctx);
    case S3Op::kDeleteBucketOwnershipControls:
      return HandleDeleteBucketOwnershipControls(ctx);
    case S3Op::kPutBucketNotification:
      return HandlePutBucketNotification(ctx);
    case S3Op::kGetBucketNotification:
      return HandleGetBucketNotification(ctx);
    case S3Op::kPutBucketLogging:
      return HandlePutBucketLogging(ctx);
    case S3Op::kGetBucketLogging:
      return HandleGetBucketLogging(ctx);
    case S3Op::kIamQuery:
      return S3Error{S3ErrorCode::kInternalError, "IAM query reached the S3 dispatcher"};
    case S3Op::kNotImplemented:
      return S3Error{S3ErrorCode::kNotImplemented,
                     "Not implemented in MaxIOFS yet: " + ctx.route.not_implemented};
  }
  return S3Error{S3ErrorCode::kInternalError, "unknown operation"};
}

S3Result<uint32_t> MaxParam(const Route& route, std::string_view name) {
  auto v = route.Query(name);
  if (!v) return 1000u;
  auto n = ParseUint64(*v);
  if (!n) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "Provided " + std::string(name) + " not an integer or within integer range"};
  }
  return static_cast<uint32_t>(std::min<uint64_t>(*n, 1000));
}

S3Result<bool> UrlEncodingParam(const Route& route) {
  auto enc = route.Query("encoding-type");
  if (!enc) return false;
  if (*enc != "url") {
    return S3Error{S3ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request"};
  }
  return true;
}

std::string MaybeUrlEncode(bool url, std::string_view s) {
  return url ? PercentEncode(s, true) : std::string(s);
}

engine::RequestOrigin OriginOf(const RequestContext& ctx) {
  return engine::RequestOrigin{ctx.access_key.empty() ? "Anonymous" : ctx.access_key,
                               RemoteIp(ctx.request.remote), ctx.request.request_id};
}

}  // namespace maxiofs::s3
