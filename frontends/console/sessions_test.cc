#include "sessions.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

TEST(SessionsTest, IssueSignVerify) {
  Sessions sessions("secret-key", 3600);
  const SessionClaims c = sessions.Issue("admin", SessionKind::kRoot, 1000);
  EXPECT_EQ(c.expires_at, 4600);
  EXPECT_EQ(c.csrf.size(), 32u);
  auto back = sessions.Verify(sessions.Sign(c), 1001);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->csrf, c.csrf);
  EXPECT_FALSE(sessions.Verify(sessions.Sign(c), 4600).has_value());
}

TEST(SessionsTest, RevokedTokenIsRefused) {
  Sessions sessions("secret-key", 3600);
  const SessionClaims a = sessions.Issue("admin", SessionKind::kRoot, 1000);
  const SessionClaims b = sessions.Issue("admin", SessionKind::kRoot, 1000);
  sessions.Revoke(a, 1001);
  EXPECT_FALSE(sessions.Verify(sessions.Sign(a), 1002).has_value());
  EXPECT_TRUE(sessions.Verify(sessions.Sign(b), 1002).has_value());
}

TEST(SessionsTest, RenewAfterHalfLife) {
  Sessions sessions("k", 100);
  const SessionClaims c = sessions.Issue("admin", SessionKind::kRoot, 1000);
  EXPECT_FALSE(sessions.ShouldRenew(c, 1049));
  EXPECT_TRUE(sessions.ShouldRenew(c, 1050));
}

TEST(LoginLimiterTest, BlocksAfterLimitAndRecovers) {
  LoginLimiter limiter(3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.RetryAfter("10.0.0.1", 100), 0);
    limiter.RecordFailure("10.0.0.1", 100);
  }
  EXPECT_GT(limiter.RetryAfter("10.0.0.1", 100), 0);
  EXPECT_EQ(limiter.RetryAfter("10.0.0.2", 100), 0);  // other clients are unaffected
  EXPECT_EQ(limiter.RetryAfter("10.0.0.1", 161), 0);  // a minute later
}

TEST(LoginLimiterTest, SuccessClears) {
  LoginLimiter limiter(2);
  limiter.RecordFailure("c", 10);
  limiter.RecordSuccess("c");
  limiter.RecordFailure("c", 10);
  EXPECT_EQ(limiter.RetryAfter("c", 10), 0);
}

TEST(LoginLimiterTest, MemoryIsBounded) {
  LoginLimiter limiter(1);
  for (size_t i = 0; i < LoginLimiter::kMaxClients + 50; ++i) {
    limiter.RecordFailure("client" + std::to_string(i), 10);
  }
  // The newest client is still tracked.
  EXPECT_GT(limiter.RetryAfter("client" + std::to_string(LoginLimiter::kMaxClients + 49), 10), 0);
}

TEST(ClientAddressTest, StripsPort) {
  EXPECT_EQ(ClientAddress("127.0.0.1:5555"), "127.0.0.1");
  EXPECT_EQ(ClientAddress("[::1]:5555"), "::1");
  EXPECT_EQ(ClientAddress("::1"), "::1");
}

}  // namespace
}  // namespace maxiofs::console
