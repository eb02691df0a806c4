#include "encoding.h"

#include <gtest/gtest.h>

#include <vector>

namespace maxiofs::s3 {
namespace {

TEST(Encoding, Base64RoundTrip) {
  for (std::string s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                std::string("\0\xff", 2)}) {
    auto d = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(Encoding, Base64RejectsMalformed) {
  EXPECT_FALSE(Base64Decode("Zm8"));
  EXPECT_FALSE(Base64Decode("Zm8=Zm8="));
  EXPECT_FALSE(Base64Decode("Z===").has_value());
  EXPECT_FALSE(Base64Decode("Zm 8=").has_value());
  EXPECT_FALSE(Base64Decode("Zm=8").has_value());
  EXPECT_FALSE(Base64Decode("****").has_value());
}

TEST(Encoding, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("%2F%2f", false), "//");
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%2", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
  EXPECT_FALSE(PercentDecode("abc%", false));
}

TEST(Encoding, PercentEncode) {
  EXPECT_EQ(PercentEncode("a b/c~", true), "a%20b/c~");
  EXPECT_EQ(PercentEncode("a b/c", false), "a%20b%2Fc");
  EXPECT_EQ(PercentEncode("\xc3\xa9", true), "%C3%A9");
}

TEST(Encoding, Utf8) {
  EXPECT_TRUE(IsValidUtf8("hello"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(Encoding, ParseQuery) {
  auto q = ParseQuery("list-type=2&prefix=a%2Fb&delete&x=&&y=1+2");
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ((*q)[0].name, "list-type");
  EXPECT_EQ((*q)[0].value, "2");
  EXPECT_EQ((*q)[1].value, "a/b");
  EXPECT_EQ((*q)[2].name, "delete");
  EXPECT_FALSE((*q)[2].has_value);
  EXPECT_TRUE((*q)[3].has_value);
  EXPECT_EQ((*q)[4].value, "1 2");
  EXPECT_FALSE(ParseQuery("a=%zz").has_value());
  EXPECT_TRUE(ParseQuery("")->empty());
}

}  // namespace
}  // namespace maxiofs::s3
