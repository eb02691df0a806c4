#include "meta_value.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

TEST(MetaValueTest, AsciiPassesThroughBothWays) {
  EXPECT_EQ(DecodeUserMetaValue("plain value 1"), "plain value 1");
  EXPECT_EQ(EncodeUserMetaValue("plain value 1"), "plain value 1");
  EXPECT_EQ(EncodeUserMetaValue(""), "");
}

TEST(MetaValueTest, RawUtf8IsStoredAsIs) {
  EXPECT_EQ(DecodeUserMetaValue("Hello World\xc3\xa9"), "Hello World\xc3\xa9");
}

TEST(MetaValueTest, RawLatin1BytesBecomeUtf8) {
  EXPECT_EQ(DecodeUserMetaValue("Hello World\xe9"), "Hello World\xc3\xa9");
}

TEST(MetaValueTest, EncodedWordsAreDecoded) {
  EXPECT_EQ(DecodeUserMetaValue("=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?="), "Hello World\xc3\xa9");
  EXPECT_EQ(DecodeUserMetaValue("=?utf-8?q?caf=C3=A9_au_lait?="), "caf\xc3\xa9 au lait");
  EXPECT_EQ(DecodeUserMetaValue("=?ISO-8859-1?Q?caf=E9?="), "caf\xc3\xa9");
  // Whitespace between adjacent encoded-words is dropped, other text is kept.
  EXPECT_EQ(DecodeUserMetaValue("=?UTF-8?Q?a?= =?UTF-8?Q?b?= c"), "ab c");
  EXPECT_EQ(DecodeUserMetaValue("x =?UTF-8?B?w6k=?="), "x \xc3\xa9");
}

TEST(MetaValueTest, UndecodableWordsAreKeptAsWritten) {
  EXPECT_EQ(DecodeUserMetaValue("=?KOI8-R?B?w6k=?="), "=?KOI8-R?B?w6k=?=");
  EXPECT_EQ(DecodeUserMetaValue("=?UTF-8?B?not base64?="), "=?UTF-8?B?not base64?=");
  EXPECT_EQ(DecodeUserMetaValue("=?UTF-8?B?/w==?="), "=?UTF-8?B?/w==?=");  // 0xff: not UTF-8
  EXPECT_EQ(DecodeUserMetaValue("=?UTF-8?Q?bad=4?="), "=?UTF-8?Q?bad=4?=");
  EXPECT_EQ(DecodeUserMetaValue("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
  EXPECT_EQ(DecodeUserMetaValue("a=?b"), "a=?b");
}

TEST(MetaValueTest, NonAsciiIsEncodedOnTheWayOut) {
  EXPECT_EQ(EncodeUserMetaValue("Hello World\xc3\xa9"), "=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?=");
  EXPECT_EQ(EncodeUserMetaValue("line\nbreak"), "=?UTF-8?B?bGluZQpicmVhaw==?=");
  const std::string stored = "\xe4\xb8\xad\xe6\x96\x87";
  EXPECT_EQ(DecodeUserMetaValue(EncodeUserMetaValue(stored)), stored);
}

}  // namespace
}  // namespace maxiofs::s3
