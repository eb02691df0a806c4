// DeleteObjects (POST /bucket?delete): up to 1000 keys, Quiet mode, per-key errors. The body
// must carry Content-MD5 or an x-amz-checksum-* header, which is verified here.
#include "digest.h"
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <array>

namespace maxiofs::s3 {

namespace {

// 1000 keys of up to 1024 bytes each, escaped, fit well within this (bytes).
constexpr size_t kMaxDeleteBody = 2 * 1024 * 1024;
constexpr size_t kMaxKeys = 1000;

constexpr std::array<engine::ChecksumAlgorithm, 5> kAlgorithms = {
    engine::ChecksumAlgorithm::kCRC32, engine::ChecksumAlgorithm::kCRC32C,
    engine::ChecksumAlgorithm::kCRC64NVME, engine::ChecksumAlgorithm::kSHA1,
    engine::ChecksumAlgorithm::kSHA256};

S3Error Malformed() {
  return S3Error{S3ErrorCode::kMalformedXML,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema"};
}

struct Integrity {
  std::optional<std::string> md5;  // raw
  engine::ChecksumAlgorithm algorithm = engine::ChecksumAlgorithm::kNone;
  std::string checksum;  // raw
};

S3Result<Response> DeleteAll(engine::Engine& engine, const std::string& bucket,
                             const Integrity& integrity, std::string_view body) {
  if (integrity.md5 && Md5(body) != *integrity.md5) {
    return S3Error{S3ErrorCode::kBadDigest,
                   "The Content-MD5 you specified did not match what we received."};
  }
  if (integrity.algorithm != engine::ChecksumAlgorithm::kNone &&
      ComputeChecksum(integrity.algorithm, body) != integrity.checksum) {
    return S3Error{S3ErrorCode::kBadDigest,
                   "The " + ChecksumHeaderName(integrity.algorithm) +
                       " you specified did not match the calculated checksum."};
  }
  auto doc = ParseXml(body);
  if (!doc || doc->name != "Delete") return Malformed();
  bool quiet = false;
  struct Item {
    std::string key;
    std::optional<std::string> version_id;
  };
  std::vector<Item> items;
  for (const auto& child : doc->children) {
    if (child.name == "Quiet") {
      std::string_view q = TrimOws(child.text);
      if (q != "true" && q != "false") return Malformed();
      quiet = q == "true";
    } else if (child.name == "Object") {
      const XmlElement* key = child.Child("Key");
      if (key == nullptr) return Malformed();
      Item item{key->text, std::nullopt};
      if (const XmlElement* v = child.Child("VersionId")) item.version_id = v->text;
      items.push_back(std::move(item));
      if (items.size() > kMaxKeys) return Malformed();
    }
  }
  if (items.empty()) return Malformed();

  auto bucket_info = engine.HeadBucket(bucket);
  if (!bucket_info.has_value()) return FromStatus(bucket_info.error());

  XmlWriter w;
  w.Open("DeleteResult", kS3Xmlns);
  for (const auto& item : items) {
    std::optional<S3Error> error;
    if (item.version_id && *item.version_id != "null") {
      error = S3Error{S3ErrorCode::kNoSuchVersion, "The specified version does not exist."};
    } else if (auto too_long = CheckKeyLength(item.key)) {
      error = *too_long;
    } else {
      engine::DeleteObjectRequest req;
      req.bucket = bucket;
      req.key = item.key;
      auto result = engine.DeleteObject(req);
      if (!result.has_value()) error = FromStatus(result.error());
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
      w.Close();
    }
  }
  return MakeXmlResponse(w.Finish());
}

}  // namespace

HandlerOutcome HandleDeleteObjects(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  Integrity integrity;
  bool has_integrity_header = false;
  if (auto md5 = request.Header("content-md5")) {
    has_integrity_header = true;
    auto raw = Base64Decode(TrimOws(*md5));
    if (!raw || raw->size() != 16) {
      return S3Error{S3ErrorCode::kInvalidDigest, "The Content-MD5 you specified was invalid."};
    }
    integrity.md5 = std::move(*raw);
  }
  for (auto alg : kAlgorithms) {
    if (auto v = request.Header(ChecksumHeaderName(alg))) {
      has_integrity_header = true;
      auto raw = Base64Decode(TrimOws(*v));
      if (!raw || raw->size() != ChecksumLength(alg)) {
        return S3Error{S3ErrorCode::kInvalidChecksum,
                       "Value for " + ChecksumHeaderName(alg) + " header is invalid."};
      }
      integrity.algorithm = alg;
      integrity.checksum = std::move(*raw);
    }
  }
  // A checksum sent in an aws-chunked trailer also protects the body.
  if (auto trailer = request.Header("x-amz-trailer");
      trailer && TrimOws(*trailer).starts_with("x-amz-checksum-")) {
    has_integrity_header = true;
  }
  if (!has_integrity_header) {
    return S3Error{S3ErrorCode::kInvalidRequest,
                   "Missing required header for this request: Content-MD5 or x-amz-checksum-*"};
  }
  if (!request.has_body()) {
    return S3Error{S3ErrorCode::kMissingRequestBodyError, "Request Body is empty"};
  }
  HandlerResult result;
  result.consumer = BufferedBody(kMaxDeleteBody, Malformed(),
                                 [&engine = ctx.engine, bucket = ctx.route.bucket, integrity](
                                     std::string body, const HeaderList&) {
                                   return DeleteAll(engine, bucket, integrity, body);
                                 });
  return result;
}

}  // namespace maxiofs::s3
