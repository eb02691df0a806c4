#include "maxiofs/common/percent.h"

#include <gtest/gtest.h>

namespace maxiofs {
namespace {

TEST(Percent, EncodeKeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(PercentEncode("a-b.c_d~e/f g+h", true), "a-b.c_d~e/f%20g%2Bh");
  EXPECT_EQ(PercentEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(PercentEncode("\xc3\xa9", true), "%C3%A9");  // upper-case hex
  EXPECT_EQ(PercentEncode("", true), "");
}

TEST(Percent, DecodeRefusesOrKeepsBadEscapes) {
  EXPECT_EQ(PercentDecode("a%2Fb%2fc", false), "a/b/c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  for (const char* bad : {"%", "%4", "%zz", "a%4g", "100%"}) {
    EXPECT_FALSE(PercentDecode(bad, false).has_value()) << bad;
  }
  EXPECT_EQ(PercentDecode("100%", false, BadEscape::kKeep), "100%");
  EXPECT_EQ(PercentDecode("%zz%41", false, BadEscape::kKeep), "%zzA");
  EXPECT_EQ(PercentDecode("%4", true, BadEscape::kKeep), "%4");
}

TEST(Percent, RoundTripOfEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(PercentDecode(PercentEncode(all, false), false), all);
  EXPECT_EQ(PercentEscapeAt("x%41", 1), 'A');
  EXPECT_EQ(PercentEscapeAt("x%41", 0), -1);
  EXPECT_EQ(PercentEscapeAt("%4", 0), -1);
}

}  // namespace
}  // namespace maxiofs
