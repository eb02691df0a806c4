// SigV2 tests. Expected signatures come only from AWS's "Signing and authenticating REST
// requests" (docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html) or from
// botocore 1.29's HmacV1Auth/HmacV1QueryAuth via testdata/gen_botocore_vectors.py.
#include "auth/sigv2.h"

#include "auth/crypto.h"
#include "auth/test_request.h"

#include <gtest/gtest.h>

namespace maxiofs::s3::auth {
namespace {

using testing::kAwsAccessKey;
using testing::kAwsSecret;
using testing::OneKey;
using testing::TestRequest;

S3Result<AuthResult> Verify(const TestRequest& r, const SecretLookup& secrets) {
  const AuthRequest view = r.View();
  for (const auto& [name, value] : r.headers) {
    if (name == "authorization") return VerifySigV2Header(view, value, secrets);
  }
  return VerifySigV2Query(view, ParseQuery(r.query), secrets);
}

S3Result<AuthResult> VerifyAws(const TestRequest& r) {
  return Verify(r, OneKey(kAwsAccessKey, kAwsSecret));
}

void ExpectError(const S3Result<AuthResult>& result, S3ErrorCode code) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code) << result.error().message;
}

TestRequest AwsExample(std::string method, std::string path, std::string query, std::string bucket,
                       std::string date, int64_t now, std::string signature) {
  TestRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.virtual_host_bucket = std::move(bucket);
  r.now_unix = now;
  r.Header("date", std::move(date))
      .Header("authorization", "AWS " + std::string(kAwsAccessKey) + ":" + signature);
  return r;
}

// "Object GET": virtual-hosted awsexamplebucket1, photos/puppy.jpg.
TestRequest AwsObjectGet() {
  return AwsExample("GET", "/photos/puppy.jpg", "", "awsexamplebucket1",
                    "Tue, 27 Mar 2007 19:36:42 +0000", 1175024202, "qgk2+6Sv9/oM7G3qLEjTH1a1l1g=");
}

TEST(SigV2AwsExamplesTest, ObjectGet) {
  const TestRequest r = AwsObjectGet();
  EXPECT_EQ(StringToSignV2(r.View(), {}, "Tue, 27 Mar 2007 19:36:42 +0000"),
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg");
  auto result = VerifyAws(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().access_key, kAwsAccessKey);
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV2Header);
  EXPECT_EQ(result.value().payload_mode, PayloadMode::kUnsigned);
}

TEST(SigV2AwsExamplesTest, ObjectGetPathStyle) {
  // The same request sent path-style has the same CanonicalizedResource.
  TestRequest r = AwsObjectGet();
  r.virtual_host_bucket.clear();
  r.path = "/awsexamplebucket1/photos/puppy.jpg";
  EXPECT_TRUE(VerifyAws(r).has_value());
}

TEST(SigV2AwsExamplesTest, ObjectPut) {
  TestRequest r =
      AwsExample("PUT", "/photos/puppy.jpg", "", "awsexamplebucket1",
                 "Tue, 27 Mar 2007 21:15:45 +0000", 1175030145, "iqRzw+ileNPu1fhspnRs8nOjjIA=");
  r.Header("content-type", "image/jpeg").Header("content-length", "94328");
  EXPECT_TRUE(VerifyAws(r).has_value());
}

TEST(SigV2AwsExamplesTest, ListIgnoresOrdinaryQueryParameters) {
  TestRequest r =
      AwsExample("GET", "/", "prefix=photos&max-keys=50&marker=puppy", "awsexamplebucket1",
                 "Tue, 27 Mar 2007 19:42:41 +0000", 1175024561, "m0WP8eCtspQl5Ahe6L1SozdX9YA=");
  r.Header("user-agent", "Mozilla/5.0");
  EXPECT_TRUE(VerifyAws(r).has_value());
}

