// Server-side encryption through the handlers against a real engine with a master key:
// SSE-S3 and SSE-KMS answer headers, SSE-C key rules, bucket default encryption.
#include "digest.h"
#include "encoding.h"
#include "handlers/handlers_test_fixture.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using test_support::HandlersTest;
using test_support::Reply;

class SseHandlersTest : public HandlersTest {
 protected:
  engine::EngineOptions EngineOptionsForTest() const override {
    engine::EngineOptions o;
    o.encryption.master_keys = {{"default", std::string(32, 'm')}};
    return o;
  }
  void SetUp() override {
    HandlersTest::SetUp();
    options_.allow_insecure_sse_c = true;
  }
  // The SSE-C headers for `key`; `copy_source` for the x-amz-copy-source-* variant.
  static HeaderList CustomerKey(const std::string& key, bool copy_source = false) {
    const std::string p = copy_source ? "x-amz-copy-source-server-side-encryption-customer-"
                                      : "x-amz-server-side-encryption-customer-";
    return {{p + "algorithm", "AES256"},
            {p + "key", Base64Encode(key)},
            {p + "key-md5", ContentMd5(key)}};
  }
};

TEST_F(SseHandlersTest, SseS3AndKmsHeaders) {
  MakeBucket("sse");
  auto put = Run("PUT", "/sse/a", {{"x-amz-server-side-encryption", "AES256"}}, "hello");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Header("x-amz-server-side-encryption"), "AES256");
  auto get = Run("GET", "/sse/a");
  EXPECT_EQ(get.body, "hello");
  EXPECT_EQ(get.Header("x-amz-server-side-encryption"), "AES256");
  auto plain = Run("PUT", "/sse/p", {}, "x");
  EXPECT_FALSE(plain.HasHeader("x-amz-server-side-encryption"));
  auto kms = Run("PUT", "/sse/k",
                 {{"x-amz-server-side-encryption", "aws:kms"},
                  {"x-amz-server-side-encryption-context", Base64Encode("{\"a\":\"b\"}")}},
                 "k");
  ASSERT_EQ(kms.status, 200) << kms.body;
  EXPECT_EQ(kms.Header("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(kms.Header("x-amz-server-side-encryption-aws-kms-key-id"), "aws/s3");
  EXPECT_EQ(Run("PUT", "/sse/k2",
                {{"x-amz-server-side-encryption", "AES256"},
                 {"x-amz-server-side-encryption-aws-kms-key-id", "aws/s3"}},
                "k")
                .Code(),
            "InvalidArgument");
  EXPECT_EQ(Run("PUT", "/sse/k3",
                {{"x-amz-server-side-encryption", "aws:kms"},
                 {"x-amz-server-side-encryption-context", "not base64 json"}},
                "k")
                .Code(),
            "InvalidArgument");
}

TEST_F(SseHandlersTest, CustomerKeys) {
  MakeBucket("ssec");
  const std::string key(32, 'a'), other(32, 'b');
  auto put = Run("PUT", "/ssec/c", CustomerKey(key), "secret data");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Header("x-amz-server-side-encryption-customer-algorithm"), "AES256");
  EXPECT_EQ(put.Header("x-amz-server-side-encryption-customer-key-MD5"), ContentMd5(key));
  EXPECT_EQ(Run("GET", "/ssec/c").Code(), "InvalidRequest");
  EXPECT_EQ(Run("GET", "/ssec/c", CustomerKey(other)).Code(), "AccessDenied");
  EXPECT_EQ(Run("HEAD", "/ssec/c", CustomerKey(other)).status, 403);
  auto get = Run("GET", "/ssec/c", CustomerKey(key));
  EXPECT_EQ(get.body, "secret data");
  EXPECT_EQ(get.Header("x-amz-server-side-encryption-customer-key-MD5"), ContentMd5(key));
  // Malformed SSE-C headers.
  HeaderList bad_md5 = CustomerKey(key);
  bad_md5[2].second = ContentMd5(other);
  EXPECT_EQ(Run("PUT", "/ssec/d", bad_md5, "x").Code(), "InvalidArgument");
  HeaderList bad_alg = CustomerKey(key);
  bad_alg[0].second = "AES128";
  EXPECT_EQ(Run("PUT", "/ssec/d", bad_alg, "x").Code(), "InvalidEncryptionAlgorithmError");
  HeaderList short_key = CustomerKey("short");
  EXPECT_EQ(Run("PUT", "/ssec/d", short_key, "x").Code(), "InvalidArgument");
  EXPECT_EQ(Run("GET", "/ssec/d").status, 404);
  // Copy with the source key into SSE-S3.
  HeaderList copy = CustomerKey(key, true);
  copy.emplace_back("x-amz-copy-source", "/ssec/c");
  copy.emplace_back("x-amz-server-side-encryption", "AES256");
  auto cp = Run("PUT", "/ssec/copy", copy);
  ASSERT_EQ(cp.status, 200) << cp.body;
  EXPECT_EQ(cp.Header("x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(Run("GET", "/ssec/copy").body, "secret data");
}

TEST_F(SseHandlersTest, BucketDefaultEncryption) {
  MakeBucket("dflt");
  auto none = Run("GET", "/dflt?encryption");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.Code(), "ServerSideEncryptionConfigurationNotFoundError");
  const std::string cfg =
      "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
      "<SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault>"
      "</Rule></ServerSideEncryptionConfiguration>";
  ASSERT_EQ(Run("PUT", "/dflt?encryption", {{"content-md5", ContentMd5(cfg)}}, cfg).status, 200);
  auto got = Run("GET", "/dflt?encryption");
  EXPECT_NE(got.body.find("<SSEAlgorithm>aws:kms</SSEAlgorithm>"), std::string::npos);
  auto put = Run("PUT", "/dflt/o", {}, "data");
  EXPECT_EQ(put.Header("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(Run("PUT", "/dflt?encryption", {}, "<ServerSideEncryptionConfiguration/>").Code(),
            "MalformedXML");
  EXPECT_EQ(Run("DELETE", "/dflt?encryption").status, 204);
  EXPECT_EQ(Run("GET", "/dflt?encryption").status, 404);
  EXPECT_FALSE(Run("PUT", "/dflt/o2", {}, "data").HasHeader("x-amz-server-side-encryption"));
  EXPECT_EQ(Run("GET", "/nosuch?encryption").Code(), "NoSuchBucket");
}

}  // namespace
}  // namespace maxiofs::s3
