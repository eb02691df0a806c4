// Authenticate(): scheme detection and dispatch, end to end with AWS's published vectors.
#include "auth/auth.h"

#include "auth/crypto.h"
#include "auth/test_request.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using auth::testing::k20130524;
using auth::testing::kAwsAccessKey;
using auth::testing::kAwsSecret;
using auth::testing::OneKey;
using auth::testing::TestRequest;

S3Result<AuthResult> AuthRun(const TestRequest& r) {
  return Authenticate(r.View(), OneKey(kAwsAccessKey, kAwsSecret));
}

void ExpectError(const S3Result<AuthResult>& result, S3ErrorCode code) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code) << result.error().message;
}

TEST(AuthenticateTest, AnonymousRequest) {
  TestRequest r;
  r.path = "/bucket/key";
  r.query = "versionId=3&prefix=x";
  r.Header("host", "localhost");
  auto result = AuthRun(r);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result.value().anonymous);
  EXPECT_EQ(result.value().scheme, AuthScheme::kAnonymous);
  EXPECT_TRUE(result.value().access_key.empty());
  // No headers at all.
  AuthRequest bare;
  EXPECT_TRUE(Authenticate(bare, OneKey(kAwsAccessKey, kAwsSecret)).value().anonymous);
}

TEST(AuthenticateTest, SigV4Header) {
  // "Example: GET Object".
  TestRequest r;
  r.path = "/test.txt";
  r.now_unix = k20130524;
  r.Header("host", "examplebucket.s3.amazonaws.com")
      .Header("range", "bytes=0-9")
      .Header("x-amz-content-sha256", std::string(auth::kEmptySha256Hex))
      .Header("x-amz-date", "20130524T000000Z")
      .Header("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
              "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
              "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  auto result = AuthRun(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_FALSE(result.value().anonymous);
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV4Header);
  // A query signature as well is two mechanisms.
  r.query = "X-Amz-Signature=abc";
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
  r.query = "AWSAccessKeyId=abc";
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
}

TEST(AuthenticateTest, SigV4Presigned) {
  TestRequest r;
  r.path = "/test.txt";
  r.query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-"
      "east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-"
      "SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  r.now_unix = k20130524 + 60;
  r.Header("host", "examplebucket.s3.amazonaws.com");
  auto result = AuthRun(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV4Query);
  EXPECT_EQ(result.value().access_key, kAwsAccessKey);
  // Incomplete presigned parameters are an error, not an anonymous request.
  r.query = "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request";
  ExpectError(AuthRun(r), S3ErrorCode::kAuthorizationQueryParametersError);
  // V2 and V4 query parameters together.
  r.query = "X-Amz-Signature=abc&Signature=def";
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
}

// SigV2 header: AWS's "Object GET" example. Query: botocore's HmacV1QueryAuth (see
// sigv2_test.cc for why not AWS's printed query example).
TEST(AuthenticateTest, SigV2HeaderAndQuery) {
  TestRequest r;
  r.path = "/photos/puppy.jpg";
  r.virtual_host_bucket = "awsexamplebucket1";
  r.now_unix = 1175024202;
  r.Header("date", "Tue, 27 Mar 2007 19:36:42 +0000")
      .Header("authorization", "AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=");
  auto result = AuthRun(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV2Header);

  TestRequest q;
  q.path = "/photos/puppy.jpg";
  q.virtual_host_bucket = "awsexamplebucket1";
  q.query =
      "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=1No4mq5ETf02z8aet9voy6gui6E%3D&Expires="
      "1175139620";
  q.now_unix = 1175139000;
  auto qr = AuthRun(q);
  ASSERT_TRUE(qr.has_value()) << qr.error().message;
  EXPECT_EQ(qr.value().scheme, AuthScheme::kSigV2Query);
}

TEST(AuthenticateTest, UnsupportedOrMalformedAuthorization) {
  TestRequest r;
  r.Header("authorization", "Bearer abc");
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
  r.SetHeader("authorization", "AWS4-ECDSA-P256-SHA256 Credential=x");
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
  r.SetHeader("authorization", "");
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
  r.SetHeader("authorization", "AWS4-HMAC-SHA256");
  ExpectError(AuthRun(r), S3ErrorCode::kAuthorizationHeaderMalformed);
  r.SetHeader("authorization", "AWS4-HMAC-SHA256 Credential=only");
  ExpectError(AuthRun(r), S3ErrorCode::kAuthorizationHeaderMalformed);
  r.SetHeader("authorization", "AWS nocolon");
  ExpectError(AuthRun(r), S3ErrorCode::kInvalidArgument);
}

TEST(AuthenticateTest, StreamingUploadEndToEnd) {
  // sigv4-streaming.html: authenticate the headers, then decode the body with the context.
  TestRequest r;
  r.method = "PUT";
  r.path = "/examplebucket/chunkObject.txt";
  r.now_unix = k20130524;
  r.Header("host", "s3.amazonaws.com")
      .Header("x-amz-date", "20130524T000000Z")
      .Header("x-amz-storage-class", "REDUCED_REDUNDANCY")
      .Header("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
              "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-"
              "sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature="
              "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
      .Header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
      .Header("content-encoding", "aws-chunked")
      .Header("x-amz-decoded-content-length", "66560")
      .Header("content-length", "66824");
  auto result = AuthRun(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result.value().payload_mode, PayloadMode::kStreamingSigned);
  ChunkedDecoder decoder(result.value().chunk, /*trailer=*/false);
  const std::string body =
      "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
      "\r\n" +
      std::string(65536, 'a') +
      "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
      "\r\n" +
      std::string(1024, 'a') +
      "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
      "\r\n\r\n";
  std::string out;
  EXPECT_FALSE(decoder.Feed(body, out).has_value());
  EXPECT_TRUE(decoder.done());
  EXPECT_FALSE(decoder.Finish().has_value());
  EXPECT_EQ(out.size(), 66560u);
}

}  // namespace
}  // namespace maxiofs::s3