TEST(SigV2AwsExamplesTest, FetchAclSubresource) {
  TestRequest r =
      AwsExample("GET", "/", "acl", "awsexamplebucket1", "Tue, 27 Mar 2007 19:44:46 +0000",
                 1175024686, "82ZHiFIjc+WbcwFKGUVEQspPn+0=");
  EXPECT_TRUE(VerifyAws(r).has_value());
}

TEST(SigV2AwsExamplesTest, DeleteWithXAmzDate) {
  // AWS's "Delete" example prints StringToSign with the x-amz-date value on the Date line and
  // signature XbyTlbQdu9Xw5o8P4iMwPktxQd8=; the HMAC primitive reproduces that pair.
  EXPECT_EQ(Base64Encode(HmacSha1(kAwsSecret,
                                  "DELETE\n\n\nTue, 27 Mar 2007 21:20:26 +0000\n"
                                  "/awsexamplebucket1/photos/puppy.jpg")),
            "XbyTlbQdu9Xw5o8P4iMwPktxQd8=");
  // The same page's rule (and what we verify) is different: with x-amz-date present the Date
  // line is empty and x-amz-date is a CanonicalizedAmzHeaders line. The example is internally
  // inconsistent, so the request form is checked on its StringToSign only.
  TestRequest r = AwsExample("DELETE", "/awsexamplebucket1/photos/puppy.jpg", "", "",
                             "Tue, 27 Mar 2007 21:20:27 +0000", 1175030426, "unused");
  r.Header("x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000");
  EXPECT_EQ(StringToSignV2(r.View(), {}, ""),
            "DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n"
            "/awsexamplebucket1/photos/puppy.jpg");
}

TEST(SigV2AwsExamplesTest, UploadWithAmzHeadersToCnameBucket) {
  TestRequest r =
      AwsExample("PUT", "/db-backup.dat.gz", "", "static.awsexamplebucket1.net",
                 "Tue, 27 Mar 2007 21:06:08 +0000", 1175029568, "dKZcB+bz2EPXgSdXZp9ozGeOM4I=");
  r.Header("user-agent", "curl/7.15.5")
      .Header("host", "static.awsexamplebucket1.net:8080")
      .Header("x-amz-acl", "public-read")
      .Header("content-type", "application/x-download")
      .Header("content-md5", "4gJE4saaMU4BqNR0kLY+lw==")
      .Header("X-Amz-Meta-ReviewedBy", "joe@awsexamplebucket1.net")
      .Header("X-Amz-Meta-ReviewedBy", "jane@awsexamplebucket1.net")
      .Header("X-Amz-Meta-FileChecksum", "0x02661779")
      .Header("X-Amz-Meta-ChecksumAlgorithm", "crc32")
      .Header("content-disposition", "attachment; filename=database.dat")
      .Header("content-encoding", "gzip")
      .Header("content-length", "5913339");
  EXPECT_EQ(StringToSignV2(r.View(), {}, "Tue, 27 Mar 2007 21:06:08 +0000"),
            "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\n"
            "Tue, 27 Mar 2007 21:06:08 +0000\nx-amz-acl:public-read\n"
            "x-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n"
            "x-amz-meta-reviewedby:joe@awsexamplebucket1.net,jane@awsexamplebucket1.net\n"
            "/static.awsexamplebucket1.net/db-backup.dat.gz");
  auto result = VerifyAws(r);
  EXPECT_TRUE(result.has_value()) << result.error().message;
}

TEST(SigV2AwsExamplesTest, ListAllMyBuckets) {
  EXPECT_TRUE(VerifyAws(AwsExample("GET", "/", "", "", "Wed, 28 Mar 2007 01:29:59 +0000",
                                   1175045399, "qGdzdERIC03wnaRNKh6OqZehG9s="))
                  .has_value());
}

TEST(SigV2AwsExamplesTest, UnicodeKeysSignedLiterally) {
  EXPECT_TRUE(VerifyAws(AwsExample("GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re", "", "",
                                   "Wed, 28 Mar 2007 01:49:49 +0000", 1175046589,
                                   "DNEZGsoieTZ92F3bUfSPQcbGmlM="))
                  .has_value());
}

