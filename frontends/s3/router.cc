#include "router.h"

#include "headers.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace maxiofs::s3 {

namespace {

// S3 bucket sub-resources MaxIOFS does not implement yet; each answers 501 NotImplemented.
constexpr std::array<std::string_view, 13> kBucketUnimplemented = {
    "accelerate", "analytics",     "intelligent-tiering",   "inventory",
    "metrics",    "replication",   "requestPayment",        "website",
    "session",    "metadataTable", "metadataConfiguration", "abac",
    "torrent"};

// Object sub-resources MaxIOFS does not implement yet.
constexpr std::array<std::string_view, 4> kObjectUnimplemented = {"torrent", "restore", "select",
                                                                  "renameObject"};

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host without its port: "b.example.com:8080" -> "b.example.com"; "[::1]:80" -> "[::1]".
std::string_view StripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  size_t colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

// Content-Type application/x-www-form-urlencoded (any parameters, any case).
bool IsFormContentType(const HttpRequest& request) {
  auto type = request.Header("content-type");
  if (!type) return false;
  std::string lower = ToLower(TrimOws(type->substr(0, type->find(';'))));
  return lower == "application/x-www-form-urlencoded";
}

S3Error MethodNotAllowed() {
  return S3Error{S3ErrorCode::kMethodNotAllowed,
                 "The specified method is not allowed against this resource."};
}

template <size_t N>
std::optional<std::string_view> FindUnimplemented(const Route& r,
                                                  const std::array<std::string_view, N>& names) {
  for (const auto& p : r.query) {
    if (std::find(names.begin(), names.end(), p.name) != names.end()) return p.name;
  }
  return std::nullopt;
}

S3Result<Route> NotImplemented(Route r, std::string what) {
  r.op = S3Op::kNotImplemented;
  r.not_implemented = std::move(what);
  return r;
}

// A bucket sub-resource with up to one operation per method (kNotImplemented: not allowed).
struct BucketSubresource {
  std::string_view name;
  S3Op get;
  S3Op put;
  S3Op del;
};
constexpr std::array<BucketSubresource, 10> kBucketSubresources = {{
    {"logging", S3Op::kGetBucketLogging, S3Op::kPutBucketLogging, S3Op::kNotImplemented},
    {"notification", S3Op::kGetBucketNotification, S3Op::kPutBucketNotification,
     S3Op::kNotImplemented},
    {"cors", S3Op::kGetBucketCors, S3Op::kPutBucketCors, S3Op::kDeleteBucketCors},
    {"policy", S3Op::kGetBucketPolicy, S3Op::kPutBucketPolicy, S3Op::kDeleteBucketPolicy},
    {"policyStatus", S3Op::kGetBucketPolicyStatus, S3Op::kNotImplemented, S3Op::kNotImplemented},
    {"acl", S3Op::kGetBucketAcl, S3Op::kPutBucketAcl, S3Op::kNotImplemented},
    {"publicAccessBlock", S3Op::kGetPublicAccessBlock, S3Op::kPutPublicAccessBlock,
     S3Op::kDeletePublicAccessBlock},
    {"tagging", S3Op::kGetBucketTagging, S3Op::kPutBucketTagging, S3Op::kDeleteBucketTagging},
    {"lifecycle", S3Op::kGetBucketLifecycle, S3Op::kPutBucketLifecycle,
     S3Op::kDeleteBucketLifecycle},
    {"ownershipControls", S3Op::kGetBucketOwnershipControls, S3Op::kPutBucketOwnershipControls,
     S3Op::kDeleteBucketOwnershipControls},
}};

// Content-Type multipart/form-data (any parameters, any case).
bool IsMultipartFormContentType(const HttpRequest& request) {
  auto type = request.Header("content-type");
  if (!type) return false;
  return ToLower(TrimOws(type->substr(0, type->find(';')))) == "multipart/form-data";
}

S3Result<Route> RouteBucket(Route r, std::string_view method, const HttpRequest& request) {
  for (const auto& sub : kBucketSubresources) {
    if (!r.HasQuery(sub.name)) continue;
    S3Op op = S3Op::kNotImplemented;
    if (method == "GET") op = sub.get;
    if (method == "PUT") op = sub.put;
    if (method == "DELETE") op = sub.del;
    if (op == S3Op::kNotImplemented) return MethodNotAllowed();
    r.op = op;
    return r;
  }
  if (r.HasQuery("location")) {
    if (method != "GET") return MethodNotAllowed();
    r.op = S3Op::kGetBucketLocation;
    return r;
  }
  if (r.HasQuery("versioning")) {
    if (method == "GET") {
      r.op = S3Op::kGetBucketVersioning;
      return r;
    }
    if (method == "PUT") {
      r.op = S3Op::kPutBucketVersioning;
      return r;
    }
    return MethodNotAllowed();
  }
  if (r.HasQuery("object-lock")) {
    if (method == "GET") {
      r.op = S3Op::kGetObjectLockConfiguration;
    } else if (method == "PUT") {
      r.op = S3Op::kPutObjectLockConfiguration;
    } else {
      return MethodNotAllowed();
    }
    return r;
  }
  if (r.HasQuery("encryption")) {
    if (method == "GET") {
      r.op = S3Op::kGetBucketEncryption;
    } else if (method == "PUT") {
      r.op = S3Op::kPutBucketEncryption;
    } else if (method == "DELETE") {
      r.op = S3Op::kDeleteBucketEncryption;
    } else {
      return MethodNotAllowed();
    }
    return r;
  }
  if (r.HasQuery("versions")) {
    if (method != "GET") return MethodNotAllowed();
    r.op = S3Op::kListObjectVersions;
    return r;
  }
  if (r.HasQuery("uploads")) {
    if (method != "GET") return MethodNotAllowed();
    r.op = S3Op::kListMultipartUploads;
    return r;
  }
  if (r.HasQuery("delete")) {
    if (method != "POST") return MethodNotAllowed();
    r.op = S3Op::kDeleteObjects;
    return r;
  }
  if (auto name = FindUnimplemented(r, kBucketUnimplemented)) {
    return NotImplemented(std::move(r), "bucket sub-resource ?" + std::string(*name));
  }
  if (method == "GET") {
    auto list_type = r.Query("list-type");
    if (!list_type) {
      r.op = S3Op::kListObjectsV1;
    } else if (*list_type == "2") {
      r.op = S3Op::kListObjectsV2;
    } else {
      return S3Error{S3ErrorCode::kInvalidArgument, "Invalid list-type"};
    }
  } else if (method == "PUT") {
    r.op = S3Op::kCreateBucket;
  } else if (method == "DELETE") {
    r.op = S3Op::kDeleteBucket;
  } else if (method == "HEAD") {
    r.op = S3Op::kHeadBucket;
  } else if (method == "POST") {
    if (!IsMultipartFormContentType(request)) {
      return S3Error{S3ErrorCode::kPreconditionFailed,
                     "Bucket POST must be of the enclosure-type multipart/form-data"};
    }
    r.op = S3Op::kPostObject;
  } else {
    return MethodNotAllowed();
  }
  return r;
}

// Sub-resources of an object with up to one operation per method (GET, PUT, DELETE;
// kNotImplemented: not allowed).
struct ObjectSubresource {
  std::string_view name;
  S3Op get;
  S3Op put;
  S3Op del;
};
constexpr std::array<ObjectSubresource, 5> kObjectSubresources = {{
    {"acl", S3Op::kGetObjectAcl, S3Op::kPutObjectAcl, S3Op::kNotImplemented},
    {"retention", S3Op::kGetObjectRetention, S3Op::kPutObjectRetention, S3Op::kNotImplemented},
    {"legal-hold", S3Op::kGetObjectLegalHold, S3Op::kPutObjectLegalHold, S3Op::kNotImplemented},
    {"tagging", S3Op::kGetObjectTagging, S3Op::kPutObjectTagging, S3Op::kDeleteObjectTagging},
    {"attributes", S3Op::kGetObjectAttributes, S3Op::kNotImplemented, S3Op::kNotImplemented},
}};

S3Result<Route> RouteObject(Route r, std::string_view method, const HttpRequest& request) {
  if (auto name = FindUnimplemented(r, kObjectUnimplemented)) {
    return NotImplemented(std::move(r), "object sub-resource ?" + std::string(*name));
  }
  // Multipart: ?uploadId addresses one upload, ?uploads creates one.
  if (r.HasQuery("uploadId")) {
    if (method == "PUT") {
      if (!r.HasQuery("partNumber")) {
        return S3Error{S3ErrorCode::kInvalidArgument, "partNumber is required with uploadId."};
      }
      r.op = request.Header("x-amz-copy-source") ? S3Op::kUploadPartCopy : S3Op::kUploadPart;
    } else if (method == "POST") {
      r.op = S3Op::kCompleteMultipartUpload;
    } else if (method == "DELETE") {
      r.op = S3Op::kAbortMultipartUpload;
    } else if (method == "GET") {
      r.op = S3Op::kListParts;
    } else {
      return MethodNotAllowed();
    }
    return r;
  }
  if (r.HasQuery("uploads")) {
    if (method != "POST") return MethodNotAllowed();
    r.op = S3Op::kCreateMultipartUpload;
    return r;
  }
  for (const auto& sub : kObjectSubresources) {
    if (!r.HasQuery(sub.name)) continue;
    S3Op op = S3Op::kNotImplemented;
    if (method == "GET") op = sub.get;
    if (method == "PUT") op = sub.put;
    if (method == "DELETE") op = sub.del;
    if (op == S3Op::kNotImplemented) return MethodNotAllowed();
    r.op = op;
    return r;
  }
  // ?partNumber on GET/HEAD reads one part; on other methods without uploadId it means nothing.
  if (r.HasQuery("partNumber") && method != "GET" && method != "HEAD") {
    return S3Error{S3ErrorCode::kInvalidArgument, "partNumber is only valid with uploadId."};
  }
  if (method == "GET") {
    r.op = S3Op::kGetObject;
  } else if (method == "HEAD") {
    r.op = S3Op::kHeadObject;
  } else if (method == "PUT") {
    r.op = request.Header("x-amz-copy-source") ? S3Op::kCopyObject : S3Op::kPutObject;
  } else if (method == "DELETE") {
    r.op = S3Op::kDeleteObject;
  } else if (method == "POST") {
    return NotImplemented(std::move(r), "POST on an object");
  } else {
    return MethodNotAllowed();
  }
  return r;
}

}  // namespace

