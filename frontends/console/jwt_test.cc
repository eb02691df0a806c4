#include "jwt.h"

#include "crypto_util.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

SessionClaims Claims() {
  SessionClaims c;
  c.subject = "maxioadmin";
  c.issued_at = 1000;
  c.expires_at = 2000;
  c.id = "id1";
  c.csrf = "csrf1";
  return c;
}

TEST(JwtTest, SignedTokenVerifies) {
  const std::string token = SignJwt(Claims(), "key");
  auto claims = VerifyJwt(token, "key", 1500);
  ASSERT_TRUE(claims.has_value()) << claims.error().message();
  EXPECT_EQ(claims->subject, "maxioadmin");
  EXPECT_EQ(claims->expires_at, 2000);
  EXPECT_EQ(claims->id, "id1");
  EXPECT_EQ(claims->csrf, "csrf1");
}

TEST(JwtTest, KindRoundTrips) {
  SessionClaims c = Claims();
  EXPECT_EQ(VerifyJwt(SignJwt(c, "key"), "key", 1500)->kind, SessionKind::kRoot);
  c.kind = SessionKind::kUser;
  c.subject = "alice";
  auto back = VerifyJwt(SignJwt(c, "key"), "key", 1500);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->kind, SessionKind::kUser);
  EXPECT_EQ(back->subject, "alice");
}

TEST(JwtTest, MissingOrUnknownKindIsRefused) {
  const std::string header = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  for (const char* payload_text :
       {R"({"sub":"a","iat":1000,"exp":2000,"jti":"x","csrf":"y"})",
        R"({"sub":"a","knd":"admin","iat":1000,"exp":2000,"jti":"x","csrf":"y"})",
        R"({"sub":"a","knd":7,"iat":1000,"exp":2000,"jti":"x","csrf":"y"})"}) {
    const std::string input = header + "." + Base64UrlEncode(payload_text);
    auto claims = VerifyJwt(input + "." + Base64UrlEncode(HmacSha256("key", input)), "key", 1500);
    EXPECT_FALSE(claims.has_value()) << payload_text;
  }
}

TEST(JwtTest, WrongKeyIsRefused) {
  auto claims = VerifyJwt(SignJwt(Claims(), "key"), "other", 1500);
  ASSERT_FALSE(claims.has_value());
  EXPECT_EQ(claims.error().code(), Status::Code::kAccessDenied);
}

TEST(JwtTest, ExpiredTokenIsRefused) {
  const std::string token = SignJwt(Claims(), "key");
  EXPECT_TRUE(VerifyJwt(token, "key", 1999).has_value());
  auto claims = VerifyJwt(token, "key", 2000);
  ASSERT_FALSE(claims.has_value());
  EXPECT_NE(claims.error().message().find("expired"), std::string::npos);
}

TEST(JwtTest, TamperedPayloadIsRefused) {
  const std::string token = SignJwt(Claims(), "key");
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  SessionClaims evil = Claims();
  evil.expires_at = 999999;
  const std::string other = SignJwt(evil, "attacker");
  const std::string forged =
      token.substr(0, dot1 + 1) +
      other.substr(other.find('.') + 1, other.rfind('.') - other.find('.') - 1) +
      token.substr(dot2);
  EXPECT_FALSE(VerifyJwt(forged, "key", 1500).has_value());
}

TEST(JwtTest, AlgNoneIsRefused) {
  const std::string header = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})");
  const std::string payload =
      Base64UrlEncode(R"({"sub":"maxioadmin","iat":1000,"exp":99999999999,"jti":"x","csrf":"y"})");
  EXPECT_FALSE(VerifyJwt(header + "." + payload + ".", "key", 1500).has_value());
  // Even with a valid HMAC over it, a header naming another algorithm is refused.
  const std::string input = header + "." + payload;
  EXPECT_FALSE(
      VerifyJwt(input + "." + Base64UrlEncode(HmacSha256("key", input)), "key", 1500).has_value());
}

// Found by fuzz/jwt_fuzz: a signed header whose "alg" is not a string threw
// nlohmann::json::type_error out of VerifyJwt (std::terminate in the console's session check).
TEST(JwtTest, NonStringAlgIsRefused) {
  const std::string payload = Base64UrlEncode(
      R"({"sub":"maxioadmin","knd":"root","iat":1000,"exp":99999999999,"jti":"x","csrf":"y"})");
  for (const char* header : {R"({"alg":5})", R"({"alg":null})", R"({"alg":["HS256"]})", "[1]"}) {
    const std::string input = Base64UrlEncode(header) + "." + payload;
    const std::string token = input + "." + Base64UrlEncode(HmacSha256("key", input));
    EXPECT_FALSE(VerifyJwt(token, "key", 1500).has_value()) << header;
  }
}

TEST(JwtTest, MalformedTokensAreRefused) {
  for (const char* bad : {"", "a", "a.b", "a.b.c.d", "...", "!!.??.##"}) {
    EXPECT_FALSE(VerifyJwt(bad, "key", 1500).has_value()) << bad;
  }
}

}  // namespace
}  // namespace maxiofs::console
