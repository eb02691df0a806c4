#include "authz_map.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

HttpRequest Req(std::string method, std::string target, HeaderList extra = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers.emplace_back("host", "localhost");
  for (auto& h : extra) r.headers.push_back(std::move(h));
  r.remote = "10.1.2.3:5555";
  return r;
}

struct Routed {
  HttpRequest request;
  Route route;
};

Routed RouteOf(std::string method, std::string target, HeaderList extra = {}) {
  Routed out{Req(std::move(method), std::move(target), std::move(extra)), {}};
  auto r = RouteRequest(out.request, {});
  EXPECT_TRUE(r.has_value());
  if (r.has_value()) out.route = r.value();
  return out;
}

std::vector<std::string> Actions(const Routed& r) {
  std::vector<std::string> out;
  for (const auto& q : AuthzRequestsFor(r.route, r.request, {})) out.push_back(q.action);
  return out;
}

TEST(AuthzMap, EveryOperationHasAnEntry) {
  for (int i = 0; i <= static_cast<int>(S3Op::kNotImplemented); ++i) {
    const S3Op op = static_cast<S3Op>(i);
    const OpAuthz row = AuthzFor(op);
    if (op == S3Op::kHealthLive || op == S3Op::kHealthReady || op == S3Op::kNotImplemented ||
        op == S3Op::kCorsPreflight) {  // CORS preflights are unauthenticated, as in S3
      EXPECT_EQ(row.scope, AuthzScope::kNone) << S3OpName(op);
      continue;
    }
    if (op == S3Op::kIamQuery) {
      EXPECT_EQ(row.scope, AuthzScope::kInHandler);
      continue;
    }
    EXPECT_NE(row.scope, AuthzScope::kNone) << S3OpName(op);
    EXPECT_TRUE(row.action.starts_with("s3:")) << S3OpName(op) << " " << row.action;
    EXPECT_NE(row.action, "s3:Unknown") << S3OpName(op);
  }
  EXPECT_EQ(AuthzFor(S3Op::kPostObject).scope, AuthzScope::kInHandler);
  EXPECT_EQ(AuthzFor(S3Op::kGetBucketCors).action, "s3:GetBucketCORS");
  EXPECT_EQ(AuthzFor(S3Op::kPutBucketCors).action, "s3:PutBucketCORS");
  EXPECT_EQ(AuthzFor(S3Op::kDeleteBucketCors).action, "s3:PutBucketCORS");
}

TEST(AuthzMap, ObjectReadsAndVersions) {
  EXPECT_EQ(Actions(RouteOf("GET", "/b/k")), std::vector<std::string>{"s3:GetObject"});
  EXPECT_EQ(Actions(RouteOf("HEAD", "/b/k?versionId=v1")),
            std::vector<std::string>{"s3:GetObjectVersion"});
  EXPECT_EQ(Actions(RouteOf("DELETE", "/b/k?versionId=v1")),
            std::vector<std::string>{"s3:DeleteObjectVersion"});
  EXPECT_EQ(Actions(RouteOf("GET", "/b/k?acl&versionId=v")),
            std::vector<std::string>{"s3:GetObjectVersionAcl"});
  auto q = AuthzRequestsFor(RouteOf("GET", "/b/dir/k").route, Req("GET", "/b/dir/k"), {});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].bucket, "b");
  EXPECT_EQ(q[0].key, "dir/k");
  auto list = AuthzRequestsFor(RouteOf("GET", "/b?list-type=2").route, Req("GET", "/b"), {});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].action, "s3:ListBucket");
  EXPECT_EQ(list[0].key, "");
  auto all = AuthzRequestsFor(RouteOf("GET", "/").route, Req("GET", "/"), {});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].action, "s3:ListAllMyBuckets");
  EXPECT_EQ(all[0].bucket, "");
}

TEST(AuthzMap, CopyNeedsReadOnTheSourceAndWriteOnTheDestination) {
  auto r = RouteOf("PUT", "/dst/k2", {{"x-amz-copy-source", "/src/k1?versionId=v9"}});
  auto q = AuthzRequestsFor(r.route, r.request, {});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].action, "s3:PutObject");
  EXPECT_EQ(q[0].bucket, "dst");
  EXPECT_EQ(q[1].action, "s3:GetObjectVersion");
  EXPECT_EQ(q[1].bucket, "src");
  EXPECT_EQ(q[1].key, "k1");
  EXPECT_EQ(q[1].version_id, "v9");
  auto part = RouteOf("PUT", "/dst/k?partNumber=1&uploadId=u", {{"x-amz-copy-source", "src/a"}});
  EXPECT_EQ(Actions(part), (std::vector<std::string>{"s3:PutObject", "s3:GetObject"}));
}

