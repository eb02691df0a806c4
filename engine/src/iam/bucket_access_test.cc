// Bucket policies, ACLs and public-access blocks through the real engine (LevelDB and the
// filesystem blob store in a temp dir), and Authorize's use of them.
#include "acl_rules.h"
#include "test_util.h"

#include "maxiofs/engine/iam.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace maxiofs::engine {
namespace {

constexpr std::string_view kPublicRead = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acl-bucket/*"}]})";

constexpr std::string_view kAliceOnly = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::000000000000:user/alice"},
                 "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acl-bucket/*"}]})";

constexpr std::string_view kDenyDelete = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
                 "Resource": "arn:aws:s3:::acl-bucket/*"},
                {"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::acl-bucket", "arn:aws:s3:::acl-bucket/*"]}]})";

bool IsCode(const Status& s, Status::Code c) { return s.code() == c; }
bool IsDenied(const Status& s) { return s.code() == Status::Code::kAccessDenied; }

Principal Anonymous() { return Principal{}; }
Principal Alice() {
  return Principal{PrincipalKind::kUser, "alice", "AKIAALICE",
                   "arn:aws:iam::000000000000:user/alice", ""};
}

Acl Canned(std::string_view name) {
  auto a = CannedAcl(name);
  EXPECT_TRUE(a.has_value());
  return a.has_value() ? *a : Acl{};
}

bool HasGrant(const Acl& acl, std::string_view grantee, AclPermission perm) {
  for (const auto& g : acl.grants) {
    if (g.grantee == grantee && g.permission == perm) return true;
  }
  return false;
}

class BucketAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(dir_.str());
    ASSERT_NE(engine_, nullptr);
    ASSERT_TRUE(engine_->CreateBucket({"acl-bucket"}).ok());
  }
  void Reopen() {
    engine_.reset();
    engine_ = OpenOrDie(dir_.str());
    ASSERT_NE(engine_, nullptr);
  }
  Iam& iam() { return engine_->iam(); }
  Status Authorize(const Principal& p, std::string action, std::string key,
                   std::string bucket = "acl-bucket") {
    AuthzRequest r;
    r.principal = p;
    r.action = std::move(action);
    r.bucket = std::move(bucket);
    r.key = std::move(key);
    return iam().Authorize(r);
  }
  Result<ObjectInfo> PutWithAcl(const std::string& key, std::string canned,
                                const std::string& bucket = "acl-bucket") {
    PutObjectRequest req;
    req.canned_acl = std::move(canned);
    return Put(*engine_, bucket, key, "data", req);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

// --- bucket policy -------------------------------------------------------------------------

TEST_F(BucketAccessTest, PutGetDeleteBucketPolicy) {
  EXPECT_TRUE(
      IsCode(iam().GetBucketPolicy("acl-bucket").error(), Status::Code::kNoSuchBucketPolicy));
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kAliceOnly).ok());
  auto got = iam().GetBucketPolicy("acl-bucket");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, kAliceOnly);
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kPublicRead).ok());  // replaces
  EXPECT_EQ(*iam().GetBucketPolicy("acl-bucket"), kPublicRead);
  ASSERT_TRUE(iam().DeleteBucketPolicy("acl-bucket").ok());
  EXPECT_TRUE(
      IsCode(iam().GetBucketPolicy("acl-bucket").error(), Status::Code::kNoSuchBucketPolicy));
  EXPECT_TRUE(iam().DeleteBucketPolicy("acl-bucket").ok());  // idempotent, as S3
}

TEST_F(BucketAccessTest, MalformedPolicyChangesNothing) {
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kAliceOnly).ok());
  Status s = iam().PutBucketPolicy("acl-bucket", "{not json");
  EXPECT_TRUE(IsCode(s, Status::Code::kMalformedPolicy)) << s.ToString();
  // No Principal: not a bucket policy.
  s = iam().PutBucketPolicy("acl-bucket", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Action":"s3:GetObject","Resource":"arn:aws:s3:::acl-bucket/*"}]})");
  EXPECT_TRUE(IsCode(s, Status::Code::kMalformedPolicy)) << s.ToString();
  // A resource of another bucket.
  s = iam().PutBucketPolicy("acl-bucket", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]})");
  EXPECT_TRUE(IsCode(s, Status::Code::kMalformedPolicy)) << s.ToString();
  EXPECT_EQ(*iam().GetBucketPolicy("acl-bucket"), kAliceOnly);
}

TEST_F(BucketAccessTest, PolicyStatus) {
  EXPECT_FALSE(*iam().GetBucketPolicyStatus("acl-bucket"));  // no policy, private ACL
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kAliceOnly).ok());
  EXPECT_FALSE(*iam().GetBucketPolicyStatus("acl-bucket"));
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kPublicRead).ok());
  EXPECT_TRUE(*iam().GetBucketPolicyStatus("acl-bucket"));
  // Without a policy, a public ACL makes the bucket public.
  ASSERT_TRUE(iam().DeleteBucketPolicy("acl-bucket").ok());
  for (const char* canned : {"public-read", "authenticated-read", "public-read-write"}) {
    ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned(canned)).ok());
    EXPECT_TRUE(*iam().GetBucketPolicyStatus("acl-bucket")) << canned;
  }
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("private")).ok());
  EXPECT_FALSE(*iam().GetBucketPolicyStatus("acl-bucket"));
}

TEST_F(BucketAccessTest, MissingBucketIsNoSuchBucketEverywhere) {
  const std::string_view nb = "nope";
  EXPECT_TRUE(iam().PutBucketPolicy(nb, kPublicRead).IsNoSuchBucket());
  EXPECT_TRUE(iam().GetBucketPolicy(nb).error().IsNoSuchBucket());
  EXPECT_TRUE(iam().DeleteBucketPolicy(nb).IsNoSuchBucket());
  EXPECT_TRUE(iam().GetBucketPolicyStatus(nb).error().IsNoSuchBucket());
  EXPECT_TRUE(iam().PutBucketAcl(nb, Canned("private")).IsNoSuchBucket());
  EXPECT_TRUE(iam().GetBucketAcl(nb).error().IsNoSuchBucket());
  EXPECT_TRUE(iam().PutObjectAcl(nb, "k", "", Canned("private")).IsNoSuchBucket());
  EXPECT_TRUE(iam().GetObjectAcl(nb, "k", "").error().IsNoSuchBucket());
  EXPECT_TRUE(iam().PutPublicAccessBlock(nb, {true, true, true, true}).IsNoSuchBucket());
  EXPECT_TRUE(iam().GetPublicAccessBlock(nb).error().IsNoSuchBucket());
  EXPECT_TRUE(iam().DeletePublicAccessBlock(nb).IsNoSuchBucket());
}

TEST_F(BucketAccessTest, BucketPolicyDecidesAnonymousAndUsers) {
  ASSERT_TRUE(PutWithAcl("k", "").has_value());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k")));
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kPublicRead).ok());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "k").ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:PutObject", "k")));
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k", "other")));
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kAliceOnly).ok());
  EXPECT_TRUE(Authorize(Alice(), "s3:PutObject", "k").ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k")));
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kDenyDelete).ok());
  EXPECT_TRUE(Authorize(Alice(), "s3:ListBucket", "").ok());
  Status del = Authorize(Alice(), "s3:DeleteObject", "k");
  ASSERT_TRUE(IsDenied(del));
  EXPECT_NE(del.message().find("explicit deny in a resource-based policy"), std::string::npos);
}

TEST_F(BucketAccessTest, PolicyPersistsAndGoesWithTheBucket) {
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kPublicRead).ok());
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read")).ok());
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", {false, true, false, false}).ok());
  Reopen();
  EXPECT_EQ(*iam().GetBucketPolicy("acl-bucket"), kPublicRead);
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), Canned("public-read"));
  EXPECT_EQ(*iam().GetPublicAccessBlock("acl-bucket"),
            (PublicAccessBlock{false, true, false, false}));
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "k").ok());
  ASSERT_TRUE(engine_->DeleteBucket("acl-bucket").ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k")));
  ASSERT_TRUE(engine_->CreateBucket({"acl-bucket"}).ok());
  EXPECT_TRUE(
      IsCode(iam().GetBucketPolicy("acl-bucket").error(), Status::Code::kNoSuchBucketPolicy));
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), PrivateAcl());
  EXPECT_TRUE(IsCode(iam().GetPublicAccessBlock("acl-bucket").error(),
                     Status::Code::kNoSuchPublicAccessBlockConfiguration));
  Reopen();  // and nothing of the old bucket comes back from disk
  EXPECT_TRUE(
      IsCode(iam().GetBucketPolicy("acl-bucket").error(), Status::Code::kNoSuchBucketPolicy));
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), PrivateAcl());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k")));
}

// --- public access block -------------------------------------------------------------------

TEST_F(BucketAccessTest, PublicAccessBlockRoundTrip) {
  EXPECT_TRUE(IsCode(iam().GetPublicAccessBlock("acl-bucket").error(),
                     Status::Code::kNoSuchPublicAccessBlockConfiguration));
  const PublicAccessBlock all{true, true, true, true};
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", all).ok());
  EXPECT_EQ(*iam().GetPublicAccessBlock("acl-bucket"), all);
  Reopen();
  EXPECT_EQ(*iam().GetPublicAccessBlock("acl-bucket"), all);
  ASSERT_TRUE(iam().DeletePublicAccessBlock("acl-bucket").ok());
  EXPECT_TRUE(IsCode(iam().GetPublicAccessBlock("acl-bucket").error(),
                     Status::Code::kNoSuchPublicAccessBlockConfiguration));
  Reopen();
  EXPECT_TRUE(IsCode(iam().GetPublicAccessBlock("acl-bucket").error(),
                     Status::Code::kNoSuchPublicAccessBlockConfiguration));
}

TEST_F(BucketAccessTest, BlockPublicPolicyRefusesPublicPolicies) {
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", {false, false, true, false}).ok());
  EXPECT_TRUE(IsDenied(iam().PutBucketPolicy("acl-bucket", kPublicRead)));
  EXPECT_TRUE(
      IsCode(iam().GetBucketPolicy("acl-bucket").error(), Status::Code::kNoSuchBucketPolicy));
  EXPECT_TRUE(iam().PutBucketPolicy("acl-bucket", kAliceOnly).ok());
}

TEST_F(BucketAccessTest, BlockPublicAclsRefusesPublicAcls) {
  ASSERT_TRUE(PutWithAcl("k", "").has_value());
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", {true, false, false, false}).ok());
  EXPECT_TRUE(IsDenied(iam().PutBucketAcl("acl-bucket", Canned("public-read"))));
  EXPECT_TRUE(IsDenied(iam().PutBucketAcl("acl-bucket", Canned("authenticated-read"))));
  EXPECT_TRUE(IsDenied(iam().PutObjectAcl("acl-bucket", "k", "", Canned("public-read-write"))));
  EXPECT_TRUE(IsDenied(PutWithAcl("k2", "public-read").error()));
  EXPECT_TRUE(
      IsCode(engine_->HeadObject(HeadReq("acl-bucket", "k2")).error(), Status::Code::kNoSuchKey));
  CopyObjectRequest c;
  c.src_bucket = c.dst_bucket = "acl-bucket";
  c.src_key = "k";
  c.dst_key = "k3";
  c.canned_acl = "authenticated-read";
  EXPECT_TRUE(IsDenied(engine_->CopyObject(c).error()));
  CreateMultipartRequest m;
  m.bucket = "acl-bucket";
  m.key = "k4";
  m.canned_acl = "public-read";
  EXPECT_TRUE(IsDenied(engine_->CreateMultipartUpload(m).error()));
  // Private ACLs are fine.
  EXPECT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("private")).ok());
  EXPECT_TRUE(PutWithAcl("k5", "bucket-owner-full-control").has_value());
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), PrivateAcl());
}

TEST_F(BucketAccessTest, IgnorePublicAclsAndRestrictPublicBuckets) {
  ASSERT_TRUE(PutWithAcl("k", "public-read").has_value());
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read")).ok());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "k").ok());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:ListBucket", "").ok());
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", {false, true, false, false}).ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k")));
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:ListBucket", "")));
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kPublicRead).ok());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "k").ok());  // the policy still allows
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", {false, true, false, true}).ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "k")));
  EXPECT_TRUE(Authorize(Alice(), "s3:GetObject", "k").ok());  // users of the account still do
  ASSERT_TRUE(iam().DeletePublicAccessBlock("acl-bucket").ok());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "k").ok());
}

// --- ACLs ----------------------------------------------------------------------------------

TEST_F(BucketAccessTest, CannedAclOnCreateBucket) {
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), PrivateAcl());
  Reopen();
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), PrivateAcl());  // "never set" reads as private
  CreateBucketRequest r;
  r.bucket = "pub";
  r.canned_acl = "public-read";
  ASSERT_TRUE(engine_->CreateBucket(r).ok());
  Acl acl = *iam().GetBucketAcl("pub");
  EXPECT_TRUE(HasGrant(acl, kAllUsersUri, AclPermission::kRead));
  EXPECT_TRUE(HasGrant(acl, kCanonicalUserId, AclPermission::kFullControl));
  EXPECT_TRUE(Authorize(Anonymous(), "s3:ListBucket", "", "pub").ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:ListBucket", "", "acl-bucket")));
  r.bucket = "bad";
  r.canned_acl = "everyone-may";
  EXPECT_TRUE(IsCode(engine_->CreateBucket(r), Status::Code::kInvalidArgument));
  EXPECT_TRUE(engine_->HeadBucket("bad").error().IsNoSuchBucket());
  Reopen();
  EXPECT_EQ(*iam().GetBucketAcl("pub"), acl);
}

TEST_F(BucketAccessTest, PutBucketAclValidates) {
  Acl bad = Canned("private");
  bad.grants.push_back(
      {AclGrant::GranteeType::kCanonicalUser, "someone-else", AclPermission::kRead});
  EXPECT_TRUE(IsCode(iam().PutBucketAcl("acl-bucket", bad), Status::Code::kInvalidArgument));
  bad = Canned("private");
  bad.grants.push_back(
      {AclGrant::GranteeType::kGroup, "http://example.com/g", AclPermission::kRead});
  EXPECT_TRUE(IsCode(iam().PutBucketAcl("acl-bucket", bad), Status::Code::kInvalidArgument));
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), PrivateAcl());
}

TEST(AclRules, EmailGrantsResolveToTheAccountOrFail) {
  Acl acl;
  acl.grants.push_back({AclGrant::GranteeType::kEmail, "Owner@Example.com", AclPermission::kRead});
  acl.grants.push_back(
      {AclGrant::GranteeType::kGroup, std::string(kAllUsersUri), AclPermission::kRead});
  Acl resolved = acl;
  ASSERT_TRUE(ResolveEmailGrants(resolved, "owner@example.COM").ok());
  EXPECT_EQ(resolved.grants[0].type, AclGrant::GranteeType::kCanonicalUser);
  EXPECT_EQ(resolved.grants[0].grantee, kCanonicalUserId);
  EXPECT_EQ(resolved.grants[1], acl.grants[1]);
  EXPECT_TRUE(ValidateAcl(resolved).ok());
  EXPECT_TRUE(IsCode(ValidateAcl(acl), Status::Code::kInvalidArgument));  // unresolved
  for (std::string_view email : {"", "other@example.com"}) {
    Acl copy = acl;
    Status s = ResolveEmailGrants(copy, email);
    EXPECT_TRUE(IsCode(s, Status::Code::kInvalidArgument));
    EXPECT_EQ(s.subcode(), Status::SubCode::kUnresolvableGrant);
  }
}

TEST_F(BucketAccessTest, ExplicitGrantsOnWrites) {
  Acl grants;
  grants.grants.push_back(
      {AclGrant::GranteeType::kGroup, std::string(kAllUsersUri), AclPermission::kRead});
  PutObjectRequest req;
  req.grants = grants;
  ASSERT_TRUE(Put(*engine_, "acl-bucket", "g", "data", req).has_value());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "g", ""), grants);
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "g").ok());
  // Grants and a canned ACL together, an unknown e-mail: refused, nothing stored.
  req.canned_acl = "private";
  EXPECT_TRUE(
      IsCode(Put(*engine_, "acl-bucket", "both", "d", req).error(), Status::Code::kInvalidRequest));
  req.canned_acl.clear();
  req.grants->grants.push_back({AclGrant::GranteeType::kEmail, "a@b", AclPermission::kRead});
  EXPECT_EQ(Put(*engine_, "acl-bucket", "mail", "d", req).error().subcode(),
            Status::SubCode::kUnresolvableGrant);
  EXPECT_TRUE(engine_->HeadObject(HeadReq("acl-bucket", "mail")).error().IsNoSuchKey());
  EXPECT_TRUE(engine_->HeadObject(HeadReq("acl-bucket", "both")).error().IsNoSuchKey());
  EXPECT_EQ(iam().PutObjectAcl("acl-bucket", "g", "", *req.grants).subcode(),
            Status::SubCode::kUnresolvableGrant);
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "g", ""), grants);
  // CreateBucket with grants.
  CreateBucketRequest cb;
  cb.bucket = "granted";
  cb.grants = grants;
  ASSERT_TRUE(engine_->CreateBucket(cb).ok());
  EXPECT_EQ(*iam().GetBucketAcl("granted"), grants);
  cb.bucket = "unresolved";
  cb.grants = *req.grants;
  EXPECT_EQ(engine_->CreateBucket(cb).subcode(), Status::SubCode::kUnresolvableGrant);
  EXPECT_TRUE(engine_->HeadBucket("unresolved").error().IsNoSuchBucket());
}

TEST_F(BucketAccessTest, BucketOwnerEnforcedTurnsAclsOff) {
  EXPECT_EQ(iam().GetBucketOwnershipControls("acl-bucket").error().code(),
            Status::Code::kOwnershipControlsNotFound);
  ASSERT_TRUE(PutWithAcl("pub", "public-read").has_value());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "pub").ok());
  // Enforced needs a private bucket ACL.
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read")).ok());
  EXPECT_EQ(iam()
                .PutBucketOwnershipControls("acl-bucket", ObjectOwnership::kBucketOwnerEnforced)
                .subcode(),
            Status::SubCode::kAclConflictsWithOwnership);
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("private")).ok());
  ASSERT_TRUE(
      iam().PutBucketOwnershipControls("acl-bucket", ObjectOwnership::kBucketOwnerEnforced).ok());
  EXPECT_EQ(*iam().GetBucketOwnershipControls("acl-bucket"), ObjectOwnership::kBucketOwnerEnforced);
  // Stored grants no longer apply or show; new ACLs other than private are refused.
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "pub")));
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "pub", ""), PrivateAcl());
  EXPECT_EQ(PutWithAcl("new", "public-read").error().subcode(), Status::SubCode::kAclNotSupported);
  EXPECT_TRUE(engine_->HeadObject(HeadReq("acl-bucket", "new")).error().IsNoSuchKey());
  EXPECT_TRUE(PutWithAcl("owner", "bucket-owner-full-control").has_value());
  EXPECT_EQ(iam().PutObjectAcl("acl-bucket", "pub", "", Canned("authenticated-read")).subcode(),
            Status::SubCode::kAclNotSupported);
  EXPECT_EQ(iam().PutBucketAcl("acl-bucket", Canned("public-read")).subcode(),
            Status::SubCode::kAclNotSupported);
  EXPECT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("private")).ok());
  // Kept across a restart; turning it off brings the stored grants back.
  Reopen();
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "pub")));
  ASSERT_TRUE(iam().PutBucketOwnershipControls("acl-bucket", ObjectOwnership::kObjectWriter).ok());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "pub").ok());
  ASSERT_TRUE(iam().DeleteBucketOwnershipControls("acl-bucket").ok());
  EXPECT_TRUE(iam().DeleteBucketOwnershipControls("acl-bucket").ok());
  EXPECT_EQ(iam().GetBucketOwnershipControls("acl-bucket").error().code(),
            Status::Code::kOwnershipControlsNotFound);
  EXPECT_TRUE(iam().GetBucketOwnershipControls("nope").error().IsNoSuchBucket());
  // CreateBucket with ownership controls; a recreated bucket starts without any.
  CreateBucketRequest cb;
  cb.bucket = "enforced";
  cb.object_ownership = ObjectOwnership::kBucketOwnerEnforced;
  cb.canned_acl = "public-read";
  EXPECT_EQ(engine_->CreateBucket(cb).subcode(), Status::SubCode::kAclConflictsWithOwnership);
  cb.canned_acl.clear();
  ASSERT_TRUE(engine_->CreateBucket(cb).ok());
  EXPECT_EQ(*iam().GetBucketOwnershipControls("enforced"), ObjectOwnership::kBucketOwnerEnforced);
  ASSERT_TRUE(engine_->DeleteBucket("enforced").ok());
  ASSERT_TRUE(engine_->CreateBucket({"enforced"}).ok());
  EXPECT_EQ(iam().GetBucketOwnershipControls("enforced").error().code(),
            Status::Code::kOwnershipControlsNotFound);
}

TEST_F(BucketAccessTest, CannedAclOnPutObject) {
  ASSERT_TRUE(PutWithAcl("pub", "public-read").has_value());
  ASSERT_TRUE(PutWithAcl("auth", "authenticated-read").has_value());
  ASSERT_TRUE(PutWithAcl("priv", "").has_value());
  EXPECT_TRUE(IsCode(PutWithAcl("x", "nonsense").error(), Status::Code::kInvalidArgument));
  EXPECT_TRUE(
      HasGrant(*iam().GetObjectAcl("acl-bucket", "pub", ""), kAllUsersUri, AclPermission::kRead));
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "priv", ""), PrivateAcl());
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "pub").ok());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:PutObject", "pub")));
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "priv")));
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "auth")));
  EXPECT_TRUE(Authorize(Alice(), "s3:GetObject", "auth").ok());
  EXPECT_TRUE(IsDenied(Authorize(Alice(), "s3:GetObject", "priv")));
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "missing")));
  // An overwrite without x-amz-acl is private again.
  ASSERT_TRUE(PutWithAcl("pub", "").has_value());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "pub", ""), PrivateAcl());
  EXPECT_TRUE(IsDenied(Authorize(Anonymous(), "s3:GetObject", "pub")));
}

TEST_F(BucketAccessTest, CopyTakesTheRequestedAclNeverTheSources) {
  ASSERT_TRUE(PutWithAcl("src", "public-read").has_value());
  CopyObjectRequest c;
  c.src_bucket = c.dst_bucket = "acl-bucket";
  c.src_key = "src";
  c.dst_key = "plain";
  ASSERT_TRUE(engine_->CopyObject(c).has_value());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "plain", ""), PrivateAcl());
  c.dst_key = "auth";
  c.canned_acl = "authenticated-read";
  ASSERT_TRUE(engine_->CopyObject(c).has_value());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "auth", ""), Canned("authenticated-read"));
  c.dst_key = "bad";
  c.canned_acl = "nope";
  EXPECT_TRUE(IsCode(engine_->CopyObject(c).error(), Status::Code::kInvalidArgument));
  EXPECT_TRUE(
      IsCode(engine_->HeadObject(HeadReq("acl-bucket", "bad")).error(), Status::Code::kNoSuchKey));
}

TEST_F(BucketAccessTest, CannedAclOnMultipartAppliesAtCompletion) {
  CreateMultipartRequest m;
  m.bucket = "acl-bucket";
  m.key = "big";
  m.canned_acl = "public-read";
  auto up = engine_->CreateMultipartUpload(m);
  ASSERT_TRUE(up.has_value()) << up.error().ToString();
  Reopen();  // the ACL waits in the upload record
  UploadPartRequest u;
  u.bucket = "acl-bucket";
  u.key = "big";
  u.upload_id = up->upload_id;
  u.part_number = 1;
  auto w = engine_->BeginUploadPart(u);
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append("part one").ok());
  auto part = (*w)->Commit();
  ASSERT_TRUE(part.has_value());
  CompleteMultipartRequest c;
  c.bucket = "acl-bucket";
  c.key = "big";
  c.upload_id = up->upload_id;
  c.parts = {{1, part->etag}};
  ASSERT_TRUE(engine_->CompleteMultipartUpload(c).has_value());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "big", ""), Canned("public-read"));
  EXPECT_TRUE(Authorize(Anonymous(), "s3:GetObject", "big").ok());
  m.canned_acl = "bogus";
  EXPECT_TRUE(IsCode(engine_->CreateMultipartUpload(m).error(), Status::Code::kInvalidArgument));
}

TEST_F(BucketAccessTest, ObjectAclsBelongToVersions) {
  ASSERT_TRUE(engine_->PutBucketVersioning("acl-bucket", VersioningState::kEnabled).ok());
  auto v1 = PutWithAcl("k", "");
  auto v2 = PutWithAcl("k", "");
  ASSERT_TRUE(v1.has_value() && v2.has_value());
  ASSERT_TRUE(iam().PutObjectAcl("acl-bucket", "k", v1->version_id, Canned("public-read")).ok());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "k", v1->version_id), Canned("public-read"));
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "k", ""), PrivateAcl());  // current = v2
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "k", v2->version_id), PrivateAcl());
  AuthzRequest r;
  r.action = "s3:GetObjectVersion";
  r.bucket = "acl-bucket";
  r.key = "k";
  r.version_id = v1->version_id;
  EXPECT_TRUE(iam().Authorize(r).ok());
  r.version_id = v2->version_id;
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  // The current version's ACL, and the current record follows.
  ASSERT_TRUE(iam().PutObjectAcl("acl-bucket", "k", "", Canned("authenticated-read")).ok());
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "k", v2->version_id), Canned("authenticated-read"));
  Reopen();
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "k", v1->version_id), Canned("public-read"));
  EXPECT_EQ(*iam().GetObjectAcl("acl-bucket", "k", ""), Canned("authenticated-read"));
  // The data and metadata are untouched.
  EXPECT_EQ(*Get(*engine_, "acl-bucket", "k"), "data");
  // Errors.
  const std::string missing(32, 'a');
  EXPECT_TRUE(
      IsCode(iam().GetObjectAcl("acl-bucket", "k", missing).error(), Status::Code::kNoSuchVersion));
  EXPECT_TRUE(iam().GetObjectAcl("acl-bucket", "nokey", "").error().IsNoSuchKey());
  EXPECT_TRUE(iam().PutObjectAcl("acl-bucket", "nokey", "", Canned("private")).IsNoSuchKey());
  auto del = engine_->DeleteObject(DelReq("acl-bucket", "k"));
  ASSERT_TRUE(del.has_value() && del->delete_marker);
  EXPECT_TRUE(iam().GetObjectAcl("acl-bucket", "k", "").error().IsNoSuchKey());
  EXPECT_TRUE(IsCode(iam().GetObjectAcl("acl-bucket", "k", del->version_id).error(),
                     Status::Code::kMethodNotAllowed));
  EXPECT_TRUE(IsCode(iam().PutObjectAcl("acl-bucket", "k", del->version_id, Canned("private")),
                     Status::Code::kMethodNotAllowed));
}

// A bucket ACL that lets anyone create objects lets them set the new object's ACL (x-amz-acl on
// the write, a form's acl field), as in S3; changing an existing object's ACL still needs
// WRITE_ACP on it, and policies must allow s3:PutObjectAcl itself.
TEST_F(BucketAccessTest, BucketWriteGrantCoversTheAclOfNewObjects) {
  auto ask = [&](std::string_view bucket, bool new_object) {
    AuthzRequest r;
    r.principal = Anonymous();
    r.action = "s3:PutObjectAcl";
    r.bucket = std::string(bucket);
    r.key = "k";
    r.acl_of_new_object = new_object;
    return iam().Authorize(r);
  };
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read-write")).ok());
  EXPECT_TRUE(ask("acl-bucket", true).ok());
  EXPECT_TRUE(IsDenied(ask("acl-bucket", false)));
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read")).ok());  // no WRITE
  EXPECT_TRUE(IsDenied(ask("acl-bucket", true)));
  // A policy that allows s3:PutObject to everyone does not imply the ACL.
  ASSERT_TRUE(engine_->CreateBucket({"policy-bucket"}).ok());
  ASSERT_TRUE(iam()
                  .PutBucketPolicy("policy-bucket",
                                   R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",)"
                                   R"( "Principal": "*", "Action": "s3:PutObject",)"
                                   R"( "Resource": "arn:aws:s3:::policy-bucket/*"}]})")
                  .ok());
  EXPECT_TRUE(IsDenied(ask("policy-bucket", true)));
  // IgnorePublicAcls takes the grant away.
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read-write")).ok());
  PublicAccessBlock ignore;
  ignore.ignore_public_acls = true;
  ASSERT_TRUE(iam().PutPublicAccessBlock("acl-bucket", ignore).ok());
  EXPECT_TRUE(IsDenied(ask("acl-bucket", true)));
}

TEST_F(BucketAccessTest, AnonymousNeverListsAllBuckets) {
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read-write")).ok());
  AuthzRequest r;
  r.action = "s3:ListAllMyBuckets";
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  r.principal.kind = PrincipalKind::kRoot;
  EXPECT_TRUE(iam().Authorize(r).ok());
}

// Only a bucket policy can refuse root, so only there must callers build conditions for it.
TEST_F(BucketAccessTest, RootCannotBeRefusedExceptByABucketPolicy) {
  Principal root;
  root.kind = PrincipalKind::kRoot;
  root.arn = "arn:aws:iam::000000000000:root";
  EXPECT_TRUE(iam().CannotBeRefused(root, ""));
  EXPECT_TRUE(iam().CannotBeRefused(root, "acl-bucket"));
  EXPECT_TRUE(iam().CannotBeRefused(root, "no-such-bucket"));
  EXPECT_FALSE(iam().CannotBeRefused(Alice(), "acl-bucket"));
  EXPECT_FALSE(iam().CannotBeRefused(Anonymous(), ""));
  constexpr std::string_view kDenyDeletes = R"({"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
    "Resource": "arn:aws:s3:::acl-bucket/*"}]})";
  ASSERT_TRUE(iam().PutBucketPolicy("acl-bucket", kDenyDeletes).ok());
  EXPECT_FALSE(iam().CannotBeRefused(root, "acl-bucket"));
  AuthzRequest r;
  r.principal = root;
  r.action = "s3:DeleteObject";
  r.bucket = "acl-bucket";
  r.key = "k";
  EXPECT_TRUE(IsDenied(iam().Authorize(r)));
  r.action = "s3:DeleteBucketPolicy";  // the way out stays open
  r.key.clear();
  EXPECT_TRUE(iam().Authorize(r).ok());
  ASSERT_TRUE(iam().DeleteBucketPolicy("acl-bucket").ok());
  EXPECT_TRUE(iam().CannotBeRefused(root, "acl-bucket"));
}

TEST_F(BucketAccessTest, MemoryMatchesDiskAfterConcurrentChangesAndBucketChurn) {
  // Settings writers race a thread that deletes and recreates the bucket; whatever the
  // interleaving, what is in memory at the end is what a reopen reads from disk, and no
  // setting of a deleted bucket survives into its successor unless written after it.
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        const bool on = (i + t) % 2 == 0;
        iam().PutBucketAcl("acl-bucket", Canned(on ? "public-read" : "private")).IgnoreError();
        iam().PutPublicAccessBlock("acl-bucket", {false, on, false, !on}).IgnoreError();
        if (i % 3 == 0) iam().DeletePublicAccessBlock("acl-bucket").IgnoreError();
        // Let the bucket's exclusive lock in (a shared_mutex prefers readers).
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      }
    });
  }
  for (int i = 0; i < 30; ++i) {
    Status d = engine_->DeleteBucket("acl-bucket");
    EXPECT_TRUE(d.ok() || d.IsNoSuchBucket()) << d.ToString();
    Status c = engine_->CreateBucket({"acl-bucket"});
    EXPECT_TRUE(c.ok()) << c.ToString();
  }
  stop = true;
  for (auto& w : writers) w.join();
  const Acl acl = *iam().GetBucketAcl("acl-bucket");
  auto block = iam().GetPublicAccessBlock("acl-bucket");
  Reopen();
  EXPECT_EQ(*iam().GetBucketAcl("acl-bucket"), acl);
  auto block2 = iam().GetPublicAccessBlock("acl-bucket");
  ASSERT_EQ(block.has_value(), block2.has_value());
  if (block.has_value()) {
    EXPECT_EQ(*block, *block2);
  }
}

TEST_F(BucketAccessTest, AuthorizeSpeed) {
  // Anonymous on a bucket with a public-read ACL: the whole in-memory path (snapshot,
  // condition values, decision). No timed assertion; the figure is printed.
  ASSERT_TRUE(iam().PutBucketAcl("acl-bucket", Canned("public-read")).ok());
  constexpr int kN = 100000;
  AuthzRequest r;
  r.action = "s3:ListBucket";
  r.bucket = "acl-bucket";
  r.context["aws:SourceIp"] = {"127.0.0.1"};
  const auto t0 = std::chrono::steady_clock::now();
  int ok = 0;
  for (int i = 0; i < kN; ++i) ok += iam().Authorize(r).ok();
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(ok, kN);
  std::printf("Authorize (anonymous, bucket ACL): %.0f ns/op\n", static_cast<double>(ns) / kN);
}

}  // namespace
}  // namespace maxiofs::engine
