#include "headers.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using Kind = engine::RangeSpec::Kind;

TEST(Headers, ParseUint64) {
  EXPECT_EQ(ParseUint64("0"), 0u);
  EXPECT_EQ(ParseUint64("18446744073709551615"), 18446744073709551615ull);
  EXPECT_FALSE(ParseUint64("18446744073709551616"));
  EXPECT_FALSE(ParseUint64(""));
  EXPECT_FALSE(ParseUint64("-1"));
  EXPECT_FALSE(ParseUint64("+1"));
  EXPECT_FALSE(ParseUint64(" 1"));
  EXPECT_FALSE(ParseUint64("1a"));
}

TEST(Headers, RangeForms) {
  auto r = ParseRange("bytes=0-99");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Kind::kFromTo);
  EXPECT_EQ(r->first, 0u);
  EXPECT_EQ(r->last, 99u);
  r = ParseRange("bytes=100-");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Kind::kFrom);
  EXPECT_EQ(r->first, 100u);
  r = ParseRange("bytes=-5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Kind::kSuffix);
  EXPECT_EQ(r->suffix, 5u);
  r = ParseRange(" bytes= 1 - 2 ");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->last, 2u);
}

TEST(Headers, RangeIgnoredWhenInvalid) {
  for (std::string_view bad :
       {"", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-2", "bytes=0-1,2-3", "items=0-1",
        "bytes=99999999999999999999-", "bytes=0-99999999999999999999",
        "bytes=-99999999999999999999", "bytes=--1", "bytes=1--2", "bytes=0x10-"}) {
    EXPECT_FALSE(ParseRange(bad).has_value()) << bad;
  }
}

TEST(Headers, HttpDates) {
  const int64_t t = 784111777ll * 1'000'000'000;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), t);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), t);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), t);
  EXPECT_EQ(ParseHttpDate("19941106T084937Z"), t);
  EXPECT_EQ(ParseHttpDate("1994-11-06T08:49:37Z"), t);
  EXPECT_EQ(ParseHttpDate("1994-11-06T08:49:37.500Z"), t + 500'000'000);
  EXPECT_EQ(FormatHttpDate(t), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatIso8601(t + 123'456'789), "1994-11-06T08:49:37.123Z");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  for (std::string_view bad :
       {"", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT", "1994-02-30T00:00:00Z", "Sun, 06 Nov 1994 08:49:37 UTC",
        "1994-11-06T08:49:37.Z"}) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
  // Found by fuzz/s3_headers_fuzz: dates after 2262-04-11 overflowed int64_t nanoseconds
  // (undefined behaviour); they are out of range now. The last representable second parses.
  for (std::string_view late : {"9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT",
                                "22620411T234717Z", "Fri Dec 31 23:59:59 9999"}) {
    EXPECT_FALSE(ParseHttpDate(late).has_value()) << late;
  }
  EXPECT_EQ(ParseHttpDate("2262-04-11T23:47:15Z"), 9223372035'000'000'000);
  // Round trip over a range of times.
  for (int64_t s = 0; s < 5'000'000'000ll; s += 123'456'789) {
    int64_t ns = s * 1'000'000'000;
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(ns)), ns);
    EXPECT_EQ(ParseHttpDate(FormatIso8601(ns)), ns);
  }
}

TEST(Headers, ETagLists) {
  EXPECT_EQ(ParseETagList("\"abc\""), std::vector<std::string>{"abc"});
  EXPECT_EQ(ParseETagList("abc"), std::vector<std::string>{"abc"});
  EXPECT_EQ(ParseETagList("*"), std::vector<std::string>{"*"});
  EXPECT_EQ(ParseETagList("\"a\", W/\"b\" ,c,,"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ParseETagList("").empty());
  EXPECT_TRUE(ParseETagList("\"\"").empty());
  EXPECT_EQ(QuoteETag("x"), "\"x\"");
}

HttpRequest WithHeaders(HeaderList h) {
  HttpRequest r;
  r.headers = std::move(h);
  return r;
}

TEST(Headers, ObjectMeta) {
  auto meta = ExtractObjectMeta(WithHeaders({{"content-type", "text/plain"},
                                             {"x-amz-meta-b", "2"},
                                             {"x-amz-meta-a", " 1 "},
                                             {"content-encoding", "aws-chunked,gzip"},
                                             {"x-amz-storage-class", "STANDARD"},
                                             {"cache-control", "no-cache"}}));
  ASSERT_TRUE(meta.has_value());
  EXPECT_EQ(meta.value().content_type, "text/plain");
  EXPECT_EQ(meta.value().content_encoding, "gzip");
  EXPECT_EQ(meta.value().storage_class, "");
  ASSERT_EQ(meta.value().user.size(), 2u);
  EXPECT_EQ(meta.value().user[0].first, "a");
  EXPECT_EQ(meta.value().user[0].second, "1");

  auto bad = ExtractObjectMeta(WithHeaders({{"x-amz-storage-class", "GOLD"}}));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, S3ErrorCode::kInvalidStorageClass);

  auto big = ExtractObjectMeta(WithHeaders({{"x-amz-meta-big", std::string(3000, 'x')}}));
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, S3ErrorCode::kMetadataTooLarge);
}

TEST(Headers, Preconditions) {
  auto p = ExtractPreconditions(WithHeaders({{"if-match", "\"a\""},
                                             {"if-modified-since", "garbage"},
                                             {"x-amz-copy-source-if-none-match", "\"b\""}}),
                                "");
  EXPECT_EQ(p.if_match, std::vector<std::string>{"a"});
  EXPECT_FALSE(p.if_modified_since_ns.has_value());
  EXPECT_TRUE(p.if_none_match.empty());
  auto c = ExtractPreconditions(WithHeaders({{"x-amz-copy-source-if-none-match", "\"b\""}}),
                                "x-amz-copy-source-");
  EXPECT_EQ(c.if_none_match, std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace maxiofs::s3
