#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

namespace maxiofs::engine {
namespace {

TEST(BucketName, AcceptsValidNames) {
  for (const char* n : {"abc", "my-bucket", "my.bucket.1", "0123456789", "a-b.c-d",
                        "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyza"}) {
    EXPECT_TRUE(ValidateBucketName(n).ok()) << n;
  }
}

TEST(BucketName, RejectsInvalidNames) {
  for (const char* n : {"ab",
                        "",
                        "ABC",
                        "my_bucket",
                        "-abc",
                        "abc-",
                        ".abc",
                        "abc.",
                        "a..b",
                        "a.-b",
                        "a-.b",
                        "192.168.1.1",
                        "xn--abc",
                        "abc-s3alias",
                        "sthree-abc",
                        "abc--ol-s3",
                        "a b c",
                        "abc/def",
                        "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyzab",
                        "_maxiofs"}) {
    Status s = ValidateBucketName(n);
    EXPECT_EQ(s.code(), Status::Code::kInvalidBucketName) << "'" << n << "'";
  }
}

TEST(ObjectKey, AcceptsUtf8UpTo1024Bytes) {
  EXPECT_TRUE(ValidateObjectKey("a").ok());
  EXPECT_TRUE(ValidateObjectKey("dir/sub dir/file name.txt").ok());
  EXPECT_TRUE(ValidateObjectKey("\xc3\xa9t\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80").ok());
  EXPECT_TRUE(ValidateObjectKey(std::string(1024, 'k')).ok());
  EXPECT_TRUE(ValidateObjectKey("../../etc/passwd").ok());  // keys never become paths
}

TEST(ObjectKey, RejectsBadKeys) {
  const std::string cases[] = {
      "",
      std::string(1025, 'k'),
      std::string("a\0b", 3),
      "\xff",
      "\xc3",              // truncated sequence
      "\xc0\xaf",          // overlong '/'
      "\xed\xa0\x80",      // surrogate
      "\xf4\x90\x80\x80",  // > U+10FFFF
      "abc\x80",           // stray continuation byte
  };
  for (const auto& k : cases) {
    EXPECT_EQ(ValidateObjectKey(k).code(), Status::Code::kInvalidKey) << k.size();
  }
}

}  // namespace
}  // namespace maxiofs::engine
