#include "cors_json.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

TEST(CorsJsonTest, RoundTripsEveryMember) {
  engine::CorsConfiguration c;
  engine::CorsRule r;
  r.id = "web";
  r.allowed_methods = {"GET", "PUT"};
  r.allowed_origins = {"https://app.example"};
  r.allowed_headers = {"*"};
  r.expose_headers = {"ETag"};
  r.max_age_seconds = 600;
  c.rules.push_back(r);
  engine::CorsRule bare;
  bare.allowed_methods = {"HEAD"};
  bare.allowed_origins = {"*"};
  c.rules.push_back(bare);
  nlohmann::json j = CorsRulesJson(c);
  EXPECT_EQ(j["rules"][0]["allowedMethods"], nlohmann::json::array({"GET", "PUT"}));
  EXPECT_EQ(j["rules"][0]["maxAgeSeconds"], 600);
  EXPECT_TRUE(j["rules"][1]["maxAgeSeconds"].is_null());
  auto back = ParseCorsRules(j);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, c);
}

TEST(CorsJsonTest, RefusesOtherShapesNamingTheMember) {
  auto msg = [](const char* text) {
    auto r = ParseCorsRules(nlohmann::json::parse(text));
    EXPECT_FALSE(r.has_value()) << text;
    return r.has_value() ? std::string() : std::string(r.error().message());
  };
  EXPECT_NE(msg("[]").find("object"), std::string::npos);
  EXPECT_NE(msg("{}").find("rules"), std::string::npos);
  EXPECT_NE(msg(R"({"rules": [1]})").find("rules[1]"), std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"allowedMethods": "GET"}]})").find("rules[1].allowedMethods"),
            std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{}, {"allowedOrigins": [1]}]})").find("rules[2].allowedOrigins"),
            std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"maxAgeSeconds": -1}]})").find("maxAgeSeconds"), std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"maxAgeSeconds": 1.5}]})").find("maxAgeSeconds"), std::string::npos);
  EXPECT_NE(msg(R"({"rules": [{"id": 3}]})").find("id"), std::string::npos);
  // Shape only: whether the rules are valid is the engine's call.
  EXPECT_TRUE(ParseCorsRules(nlohmann::json::parse(R"({"rules": [{"allowedMethods": ["PATCH"]}]})"))
                  .has_value());
}

}  // namespace
}  // namespace maxiofs::console
