// Iam::Authorize end to end: real users, groups, managed policies, sessions and bucket
// policies in a real engine (temp dir), with the real policy language.
#include "test_util.h"

#include "maxiofs/engine/iam.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace maxiofs::engine {
namespace {

constexpr std::string_view kBucket = "authz-bucket";

bool IsDenied(const Status& s) { return s.code() == Status::Code::kAccessDenied; }

std::string Doc(std::string_view effect, std::string_view action, std::string_view resource) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":")" + std::string(effect) +
         R"(","Action":")" + std::string(action) + R"(","Resource":")" + std::string(resource) +
         R"("}]})";
}

class AuthorizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(dir_.str());
    ASSERT_NE(engine_, nullptr);
    ASSERT_TRUE(engine_->CreateBucket({std::string(kBucket)}).ok());
    ASSERT_TRUE(iam().CreateUser("alice").has_value());
    auto key = iam().CreateAccessKey("alice");
    ASSERT_TRUE(key.has_value());
    alice_key_ = key->access_key;
    alice_ = Principal_(alice_key_);
  }
  Iam& iam() { return engine_->iam(); }
  Principal Principal_(const std::string& access_key) {
    auto c = iam().LookupCredential(access_key, NowNs());
    EXPECT_TRUE(c.has_value()) << c.error().ToString();
    return c.has_value() ? c->principal : Principal{};
  }
  static int64_t NowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void Policy(const std::string& name, const std::string& doc) {
    auto p = iam().CreatePolicy(name, doc, "");
    ASSERT_TRUE(p.has_value()) << p.error().ToString();
  }
  Status Authorize(const Principal& p, std::string action, std::string key) {
    AuthzRequest r;
    r.principal = p;
    r.action = std::move(action);
    r.bucket = std::string(kBucket);
    r.key = std::move(key);
    return iam().Authorize(r);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::string alice_key_;
  Principal alice_;
};

TEST_F(AuthorizeTest, ReadOnlyUser) {
  EXPECT_TRUE(IsDenied(Authorize(alice_, "s3:GetObject", "k")));
  Policy("read", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::authz-bucket",
      "arn:aws:s3:::authz-bucket/*"]}]})");
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "read").ok());
  EXPECT_TRUE(Authorize(alice_, "s3:GetObject", "k").ok());
  EXPECT_TRUE(Authorize(alice_, "s3:ListBucket", "").ok());
  Status put = Authorize(alice_, "s3:PutObject", "k");
  ASSERT_TRUE(IsDenied(put));
  EXPECT_EQ(put.message(),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
            "s3:PutObject on resource: arn:aws:s3:::authz-bucket/k because no identity-based "
            "policy allows the s3:PutObject action");
  EXPECT_TRUE(IsDenied(Authorize(alice_, "s3:DeleteObject", "k")));
}

TEST_F(AuthorizeTest, DenyInAGroupBeatsAllowOnTheUser) {
  Policy("all", Doc("Allow", "s3:*", "*"));
  Policy("no-delete", Doc("Deny", "s3:DeleteObject", "*"));
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "all").ok());
  ASSERT_TRUE(iam().CreateGroup("careful").has_value());
  ASSERT_TRUE(iam().AttachGroupPolicy("careful", "no-delete").ok());
  EXPECT_TRUE(Authorize(alice_, "s3:DeleteObject", "k").ok());
  ASSERT_TRUE(iam().AddUserToGroup("careful", "alice").ok());
  Status s = Authorize(alice_, "s3:DeleteObject", "k");
  ASSERT_TRUE(IsDenied(s));
  EXPECT_NE(s.message().find("explicit deny in an identity-based policy"), std::string::npos);
  EXPECT_TRUE(Authorize(alice_, "s3:PutObject", "k").ok());
}

