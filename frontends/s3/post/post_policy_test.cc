// POST policies: every condition kind, S3's case rules, expiry, extra fields, and documents S3
// refuses (the cases of Ceph's s3-tests post_object group among them).
#include "post/post_policy.h"

#include "headers.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

constexpr int64_t kNow = 1'700'000'000'000'000'000;  // 2023-11-14T22:13:20Z
constexpr std::string_view kFuture = "2030-01-01T00:00:00.000Z";

std::string Policy(std::string_view conditions, std::string_view expiration = kFuture) {
  return "{\"expiration\": \"" + std::string(expiration) + "\", \"conditions\": [" +
         std::string(conditions) + "]}";
}

PostPolicy Parsed(const std::string& doc) {
  auto p = ParsePostPolicy(doc);
  EXPECT_TRUE(p.has_value()) << (p.has_value() ? "" : p.error().message);
  return p.has_value() ? p.value() : PostPolicy{};
}

std::string Check(const PostPolicy& p, PostFormFields fields, int64_t now = kNow) {
  auto err = CheckPostPolicy(p, fields, now);
  if (!err) return "";
  EXPECT_EQ(err->code, S3ErrorCode::kAccessDenied);
  return err->message;
}

std::string ParseError(const std::string& doc) {
  auto p = ParsePostPolicy(doc);
  if (p.has_value()) return "";
  EXPECT_EQ(p.error().code, S3ErrorCode::kInvalidPolicyDocument);
  return p.error().message;
}

TEST(PostPolicyTest, ConditionsOfEveryKind) {
  PostPolicy p = Parsed(Policy(
      R"({"bucket": "photos"}, ["starts-with", "$key", "user/"], {"acl": "private"},)"
      R"(["eq", "$success_action_status", "201"], ["starts-with", "$Content-Type", "image/"],)"
      R"(["content-length-range", 10, "1024"], ["starts-with", "$x-amz-meta-tag", ""])"));
  EXPECT_EQ(p.expiration_ns, *ParseHttpDate(kFuture));
  EXPECT_EQ(p.min_length, 10u);
  EXPECT_EQ(p.max_length, 1024u);
  PostFormFields ok = {{"bucket", "photos"},
                       {"key", "user/a.jpg"},
                       {"acl", "private"},
                       {"success_action_status", "201"},
                       {"content-type", "image/png"},
                       {"policy", "..."},
                       {"x-amz-signature", "..."},
                       {"x-ignore-me", "1"},
                       {"x-amz-checksum-sha256", "..."}};
  EXPECT_EQ(Check(p, ok), "");
  // A starts-with "" condition matches a missing field.
  PostFormFields tagged = ok;
  tagged["x-amz-meta-tag"] = "anything";
  EXPECT_EQ(Check(p, tagged), "");

  PostFormFields wrong_bucket = ok;
  wrong_bucket["bucket"] = "other";
  EXPECT_EQ(Check(p, wrong_bucket),
            R"(Invalid according to Policy: Policy Condition failed: {"bucket":"photos"})");
  PostFormFields wrong_key = ok;
  wrong_key["key"] = "admin/a.jpg";
  EXPECT_NE(Check(p, wrong_key).find(R"(["starts-with","$key","user/"])"), std::string::npos);
  PostFormFields no_acl = ok;
  no_acl.erase("acl");
  EXPECT_NE(Check(p, no_acl).find("Policy Condition failed"), std::string::npos);
  // Content-Type: each of a comma-separated list must match.
  PostFormFields types = ok;
  types["content-type"] = "image/png, image/gif";
  EXPECT_EQ(Check(p, types), "");
  types["content-type"] = "image/png, text/html";
  EXPECT_NE(Check(p, types).find("$Content-Type"), std::string::npos);
  // A field no condition names.
  PostFormFields extra = ok;
  extra["x-amz-meta-owner"] = "eve";
  EXPECT_EQ(Check(p, extra), "Invalid according to Policy: Extra input fields: x-amz-meta-owner");
}

