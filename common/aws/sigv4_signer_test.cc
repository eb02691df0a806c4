// SigV4 signing. Expected values come only from AWS's published examples (the S3 API
// reference's "Examples: Signature Calculations" for GET Object, GET Bucket lifecycle and
// GET Bucket; the AWS General Reference's signing-key example); none is computed by this code.
#include "maxiofs/aws/sigv4_signer.h"

#include "maxiofs/aws/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace maxiofs::aws {
namespace {

constexpr int64_t k20130524 = 1369353600;  // 2013-05-24T00:00:00Z
constexpr const char* kHost = "examplebucket.s3.amazonaws.com";

SigV4Signer AwsExampleSigner() {
  return SigV4Signer({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
                     "us-east-1");
}

std::string HeaderOf(const RequestToSign& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST(SigV4SignerTest, SigningKeyOfTheGeneralReference) {
  EXPECT_EQ(HexEncode(DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                       "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4SignerTest, GetObjectExample) {
  RequestToSign r;
  r.method = "GET";
  r.encoded_path = "/test.txt";
  r.headers = {{"host", kHost}, {"range", "bytes=0-9"}};
  r.payload_hash = std::string(kEmptySha256Hex);
  AwsExampleSigner().Sign(r, k20130524);
  EXPECT_EQ(HeaderOf(r, "x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(HeaderOf(r, "x-amz-content-sha256"), kEmptySha256Hex);
  EXPECT_EQ(HeaderOf(r, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4SignerTest, BucketSubresourceAndQueryExamples) {
  struct Case {
    std::vector<QueryParam> query;
    const char* signature;
  };
  const Case cases[] = {
      {{{"lifecycle", "", false}},
       "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
      // Given in another order than the canonical one: the signer sorts.
      {{{"prefix", "J", true}, {"max-keys", "2", true}},
       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
  };
  for (const Case& c : cases) {
    RequestToSign r;
    r.method = "GET";
    r.encoded_path = "/";
    r.query = c.query;
    r.headers = {{"host", kHost}};
    r.payload_hash = std::string(kEmptySha256Hex);
    AwsExampleSigner().Sign(r, k20130524);
    const std::string auth = HeaderOf(r, "authorization");
    EXPECT_NE(auth.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"), std::string::npos)
        << auth;
    EXPECT_TRUE(auth.ends_with(std::string("Signature=") + c.signature)) << auth;
  }
}

TEST(SigV4SignerTest, SessionTokenIsSentAndSigned) {
  SigV4Signer s({"AKID", "secret", "token/with+chars"}, "eu-west-3");
  RequestToSign r;
  r.method = "PUT";
  r.encoded_path = "/b/k";
  r.headers = {{"host", "h"}, {"x-amz-meta-a", "  one   two "}, {"user-agent", "x"}};
  s.Sign(r, k20130524);
  EXPECT_EQ(HeaderOf(r, "x-amz-security-token"), "token/with+chars");
  EXPECT_EQ(HeaderOf(r, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  const std::string auth = HeaderOf(r, "authorization");
  EXPECT_NE(auth.find("/20130524/eu-west-3/s3/aws4_request"), std::string::npos);
  // user-agent is not signed; x-amz-* are.
  EXPECT_NE(auth.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-meta-a;"
                      "x-amz-security-token,"),
            std::string::npos)
      << auth;
}

TEST(SigV4SignerTest, CanonicalHeaderValueTrimsAndCollapses) {
  EXPECT_EQ(CanonicalHeaderValue("  a   b\t\tc  "), "a b c");
  EXPECT_EQ(CanonicalHeaderValue(""), "");
  EXPECT_EQ(CanonicalHeaderValue("x"), "x");
}

TEST(SigV4SignerTest, FormatAmzDate) {
  EXPECT_EQ(FormatAmzDate(k20130524), "20130524T000000Z");
  EXPECT_EQ(FormatAmzDate(k20130524 + 86399), "20130524T235959Z");
}

}  // namespace
}  // namespace maxiofs::aws