TEST_F(AuthorizeTest, BucketPolicyDenyBeatsIdentityAllowAndAllowsWithoutIt) {
  Policy("all", Doc("Allow", "s3:*", "*"));
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "all").ok());
  ASSERT_TRUE(iam()
                  .PutBucketPolicy(kBucket, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},
       "Action":"s3:PutObject","Resource":"arn:aws:s3:::authz-bucket/locked/*"}]})")
                  .ok());
  EXPECT_TRUE(Authorize(alice_, "s3:PutObject", "open/x").ok());
  Status s = Authorize(alice_, "s3:PutObject", "locked/x");
  ASSERT_TRUE(IsDenied(s));
  EXPECT_NE(s.message().find("explicit deny in a resource-based policy"), std::string::npos);
  // bob has no policy; a bucket policy naming him is enough.
  ASSERT_TRUE(iam().CreateUser("bob").has_value());
  auto key = iam().CreateAccessKey("bob");
  ASSERT_TRUE(key.has_value());
  const Principal bob = Principal_(key->access_key);
  EXPECT_TRUE(IsDenied(Authorize(bob, "s3:GetObject", "x")));
  ASSERT_TRUE(iam()
                  .PutBucketPolicy(kBucket, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
       "Action":"s3:GetObject","Resource":"arn:aws:s3:::authz-bucket/*"}]})")
                  .ok());
  EXPECT_TRUE(Authorize(bob, "s3:GetObject", "x").ok());
  EXPECT_TRUE(IsDenied(Authorize(bob, "s3:PutObject", "x")));
}

TEST_F(AuthorizeTest, PolicyVariablesUseTheCallersName) {
  Policy("home", Doc("Allow", "s3:PutObject", "arn:aws:s3:::authz-bucket/home/${aws:username}/*"));
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "home").ok());
  EXPECT_TRUE(Authorize(alice_, "s3:PutObject", "home/alice/notes.txt").ok());
  EXPECT_TRUE(IsDenied(Authorize(alice_, "s3:PutObject", "home/bob/notes.txt")));
}

TEST_F(AuthorizeTest, SessionIsTheIntersectionWithItsPolicy) {
  Policy("rw", Doc("Allow", "s3:*Object", "arn:aws:s3:::authz-bucket/*"));
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "rw").ok());
  SessionRequest sr;
  sr.caller = alice_;
  sr.session_policy = Doc("Allow", "s3:GetObject", "*");
  auto creds = iam().CreateSession(sr, NowNs());
  ASSERT_TRUE(creds.has_value()) << creds.error().ToString();
  const Principal session = Principal_(creds->access_key);
  ASSERT_EQ(session.kind, PrincipalKind::kSession);
  EXPECT_TRUE(Authorize(session, "s3:GetObject", "k").ok());
  Status put = Authorize(session, "s3:PutObject", "k");
  ASSERT_TRUE(IsDenied(put));
  EXPECT_NE(put.message().find("no session policy allows"), std::string::npos) << put.message();
  EXPECT_TRUE(Authorize(alice_, "s3:PutObject", "k").ok());
  // Without a session policy the session has the user's permissions, no more.
  sr.session_policy.clear();
  auto plain = iam().CreateSession(sr, NowNs());
  ASSERT_TRUE(plain.has_value());
  const Principal full = Principal_(plain->access_key);
  EXPECT_TRUE(Authorize(full, "s3:PutObject", "k").ok());
  EXPECT_TRUE(IsDenied(Authorize(full, "s3:ListBucket", "")));
}

TEST_F(AuthorizeTest, AnonymousOnlyThroughBucketPolicyOrAcl) {
  Policy("all", Doc("Allow", "*", "*"));
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "all").ok());
  AuthzRequest r;
  r.action = "s3:ListAllMyBuckets";
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  r.principal = alice_;
  EXPECT_TRUE(iam().Authorize(r).ok());
  r.principal = Principal{};
  r.action = "iam:CreateUser";
  r.resource_arn = "arn:aws:iam::000000000000:user/eve";
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  EXPECT_TRUE(IsDenied(Authorize(Principal{}, "s3:GetObject", "k")));
}

