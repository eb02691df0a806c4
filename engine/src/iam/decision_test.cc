// The decision table of iam::Decide, fed directly with hand-built policies (FakePolicy stands
// for a parsed document: it answers Evaluate from a function of the request).
#include "decision.h"

#include "acl_rules.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>

namespace maxiofs::engine::iam {
namespace {

constexpr std::string_view kAlice = "arn:aws:iam::000000000000:user/alice";
constexpr std::string_view kAliceSession =
    "arn:aws:sts::000000000000:assumed-role/reader/alice-session";

class FakePolicy final : public Policy {
 public:
  using Fn = std::function<Decision(const EvalRequest&)>;
  FakePolicy(Fn fn, bool is_public) : fn_(std::move(fn)), public_(is_public) {}
  Decision Evaluate(const EvalRequest& req) const override { return fn_(req); }
  bool IsPublic() const override { return public_; }
  const std::string& text() const override { return text_; }
  bool UsesConditionKeyPrefix(std::string_view) const override { return false; }

 private:
  Fn fn_;
  bool public_;
  std::string text_ = "{}";
};

std::shared_ptr<const Policy> Make(FakePolicy::Fn fn, bool is_public = false) {
  return std::make_shared<FakePolicy>(std::move(fn), is_public);
}

// Effect on one action for everyone the policy applies to.
std::shared_ptr<const Policy> On(std::string_view action, Decision d) {
  std::string a(action);
  return Make(
      [a, d](const EvalRequest& r) { return r.action == a ? d : Decision::kNotApplicable; });
}

// A bucket policy statement for Principal "*".
std::shared_ptr<const Policy> PublicAllow(std::string_view action) {
  std::string a(action);
  return Make(
      [a](const EvalRequest& r) {
        return r.action == a ? Decision::kAllow : Decision::kNotApplicable;
      },
      true);
}

// A bucket policy statement naming one principal ARN (matched against the caller's ARN or, for
// sessions, the user behind it, as policy.h defines).
std::shared_ptr<const Policy> NamingAllow(std::string arn, std::string_view action) {
  std::string a(action);
  return Make([arn, a](const EvalRequest& r) {
    const bool who = r.principal_arn == arn || r.principal_user_arn == arn;
    return who && r.action == a ? Decision::kAllow : Decision::kNotApplicable;
  });
}

bool IsDenied(const Status& s) { return s.code() == Status::Code::kAccessDenied; }

Principal Anonymous() { return Principal{}; }
Principal Root() {
  return Principal{PrincipalKind::kRoot, "", "root", "arn:aws:iam::000000000000:root", ""};
}
Principal Alice() {
  return Principal{PrincipalKind::kUser, "alice", "AKIA1", std::string(kAlice), ""};
}
Principal AliceSession() {
  return Principal{PrincipalKind::kSession, "alice", "ASIA1", std::string(kAliceSession), ""};
}

class DecideTest : public ::testing::Test {
 protected:
  Status Run(const Principal& p, std::string action, std::string key = "k") {
    req_.principal = p;
    req_.action = std::move(action);
    req_.bucket = "b";
    req_.key = std::move(key);
    resource_ = "arn:aws:s3:::b" + (req_.key.empty() ? std::string() : "/" + req_.key);
    DecisionInputs in;
    in.request = &req_;
    in.resource = resource_;
    in.identity = &pols_;
    in.bucket = bucket_set_ ? &bucket_ : nullptr;
    in.conditions = &cv_;
    if (object_acl_) {
      in.load_object_acl = [this]() -> std::optional<Acl> {
        ++object_acl_loads_;
        return object_acl_;
      };
    }
    return Decide(in);
  }
  void SetObjectAcl(std::string_view canned) {
    auto acl = CannedAcl(canned);
    ASSERT_TRUE(acl.has_value());
    object_acl_ = *acl;
  }
  void SetBucketAcl(std::string_view canned) {
    auto acl = CannedAcl(canned);
    ASSERT_TRUE(acl.has_value());
    bucket_.acl = *acl;
  }

