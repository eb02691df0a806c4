#include "auth/signing_key_cache.h"

#include "auth/sigv4.h"
#include "auth/test_request.h"

#include <gtest/gtest.h>

#include <string>

namespace maxiofs::s3::auth {
namespace {

TEST(SigningKeyCache, GivesTheDerivedKeyOncePerSecretAndScope) {
  SigningKeyCache cache;
  const std::string want = DeriveSigningKey(testing::kAwsSecret, "20130524", "us-east-1", "s3");
  EXPECT_EQ(cache.Get(testing::kAwsSecret, "20130524", "us-east-1", "s3"), want);
  EXPECT_EQ(cache.Get(testing::kAwsSecret, "20130524", "us-east-1", "s3"), want);
  EXPECT_EQ(cache.size(), 1u);
  // A rotated secret, another day, region or service: another key, never the cached one.
  EXPECT_EQ(cache.Get("rotated-secret", "20130524", "us-east-1", "s3"),
            DeriveSigningKey("rotated-secret", "20130524", "us-east-1", "s3"));
  EXPECT_EQ(cache.Get(testing::kAwsSecret, "20130525", "us-east-1", "s3"),
            DeriveSigningKey(testing::kAwsSecret, "20130525", "us-east-1", "s3"));
  EXPECT_EQ(cache.Get(testing::kAwsSecret, "20130524", "eu-west-1", "s3"),
            DeriveSigningKey(testing::kAwsSecret, "20130524", "eu-west-1", "s3"));
  EXPECT_EQ(cache.Get(testing::kAwsSecret, "20130524", "us-east-1", "iam"),
            DeriveSigningKey(testing::kAwsSecret, "20130524", "us-east-1", "iam"));
  EXPECT_EQ(cache.size(), 5u);
}

TEST(SigningKeyCache, StaysBounded) {
  SigningKeyCache cache;
  for (size_t i = 0; i <= SigningKeyCache::kMaxEntries; ++i) {
    cache.Get("secret-" + std::to_string(i), "20130524", "us-east-1", "s3");
  }
  EXPECT_LE(cache.size(), SigningKeyCache::kMaxEntries);
  EXPECT_EQ(cache.Get("secret-7", "20130524", "us-east-1", "s3"),
            DeriveSigningKey("secret-7", "20130524", "us-east-1", "s3"));
}

}  // namespace
}  // namespace maxiofs::s3::auth
