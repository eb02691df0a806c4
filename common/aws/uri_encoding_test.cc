#include "maxiofs/aws/uri_encoding.h"

#include <gtest/gtest.h>

namespace maxiofs::aws {
namespace {

TEST(UriEncodingTest, UriEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(UriEncode("A-z_0.9~", true), "A-z_0.9~");
  EXPECT_EQ(UriEncode("a b+c", true), "a%20b%2Bc");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
  EXPECT_EQ(UriEncode("a/b", false), "a/b");
  EXPECT_EQ(UriEncode("!'()*$", true), "%21%27%28%29%2A%24");
  EXPECT_EQ(UriEncode("\xc3\xa9", true), "%C3%A9");
}

TEST(UriEncodingTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b%2fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("100%", false), "100%");    // lone '%' kept
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");  // invalid escapes kept
  EXPECT_EQ(PercentDecode("%C3%a9", false), "\xc3\xa9");
}

TEST(UriEncodingTest, CanonicalUriDoesNotNormalizeButReencodes) {
  // AWS's PUT example: the key "test$file.text" is signed as "/test%24file.text" whether the
  // client sent '$' literally or encoded.
  EXPECT_EQ(CanonicalUri("/test$file.text", true), "/test%24file.text");
  EXPECT_EQ(CanonicalUri("/test%24file.text", true), "/test%24file.text");
  EXPECT_EQ(CanonicalUri("/a%7eb~c", true), "/a~b~c");
  EXPECT_EQ(CanonicalUri("/a%c3%a9", true), "/a%C3%A9");
  EXPECT_EQ(CanonicalUri("/b/./../k//x", true), "/b/./../k//x");  // no normalization
  EXPECT_EQ(CanonicalUri("", true), "/");
  EXPECT_EQ(CanonicalUri("/a%2Fb", true), "/a%2Fb");
  EXPECT_EQ(CanonicalUri("/a%2Fb", false), "/a/b");
  EXPECT_EQ(CanonicalUri("/a+b", true), "/a%2Bb");  // '+' is literal in a path
  EXPECT_EQ(CanonicalUri("/100%", true), "/100%25");
}

TEST(UriEncodingTest, ParseQuery) {
  const auto q = ParseQuery("acl&prefix=a%2Fb+c&&x=&k=v=w");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0].name, "acl");
  EXPECT_FALSE(q[0].has_value);
  EXPECT_EQ(q[1].name, "prefix");
  EXPECT_EQ(q[1].value, "a/b c");
  EXPECT_TRUE(q[2].has_value);
  EXPECT_EQ(q[2].value, "");
  EXPECT_EQ(q[3].value, "v=w");
  EXPECT_TRUE(ParseQuery("").empty());
}

TEST(UriEncodingTest, CanonicalQuerySortsAndEncodes) {
  // AWS's list-objects and lifecycle examples.
  EXPECT_EQ(CanonicalQuery(ParseQuery("prefix=J&max-keys=2")), "max-keys=2&prefix=J");
  EXPECT_EQ(CanonicalQuery(ParseQuery("lifecycle")), "lifecycle=");
  EXPECT_EQ(CanonicalQuery(ParseQuery("b=2&a=3&a=1&uploads")), "a=1&a=3&b=2&uploads=");
  EXPECT_EQ(CanonicalQuery(ParseQuery("prefix=a/b c&d=%7e")), "d=~&prefix=a%2Fb%20c");
  EXPECT_EQ(CanonicalQuery(ParseQuery("X-Amz-Signature=abc&a=1"), "X-Amz-Signature"), "a=1");
}

}  // namespace
}  // namespace maxiofs::aws