TEST(AuthzMap, HeadersImplyExtraActions) {
  EXPECT_EQ(Actions(RouteOf("PUT", "/b/k", {{"x-amz-acl", "public-read"}})),
            (std::vector<std::string>{"s3:PutObject", "s3:PutObjectAcl"}));
  // That ACL is the new version's (a bucket grant to create objects covers it); PutObjectAcl
  // itself changes an existing object's.
  auto with_acl = RouteOf("PUT", "/b/k", {{"x-amz-acl", "public-read"}});
  auto questions = AuthzRequestsFor(with_acl.route, with_acl.request, {});
  ASSERT_EQ(questions.size(), 2u);
  EXPECT_FALSE(questions[0].acl_of_new_object);
  EXPECT_TRUE(questions[1].acl_of_new_object);
  auto put_acl = RouteOf("PUT", "/b/k?acl", {{"x-amz-acl", "public-read"}});
  for (const auto& q : AuthzRequestsFor(put_acl.route, put_acl.request, {})) {
    EXPECT_FALSE(q.acl_of_new_object) << q.action;
  }
  EXPECT_EQ(
      Actions(RouteOf("PUT", "/b/k",
                      {{"x-amz-object-lock-mode", "GOVERNANCE"},
                       {"x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00Z"},
                       {"x-amz-object-lock-legal-hold", "ON"}})),
      (std::vector<std::string>{"s3:PutObject", "s3:PutObjectRetention", "s3:PutObjectLegalHold"}));
  EXPECT_EQ(Actions(RouteOf("DELETE", "/b/k", {{"x-amz-bypass-governance-retention", "true"}})),
            (std::vector<std::string>{"s3:DeleteObject", "s3:BypassGovernanceRetention"}));
  EXPECT_EQ(
      Actions(RouteOf("PUT", "/b/k?retention", {{"x-amz-bypass-governance-retention", "TRUE"}})),
      (std::vector<std::string>{"s3:PutObjectRetention", "s3:BypassGovernanceRetention"}));
  EXPECT_EQ(Actions(RouteOf("PUT", "/b", {{"x-amz-bucket-object-lock-enabled", "true"}})),
            (std::vector<std::string>{"s3:CreateBucket", "s3:PutBucketObjectLockConfiguration",
                                      "s3:PutBucketVersioning"}));
  EXPECT_EQ(Actions(RouteOf("DELETE", "/b?encryption")),
            std::vector<std::string>{"s3:PutEncryptionConfiguration"});
  EXPECT_EQ(Actions(RouteOf("DELETE", "/b?publicAccessBlock")),
            std::vector<std::string>{"s3:PutBucketPublicAccessBlock"});
}

TEST(AuthzMap, Tagging) {
  EXPECT_EQ(Actions(RouteOf("GET", "/b/k?tagging")),
            std::vector<std::string>{"s3:GetObjectTagging"});
  EXPECT_EQ(Actions(RouteOf("GET", "/b/k?tagging&versionId=v")),
            std::vector<std::string>{"s3:GetObjectVersionTagging"});
  EXPECT_EQ(Actions(RouteOf("DELETE", "/b/k?tagging&versionId=v")),
            std::vector<std::string>{"s3:DeleteObjectVersionTagging"});
  EXPECT_TRUE(Actions(RouteOf("PUT", "/b/k?tagging")).empty());  // after the body, in the handler
  EXPECT_EQ(AuthzFor(S3Op::kPutObjectTagging).version_action, "s3:PutObjectVersionTagging");
  EXPECT_EQ(Actions(RouteOf("GET", "/b?tagging")), std::vector<std::string>{"s3:GetBucketTagging"});
  EXPECT_EQ(Actions(RouteOf("DELETE", "/b?tagging")),
            std::vector<std::string>{"s3:PutBucketTagging"});
  EXPECT_EQ(Actions(RouteOf("PUT", "/b/k", {{"x-amz-tagging", "a=1"}})),
            (std::vector<std::string>{"s3:PutObject", "s3:PutObjectTagging"}));
  EXPECT_EQ(Actions(RouteOf("POST", "/b/k?uploads", {{"x-amz-tagging", "a=1"}})),
            (std::vector<std::string>{"s3:PutObject", "s3:PutObjectTagging"}));

  AuthResult auth;
  Routed put = RouteOf("PUT", "/b/k", {{"x-amz-tagging", "Project=x&Owner=me%20too"}});
  ConditionContext c = RequestConditions(put.request, put.route, auth);
  EXPECT_EQ(c["s3:RequestObjectTag/Project"], std::vector<std::string>{"x"});
  EXPECT_EQ(c["s3:RequestObjectTag/Owner"], std::vector<std::string>{"me too"});
  EXPECT_EQ(c["s3:RequestObjectTagKeys"], (std::vector<std::string>{"Project", "Owner"}));
  // A copy that keeps the source's tags asks for none; REPLACE asks for the header's.
  Routed copy = RouteOf("PUT", "/b/k", {{"x-amz-copy-source", "/b/s"}, {"x-amz-tagging", "a=1"}});
  EXPECT_EQ(RequestConditions(copy.request, copy.route, auth).count("s3:RequestObjectTagKeys"), 0u);
  copy.request.headers.emplace_back("x-amz-tagging-directive", "REPLACE");
  EXPECT_EQ(RequestConditions(copy.request, copy.route, auth)["s3:RequestObjectTag/a"],
            std::vector<std::string>{"1"});
  // A malformed header adds nothing (the handler refuses the request).
  Routed bad = RouteOf("PUT", "/b/k", {{"x-amz-tagging", "a=%zz"}});
  EXPECT_EQ(RequestConditions(bad.request, bad.route, auth).count("s3:RequestObjectTagKeys"), 0u);
}

