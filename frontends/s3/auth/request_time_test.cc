#include "auth/request_time.h"

#include <gtest/gtest.h>

namespace maxiofs::s3::auth {
namespace {

TEST(RequestTimeTest, AmzDate) {
  EXPECT_EQ(ParseAmzDate("20130524T000000Z"), 1369353600);
  EXPECT_EQ(ParseAmzDate("19700101T000000Z"), 0);
  EXPECT_EQ(ParseAmzDate("20240229T235930Z"), 1709251170);
  EXPECT_FALSE(ParseAmzDate("20230229T000000Z"));  // not a leap year
  EXPECT_FALSE(ParseAmzDate("20130524T000000"));
  EXPECT_FALSE(ParseAmzDate("20130524 000000Z"));
  EXPECT_FALSE(ParseAmzDate("20131324T000000Z"));
  EXPECT_FALSE(ParseAmzDate("2013052aT000000Z"));
  EXPECT_FALSE(ParseAmzDate("20130524T240000Z"));
}

TEST(RequestTimeTest, HttpDates) {
  // AWS's SigV2 example date, and the three HTTP/1.1 forms of RFC 7231's example.
  EXPECT_EQ(ParseHttpDate("Tue, 27 Mar 2007 19:36:42 +0000"), 1175024202);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 09:49:37 +0100"), 784111777);
  EXPECT_EQ(ParseHttpDate("Fri, 24 May 2013 00:00:00 GMT"), 1369353600);
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("Sun, 31 Nov 1994 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("yesterday"));
  EXPECT_FALSE(ParseHttpDate(""));
  EXPECT_EQ(ParseAnyDate("20130524T000000Z"), 1369353600);
}

TEST(RequestTimeTest, FormatAmzDate) {
  EXPECT_EQ(FormatAmzDate(1369353600), "20130524T000000Z");
  EXPECT_EQ(FormatAmzDate(1709251170), "20240229T235930Z");
  EXPECT_EQ(FormatAmzDate(0), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(4102444799), "20991231T235959Z");
}

TEST(RequestTimeTest, DecimalSeconds) {
  EXPECT_EQ(ParseDecimalSeconds("86400"), 86400);
  EXPECT_EQ(ParseDecimalSeconds("0"), 0);
  EXPECT_FALSE(ParseDecimalSeconds(""));
  EXPECT_FALSE(ParseDecimalSeconds("-5"));
  EXPECT_FALSE(ParseDecimalSeconds("+5"));
  EXPECT_FALSE(ParseDecimalSeconds("5s"));
  EXPECT_FALSE(ParseDecimalSeconds(" 5"));
  EXPECT_FALSE(ParseDecimalSeconds("1234567890123"));
}

}  // namespace
}  // namespace maxiofs::s3::auth