TEST(SigV2AwsExamplesTest, QueryStringAuthentication) {
  // AWS's page prints StringToSign "GET\n\n\n1175139620\n/awsexamplebucket1/photos/puppy.jpg"
  // with signature NpgCjnDzrM+WFzoENXmpNDUsSn8=, which is not the HMAC of that string under
  // the example key (the page is inconsistent). botocore's HmacV1QueryAuth signs the same
  // request as 1No4mq5ETf02z8aet9voy6gui6E= (testdata/gen_botocore_vectors.py).
  TestRequest r;
  r.method = "GET";
  r.path = "/photos/puppy.jpg";
  r.virtual_host_bucket = "awsexamplebucket1";
  r.query =
      "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=1No4mq5ETf02z8aet9voy6gui6E%3D&Expires="
      "1175139620";
  r.now_unix = 1175139620;
  EXPECT_EQ(StringToSignV2(r.View(), ParseQuery(r.query), "1175139620"),
            "GET\n\n\n1175139620\n/awsexamplebucket1/photos/puppy.jpg");
  auto result = VerifyAws(r);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result.value().scheme, AuthScheme::kSigV2Query);
  r.now_unix = 1175139621;
  auto expired = VerifyAws(r);
  ExpectError(expired, S3ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().message, "Request has expired");
}

// --- botocore cross-check vectors --------------------------------------------------------

constexpr const char* kBotoKey = "AKIDMAXIOFSTEST";
constexpr const char* kBotoSecret = "maxiofs/secret+Key/0123456789abcdefEXAMPLE";
constexpr int64_t kBotoNow = 1709251170;  // Thu, 29 Feb 2024 23:59:30 GMT

TEST(SigV2BotocoreTest, VirtualHostedAclWithAmzHeaders) {
  TestRequest r;
  r.path = "/key%20one";
  r.query = "acl&foo=bar";
  r.virtual_host_bucket = "bucket";
  r.now_unix = kBotoNow;
  r.Header("x-amz-meta-b", " 2 ")
      .Header("x-amz-meta-a", "1")
      .Header("content-type", "text/plain")
      .Header("date", "Thu, 29 Feb 2024 23:59:30 GMT")
      .Header("authorization", "AWS AKIDMAXIOFSTEST:lTRYZPszLhF9Neajam7VZSZuV9w=");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  EXPECT_TRUE(result.has_value()) << result.error().message;
}