std::string_view S3OpName(S3Op op) {
  switch (op) {
    case S3Op::kHealthLive:
      return "HealthLive";
    case S3Op::kHealthReady:
      return "HealthReady";
    case S3Op::kListBuckets:
      return "ListBuckets";
    case S3Op::kCreateBucket:
      return "CreateBucket";
    case S3Op::kDeleteBucket:
      return "DeleteBucket";
    case S3Op::kHeadBucket:
      return "HeadBucket";
    case S3Op::kGetBucketLocation:
      return "GetBucketLocation";
    case S3Op::kGetBucketVersioning:
      return "GetBucketVersioning";
    case S3Op::kListObjectsV1:
      return "ListObjects";
    case S3Op::kListObjectsV2:
      return "ListObjectsV2";
    case S3Op::kDeleteObjects:
      return "DeleteObjects";
    case S3Op::kGetObject:
      return "GetObject";
    case S3Op::kHeadObject:
      return "HeadObject";
    case S3Op::kPutObject:
      return "PutObject";
    case S3Op::kCopyObject:
      return "CopyObject";
    case S3Op::kDeleteObject:
      return "DeleteObject";
    case S3Op::kPutBucketVersioning:
      return "PutBucketVersioning";
    case S3Op::kListObjectVersions:
      return "ListObjectVersions";
    case S3Op::kGetObjectLockConfiguration:
      return "GetObjectLockConfiguration";
    case S3Op::kPutObjectLockConfiguration:
      return "PutObjectLockConfiguration";
    case S3Op::kPutBucketEncryption:
      return "PutBucketEncryption";
    case S3Op::kGetBucketEncryption:
      return "GetBucketEncryption";
    case S3Op::kDeleteBucketEncryption:
      return "DeleteBucketEncryption";
    case S3Op::kGetObjectRetention:
      return "GetObjectRetention";
    case S3Op::kPutObjectRetention:
      return "PutObjectRetention";
    case S3Op::kGetObjectLegalHold:
      return "GetObjectLegalHold";
    case S3Op::kPutObjectLegalHold:
      return "PutObjectLegalHold";
    case S3Op::kCreateMultipartUpload:
      return "CreateMultipartUpload";
    case S3Op::kUploadPart:
      return "UploadPart";
    case S3Op::kUploadPartCopy:
      return "UploadPartCopy";
    case S3Op::kCompleteMultipartUpload:
      return "CompleteMultipartUpload";
    case S3Op::kAbortMultipartUpload:
      return "AbortMultipartUpload";
    case S3Op::kListMultipartUploads:
      return "ListMultipartUploads";
    case S3Op::kListParts:
      return "ListParts";
    case S3Op::kPutBucketPolicy:
      return "PutBucketPolicy";
    case S3Op::kGetBucketPolicy:
      return "GetBucketPolicy";
    case S3Op::kDeleteBucketPolicy:
      return "DeleteBucketPolicy";
    case S3Op::kGetBucketPolicyStatus:
      return "GetBucketPolicyStatus";
    case S3Op::kGetBucketAcl:
      return "GetBucketAcl";
    case S3Op::kPutBucketAcl:
      return "PutBucketAcl";
    case S3Op::kGetObjectAcl:
      return "GetObjectAcl";
    case S3Op::kPutObjectAcl:
      return "PutObjectAcl";
    case S3Op::kPutPublicAccessBlock:
      return "PutPublicAccessBlock";
    case S3Op::kGetPublicAccessBlock:
      return "GetPublicAccessBlock";
    case S3Op::kDeletePublicAccessBlock:
      return "DeletePublicAccessBlock";
    case S3Op::kGetObjectTagging:
      return "GetObjectTagging";
    case S3Op::kPutObjectTagging:
      return "PutObjectTagging";
    case S3Op::kDeleteObjectTagging:
      return "DeleteObjectTagging";
    case S3Op::kGetBucketTagging:
      return "GetBucketTagging";
    case S3Op::kPutBucketTagging:
      return "PutBucketTagging";
    case S3Op::kDeleteBucketTagging:
      return "DeleteBucketTagging";
    case S3Op::kGetBucketLifecycle:
      return "GetBucketLifecycleConfiguration";
    case S3Op::kPutBucketLifecycle:
      return "PutBucketLifecycleConfiguration";
    case S3Op::kDeleteBucketLifecycle:
      return "DeleteBucketLifecycle";
    case S3Op::kPutBucketCors:
      return "PutBucketCors";
    case S3Op::kGetBucketCors:
      return "GetBucketCors";
    case S3Op::kDeleteBucketCors:
      return "DeleteBucketCors";
    case S3Op::kCorsPreflight:
      return "CorsPreflight";
    case S3Op::kPostObject:
      return "PostObject";
    case S3Op::kGetObjectAttributes:
      return "GetObjectAttributes";
    case S3Op::kGetBucketOwnershipControls:
      return "GetBucketOwnershipControls";
    case S3Op::kPutBucketOwnershipControls:
      return "PutBucketOwnershipControls";
    case S3Op::kDeleteBucketOwnershipControls:
      return "DeleteBucketOwnershipControls";
    case S3Op::kPutBucketLogging:
      return "PutBucketLogging";
    case S3Op::kGetBucketLogging:
      return "GetBucketLogging";
    case S3Op::kPutBucketNotification:
      return "PutBucketNotificationConfiguration";
    case S3Op::kGetBucketNotification:
      return "GetBucketNotificationConfiguration";
    case S3Op::kIamQuery:
      return "IamQuery";
    case S3Op::kNotImplemented:
      return "NotImplemented";
  }
  return "Unknown";
}

