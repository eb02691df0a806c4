// The router: decides which S3 operation a request is, from its method, path, Host and query
// (path-style "/<bucket>/<key>" and virtual-host-style "<bucket>.<domain>/<key>"). Pure: it
// touches neither the network nor the engine, so every decision is unit-tested.
//
// Reserved paths: "/_maxiofs/health/live" and "/_maxiofs/health/ready" (path-style only) are
// the health checks and need no auth. A bucket name cannot start with '_', so no bucket can
// ever be shadowed by them.
#pragma once

#include "encoding.h"
#include "http_types.h"
#include "s3_error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3 {

enum class S3Op : uint8_t {
  kHealthLive,
  kHealthReady,
  kListBuckets,
  kCreateBucket,
  kDeleteBucket,
  kHeadBucket,
  kGetBucketLocation,
  kGetBucketVersioning,
  kListObjectsV1,
  kListObjectsV2,
  kDeleteObjects,
  kGetObject,
  kHeadObject,
  kPutObject,
  kCopyObject,
  kDeleteObject,
  kPutBucketVersioning,
  kListObjectVersions,
  kGetObjectLockConfiguration,
  kPutObjectLockConfiguration,
  kGetObjectRetention,
  kPutObjectRetention,
  kGetObjectLegalHold,
  kPutObjectLegalHold,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListMultipartUploads,
  kListParts,
  kPutBucketEncryption,
  kGetBucketEncryption,
  kDeleteBucketEncryption,
  kPutBucketPolicy,
  kGetBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketPolicyStatus,
  kGetBucketAcl,
  kPutBucketAcl,
  kGetObjectAcl,
  kPutObjectAcl,
  kPutPublicAccessBlock,
  kGetPublicAccessBlock,
  kDeletePublicAccessBlock,
  kGetObjectTagging,
  kPutObjectTagging,
  kDeleteObjectTagging,
  kGetBucketTagging,
  kPutBucketTagging,
  kDeleteBucketTagging,
  kGetBucketLifecycle,  // GetBucketLifecycleConfiguration (and the deprecated GetBucketLifecycle)
  kPutBucketLifecycle,  // PutBucketLifecycleConfiguration (and the deprecated PutBucketLifecycle)
  kDeleteBucketLifecycle,
  kPutBucketCors,
  kGetBucketCors,
  kDeleteBucketCors,
  kCorsPreflight,  // OPTIONS on the service, a bucket or an object: unauthenticated (cors_headers)
  kPostObject,     // POST multipart/form-data on a bucket: a browser form upload (post/)
  kGetObjectAttributes,
  kGetBucketOwnershipControls,
  kPutBucketOwnershipControls,
  kDeleteBucketOwnershipControls,
  kPutBucketLogging,
  kGetBucketLogging,
  kPutBucketNotification,
  kGetBucketNotification,
  kIamQuery,        // POST / with a form body: the IAM and STS query APIs (iam_api/)
  kNotImplemented,  // a real S3 operation MaxIOFS does not implement yet: 501
};

// The operation's name for logs ("GetObject", ...).
std::string_view S3OpName(S3Op op);

struct Route {
  S3Op op = S3Op::kNotImplemented;
  std::string bucket;  // decoded; empty for service-level operations
  std::string key;     // decoded; empty for bucket-level operations
  bool virtual_host = false;
  std::string raw_path;   // as received, percent-encoded, without the query
  std::string raw_query;  // as received, without '?'
  std::vector<QueryParam> query;
  std::string not_implemented;  // kNotImplemented: which feature, for the message

  // The value of query parameter `name` (first occurrence), or nullopt when absent.
  std::optional<std::string_view> Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const { return Query(name).has_value(); }
  // "/bucket/key" for the Resource of error documents.
  std::string Resource() const;
};

struct RouterOptions {
  std::vector<std::string> virtual_host_domains;  // lower-case, no port
};

// Routes a request. POST "/" (path-style) with Content-Type application/x-www-form-urlencoded
// is the IAM/STS query API (kIamQuery); POST on a bucket is a form upload (kPostObject) when its
// Content-Type is multipart/form-data, else 412 PreconditionFailed (as S3). Errors:
// MethodNotAllowed (405) for a method the addressed resource does not support, InvalidArgument for
// a malformed target or query, InvalidRequest for an unknown list-type.
S3Result<Route> RouteRequest(const HttpRequest& request, const RouterOptions& options);

}  // namespace maxiofs::s3