TEST(SigV2BotocoreTest, PathStyleBucketRequestSignedWithTrailingSlash) {
  // boto3 sends ListObjects as GET /bucket?... but signs the resource "/bucket/" (auth_path);
  // generated with HmacV1Auth and req.auth_path = "/bucket/".
  TestRequest r;
  r.path = "/bucket";
  r.query = "prefix=a%2F&delimiter=%2F";
  r.now_unix = kBotoNow;
  r.Header("date", "Thu, 29 Feb 2024 23:59:30 GMT")
      .Header("authorization", "AWS AKIDMAXIOFSTEST:VIf5I8DUUSLmSyAvp8vU9LUsPgg=");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  EXPECT_TRUE(result.has_value()) << result.error().message;
  // The slash form is only an alternative for a bare bucket path, not for object keys.
  r.path = "/bucket/key";
  ExpectError(Verify(r, OneKey(kBotoKey, kBotoSecret)), S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV2BotocoreTest, ResponseOverridesAndVersionIdSorted) {
  TestRequest r;
  r.path = "/bucket/k";
  r.query = "response-content-type=text%2Fplain&versionId=7&list-type=2";
  r.now_unix = kBotoNow;
  r.Header("date", "Thu, 29 Feb 2024 23:59:30 GMT")
      .Header("authorization", "AWS AKIDMAXIOFSTEST:r1CVghKH88tPo3XqMqxJYabuRaQ=");
  EXPECT_EQ(CanonicalizedResourceV2(r.View(), ParseQuery(r.query)),
            "/bucket/k?response-content-type=text/plain&versionId=7");
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  EXPECT_TRUE(result.has_value()) << result.error().message;
}

TEST(SigV2BotocoreTest, QueryAuth) {
  TestRequest r;
  r.path = "/bucket/k%2Bplus";
  r.query =
      "AWSAccessKeyId=AKIDMAXIOFSTEST&Signature=k1ZOKbf%2BNQcKgPmVf7Zzr28SQz0%3D&Expires="
      "1709251200";
  r.now_unix = kBotoNow;
  auto result = Verify(r, OneKey(kBotoKey, kBotoSecret));
  EXPECT_TRUE(result.has_value()) << result.error().message;
  // An unencoded '+' in the signature arrives as a space and is still accepted.
  r.query =
      "AWSAccessKeyId=AKIDMAXIOFSTEST&Signature=k1ZOKbf+NQcKgPmVf7Zzr28SQz0%3D&Expires="
      "1709251200";
  EXPECT_TRUE(Verify(r, OneKey(kBotoKey, kBotoSecret)).has_value());
}

// --- Negative cases ---------------------------------------------------------------------

TEST(SigV2NegativeTest, WrongSecretUnknownKeyTamper) {
  ExpectError(Verify(AwsObjectGet(), OneKey(kAwsAccessKey, "nope")),
              S3ErrorCode::kSignatureDoesNotMatch);
  ExpectError(Verify(AwsObjectGet(), OneKey("AKIAOTHER", kAwsSecret)),
              S3ErrorCode::kInvalidAccessKeyId);
  TestRequest r = AwsObjectGet();
  r.path = "/photos/kitten.jpg";
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
  r = AwsObjectGet();
  r.query = "acl";  // a sub-resource changes the resource
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
  r = AwsObjectGet();
  r.Header("x-amz-meta-new", "x");  // x-amz-* headers are signed
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(SigV2NegativeTest, Skew) {
  TestRequest r = AwsObjectGet();
  r.now_unix = 1175024202 + 900;
  EXPECT_TRUE(VerifyAws(r).has_value());
  r.now_unix = 1175024202 + 901;
  ExpectError(VerifyAws(r), S3ErrorCode::kRequestTimeTooSkewed);
  r.now_unix = 1175024202 - 901;
  ExpectError(VerifyAws(r), S3ErrorCode::kRequestTimeTooSkewed);
}

TEST(SigV2NegativeTest, MissingOrBadDate) {
  TestRequest r = AwsObjectGet();
  r.RemoveHeader("date");
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
  r.Header("date", "not a date");
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
}

TEST(SigV2NegativeTest, MalformedHeaders) {
  for (const char* value : {"AWS ", "AWS AKIAIOSFODNN7EXAMPLE", "AWS :sig",
                            "AWS AKID:", "AWS AKID:a:b", "AWS AK ID:sig"}) {
    TestRequest r = AwsObjectGet();
    r.SetHeader("authorization", value);
    ExpectError(VerifyAws(r), S3ErrorCode::kInvalidArgument);
  }
}

TEST(SigV2NegativeTest, QueryParameters) {
  TestRequest r;
  r.path = "/photos/puppy.jpg";
  r.virtual_host_bucket = "awsexamplebucket1";
  r.now_unix = 1175139620;
  r.query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=1No4mq5ETf02z8aet9voy6gui6E%3D";
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
  r.query += "&Expires=tomorrow";
  ExpectError(VerifyAws(r), S3ErrorCode::kAccessDenied);
  r.query =
      "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=1No4mq5ETf02z8aet9voy6gui6E%3D&Expires="
      "1175139621";
  ExpectError(VerifyAws(r), S3ErrorCode::kSignatureDoesNotMatch);
}

}  // namespace
}  // namespace maxiofs::s3::auth
