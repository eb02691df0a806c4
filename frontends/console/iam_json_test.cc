#include "iam_json.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

nlohmann::json Parse(const char* text) { return nlohmann::json::parse(text); }

TEST(IamJsonTest, UserJsonShowsStateGroupsAndPolicies) {
  engine::UserInfo u;
  u.name = "alice";
  u.arn = "arn:aws:iam::000000000000:user/alice";
  u.user_id = "AIDAEXAMPLE";
  u.created_ns = 1700000000LL * 1000000000LL;
  u.enabled = false;
  u.has_console_password = true;
  u.groups = {"readers"};
  u.attached_policies = {"p1", "p2"};
  const nlohmann::json j = UserJson(u);
  EXPECT_EQ(j["name"], "alice");
  EXPECT_EQ(j["enabled"], false);
  EXPECT_EQ(j["hasPassword"], true);
  EXPECT_EQ(j["groups"], nlohmann::json::array({"readers"}));
  EXPECT_EQ(j["policies"].size(), 2u);
  EXPECT_EQ(j["createdAt"], "2023-11-14T22:13:20.000Z");
}

TEST(IamJsonTest, AccessKeySecretOnlyWhenGivenAndNeverUsedIsNull) {
  engine::AccessKeyInfo k;
  k.access_key = "AKIAEXAMPLE";
  k.user = "alice";
  k.status = engine::AccessKeyStatus::kInactive;
  nlohmann::json j = AccessKeyJson(k);
  EXPECT_EQ(j["status"], "Inactive");
  EXPECT_TRUE(j["lastUsed"].is_null());
  EXPECT_FALSE(j.contains("secretKey"));
  k.secret_key = "s3cr3t";
  k.last_used_ns = 1700000000LL * 1000000000LL;
  j = AccessKeyJson(k);
  EXPECT_EQ(j["secretKey"], "s3cr3t");
  EXPECT_EQ(j["lastUsed"], "2023-11-14T22:13:20.000Z");
}

TEST(IamJsonTest, PolicyDocumentOnlyWhenAsked) {
  engine::ManagedPolicyInfo p;
  p.name = "ro";
  p.document = R"({"Version":"2012-10-17"})";
  p.attachment_count = 3;
  EXPECT_FALSE(PolicyJson(p, false).contains("document"));
  EXPECT_EQ(PolicyJson(p, true)["document"], p.document);
  EXPECT_EQ(PolicyJson(p, true)["attachments"], 3);
}

TEST(IamJsonTest, AccessKeyStatusNames) {
  EXPECT_EQ(ParseAccessKeyStatus("Active"), engine::AccessKeyStatus::kActive);
  EXPECT_EQ(ParseAccessKeyStatus("Inactive"), engine::AccessKeyStatus::kInactive);
  EXPECT_FALSE(ParseAccessKeyStatus("active").has_value());
  EXPECT_FALSE(ParseAccessKeyStatus("").has_value());
  EXPECT_EQ(AccessKeyStatusName(engine::AccessKeyStatus::kActive), "Active");
}

TEST(IamJsonTest, PublicAccessBlockParsesBooleansOnly) {
  auto cfg =
      ParsePublicAccessBlock(Parse(R"({"blockPublicAcls":true,"restrictPublicBuckets":true})"));
  ASSERT_TRUE(cfg.has_value());
  EXPECT_TRUE(cfg->block_public_acls);
  EXPECT_FALSE(cfg->ignore_public_acls);
  EXPECT_FALSE(cfg->block_public_policy);
  EXPECT_TRUE(cfg->restrict_public_buckets);
  EXPECT_EQ(PublicAccessBlockJson(*cfg)["restrictPublicBuckets"], true);
  auto bad = ParsePublicAccessBlock(Parse(R"({"blockPublicPolicy":"yes"})"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("blockPublicPolicy"), std::string::npos);
  auto empty = ParsePublicAccessBlock(Parse("{}"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(*empty, engine::PublicAccessBlock{});
}

TEST(IamJsonTest, PolicyDocumentKeepsTextAndSerializesObjects) {
  auto text =
      PolicyDocument(Parse(R"({"document":"{ \"Version\": \"2012-10-17\" }"})"), "document");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, R"({ "Version": "2012-10-17" })");
  auto object = PolicyDocument(Parse(R"({"document":{"Version":"2012-10-17"}})"), "document");
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(nlohmann::json::parse(*object)["Version"], "2012-10-17");
  for (const char* bad :
       {R"({})", R"({"document":5})", R"({"document":"  \n"})", R"({"document":["a"]})"}) {
    auto r = PolicyDocument(Parse(bad), "document");
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), Status::Code::kInvalidArgument);
  }
}

TEST(IamJsonTest, ValidateRequestKinds) {
  auto identity = ParseValidateRequest(Parse(R"({"document":"{}"})"));
  ASSERT_TRUE(identity.has_value());
  EXPECT_FALSE(identity->resource_policy);
  auto bucket = ParseValidateRequest(Parse(R"({"document":"{}","kind":"bucket","bucket":"b1"})"));
  ASSERT_TRUE(bucket.has_value());
  EXPECT_TRUE(bucket->resource_policy);
  EXPECT_EQ(bucket->bucket, "b1");
  for (const char* bad :
       {R"({"document":"{}","kind":"resource"})", R"({"document":"{}","kind":1})",
        R"({"document":"{}","bucket":"b1"})", R"({"document":"{}","kind":"bucket","bucket":2})",
        R"({"kind":"identity"})"}) {
    EXPECT_FALSE(ParseValidateRequest(Parse(bad)).has_value()) << bad;
  }
}

}  // namespace
}  // namespace maxiofs::console
