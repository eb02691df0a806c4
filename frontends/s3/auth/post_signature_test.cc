// POST form signatures against vectors made by botocore's own signers (S3SigV4PostAuth and
// HmacV1PostAuth, the code behind boto3's generate_presigned_post) for AWS's documentation
// credentials, with the clock fixed at 2015-12-29T00:00:00Z.
#include "auth/post_signature.h"

#include <gtest/gtest.h>

#include <cctype>

namespace maxiofs::s3::auth {
namespace {

constexpr std::string_view kAccessKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

constexpr std::string_view kV4Policy =
    "eyJleHBpcmF0aW9uIjogIjIwMzAtMDEtMDFUMDA6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAiYiJ9"
    "LCBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci8iXSwgeyJ4LWFtei1hbGdvcml0aG0iOiAiQVdTNC1ITUFDLVNI"
    "QTI1NiJ9LCB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0x"
    "L3MzL2F3czRfcmVxdWVzdCJ9LCB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiJ9XX0=";
constexpr std::string_view kV4Signature =
    "048c6beb7052a7000e4d53563ea19ed6e840d776ee4a2e2a0aaaca5d38947f69";
constexpr std::string_view kV2Policy =
    "eyJleHBpcmF0aW9uIjogIjIwMzAtMDEtMDFUMDA6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAiYiJ9"
    "XX0=";
constexpr std::string_view kV2Signature = "gXIBTrPeDkMakegS0Nl0IaRFsxA=";

SecretLookup Secrets() {
  return [](std::string_view key) -> S3Result<std::string> {
    if (key == kAccessKey) return std::string(kSecret);
    return S3Error{S3ErrorCode::kInvalidAccessKeyId, "unknown"};
  };
}

PostSignatureFields V4() {
  PostSignatureFields f;
  f.policy = kV4Policy;
  f.algorithm = "AWS4-HMAC-SHA256";
  f.credential = "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request";
  f.date = "20151229T000000Z";
  f.signature_v4 = kV4Signature;
  return f;
}

S3ErrorCode CodeOf(const PostSignatureFields& f, std::string_view region = "us-east-1") {
  auto r = VerifyPostSignature(f, region, Secrets());
  EXPECT_FALSE(r.has_value());
  return r.has_value() ? S3ErrorCode::kInternalError : r.error().code;
}

TEST(PostSignatureTest, SigV4AsBotocoreSigns) {
  auto r = VerifyPostSignature(V4(), "us-east-1", Secrets());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r.value().access_key, kAccessKey);
  EXPECT_EQ(r.value().scheme, AuthScheme::kSigV4Header);

  PostSignatureFields upper = V4();
  std::string sig(kV4Signature);
  for (char& c : sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.signature_v4 = sig;
  EXPECT_TRUE(VerifyPostSignature(upper, "us-east-1", Secrets()).has_value());

  PostSignatureFields bad = V4();
  bad.signature_v4 = "048c6beb7052a7000e4d53563ea19ed6e840d776ee4a2e2a0aaaca5d38947f6a";
  EXPECT_EQ(CodeOf(bad), S3ErrorCode::kSignatureDoesNotMatch);
  PostSignatureFields other_policy = V4();
  other_policy.policy = kV2Policy;  // a valid policy that is not the one signed
  EXPECT_EQ(CodeOf(other_policy), S3ErrorCode::kSignatureDoesNotMatch);
  PostSignatureFields unknown = V4();
  unknown.credential = "AKIANOSUCHKEY0000000/20151229/us-east-1/s3/aws4_request";
  EXPECT_EQ(CodeOf(unknown), S3ErrorCode::kInvalidAccessKeyId);
}

TEST(PostSignatureTest, SigV4FieldsAreChecked) {
  PostSignatureFields f = V4();
  f.algorithm = "AWS4-HMAC-SHA1";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f = V4();
  f.credential = "";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f = V4();
  f.date = "";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f = V4();
  f.signature_v4 = "";
  auto missing = VerifyPostSignature(f, "us-east-1", Secrets());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("x-amz-signature"), std::string::npos);
  f = V4();
  f.date = "2015-12-29T00:00:00Z";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f = V4();
  f.date = "20151230T000000Z";  // not the credential's day
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f = V4();
  f.credential = "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f = V4();
  f.credential = "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/iam/aws4_request";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(V4(), "eu-west-1"), S3ErrorCode::kInvalidArgument);
  EXPECT_TRUE(VerifyPostSignature(V4(), "", Secrets()).has_value());  // any region
}

TEST(PostSignatureTest, SigV2AsBotocoreSigns) {
  PostSignatureFields f;
  f.policy = kV2Policy;
  f.access_key_v2 = kAccessKey;
  f.signature_v2 = kV2Signature;
  auto r = VerifyPostSignature(f, "us-east-1", Secrets());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r.value().scheme, AuthScheme::kSigV2Header);
  f.signature_v2 = "gXIBTrPeDkMakegS0Nl0IaRFsxB=";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kSignatureDoesNotMatch);
  f.signature_v2 = "";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f.signature_v2 = kV2Signature;
  f.access_key_v2 = "";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidArgument);
  f.access_key_v2 = "AKIANOSUCHKEY0000000";
  EXPECT_EQ(CodeOf(f), S3ErrorCode::kInvalidAccessKeyId);
}

}  // namespace
}  // namespace maxiofs::s3::auth
