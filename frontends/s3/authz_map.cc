// The S3 operation -> IAM action table (AWS's "Actions, resources, and condition keys for
// Amazon S3") and the request's condition keys.
#include "authz_map.h"

#include "handlers/handler.h"
#include "headers.h"
#include "xml/tagging_document.h"

namespace maxiofs::s3 {

namespace {

constexpr OpAuthz None() { return {AuthzScope::kNone, "", ""}; }
constexpr OpAuthz Service(std::string_view a) { return {AuthzScope::kService, a, ""}; }
constexpr OpAuthz Bucket(std::string_view a) { return {AuthzScope::kBucket, a, ""}; }
constexpr OpAuthz Object(std::string_view a, std::string_view v = "") {
  return {AuthzScope::kObject, a, v};
}

void Add(ConditionContext& c, std::string key, std::string_view value) {
  c[std::move(key)].emplace_back(value);
}

void AddHeader(ConditionContext& c, const HttpRequest& request, std::string_view header,
               std::string key) {
  if (auto v = request.Header(header)) Add(c, std::move(key), TrimOws(*v));
}

bool IsListing(S3Op op) {
  return op == S3Op::kListObjectsV1 || op == S3Op::kListObjectsV2 ||
         op == S3Op::kListObjectVersions;
}

bool HasAclHeaders(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "x-amz-acl" || name.starts_with("x-amz-grant-")) return true;
  }
  return false;
}

// Ops that write a new object version (and so may carry ACL and lock headers).
bool WritesObject(S3Op op) {
  return op == S3Op::kPutObject || op == S3Op::kCopyObject || op == S3Op::kCreateMultipartUpload;
}

}  // namespace

OpAuthz AuthzFor(S3Op op) {
  switch (op) {
    case S3Op::kHealthLive:
    case S3Op::kHealthReady:
      return None();
    case S3Op::kListBuckets:
      return Service("s3:ListAllMyBuckets");
    case S3Op::kCreateBucket:
      return Bucket("s3:CreateBucket");
    case S3Op::kDeleteBucket:
      return Bucket("s3:DeleteBucket");
    case S3Op::kHeadBucket:
      return Bucket("s3:ListBucket");
    case S3Op::kGetBucketLocation:
      return Bucket("s3:GetBucketLocation");
    case S3Op::kGetBucketVersioning:
      return Bucket("s3:GetBucketVersioning");
    case S3Op::kPutBucketVersioning:
      return Bucket("s3:PutBucketVersioning");
    case S3Op::kListObjectsV1:
    case S3Op::kListObjectsV2:
      return Bucket("s3:ListBucket");
    case S3Op::kListObjectVersions:
      return Bucket("s3:ListBucketVersions");
    case S3Op::kDeleteObjects:
      return {AuthzScope::kInHandler, "s3:DeleteObject", "s3:DeleteObjectVersion"};
    case S3Op::kGetObject:
    case S3Op::kHeadObject:
      return Object("s3:GetObject", "s3:GetObjectVersion");
    case S3Op::kPutObject:
    case S3Op::kCopyObject:
      return Object("s3:PutObject");
    case S3Op::kDeleteObject:
      return Object("s3:DeleteObject", "s3:DeleteObjectVersion");
    case S3Op::kGetObjectLockConfiguration:
      return Bucket("s3:GetBucketObjectLockConfiguration");
    case S3Op::kPutObjectLockConfiguration:
      return Bucket("s3:PutBucketObjectLockConfiguration");
    case S3Op::kGetObjectRetention:
      return Object("s3:GetObjectRetention");
    case S3Op::kPutObjectRetention:
      return Object("s3:PutObjectRetention");
    case S3Op::kGetObjectLegalHold:
      return Object("s3:GetObjectLegalHold");
    case S3Op::kPutObjectLegalHold:
      return Object("s3:PutObjectLegalHold");
    case S3Op::kCreateMultipartUpload:
    case S3Op::kUploadPart:
    case S3Op::kUploadPartCopy:
    case S3Op::kCompleteMultipartUpload:
      return Object("s3:PutObject");
    case S3Op::kAbortMultipartUpload:
      return Object("s3:AbortMultipartUpload");
    case S3Op::kListMultipartUploads:
      return Bucket("s3:ListBucketMultipartUploads");
    case S3Op::kListParts:
      return Object("s3:ListMultipartUploadParts");
    case S3Op::kPutBucketEncryption:
    case S3Op::kDeleteBucketEncryption:  // AWS: DeleteBucketEncryption needs the Put action
      return Bucket("s3:PutEncryptionConfiguration");
    case S3Op::kGetBucketEncryption:
      return Bucket("s3:GetEncryptionConfiguration");
    case S3Op::kPutBucketPolicy:
      return Bucket("s3:PutBucketPolicy");
    case S3Op::kGetBucketPolicy:
      return Bucket("s3:GetBucketPolicy");
    case S3Op::kDeleteBucketPolicy:
      return Bucket("s3:DeleteBucketPolicy");
    case S3Op::kGetBucketPolicyStatus:
      return Bucket("s3:GetBucketPolicyStatus");
    case S3Op::kGetBucketAcl:
      return Bucket("s3:GetBucketAcl");
    case S3Op::kPutBucketAcl:
      return Bucket("s3:PutBucketAcl");
    case S3Op::kGetObjectAcl:
      return Object("s3:GetObjectAcl", "s3:GetObjectVersionAcl");
    case S3Op::kPutObjectAcl:
      return Object("s3:PutObjectAcl", "s3:PutObjectVersionAcl");
    case S3Op::kPutPublicAccessBlock:
    case S3Op::kDeletePublicAccessBlock:  // AWS: Delete needs the Put action
      return Bucket("s3:PutBucketPublicAccessBlock");
    case S3Op::kGetPublicAccessBlock:
      return Bucket("s3:GetBucketPublicAccessBlock");
    case S3Op::kGetObjectTagging:
      return Object("s3:GetObjectTagging", "s3:GetObjectVersionTagging");
    case S3Op::kPutObjectTagging:  // after its body: the tags are condition keys
      return {AuthzScope::kInHandler, "s3:PutObjectTagging", "s3:PutObjectVersionTagging"};
    case S3Op::kDeleteObjectTagging:
      return Object("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging");
    case S3Op::kGetBucketTagging:
      return Bucket("s3:GetBucketTagging");
    case S3Op::kPutBucketTagging:
    case S3Op::kDeleteBucketTagging:  // AWS: Delete needs the Put action
      return Bucket("s3:PutBucketTagging");
    case S3Op::kGetBucketLifecycle:
      return Bucket("s3:GetLifecycleConfiguration");
    case S3Op::kPutBucketLifecycle:
    case S3Op::kDeleteBucketLifecycle:  // AWS: Delete needs the Put action
      return Bucket("s3:PutLifecycleConfiguration");
    case S3Op::kPutBucketCors:
    case S3Op::kDeleteBucketCors:  // AWS: DeleteBucketCors needs the Put action
      return Bucket("s3:PutBucketCORS");
    case S3Op::kGetBucketCors:
      return Bucket("s3:GetBucketCORS");
    case S3Op::kCorsPreflight:  // unauthenticated, as S3: the bucket's rules decide
      return None();
    case S3Op::kPostObject:  // asked once the form's fields are read: as its PUT (post/)
      return {AuthzScope::kInHandler, "s3:PutObject", ""};
    case S3Op::kGetObjectAttributes:
      return Object("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes");
    case S3Op::kGetBucketOwnershipControls:
      return Bucket("s3:GetBucketOwnershipControls");
    case S3Op::kPutBucketOwnershipControls:
    case S3Op::kDeleteBucketOwnershipControls:  // AWS: Delete needs the Put action
      return Bucket("s3:PutBucketOwnershipControls");
    case S3Op::kPutBucketNotification:
      return Bucket("s3:PutBucketNotification");
    case S3Op::kGetBucketNotification:
      return Bucket("s3:GetBucketNotification");
    case S3Op::kPutBucketLogging:
      return Bucket("s3:PutBucketLogging");
    case S3Op::kGetBucketLogging:
      return Bucket("s3:GetBucketLogging");
    case S3Op::kIamQuery:
      return {AuthzScope::kInHandler, "", ""};
    case S3Op::kNotImplemented:
      return None();
  }
  return Bucket("s3:Unknown");  // unreachable with -Werror=switch; denies by default
}