  AuthzRequest req_;
  std::string resource_;
  PrincipalPolicies pols_;
  BucketAccessSettings bucket_{true, nullptr, PrivateAcl(), {}};
  bool bucket_set_ = true;
  ConditionValues cv_;
  std::optional<Acl> object_acl_;
  int object_acl_loads_ = 0;
};

TEST_F(DecideTest, RootIsBoundOnlyByABucketPolicyDeny) {
  pols_.identity = {Make([](const EvalRequest&) { return Decision::kDeny; })};
  EXPECT_TRUE(Run(Root(), "s3:DeleteObject").ok());
  bucket_.policy = Make([](const EvalRequest&) { return Decision::kDeny; });
  EXPECT_TRUE(IsDenied(Run(Root(), "s3:DeleteObject")));
}

TEST_F(DecideTest, ImplicitDenyNamesWhy) {
  Status s = Run(Alice(), "s3:PutObject");
  ASSERT_TRUE(IsDenied(s));
  EXPECT_EQ(s.message(),
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "
            "s3:PutObject on resource: arn:aws:s3:::b/k because no identity-based policy "
            "allows the s3:PutObject action");
}

TEST_F(DecideTest, IdentityAllow) {
  pols_.identity = {On("s3:GetObject", Decision::kAllow)};
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
  EXPECT_TRUE(IsDenied(Run(Alice(), "s3:PutObject")));
}

TEST_F(DecideTest, ExplicitDenyInIdentityBeatsBucketAllow) {
  pols_.identity = {On("s3:GetObject", Decision::kAllow), On("s3:GetObject", Decision::kDeny)};
  bucket_.policy = NamingAllow(std::string(kAlice), "s3:GetObject");
  Status s = Run(Alice(), "s3:GetObject");
  ASSERT_TRUE(IsDenied(s));
  EXPECT_NE(s.message().find("with an explicit deny in an identity-based policy"),
            std::string_view::npos)
      << s.message();
}

TEST_F(DecideTest, ExplicitDenyInBucketPolicyBeatsIdentityAllow) {
  pols_.identity = {On("s3:DeleteObject", Decision::kAllow)};
  bucket_.policy = On("s3:DeleteObject", Decision::kDeny);
  Status s = Run(Alice(), "s3:DeleteObject");
  ASSERT_TRUE(IsDenied(s));
  EXPECT_NE(s.message().find("with an explicit deny in a resource-based policy"),
            std::string_view::npos)
      << s.message();
  // The same deny stops root (as in S3) for that action only.
  Status root = Run(Root(), "s3:DeleteObject");
  ASSERT_TRUE(IsDenied(root));
  EXPECT_NE(root.message().find("with an explicit deny in a resource-based policy"),
            std::string_view::npos)
      << root.message();
  EXPECT_TRUE(Run(Root(), "s3:GetObject").ok());
  pols_.identity = {On("s3:GetObject", Decision::kDeny)};  // identity policies never bind root
  EXPECT_TRUE(Run(Root(), "s3:GetObject").ok());
}

TEST_F(DecideTest, BucketPolicyAllowsUserWithoutIdentityPolicy) {
  bucket_.policy = NamingAllow(std::string(kAlice), "s3:GetObject");
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObject")));
}

TEST_F(DecideTest, BucketPolicyAllowsAnonymous) {
  bucket_.policy = PublicAllow("s3:GetObject");
  EXPECT_TRUE(Run(Anonymous(), "s3:GetObject").ok());
  Status put = Run(Anonymous(), "s3:PutObject");
  ASSERT_TRUE(IsDenied(put));
  EXPECT_NE(put.message().find("User: anonymous"), std::string_view::npos) << put.message();
}

TEST_F(DecideTest, AnonymousGetsNoIdentityPolicies) {
  pols_.identity = {On("s3:GetObject", Decision::kAllow)};
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObject")));
}

TEST_F(DecideTest, AnonymousNeverListsBucketsOrCallsIamOrSts) {
  bucket_set_ = false;
  auto everything = Make([](const EvalRequest&) { return Decision::kAllow; }, true);
  pols_.identity = {everything};
  for (std::string action :
       {"s3:ListAllMyBuckets", "iam:CreateUser", "sts:AssumeRole", "IAM:ListUsers"}) {
    Status s = Run(Anonymous(), action, "");
    EXPECT_TRUE(IsDenied(s)) << action;
    EXPECT_NE(s.message().find("anonymous requests may not perform"), std::string_view::npos);
  }
  EXPECT_TRUE(Run(Alice(), "s3:ListAllMyBuckets", "").ok());
}

TEST_F(DecideTest, PublicReadAclLetsAnonymousGetButNotPut) {
  SetObjectAcl("public-read");
  EXPECT_TRUE(Run(Anonymous(), "s3:GetObject").ok());
  EXPECT_TRUE(Run(Anonymous(), "s3:GetObjectVersion").ok());
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:PutObject")));
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObjectAcl")));
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:DeleteObject")));
}

TEST_F(DecideTest, BucketAclReadListsAndWriteWrites) {
  SetBucketAcl("public-read-write");
  EXPECT_TRUE(Run(Anonymous(), "s3:ListBucket", "").ok());
  EXPECT_TRUE(Run(Anonymous(), "s3:ListBucketVersions", "").ok());
  EXPECT_TRUE(Run(Anonymous(), "s3:PutObject").ok());
  EXPECT_TRUE(Run(Anonymous(), "s3:DeleteObject").ok());
  // Bucket READ does not read objects; the bucket's ACP is not granted.
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObject")));
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:PutBucketAcl", "")));
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:PutBucketPolicy", "")));
}

TEST_F(DecideTest, AuthenticatedReadIsForAnyoneWithCredentials) {
  SetObjectAcl("authenticated-read");
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
  EXPECT_TRUE(Run(AliceSession(), "s3:GetObject").ok());
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObject")));
}

TEST_F(DecideTest, OwnerGrantGivesUsersNothing) {
  SetObjectAcl("private");
  SetBucketAcl("private");
  EXPECT_TRUE(IsDenied(Run(Alice(), "s3:GetObject")));
  EXPECT_TRUE(IsDenied(Run(Alice(), "s3:ListBucket", "")));
}

TEST_F(DecideTest, ObjectAclIsReadOnlyWhenItCouldDecide) {
  SetObjectAcl("public-read");
  pols_.identity = {On("s3:GetObject", Decision::kAllow)};
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
  EXPECT_EQ(object_acl_loads_, 0);  // an identity allow decided
  EXPECT_TRUE(IsDenied(Run(Alice(), "s3:PutObject")));
  EXPECT_EQ(object_acl_loads_, 0);  // no object ACL grants s3:PutObject
  EXPECT_TRUE(Run(Anonymous(), "s3:GetObject").ok());
  EXPECT_EQ(object_acl_loads_, 1);
  bucket_.block.ignore_public_acls = true;
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObject")));
  EXPECT_EQ(object_acl_loads_, 1);  // every grant that could match is ignored
}

TEST_F(DecideTest, IgnorePublicAclsIgnoresGroupGrants) {
  SetBucketAcl("public-read");
  SetObjectAcl("authenticated-read");
  bucket_.block.ignore_public_acls = true;
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:ListBucket", "")));
  EXPECT_TRUE(IsDenied(Run(Alice(), "s3:GetObject")));
  bucket_.block.ignore_public_acls = false;
  EXPECT_TRUE(Run(Anonymous(), "s3:ListBucket", "").ok());
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
}

TEST_F(DecideTest, RestrictPublicBucketsStopsAnonymousButNotUsers) {
  bucket_.policy = PublicAllow("s3:GetObject");
  bucket_.block.restrict_public_buckets = true;
  EXPECT_TRUE(IsDenied(Run(Anonymous(), "s3:GetObject")));
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
  // A non-public policy is not affected.
  bucket_.policy = NamingAllow(std::string(kAlice), "s3:GetObject");
  EXPECT_TRUE(Run(Alice(), "s3:GetObject").ok());
}

TEST_F(DecideTest, SessionPolicyIntersectsWithTheUsersPermissions) {
  pols_.identity = {On("s3:GetObject", Decision::kAllow), On("s3:PutObject", Decision::kAllow)};
  // No session policy: the session has the user's permissions.
  EXPECT_TRUE(Run(AliceSession(), "s3:PutObject").ok());
  pols_.session = Make([](const EvalRequest& r) {
    return r.action == "s3:GetObject" || r.action == "s3:ListBucket" ? Decision::kAllow
                                                                     : Decision::kNotApplicable;
  });
  EXPECT_TRUE(Run(AliceSession(), "s3:GetObject").ok());
  Status put = Run(AliceSession(), "s3:PutObject");
  ASSERT_TRUE(IsDenied(put));
  EXPECT_NE(put.message().find("because no session policy allows the s3:PutObject action"),
            std::string_view::npos)
      << put.message();
  // The session policy alone grants nothing the user lacks.
  EXPECT_TRUE(IsDenied(Run(AliceSession(), "s3:ListBucket", "")));
  // The session policy does not bound the user's own (non-session) requests.
  EXPECT_TRUE(Run(Alice(), "s3:PutObject").ok());
}

TEST_F(DecideTest, SessionPolicyDenyIsExplicit) {
  pols_.identity = {On("s3:GetObject", Decision::kAllow)};
  pols_.session = On("s3:GetObject", Decision::kDeny);
  Status s = Run(AliceSession(), "s3:GetObject");
  ASSERT_TRUE(IsDenied(s));
  EXPECT_NE(s.message().find("explicit deny in a session policy"), std::string_view::npos);
}

TEST_F(DecideTest, BucketPolicyNamingTheSessionIsEnoughNamingTheUserIsBounded) {
  pols_.session = On("s3:GetObject", Decision::kAllow);
  // Naming the user: bounded by the session policy.
  bucket_.policy = NamingAllow(std::string(kAlice), "s3:PutObject");
  EXPECT_TRUE(IsDenied(Run(AliceSession(), "s3:PutObject")));
  EXPECT_TRUE(Run(Alice(), "s3:PutObject").ok());
  // Naming the session itself: enough on its own.
  bucket_.policy = NamingAllow(std::string(kAliceSession), "s3:PutObject");
  EXPECT_TRUE(Run(AliceSession(), "s3:PutObject").ok());
  // The user's own bucket statement with a session policy that allows the action.
  bucket_.policy = NamingAllow(std::string(kAlice), "s3:GetObject");
  EXPECT_TRUE(Run(AliceSession(), "s3:GetObject").ok());
}

TEST_F(DecideTest, SessionOfRootHasRootsPermissionsBoundedBySessionPolicy) {
  Principal p = AliceSession();
  p.user.clear();
  p.arn = "arn:aws:sts::000000000000:federated-user/ops";
  EXPECT_TRUE(Run(p, "s3:DeleteObject").ok());  // no session policy: all of root's
  pols_.session = On("s3:GetObject", Decision::kAllow);
  EXPECT_TRUE(Run(p, "s3:GetObject").ok());
  EXPECT_TRUE(IsDenied(Run(p, "s3:DeleteObject")));
  bucket_.policy = On("s3:GetObject", Decision::kDeny);
  EXPECT_TRUE(IsDenied(Run(p, "s3:GetObject")));  // unlike root itself, a deny applies
}

TEST_F(DecideTest, UserArns) {
  Principal p = AliceSession();
  p.user.clear();
  EXPECT_EQ(UserArnOf(p), "arn:aws:iam::000000000000:root");
  EXPECT_EQ(UserArnOf(AliceSession()), kAlice);
  EXPECT_EQ(UserArnOf(Anonymous()), "");
}

TEST_F(DecideTest, NonS3ResourcesHaveNoBucketPolicyOrAcl) {
  bucket_set_ = false;
  pols_.identity = {On("iam:CreateUser", Decision::kAllow)};
  EXPECT_TRUE(Run(Alice(), "iam:CreateUser", "").ok());
  EXPECT_TRUE(IsDenied(Run(Alice(), "iam:DeleteUser", "")));
}

TEST(ConditionValues, AddsWhatAuthorizeKnows) {
  AuthzRequest req;
  req.principal = Alice();
  req.context["aws:SourceIp"] = {"10.0.0.1"};
  req.context["S3:Prefix"] = {"home/"};
  req.context["aws:username"] = {"mallory"};  // replaced: the engine knows better
  ConditionValues cv = ConditionsFor(req, "AIDAEXAMPLE");
  EXPECT_EQ(cv["aws:sourceip"], std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(cv["s3:prefix"], std::vector<std::string>{"home/"});
  EXPECT_EQ(cv["aws:username"], std::vector<std::string>{"alice"});
  EXPECT_EQ(cv["aws:userid"], std::vector<std::string>{"AIDAEXAMPLE"});
  EXPECT_EQ(cv["aws:principaltype"], std::vector<std::string>{"User"});
  EXPECT_EQ(cv["aws:principalarn"], std::vector<std::string>{std::string(kAlice)});
  ASSERT_EQ(cv["aws:currenttime"].size(), 1u);
  const std::string& t = cv["aws:currenttime"][0];
  EXPECT_EQ(t.size(), 20u) << t;  // 2026-11-25T03:04:05Z
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t.back(), 'Z');
  const long long epoch = std::stoll(cv["aws:epochtime"].at(0));
  const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  EXPECT_LE(std::llabs(now - epoch), 5);
  EXPECT_EQ(cv.count("aws:SourceIp"), 0u);

  req.principal = Anonymous();
  cv = ConditionsFor(req, "");
  EXPECT_EQ(cv["aws:principaltype"], std::vector<std::string>{"Anonymous"});
  EXPECT_EQ(cv.count("aws:principalarn"), 0u);
  EXPECT_EQ(cv.count("aws:userid"), 0u);
  req.principal = AliceSession();
  EXPECT_EQ(ConditionsFor(req, "")["aws:principaltype"], std::vector<std::string>{"AssumedRole"});
  req.principal.arn = "arn:aws:sts::000000000000:federated-user/ops";
  EXPECT_EQ(ConditionsFor(req, "")["aws:principaltype"], std::vector<std::string>{"FederatedUser"});
  req.principal = Root();
  cv = ConditionsFor(req, "");
  EXPECT_EQ(cv["aws:principaltype"], std::vector<std::string>{"Account"});
  EXPECT_EQ(cv["aws:userid"], std::vector<std::string>{"000000000000"});
}

TEST_F(DecideTest, Speed) {
  // A user with 3 identity policies (none matching until the last) and a bucket policy that
  // does not apply: every policy is evaluated. Fake policies: this measures the combination.
  pols_.identity = {On("s3:ListBucket", Decision::kAllow), On("s3:DeleteObject", Decision::kDeny),
                    On("s3:GetObject", Decision::kAllow)};
  bucket_.policy = NamingAllow("arn:aws:iam::000000000000:user/bob", "s3:GetObject");
  constexpr int kN = 200000;
  const auto t0 = std::chrono::steady_clock::now();
  int ok = 0;
  AuthzRequest req;
  req.principal = Alice();
  req.context["aws:SourceIp"] = {"127.0.0.1"};
  for (int i = 0; i < kN; ++i) {
    cv_ = ConditionsFor(req, "AIDAEXAMPLE");  // as Authorize does when policies apply
    ok += Run(Alice(), "s3:GetObject").ok();
  }
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(ok, kN);
  std::printf(
      "ConditionsFor + Decide (3 identity policies + bucket policy, fake evaluation): "
      "%.0f ns/op\n",
      static_cast<double>(ns) / kN);
}

}  // namespace
}  // namespace maxiofs::engine::iam