TEST(AuthzMap, HandlerAuthorizedAndUnauthorizedOps) {
  EXPECT_TRUE(Actions(RouteOf("POST", "/b?delete")).empty());  // per key, in the handler
  EXPECT_TRUE(Actions(RouteOf("GET", "/_maxiofs/health/live")).empty());
  EXPECT_EQ(AuthzFor(S3Op::kDeleteObjects).action, "s3:DeleteObject");
}

TEST(AuthzMap, RequestConditions) {
  Routed r = RouteOf("GET", "/b?list-type=2&prefix=home%2F&delimiter=%2F&max-keys=7",
                     {{"user-agent", "ua/1"}, {"referer", "http://x"}});
  AuthResult auth;
  auth.scheme = AuthScheme::kSigV4Query;
  ConditionContext c = RequestConditions(r.request, r.route, auth);
  EXPECT_EQ(c["aws:SourceIp"], std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(c["aws:SecureTransport"], std::vector<std::string>{"false"});
  EXPECT_EQ(c["aws:UserAgent"], std::vector<std::string>{"ua/1"});
  EXPECT_EQ(c["aws:Referer"], std::vector<std::string>{"http://x"});
  EXPECT_EQ(c["s3:prefix"], std::vector<std::string>{"home/"});
  EXPECT_EQ(c["s3:delimiter"], std::vector<std::string>{"/"});
  EXPECT_EQ(c["s3:max-keys"], std::vector<std::string>{"7"});
  EXPECT_EQ(c["s3:signatureversion"], std::vector<std::string>{"AWS4-HMAC-SHA256"});
  EXPECT_EQ(c["s3:authType"], std::vector<std::string>{"REST-QUERY-STRING"});

  Routed put = RouteOf("PUT", "/b/k?versionId=v",
                       {{"x-amz-acl", "public-read"},
                        {"x-amz-server-side-encryption", "AES256"},
                        {"x-amz-server-side-encryption-customer-algorithm", "AES256"},
                        {"x-amz-object-lock-mode", "COMPLIANCE"}});
  put.request.tls = true;
  AuthResult v2;
  v2.scheme = AuthScheme::kSigV2Header;
  ConditionContext p = RequestConditions(put.request, put.route, v2);
  EXPECT_EQ(p["aws:SecureTransport"], std::vector<std::string>{"true"});
  EXPECT_EQ(p["s3:x-amz-acl"], std::vector<std::string>{"public-read"});
  EXPECT_EQ(p["s3:x-amz-server-side-encryption"], std::vector<std::string>{"AES256"});
  EXPECT_EQ(p["s3:x-amz-server-side-encryption-customer-algorithm"],
            std::vector<std::string>{"AES256"});
  EXPECT_EQ(p["s3:object-lock-mode"], std::vector<std::string>{"COMPLIANCE"});
  EXPECT_EQ(p["s3:VersionId"], std::vector<std::string>{"v"});
  EXPECT_EQ(p["s3:signatureversion"], std::vector<std::string>{"AWS"});
  EXPECT_EQ(p["s3:authType"], std::vector<std::string>{"REST-HEADER"});
  EXPECT_EQ(p.count("s3:prefix"), 0u);  // not a listing

  AuthResult anonymous;
  anonymous.anonymous = true;
  ConditionContext a = RequestConditions(put.request, put.route, anonymous);
  EXPECT_EQ(a.count("s3:authType"), 0u);
  EXPECT_EQ(a.count("s3:signatureversion"), 0u);
}

TEST(AuthzMap, RemoteIp) {
  EXPECT_EQ(RemoteIp("127.0.0.1:80"), "127.0.0.1");
  EXPECT_EQ(RemoteIp("::1:8080"), "::1");
  EXPECT_EQ(RemoteIp("[2001:db8::1]:443"), "2001:db8::1");
  EXPECT_EQ(RemoteIp(""), "");
}

}  // namespace
}  // namespace maxiofs::s3