void AddRequestTagConditions(const engine::TagSet& tags, ConditionContext& c) {
  std::vector<std::string>& keys = c["s3:RequestObjectTagKeys"];
  for (const engine::Tag& t : tags) {
    c["s3:RequestObjectTag/" + t.key] = {t.value};
    keys.push_back(t.key);
  }
}

std::string RemoteIp(std::string_view remote) {
  if (remote.empty()) return "";
  if (remote.front() == '[') {
    size_t close = remote.find(']');
    return std::string(remote.substr(1, close == std::string_view::npos ? close : close - 1));
  }
  size_t colon = remote.rfind(':');
  if (colon == std::string_view::npos) return std::string(remote);
  return std::string(remote.substr(0, colon));
}

ConditionContext RequestConditions(const HttpRequest& request, const Route& route,
                                   const AuthResult& auth) {
  ConditionContext c;
  std::string ip = RemoteIp(request.remote);
  if (!ip.empty()) Add(c, "aws:SourceIp", ip);
  Add(c, "aws:SecureTransport", request.tls ? "true" : "false");
  AddHeader(c, request, "user-agent", "aws:UserAgent");
  AddHeader(c, request, "referer", "aws:Referer");
  if (!auth.anonymous) {
    bool v2 = auth.scheme == AuthScheme::kSigV2Header || auth.scheme == AuthScheme::kSigV2Query;
    bool query = auth.scheme == AuthScheme::kSigV4Query || auth.scheme == AuthScheme::kSigV2Query;
    Add(c, "s3:signatureversion", v2 ? "AWS" : "AWS4-HMAC-SHA256");
    Add(c, "s3:authType", query ? "REST-QUERY-STRING" : "REST-HEADER");
  }
  AddHeader(c, request, "x-amz-acl", "s3:x-amz-acl");
  AddHeader(c, request, "x-amz-server-side-encryption", "s3:x-amz-server-side-encryption");
  AddHeader(c, request, "x-amz-server-side-encryption-aws-kms-key-id",
            "s3:x-amz-server-side-encryption-aws-kms-key-id");
  AddHeader(c, request, "x-amz-server-side-encryption-customer-algorithm",
            "s3:x-amz-server-side-encryption-customer-algorithm");
  AddHeader(c, request, "x-amz-object-lock-mode", "s3:object-lock-mode");
  AddHeader(c, request, "x-amz-object-lock-retain-until-date", "s3:object-lock-retain-until-date");
  AddHeader(c, request, "x-amz-object-lock-legal-hold", "s3:object-lock-legal-hold");
  AddHeader(c, request, "x-amz-copy-source", "s3:x-amz-copy-source");
  AddHeader(c, request, "x-amz-metadata-directive", "s3:x-amz-metadata-directive");
  if (auto v = route.Query("versionId")) Add(c, "s3:VersionId", *v);
  // The tags a write asks for (a malformed header adds none: the handler refuses it). A copy
  // that keeps the source's tags asks for none.
  if (WritesObject(route.op) && request.HeaderCount("x-amz-tagging") == 1 &&
      (route.op != S3Op::kCopyObject ||
       TrimOws(request.Header("x-amz-tagging-directive").value_or("")) == "REPLACE")) {
    auto tags = ParseTaggingHeader(TrimOws(*request.Header("x-amz-tagging")));
    if (tags.has_value()) AddRequestTagConditions(tags.value(), c);
  }
  if (IsListing(route.op)) {
    if (auto v = route.Query("prefix")) Add(c, "s3:prefix", *v);
    if (auto v = route.Query("delimiter")) Add(c, "s3:delimiter", *v);
    if (auto v = route.Query("max-keys")) Add(c, "s3:max-keys", *v);
  }
  return c;
}

