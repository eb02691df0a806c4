#include "codec_primitives.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace maxiofs::engine::codec {
namespace {

TEST(CodecPrimitives, VarintsRoundTripAtEveryLengthBoundary) {
  std::string out;
  std::vector<uint64_t> values = {
      0, 1, 127, 128, 16383, 16384, std::numeric_limits<uint64_t>::max()};
  for (int bits = 7; bits < 64; bits += 7) values.push_back((uint64_t{1} << bits) - 1);
  for (uint64_t v : values) PutVarint(&out, v);
  Reader r(out);
  for (uint64_t v : values) EXPECT_EQ(r.Varint(), v);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.done());
  std::string max;
  PutVarint(&max, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(max.size(), 10u);
}

TEST(CodecPrimitives, StringsAndBytes) {
  std::string out;
  PutByte(&out, 7);
  PutStr(&out, std::string("a\0b", 3));
  PutStr(&out, "");
  Reader r(out);
  EXPECT_EQ(r.Byte(), 7);
  EXPECT_EQ(r.Str(), std::string("a\0b", 3));
  EXPECT_EQ(r.Str(), "");
  EXPECT_TRUE(r.ok() && r.done());
}

TEST(CodecPrimitives, OverrunsFailForGoodAndYieldZeros) {
  std::string out;
  PutStr(&out, "hello");
  Reader truncated(std::string_view(out).substr(0, 3));
  EXPECT_EQ(truncated.Str(), "");
  EXPECT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.Byte(), 0);  // still failed: nothing more is read
  EXPECT_FALSE(truncated.ok());

  // Eleven continuation bytes are no varint.
  const std::string continuations(11, '\x80');  // outlives the reader, as Reader requires
  Reader endless(continuations);
  EXPECT_EQ(endless.Varint(), 0u);
  EXPECT_FALSE(endless.ok());

  // A varint cut short.
  Reader cut(std::string_view("\x80\x80", 2));
  EXPECT_EQ(cut.Varint(), 0u);
  EXPECT_FALSE(cut.ok());

  // A count larger than the bytes left cannot be honest.
  std::string count;
  PutVarint(&count, 1000);
  count += "abc";
  Reader counted(count);
  EXPECT_EQ(counted.Count(), 0u);
  EXPECT_FALSE(counted.ok());

  Reader empty("");
  EXPECT_EQ(empty.Byte(), 0);
  EXPECT_FALSE(empty.ok());
}

TEST(CodecPrimitives, FailMarksTheInputMalformed) {
  Reader r("abc");
  r.Fail();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.Byte(), 0);
}

}  // namespace
}  // namespace maxiofs::engine::codec