TEST_F(AuthorizeTest, SpeedUserWithThreePoliciesAndBucketPolicy) {
  Policy("p1", Doc("Allow", "s3:ListBucket", "arn:aws:s3:::authz-bucket"));
  Policy("p2", Doc("Deny", "s3:DeleteObject", "arn:aws:s3:::authz-bucket/locked/*"));
  Policy("p3", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"s3:GetObject","Resource":"arn:aws:s3:::authz-bucket/*",
      "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]})");
  ASSERT_TRUE(iam().CreateGroup("g").has_value());
  ASSERT_TRUE(iam().AddUserToGroup("g", "alice").ok());
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "p1").ok());
  ASSERT_TRUE(iam().AttachUserPolicy("alice", "p2").ok());
  ASSERT_TRUE(iam().AttachGroupPolicy("g", "p3").ok());
  ASSERT_TRUE(iam()
                  .PutBucketPolicy(kBucket, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::authz-bucket/*",
       "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})")
                  .ok());
  AuthzRequest r;
  r.principal = alice_;
  r.action = "s3:GetObject";
  r.bucket = std::string(kBucket);
  r.key = "photos/2026/cat.jpg";
  r.context["aws:SourceIp"] = {"10.1.2.3"};
  r.context["aws:SecureTransport"] = {"true"};
  ASSERT_TRUE(iam().Authorize(r).ok());
  constexpr int kN = 50000;
  int ok = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kN; ++i) ok += iam().Authorize(r).ok();
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(ok, kN);
  std::printf("Authorize (user, 3 managed policies via user+group, bucket policy): %.0f ns/op\n",
              static_cast<double>(ns) / kN);
  r.context["aws:SecureTransport"] = {"false"};
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
}

TEST_F(AuthorizeTest, ExistingObjectTagReadsTheAddressedVersionsTags) {
  ASSERT_TRUE(engine_->PutBucketVersioning(kBucket, VersioningState::kEnabled).ok());
  PutObjectRequest req;
  req.tags = {{"Security", "public"}};
  auto v1 = Put(*engine_, std::string(kBucket), "doc", "old", req);
  ASSERT_TRUE(v1.has_value());
  req.tags = {{"Security", "private"}};
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "doc", "new", req).has_value());
  req.tags = {{"security", "public"}};  // another key: tag keys are case-sensitive
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "lower", "x", req).has_value());
  ASSERT_TRUE(iam()
                  .PutBucketPolicy(kBucket, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
       "Resource":"arn:aws:s3:::authz-bucket/*",
       "Condition":{"StringEquals":{"s3:ExistingObjectTag/Security":"public"}}}]})")
                  .ok());
  EXPECT_TRUE(IsDenied(Authorize(alice_, "s3:GetObject", "doc")));  // current: private
  AuthzRequest r;
  r.principal = alice_;
  r.action = "s3:GetObject";
  r.bucket = std::string(kBucket);
  r.key = "doc";
  r.version_id = v1->version_id;
  EXPECT_TRUE(iam().Authorize(r).ok());  // the old version is public
  EXPECT_TRUE(IsDenied(Authorize(alice_, "s3:GetObject", "lower")));
  EXPECT_TRUE(IsDenied(Authorize(alice_, "s3:GetObject", "missing")));
  // Changing the tags changes the answer at once; anonymous callers are judged the same way.
  ASSERT_TRUE(engine_->PutObjectTagging({std::string(kBucket), "doc", "", {{"Security", "public"}}})
                  .has_value());
  EXPECT_TRUE(Authorize(alice_, "s3:GetObject", "doc").ok());
  EXPECT_TRUE(Authorize(Principal{}, "s3:GetObject", "doc").ok());
  // A value the caller sends under that key is replaced by the stored one.
  r.version_id.clear();
  r.key = "lower";
  r.context["s3:ExistingObjectTag/Security"] = {"public"};
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
}

TEST_F(AuthorizeTest, RequestObjectTagConditions) {
  ASSERT_TRUE(iam()
                  .PutBucketPolicy(kBucket, R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":"*","Action":"s3:PutObject",
       "Resource":"arn:aws:s3:::authz-bucket/*",
       "Condition":{"StringEquals":{"s3:RequestObjectTag/Project":"x"},
                    "ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Project","Owner"]}}}]})")
                  .ok());
  AuthzRequest r;
  r.principal = alice_;
  r.action = "s3:PutObject";
  r.bucket = std::string(kBucket);
  r.key = "k";
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  r.context["s3:RequestObjectTag/Project"] = {"x"};
  r.context["s3:RequestObjectTagKeys"] = {"Project", "Owner"};
  EXPECT_TRUE(iam().Authorize(r).ok());
  r.context["s3:RequestObjectTagKeys"] = {"Project", "Other"};
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  r.context.erase("s3:RequestObjectTagKeys");
  r.context.erase("s3:RequestObjectTag/Project");
  r.context["s3:RequestObjectTag/project"] = {"x"};  // case matters in the tag key
  r.context["s3:RequestObjectTagKeys"] = {"project"};
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
}

}  // namespace
}  // namespace maxiofs::engine
