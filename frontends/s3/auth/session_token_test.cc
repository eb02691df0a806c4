#include "auth/session_token.h"

#include "auth/test_request.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using auth::testing::TestRequest;

TEST(SessionToken, FoundInHeaderOrPresignedQuery) {
  TestRequest r;
  EXPECT_FALSE(RequestSessionToken(r.View()).has_value());
  r.Header("x-amz-security-token", " tok ");
  EXPECT_EQ(RequestSessionToken(r.View()), "tok");
  TestRequest q;
  q.query = "X-Amz-Security-Token=a%2Bb&X-Amz-Signature=00";
  EXPECT_EQ(RequestSessionToken(q.View()), "a+b");
}

TEST(SessionToken, TemporaryCredentialsNeedTheirToken) {
  TestRequest none;
  auto missing = CheckSessionToken(none.View(), "secret-token");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->code, S3ErrorCode::kInvalidToken);
  TestRequest wrong;
  wrong.Header("x-amz-security-token", "secret-tokeN");
  ASSERT_TRUE(CheckSessionToken(wrong.View(), "secret-token").has_value());
  TestRequest right;
  right.Header("x-amz-security-token", "secret-token");
  EXPECT_FALSE(CheckSessionToken(right.View(), "secret-token").has_value());
}

TEST(SessionToken, LongTermKeysMustNotSendOne) {
  TestRequest none;
  EXPECT_FALSE(CheckSessionToken(none.View(), "").has_value());
  TestRequest with;
  with.Header("x-amz-security-token", "anything");
  auto err = CheckSessionToken(with.View(), "");
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code, S3ErrorCode::kInvalidToken);
}

}  // namespace
}  // namespace maxiofs::s3