std::vector<engine::AuthzRequest> AuthzRequestsFor(const Route& route, const HttpRequest& request,
                                                   const engine::AuthzRequest& base) {
  std::vector<engine::AuthzRequest> out;
  const OpAuthz row = AuthzFor(route.op);
  if (row.scope == AuthzScope::kNone || row.scope == AuthzScope::kInHandler) return out;
  const bool has_version = route.Query("versionId").has_value();
  auto ask = [&](std::string_view action, std::string_view bucket, std::string_view key,
                 std::string_view version_id) {
    engine::AuthzRequest r = base;
    r.action = std::string(action);
    r.bucket = std::string(bucket);
    r.key = std::string(key);
    r.version_id = std::string(version_id);
    out.push_back(std::move(r));
  };
  // (Views of route's strings; a "" : std::string ternary would make a dangling temporary.)
  std::string_view bucket;
  std::string_view key;
  std::string_view version;
  if (row.scope != AuthzScope::kService) bucket = route.bucket;
  if (row.scope == AuthzScope::kObject) key = route.key;
  if (has_version) version = *route.Query("versionId");
  ask(has_version && !row.version_action.empty() ? row.version_action : row.action, bucket, key,
      version);

  if (route.op == S3Op::kCopyObject || route.op == S3Op::kUploadPartCopy) {
    if (auto raw = request.Header("x-amz-copy-source")) {
      auto src = ParseCopySource(*raw);
      if (src.has_value()) {
        const CopySource& s = src.value();
        ask(s.version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion", s.bucket, s.key,
            s.version_id);
      }
    }
  }
  if (WritesObject(route.op)) {
    if (HasAclHeaders(request)) {
      ask("s3:PutObjectAcl", route.bucket, route.key, "");
      out.back().acl_of_new_object = true;  // the ACL of the version being created
    }
    if (request.Header("x-amz-tagging")) ask("s3:PutObjectTagging", route.bucket, route.key, "");
    if (request.Header("x-amz-object-lock-mode") ||
        request.Header("x-amz-object-lock-retain-until-date")) {
      ask("s3:PutObjectRetention", route.bucket, route.key, "");
    }
    if (request.Header("x-amz-object-lock-legal-hold")) {
      ask("s3:PutObjectLegalHold", route.bucket, route.key, "");
    }
  }
  if (route.op == S3Op::kCreateBucket) {
    if (HasAclHeaders(request)) ask("s3:PutBucketAcl", route.bucket, "", "");
    auto lock = request.Header("x-amz-bucket-object-lock-enabled");
    if (lock && TrimOws(*lock) != "false") {
      ask("s3:PutBucketObjectLockConfiguration", route.bucket, "", "");
      ask("s3:PutBucketVersioning", route.bucket, "", "");
    }
  }
  if ((route.op == S3Op::kDeleteObject || route.op == S3Op::kPutObjectRetention) &&
      BypassGovernance(request)) {
    ask("s3:BypassGovernanceRetention", route.bucket, route.key, version);
  }
  return out;
}

}  // namespace maxiofs::s3
