#include "access_log/log_record.h"

#include "encoding.h"

#include <cstdio>
#include <ctime>

namespace maxiofs::s3 {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void Field(std::string& out, std::string_view v) {
  out.push_back(' ');
  if (v.empty()) {
    out.push_back('-');
    return;
  }
  for (char c : v) out.push_back(c == ' ' || static_cast<unsigned char>(c) < 0x20 ? '?' : c);
}

void Quoted(std::string& out, std::string_view v) {
  out.push_back(' ');
  if (v.empty()) {
    out.push_back('-');
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out.push_back('?');
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void Number(std::string& out, std::optional<uint64_t> v, bool zero_is_none) {
  if (!v || (zero_is_none && *v == 0)) return Field(out, "");
  Field(out, std::to_string(*v));
}

std::string_view Resource(S3Op op) {
  switch (op) {
    case S3Op::kGetObject:
    case S3Op::kHeadObject:
    case S3Op::kPutObject:
    case S3Op::kDeleteObject:
    case S3Op::kPostObject:
      return "OBJECT";
    case S3Op::kListBuckets:
    case S3Op::kCreateBucket:
    case S3Op::kDeleteBucket:
    case S3Op::kHeadBucket:
    case S3Op::kListObjectsV1:
    case S3Op::kListObjectsV2:
      return "BUCKET";
    case S3Op::kGetBucketLocation:
      return "LOCATION";
    case S3Op::kGetBucketVersioning:
    case S3Op::kPutBucketVersioning:
      return "VERSIONING";
    case S3Op::kListObjectVersions:
      return "BUCKETVERSIONS";
    case S3Op::kGetObjectLockConfiguration:
    case S3Op::kPutObjectLockConfiguration:
      return "OBJECT_LOCK_CONFIGURATION";
    case S3Op::kGetObjectRetention:
    case S3Op::kPutObjectRetention:
      return "RETENTION";
    case S3Op::kGetObjectLegalHold:
    case S3Op::kPutObjectLegalHold:
      return "LEGAL_HOLD";
    case S3Op::kCreateMultipartUpload:
    case S3Op::kListMultipartUploads:
      return "UPLOADS";
    case S3Op::kUploadPart:
    case S3Op::kUploadPartCopy:
      return "PART";
    case S3Op::kCompleteMultipartUpload:
    case S3Op::kAbortMultipartUpload:
    case S3Op::kListParts:
      return "UPLOAD";
    case S3Op::kPutBucketEncryption:
    case S3Op::kGetBucketEncryption:
    case S3Op::kDeleteBucketEncryption:
      return "ENCRYPTION";
    case S3Op::kPutBucketPolicy:
    case S3Op::kGetBucketPolicy:
    case S3Op::kDeleteBucketPolicy:
      return "BUCKETPOLICY";
    case S3Op::kGetBucketPolicyStatus:
      return "BUCKETPOLICYSTATUS";
    case S3Op::kGetBucketAcl:
    case S3Op::kPutBucketAcl:
    case S3Op::kGetObjectAcl:
    case S3Op::kPutObjectAcl:
      return "ACL";
    case S3Op::kPutPublicAccessBlock:
    case S3Op::kGetPublicAccessBlock:
    case S3Op::kDeletePublicAccessBlock:
      return "PUBLIC_ACCESS_BLOCK";
    case S3Op::kGetObjectTagging:
    case S3Op::kPutObjectTagging:
    case S3Op::kDeleteObjectTagging:
    case S3Op::kGetBucketTagging:
    case S3Op::kPutBucketTagging:
    case S3Op::kDeleteBucketTagging:
      return "TAGGING";
    case S3Op::kGetBucketLifecycle:
    case S3Op::kPutBucketLifecycle:
    case S3Op::kDeleteBucketLifecycle:
      return "LIFECYCLE";
    case S3Op::kPutBucketCors:
    case S3Op::kGetBucketCors:
    case S3Op::kDeleteBucketCors:
    case S3Op::kCorsPreflight:
      return "CORS";
    case S3Op::kGetObjectAttributes:
      return "OBJECT_ATTRIBUTES";
    case S3Op::kGetBucketOwnershipControls:
    case S3Op::kPutBucketOwnershipControls:
    case S3Op::kDeleteBucketOwnershipControls:
      return "OWNERSHIP_CONTROLS";
    case S3Op::kPutBucketLogging:
    case S3Op::kGetBucketLogging:
      return "LOGGING_STATUS";
    case S3Op::kPutBucketNotification:
    case S3Op::kGetBucketNotification:
      return "NOTIFICATION";
    case S3Op::kDeleteObjects:
      return "MULTI_OBJECT_DELETE";
    case S3Op::kCopyObject:
      return "OBJECT";
    case S3Op::kHealthLive:
    case S3Op::kHealthReady:
    case S3Op::kIamQuery:
    case S3Op::kNotImplemented:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

}  // namespace

std::string AwsLogOperation(S3Op op, std::string_view method) {
  std::string m(method);
  if (op == S3Op::kCopyObject || op == S3Op::kUploadPartCopy) m = "COPY";
  return "REST." + m + "." + std::string(Resource(op));
}

std::string FormatServerAccessLogRecord(const ServerAccessLogEntry& e) {
  std::string out;
  out.reserve(512);
  out.append(e.bucket_owner.empty() ? "-" : e.bucket_owner);
  Field(out, e.bucket);
  {
    std::time_t secs = static_cast<std::time_t>(e.time_ns / 1000000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, " [%02d/%s/%04d:%02d:%02d:%02d +0000]", tm.tm_mday,
                  kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    out.append(buf);
  }
  Field(out, e.remote_ip);
  Field(out, e.requester);
  Field(out, e.request_id);
  Field(out, e.operation);
  Field(out, e.key.empty() ? std::string() : PercentEncode(e.key, /*keep_slash=*/true));
  Quoted(out, e.request_uri);
  Number(out, e.http_status > 0 ? std::optional<uint64_t>(e.http_status) : std::nullopt, false);
  Field(out, e.error_code);
  Number(out, e.bytes_sent, true);
  Number(out, e.object_size, false);
  Number(out, e.total_time_ms, false);
  Number(out, e.turn_around_ms, false);
  Quoted(out, e.referer);
  Quoted(out, e.user_agent);
  Field(out, e.version_id);
  Field(out, e.host_id);
  Field(out, e.signature_version);
  Field(out, e.cipher_suite);
  Field(out, e.auth_type);
  Field(out, e.host_header);
  Field(out, e.tls_version);
  Field(out, e.access_point_arn);
  Field(out, e.acl_required);
  return out;
}

}  // namespace maxiofs::s3
