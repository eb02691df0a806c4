// The S3 client's reading of answers: XML values with entities, the error mapping (which
// answers are retried, which become NotFound, AccessDenied, Unavailable). The calls themselves
// run against a real S3 server in backends_tests (the S3 blob store on s3rver).
#include "maxiofs/s3client/s3_client.h"

#include <gtest/gtest.h>

namespace maxiofs::s3client {
namespace {

TEST(S3XmlTest, ValuesAndBlocks) {
  const std::string xml =
      "<ListBucketResult><Contents><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key><Size>12</Size>"
      "</Contents><Contents><Key>z</Key><Size>0</Size></Contents><IsTruncated>true"
      "</IsTruncated><NextContinuationToken>t+/=</NextContinuationToken></ListBucketResult>";
  auto blocks = XmlBlocks(xml, "Contents");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(XmlValue(blocks[0], "Key").value(),
            "a&b <c> \xc3\xa9"
            "A");
  EXPECT_EQ(XmlValue(blocks[1], "Size").value(), "0");
  EXPECT_EQ(XmlValue(xml, "NextContinuationToken").value(), "t+/=");
  EXPECT_FALSE(XmlValue(xml, "Missing").has_value());
  EXPECT_FALSE(XmlValue("<Key>unterminated", "Key").has_value());
  EXPECT_EQ(XmlValue("<K>&bogus; &#xZZ;</K>", "K").value(), "&bogus; &#xZZ;");
}

std::string ErrorXml(const std::string& code) {
  return "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>m</Message></Error>";
}

TEST(S3ErrorTest, MappingAndRetries) {
  using C = Status::Code;
  EXPECT_EQ(ErrorFromResponse(404, ErrorXml("NoSuchKey"), "GET b/k").code(), C::kNotFound);
  Status nb = ErrorFromResponse(404, ErrorXml("NoSuchBucket"), "GET b/");
  EXPECT_EQ(nb.code(), C::kNotFound);
  EXPECT_NE(nb.message().find("the bucket does not exist"), std::string::npos);
  EXPECT_EQ(ErrorFromResponse(403, ErrorXml("SignatureDoesNotMatch"), "x").code(),
            C::kAccessDenied);
  EXPECT_EQ(ErrorFromResponse(403, "", "x").code(), C::kAccessDenied);
  Status slow = ErrorFromResponse(503, ErrorXml("SlowDown"), "PUT b/k");
  EXPECT_EQ(slow.code(), C::kUnavailable);
  EXPECT_EQ(slow.subcode(), Status::SubCode::kThrottled);
  EXPECT_NE(slow.message().find("PUT b/k: HTTP 503 SlowDown (m)"), std::string::npos);
  EXPECT_EQ(ErrorFromResponse(500, ErrorXml("InternalError"), "x").code(), C::kUnavailable);
  EXPECT_EQ(ErrorFromResponse(501, ErrorXml("NotImplemented"), "x").code(), C::kNotImplemented);
  EXPECT_EQ(ErrorFromResponse(400, ErrorXml("InvalidDigest"), "x").code(), C::kIOError);
  EXPECT_TRUE(IsRetryable(500, ""));
  EXPECT_TRUE(IsRetryable(503, ""));
  EXPECT_TRUE(IsRetryable(429, ""));
  EXPECT_TRUE(IsRetryable(400, ErrorXml("RequestTimeout")));
  EXPECT_FALSE(IsRetryable(403, ErrorXml("AccessDenied")));
  EXPECT_FALSE(IsRetryable(404, ErrorXml("NoSuchKey")));
  EXPECT_FALSE(IsRetryable(501, ErrorXml("NotImplemented")));
}

TEST(S3ClientTest, EndpointMustBeAnHttpOrigin) {
  for (const char* bad : {"s3.amazonaws.com", "ftp://x", "http://", "http://h/path",
                          "http://user@h", "https://h?x"}) {
    S3ClientOptions o;
    o.endpoint = bad;
    EXPECT_EQ(S3Client::Make(o).error().code(), Status::Code::kInvalidArgument) << bad;
  }
  S3ClientOptions o;
  o.endpoint = "https://s3.eu-west-3.amazonaws.com/";
  EXPECT_TRUE(S3Client::Make(o).has_value());
  o.http.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(S3Client::Make(o).error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace maxiofs::s3client
