#include "address.h"

#include <gtest/gtest.h>

namespace maxiofs::app {
namespace {

TEST(ParseHostPortTest, AcceptsHostAndPort) {
  auto a = ParseHostPort("127.0.0.1:8080");
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(DisplayHost(*a), "127.0.0.1");
}

TEST(ParseHostPortTest, AcceptsPortOnlyAsAllInterfaces) {
  auto a = ParseHostPort(":9000");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "");
  EXPECT_EQ(a->port, 9000);
  EXPECT_EQ(DisplayHost(*a), "0.0.0.0");
}

TEST(ParseHostPortTest, AcceptsPortZeroAndMax) {
  ASSERT_TRUE(ParseHostPort("localhost:0").has_value());
  auto a = ParseHostPort("localhost:65535");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->port, 65535);
}

TEST(ParseHostPortTest, AcceptsBracketedIpv6) {
  auto a = ParseHostPort("[::1]:8080");
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(DisplayHost(*a), "[::1]");
}

TEST(ParseHostPortTest, RejectsBadForms) {
  for (const char* bad :
       {"", "8080", "localhost", "localhost:", ":", ":65536", ":99999999999", ":-1", ":+80", ":80x",
        ": 80", "::1:8080", "[::1:8080", "a b:80", "host/x:80", "[]:80"}) {
    auto a = ParseHostPort(bad);
    EXPECT_FALSE(a.has_value()) << "accepted '" << bad << "'";
    if (!a.has_value()) {
      EXPECT_EQ(a.error().code(), Status::Code::kInvalidArgument);
      EXPECT_NE(a.error().message().find("host:port or :port"), std::string_view::npos);
    }
  }
}

TEST(ParseHostPortTest, NamesTheReason) {
  EXPECT_NE(ParseHostPort(":70000").error().message().find("0-65535"), std::string_view::npos);
  EXPECT_NE(ParseHostPort(":http").error().message().find("not a number"), std::string_view::npos);
}

}  // namespace
}  // namespace maxiofs::app
