#include "wildcard.h"

#include "ip_match.h"

#include <gtest/gtest.h>

namespace maxiofs::engine::iam {
namespace {

TEST(GlobMatch, StarAndQuestion) {
  EXPECT_TRUE(GlobMatch("*", "", false));
  EXPECT_TRUE(GlobMatch("*", "anything", false));
  EXPECT_TRUE(GlobMatch("a*c", "abbbc", false));
  EXPECT_TRUE(GlobMatch("a*c", "ac", false));
  EXPECT_FALSE(GlobMatch("a*c", "abcd", false));
  EXPECT_TRUE(GlobMatch("a?c", "abc", false));
  EXPECT_FALSE(GlobMatch("a?c", "ac", false));
  EXPECT_TRUE(GlobMatch("*a*b*c*", "xxaxxbxxcxx", false));
  EXPECT_FALSE(GlobMatch("*a*b*c*", "xxcxxbxxaxx", false));
  EXPECT_TRUE(GlobMatch("s3:get*", "S3:GetObject", true));
  EXPECT_FALSE(GlobMatch("s3:get*", "S3:GetObject", false));
}

TEST(GlobMatch, EscapedCharactersAreLiteral) {
  std::string p;
  AppendEscaped("a*b?c\\d", p);
  EXPECT_TRUE(GlobMatch(p, "a*b?c\\d", false));
  EXPECT_FALSE(GlobMatch(p, "axbycxd", false));
  EXPECT_FALSE(GlobMatch(p, "a*b?c", false));
}

TEST(GlobMatch, PathologicalPatternIsFast) {
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(GlobMatch(pattern, text, false));
}

TEST(ArnMatch, SixPartsMatchedSeparately) {
  EXPECT_TRUE(ArnMatch("*", "not-an-arn"));
  EXPECT_TRUE(ArnMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b"));
  EXPECT_FALSE(ArnMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
  EXPECT_TRUE(ArnMatch("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-2"));
  EXPECT_TRUE(ArnMatch("arn:aws:iam::*:user/*", "arn:aws:iam::000000000000:user/alice"));
  // A wildcard in one part cannot swallow the colons of the first five.
  EXPECT_FALSE(ArnMatch("arn:aws:*:user/alice", "arn:aws:iam::000000000000:user/alice"));
  EXPECT_TRUE(ArnMatch("arn:aws:s3:::b/k:*", "arn:aws:s3:::b/k:v:w"));
  EXPECT_FALSE(ArnMatch("arn:aws:s3:::b", "b"));
  EXPECT_FALSE(ArnMatch("arn:aws:s3:::B", "arn:aws:s3:::b"));  // case-sensitive
}

TEST(IpRange, ParsesAndMatches) {
  EXPECT_FALSE(ParseIpRange("10.0.0.0/33").has_value());
  EXPECT_FALSE(ParseIpRange("10.0.0/8").has_value());
  EXPECT_FALSE(ParseIpRange("2001:db8::/129").has_value());
  EXPECT_FALSE(ParseIpRange("10.0.0.0/").has_value());
  EXPECT_FALSE(ParseIpRange("example.com").has_value());
  auto all = ParseIpRange("0.0.0.0/0");
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(IpInRange(*all, "8.8.8.8"));
  EXPECT_FALSE(IpInRange(*all, "::1"));
  EXPECT_FALSE(IpInRange(*all, "not-an-ip"));
  auto host_bits = ParseIpRange("192.168.1.77/24");  // host bits are ignored
  ASSERT_TRUE(host_bits.has_value());
  EXPECT_TRUE(IpInRange(*host_bits, "192.168.1.1"));
  auto v6 = ParseIpRange("2001:DB8:0:0:0:0:0:0/64");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(IpInRange(*v6, "2001:db8::ffff"));
  EXPECT_FALSE(IpInRange(*v6, "2001:db8:0:1::1"));
}

}  // namespace
}  // namespace maxiofs::engine::iam
