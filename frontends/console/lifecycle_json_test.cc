// The console's lifecycle JSON (boto3's shape) to the engine's configuration and back.
#include "lifecycle_json.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

nlohmann::json Parse(const char* text) { return nlohmann::json::parse(text); }

TEST(LifecycleJson, RoundTripsEveryShape) {
  const nlohmann::json doc = Parse(R"({"Rules": [
    {"ID": "a", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}},
    {"ID": "b", "Status": "Disabled", "Prefix": "old/",
     "NoncurrentVersionExpiration": {"NoncurrentDays": 7, "NewerNoncurrentVersions": 2}},
    {"ID": "c", "Status": "Enabled",
     "Filter": {"And": {"Prefix": "x/", "Tags": [{"Key": "k", "Value": "v"}],
                        "ObjectSizeGreaterThan": 5, "ObjectSizeLessThan": 50}},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}},
    {"ID": "d", "Status": "Enabled", "Filter": {"Tag": {"Key": "t", "Value": "1"}},
     "Expiration": {"Date": "2030-01-01T00:00:00Z"}},
    {"ID": "e", "Status": "Enabled", "Filter": {}, "Expiration": {"ExpiredObjectDeleteMarker": true}}
  ]})");
  auto c = LifecycleFromJson(doc);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  ASSERT_EQ(c->rules.size(), 5u);
  EXPECT_EQ(c->rules[1].filter.form, engine::LifecycleFilter::Form::kRulePrefix);
  EXPECT_EQ(c->rules[2].filter.form, engine::LifecycleFilter::Form::kAnd);
  EXPECT_EQ(c->rules[2].filter.tags.size(), 1u);
  EXPECT_EQ(c->rules[3].expiration->date_ns, 1893456000LL * 1000000000LL);
  EXPECT_TRUE(*c->rules[4].expiration->expired_object_delete_marker);
  nlohmann::json back = LifecycleToJson(*c);
  EXPECT_EQ(back["Rules"][0], doc["Rules"][0]);
  EXPECT_EQ(back["Rules"][1], doc["Rules"][1]);
  EXPECT_EQ(back["Rules"][2], doc["Rules"][2]);
  EXPECT_EQ(back["Rules"][4], doc["Rules"][4]);
  EXPECT_EQ(back["Rules"][3]["Expiration"]["Date"], "2030-01-01T00:00:00.000Z");
  // A plain date is midnight UTC.
  auto d = LifecycleFromJson(Parse(R"({"Rules": [{"Status": "Enabled", "Filter": {},
                                        "Expiration": {"Date": "2030-01-01"}}]})"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rules[0].expiration->date_ns, 1893456000LL * 1000000000LL);
}

TEST(LifecycleJson, RefusesBadShapesNamingTheRule) {
  const char* bad[] = {
      R"({})",
      R"({"Rules": {}})",
      R"({"Rules": [], "Extra": 1})",
      R"({"Rules": [{"ID": "r", "Status": "enabled", "Filter": {}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled"}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Prefix": "a", "Filter": {}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {"Bogus": 1}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {"And": {}, "Prefix": "a"}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": -1}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": "3"}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Date": "soon"}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {"Tag": {"Key": "k"}}}]})",
      R"({"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {},
                     "AbortIncompleteMultipartUpload": {}}]})",
  };
  for (const char* text : bad) {
    auto c = LifecycleFromJson(Parse(text));
    ASSERT_FALSE(c.has_value()) << text;
    EXPECT_EQ(c.error().code(), Status::Code::kInvalidArgument) << text;
  }
  auto named =
      LifecycleFromJson(Parse(R"({"Rules": [{"ID": "my-rule", "Status": "On", "Filter": {}}]})"));
  EXPECT_NE(named.error().message().find("rule 'my-rule'"), std::string_view::npos);
}

}  // namespace
}  // namespace maxiofs::console