TEST(PostPolicyTest, CaseRulesAsS3) {
  // Operators and field names are case-insensitive (test_post_object_case_insensitive_...).
  PostPolicy p = Parsed(Policy(
      R"({"bUcKeT": "b"}, ["StArTs-WiTh", "$KeY", "foo"], {"AcL": "private"}, ["EQ", "$X-Amz-Meta-A", "1"])"));
  EXPECT_EQ(
      Check(p, {{"bucket", "b"}, {"key", "foo.txt"}, {"acl", "private"}, {"x-amz-meta-a", "1"}}),
      "");
  // Values are case-sensitive.
  EXPECT_NE(
      Check(p, {{"bucket", "b"}, {"key", "FOO.txt"}, {"acl", "private"}, {"x-amz-meta-a", "1"}}),
      "");
  // "expiration" and "conditions" are case-sensitive.
  EXPECT_NE(ParseError(R"({"EXPIRATION": "2030-01-01T00:00:00Z", "conditions": []})")
                .find("Policy missing expiration"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"expiration": "2030-01-01T00:00:00Z", "CONDITIONS": []})")
                .find("Policy missing conditions"),
            std::string::npos);
}

TEST(PostPolicyTest, Expiration) {
  PostPolicy p = Parsed(Policy(R"({"key": "k"})", "2023-11-14T22:13:20Z"));
  EXPECT_EQ(Check(p, {{"key", "k"}}, kNow), "");
  EXPECT_EQ(Check(p, {{"key", "k"}}, kNow + 1), "Invalid according to Policy: Policy expired.");
  EXPECT_NE(ParseError(Policy("", "2023-11-14 22:13:20.123+00:00")).find("Invalid 'expiration'"),
            std::string::npos);
  EXPECT_NE(ParseError(Policy("", "tomorrow")), "");
  EXPECT_NE(ParseError(R"({"expiration": 12, "conditions": []})"), "");
  EXPECT_EQ(ParseError(Policy("", "2030-01-01T00:00:00Z")), "");
}

TEST(PostPolicyTest, RefusesMalformedDocuments) {
  for (std::string doc : {std::string(""), std::string("[]"), std::string("{"),
                          std::string("not json"), std::string(R"({"expiration": "x")")}) {
    EXPECT_NE(ParseError(doc), "") << doc;
  }
  EXPECT_NE(ParseError(R"({"expiration": "2030-01-01T00:00:00Z"})").find("missing conditions"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": {}})"), "");
  EXPECT_NE(ParseError(Policy("{}")).find("exactly one property"), std::string::npos);
  EXPECT_NE(ParseError(Policy(R"({"a": "1", "b": "2"})")), "");
  EXPECT_NE(ParseError(Policy(R"({"a": 1})")), "");
  EXPECT_NE(ParseError(Policy(R"(["content-length-range", 0])")).find("content-length-range"),
            std::string::npos);
  EXPECT_NE(ParseError(Policy(R"(["content-length-range", -1, 0])")), "");
  EXPECT_NE(ParseError(Policy(R"(["content-length-range", 10, 5])")), "");
  EXPECT_NE(ParseError(Policy(R"(["content-length-range", "a", 5])")), "");
  EXPECT_NE(ParseError(Policy(R"(["matches", "$key", "a"])")).find("unknown operation"),
            std::string::npos);
  EXPECT_NE(ParseError(Policy(R"(["eq", "key", "a"])")), "");  // the field needs its '$'
  EXPECT_NE(ParseError(Policy(R"(["eq", "$key"])")), "");
  EXPECT_NE(ParseError(Policy(R"(["eq", "$key", 5])")), "");
  EXPECT_NE(ParseError(Policy("42")), "");
  std::string deep = Policy(std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_NE(ParseError(deep).find("nested too deeply"), std::string::npos);
}

TEST(PostPolicyTest, ExemptFields) {
  for (std::string_view f : {"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file",
                             "x-ignore-anything", "x-amz-checksum-crc32"}) {
    EXPECT_TRUE(IsPostPolicyExempt(f)) << f;
  }
  for (std::string_view f : {"key", "acl", "x-amz-credential", "x-amz-date", "x-amz-algorithm",
                             "x-amz-security-token", "success_action_redirect", "tagging"}) {
    EXPECT_FALSE(IsPostPolicyExempt(f)) << f;
  }
}

}  // namespace
}  // namespace maxiofs::s3