std::optional<std::string_view> Route::Query(std::string_view name) const {
  for (const auto& p : query) {
    if (p.name == name) return std::string_view(p.value);
  }
  return std::nullopt;
}

std::string Route::Resource() const {
  if (bucket.empty()) return "/";
  return key.empty() ? "/" + bucket : "/" + bucket + "/" + key;
}

S3Result<Route> RouteRequest(const HttpRequest& request, const RouterOptions& options) {
  Route r;
  std::string_view target = request.target;
  size_t qmark = target.find('?');
  r.raw_path = std::string(target.substr(0, qmark));
  if (qmark != std::string_view::npos) r.raw_query = std::string(target.substr(qmark + 1));
  if (r.raw_path.empty() || r.raw_path.front() != '/') {
    return S3Error{S3ErrorCode::kInvalidArgument, "Couldn't parse the specified URI."};
  }
  auto query = ParseQuery(r.raw_query);
  if (!query) return S3Error{S3ErrorCode::kInvalidArgument, "Malformed query string."};
  r.query = std::move(*query);
  const std::string& method = request.method;

  // Virtual-host style: Host "<bucket>.<domain>".
  std::string host = ToLower(StripPort(TrimOws(request.Header("host").value_or(""))));
  std::string vhost_bucket;
  for (const auto& domain : options.virtual_host_domains) {
    if (host.size() > domain.size() + 1 && host.ends_with(domain) &&
        host[host.size() - domain.size() - 1] == '.') {
      vhost_bucket = host.substr(0, host.size() - domain.size() - 1);
      break;
    }
  }

  std::string_view path = std::string_view(r.raw_path).substr(1);
  if (!vhost_bucket.empty()) {
    r.virtual_host = true;
    r.bucket = vhost_bucket;
    auto key = PercentDecode(path, false);
    if (!key) return S3Error{S3ErrorCode::kInvalidArgument, "Couldn't parse the specified URI."};
    r.key = std::move(*key);
  } else {
    if (r.raw_path == "/_maxiofs/health/live" || r.raw_path == "/_maxiofs/health/ready") {
      if (method != "GET" && method != "HEAD") return MethodNotAllowed();
      r.op = r.raw_path.ends_with("live") ? S3Op::kHealthLive : S3Op::kHealthReady;
      return r;
    }
    size_t slash = path.find('/');
    auto bucket = PercentDecode(path.substr(0, slash), false);
    std::optional<std::string> key = std::string();
    if (slash != std::string_view::npos) key = PercentDecode(path.substr(slash + 1), false);
    if (!bucket || !key) {
      return S3Error{S3ErrorCode::kInvalidArgument, "Couldn't parse the specified URI."};
    }
    r.bucket = std::move(*bucket);
    r.key = std::move(*key);
  }

  // A CORS preflight, on any resource (S3 answers it before and without authentication).
  if (method == "OPTIONS") {
    r.op = S3Op::kCorsPreflight;
    return r;
  }
  if (r.bucket.empty()) {
    if (method == "GET") {
      r.op = S3Op::kListBuckets;
      return r;
    }
    if (method == "POST" && !r.virtual_host && IsFormContentType(request)) {
      r.op = S3Op::kIamQuery;
      return r;
    }
    return MethodNotAllowed();
  }
  if (r.key.empty()) return RouteBucket(std::move(r), method, request);
  return RouteObject(std::move(r), method, request);
}

}  // namespace maxiofs::s3
