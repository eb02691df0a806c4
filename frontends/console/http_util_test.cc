#include "http_util.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

TEST(ParseTargetTest, DecodesPathAndQuery) {
  auto t = ParseTarget("/api/v1/buckets/b/objects?prefix=a%2Fb+c&limit=5&empty");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/api/v1/buckets/b/objects");
  EXPECT_EQ(t->query["prefix"], "a/b c");
  EXPECT_EQ(t->query["limit"], "5");
  EXPECT_EQ(t->query["empty"], "");
}

TEST(ParseTargetTest, RefusesBadTargets) {
  EXPECT_FALSE(ParseTarget("").has_value());
  EXPECT_FALSE(ParseTarget("http://x/").has_value());
  EXPECT_FALSE(ParseTarget("/a%2").has_value());
  EXPECT_FALSE(ParseTarget("/a%zz").has_value());
  EXPECT_FALSE(ParseTarget("/a%00b").has_value());  // NUL
  EXPECT_FALSE(ParseTarget("/a%ff").has_value());   // not UTF-8
  EXPECT_FALSE(ParseTarget("/a?x=%4").has_value());
}

TEST(PercentEncodeTest, KeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(PercentEncode("a b/c~", false), "a%20b%2Fc~");
  EXPECT_EQ(PercentEncode("a b/c~", true), "a%20b/c~");
}

TEST(CookieTest, FindsCookieAmongOthers) {
  http::HttpRequest r;
  r.headers = {{"cookie", "a=1; maxiofs_session=tok.en.sig ; b=2"}, {"cookie", "c=\"3\""}};
  EXPECT_EQ(GetCookie(r, "maxiofs_session").value_or(""), "tok.en.sig");
  EXPECT_EQ(GetCookie(r, "c").value_or(""), "3");
  EXPECT_FALSE(GetCookie(r, "missing").has_value());
  EXPECT_FALSE(GetCookie(r, "maxiofs").has_value());
}

TEST(CookieTest, SetCookieAttributes) {
  const std::string c = SetCookie("s", "v", 3600, true, false);
  EXPECT_EQ(c, "s=v; Path=/; Max-Age=3600; SameSite=Strict; HttpOnly");
  EXPECT_NE(SetCookie("s", "v", 0, true, true).find("; Secure"), std::string::npos);
}

TEST(JsonErrorTest, StatusMapping) {
  http::Response r = StatusError(Status::NoSuchBucket("nope"));
  EXPECT_EQ(r.status, 404);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "NoSuchBucket");
  EXPECT_EQ(j["error"]["message"], "nope");
  EXPECT_EQ(HttpStatusFor(Status::Code::kObjectLocked), 403);
  EXPECT_EQ(HttpStatusFor(Status::Code::kBucketNotEmpty), 409);
  EXPECT_EQ(HttpStatusFor(Status::Code::kIOError), 500);
  EXPECT_EQ(ErrorCodeFor(Status::Code::kObjectLocked), "ObjectLocked");
}

TEST(TimeTest, Rfc3339RoundTrip) {
  EXPECT_EQ(Rfc3339FromNs(0), "1970-01-01T00:00:00.000Z");
  const int64_t ns = 1893456000123000000;  // 2030-01-01T00:00:00.123Z
  EXPECT_EQ(Rfc3339FromNs(ns), "2030-01-01T00:00:00.123Z");
  EXPECT_EQ(NsFromRfc3339("2030-01-01T00:00:00.123Z").value_or(0), ns);
  EXPECT_EQ(NsFromRfc3339("2030-01-01T00:00:00Z").value_or(0), 1893456000000000000);
  EXPECT_FALSE(NsFromRfc3339("2030-02-30T00:00:00Z").has_value());
  // Found by fuzz/console_json_fuzz (a lifecycle rule's expiration date): years outside
  // int64_t nanoseconds overflowed (undefined behaviour); they are refused now.
  for (const char* far : {"1014-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-999-01-01T00:00:00Z",
                          "2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43Z"}) {
    EXPECT_FALSE(NsFromRfc3339(far).has_value()) << far;
  }
  EXPECT_EQ(NsFromRfc3339("2262-04-11T23:47:16.854775807Z").value_or(0), INT64_MAX);
  EXPECT_TRUE(NsFromRfc3339("1677-09-21T00:12:44Z").has_value());
  EXPECT_FALSE(NsFromRfc3339("tomorrow").has_value());
  EXPECT_FALSE(NsFromRfc3339("2030-01-01 00:00:00Z").has_value());
}

}  // namespace
}  // namespace maxiofs::console
