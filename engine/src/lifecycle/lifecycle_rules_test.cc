// The lifecycle rule language: validation (what S3 refuses), filters, expiry times and the
// per-key decisions, each case from S3's documentation ("Lifecycle configuration elements",
// "Expiring objects").
#include "lifecycle/lifecycle_rules.h"

#include "lifecycle/lifecycle_codec.h"

#include <gtest/gtest.h>

namespace maxiofs::engine::lifecycle {
namespace {

constexpr int64_t kSec = 1000000000LL;
constexpr int64_t kDay = kRealDayNs;

LifecycleRule Rule(std::string id) {
  LifecycleRule r;
  r.id = std::move(id);
  r.filter.prefix = "";
  return r;
}

LifecycleRule ExpireAfter(std::string id, uint32_t days, std::string prefix = "") {
  LifecycleRule r = Rule(std::move(id));
  r.filter.prefix = std::move(prefix);
  r.expiration = LifecycleExpiration{days, std::nullopt, std::nullopt};
  return r;
}

LifecycleRule Noncurrent(std::string id, uint32_t days,
                         std::optional<uint32_t> newer = std::nullopt) {
  LifecycleRule r = Rule(std::move(id));
  r.noncurrent_expiration = NoncurrentVersionExpiration{days, newer};
  return r;
}

LifecycleConfiguration Config(std::vector<LifecycleRule> rules) {
  return LifecycleConfiguration{std::move(rules)};
}

Status::Code CodeOf(const LifecycleConfiguration& c) { return Validate(c).code(); }

TEST(LifecycleValidate, AcceptsS3sRuleLanguage) {
  LifecycleRule a = ExpireAfter("a", 30, "logs/");
  LifecycleRule b = Noncurrent("b", 7, 3);
  LifecycleRule c = Rule("c");
  c.abort_incomplete_upload_days = 2;
  LifecycleRule d = Rule("d");
  d.filter.form = LifecycleFilter::Form::kAnd;
  d.filter.prefix = "x/";
  d.filter.tags = {{"k", "v"}, {"k2", ""}};
  d.filter.size_greater_than = 10;
  d.filter.size_less_than = 1000;
  d.expiration = LifecycleExpiration{std::nullopt, 1735689600LL * kSec, std::nullopt};
  LifecycleRule e = Rule("e");
  e.expiration = LifecycleExpiration{std::nullopt, std::nullopt, true};
  e.enabled = false;
  EXPECT_TRUE(Validate(Config({a, b, c, d, e})).ok())
      << Validate(Config({a, b, c, d, e})).ToString();
}

TEST(LifecycleValidate, RefusesWhatS3Refuses) {
  EXPECT_EQ(CodeOf(Config({})), Status::Code::kInvalidArgument);
  std::vector<LifecycleRule> many;
  for (int i = 0; i < 1001; ++i) many.push_back(ExpireAfter("r" + std::to_string(i), 1));
  EXPECT_EQ(CodeOf(Config(many)), Status::Code::kInvalidArgument);
  many.pop_back();
  EXPECT_TRUE(Validate(Config(many)).ok());

  EXPECT_EQ(CodeOf(Config({ExpireAfter(std::string(256, 'a'), 1)})),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(Validate(Config({ExpireAfter(std::string(255, 'a'), 1)})).ok());
  Status dup = Validate(Config({ExpireAfter("same", 1), ExpireAfter("same", 2)}));
  EXPECT_EQ(dup.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(dup.message().find("rule 'same'"), std::string_view::npos) << dup.message();
  EXPECT_EQ(CodeOf(Config({Rule("no-action")})), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(Config({ExpireAfter("zero", 0)})), Status::Code::kInvalidArgument);

  LifecycleRule two = ExpireAfter("two", 1);
  two.expiration->expired_object_delete_marker = true;
  EXPECT_EQ(CodeOf(Config({two})), Status::Code::kInvalidArgument);
  LifecycleRule empty = Rule("empty");
  empty.expiration = LifecycleExpiration{};
  EXPECT_EQ(CodeOf(Config({empty})), Status::Code::kInvalidArgument);
  LifecycleRule noon = Rule("noon");
  noon.expiration =
      LifecycleExpiration{std::nullopt, 1735689600LL * kSec + 12 * 3600 * kSec, std::nullopt};
  EXPECT_EQ(CodeOf(Config({noon})), Status::Code::kInvalidArgument);
  LifecycleRule marker_tags = Rule("mt");
  marker_tags.filter.tags = {{"k", "v"}};
  marker_tags.filter.prefix.reset();
  marker_tags.expiration = LifecycleExpiration{std::nullopt, std::nullopt, true};
  EXPECT_EQ(CodeOf(Config({marker_tags})), Status::Code::kInvalidArgument);

  EXPECT_EQ(CodeOf(Config({Noncurrent("nc0", 0)})), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(Config({Noncurrent("nc", 1, 0)})), Status::Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(Config({Noncurrent("nc", 1, 101)})), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Validate(Config({Noncurrent("nc", 1, 100)})).ok());
  LifecycleRule nodays = Rule("nodays");
  nodays.noncurrent_expiration = NoncurrentVersionExpiration{std::nullopt, 3};
  EXPECT_EQ(CodeOf(Config({nodays})), Status::Code::kInvalidArgument);

  LifecycleRule abort0 = Rule("abort0");
  abort0.abort_incomplete_upload_days = 0;
  EXPECT_EQ(CodeOf(Config({abort0})), Status::Code::kInvalidArgument);
  LifecycleRule abort_tag = Rule("abort-tag");
  abort_tag.filter.form = LifecycleFilter::Form::kAnd;
  abort_tag.filter.tags = {{"k", "v"}};
  abort_tag.abort_incomplete_upload_days = 1;
  EXPECT_EQ(CodeOf(Config({abort_tag})), Status::Code::kInvalidArgument);

  LifecycleRule two_members = ExpireAfter("tm", 1, "p/");
  two_members.filter.tags = {{"k", "v"}};
  EXPECT_EQ(CodeOf(Config({two_members})), Status::Code::kInvalidArgument);
  two_members.filter.form = LifecycleFilter::Form::kAnd;
  EXPECT_TRUE(Validate(Config({two_members})).ok());
  two_members.filter.tags = {{"k", "v"}, {"k", "w"}};
  EXPECT_EQ(CodeOf(Config({two_members})), Status::Code::kInvalidArgument);
  LifecycleRule sizes = ExpireAfter("sizes", 1);
  sizes.filter.form = LifecycleFilter::Form::kAnd;
  sizes.filter.size_greater_than = 100;
  sizes.filter.size_less_than = 100;
  EXPECT_EQ(CodeOf(Config({sizes})), Status::Code::kInvalidArgument);
  LifecycleRule long_key = ExpireAfter("tag", 1);
  long_key.filter.prefix.reset();
  long_key.filter.tags = {{std::string(129, 'k'), "v"}};
  EXPECT_EQ(CodeOf(Config({long_key})), Status::Code::kInvalidArgument);
}

TEST(LifecycleValidate, TransitionsAreInvalidStorageClasses) {
  LifecycleRule t = ExpireAfter("t", 30);
  t.transitions.push_back({30, std::nullopt, std::nullopt, "GLACIER"});
  Status s = Validate(Config({t}));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.subcode(), Status::SubCode::kInvalidStorageClass);
  EXPECT_NE(s.message().find("GLACIER"), std::string_view::npos);
  LifecycleRule nt = Noncurrent("nt", 30);
  nt.noncurrent_transitions.push_back({30, std::nullopt, 2, "STANDARD_IA"});
  EXPECT_EQ(Validate(Config({nt})).subcode(), Status::SubCode::kInvalidStorageClass);
}

TEST(LifecycleValidate, MissingIdsAreFilledIn) {
  LifecycleConfiguration c = Config({ExpireAfter("", 1), ExpireAfter("kept", 1)});
  AssignMissingIds(&c);
  EXPECT_EQ(c.rules[0].id.size(), 20u);
  EXPECT_EQ(c.rules[1].id, "kept");
}

TEST(LifecycleTime, RealDaysRoundUpToMidnightUtc) {
  const int64_t midnight = 1735689600LL * kSec;  // 2025-01-01T00:00:00Z
  EXPECT_EQ(ExpiryAfterDays(midnight + 5 * kSec, 1, kDay), midnight + 2 * kDay);
  EXPECT_EQ(ExpiryAfterDays(midnight, 1, kDay), midnight + kDay);
  EXPECT_EQ(ExpiryAfterDays(midnight + kDay - 1, 30, kDay), midnight + 31 * kDay);
  // A test day is not rounded (as RGW's rgw_lc_debug_interval).
  EXPECT_EQ(ExpiryAfterDays(midnight + 5 * kSec, 3, 10 * kSec), midnight + 35 * kSec);
  EXPECT_EQ(ExpiryAfterDays(std::numeric_limits<int64_t>::max() - 5, 100000, kDay),
            std::numeric_limits<int64_t>::max());
}

TEST(LifecycleFilterTest, PrefixTagsAndSizes) {
  LifecycleFilter f;
  f.form = LifecycleFilter::Form::kAnd;
  f.prefix = "logs/";
  f.tags = {{"type", "tmp"}};
  f.size_greater_than = 10;
  f.size_less_than = 100;
  const Tags tags = {{"other", "x"}, {"type", "tmp"}};
  const Tags wrong = {{"type", "keep"}};
  EXPECT_TRUE(Matches(f, "logs/a", 50, &tags));
  EXPECT_FALSE(Matches(f, "other/a", 50, &tags));
  EXPECT_FALSE(Matches(f, "logs/a", 50, &wrong));
  EXPECT_FALSE(Matches(f, "logs/a", 50, nullptr));
  EXPECT_FALSE(Matches(f, "logs/a", 10, &tags));                    // greater than is exclusive
  EXPECT_FALSE(Matches(f, "logs/a", 100, &tags));                   // less than is exclusive
  EXPECT_TRUE(Matches(LifecycleFilter{}, "anything", 0, nullptr));  // empty Filter: every object
}

std::vector<VersionView> Versions(std::initializer_list<std::pair<bool, int64_t>> v) {
  std::vector<VersionView> out;
  for (auto [marker, mtime] : v) out.push_back(VersionView{marker, marker ? 0u : 100u, mtime});
  return out;
}

TEST(LifecycleEvaluate, CurrentVersionExpiresAfterItsDays) {
  const int64_t t0 = 1735689600LL * kSec + 3600 * kSec;
  const auto config = Config({ExpireAfter("r", 2, "a/")});
  const auto v = Versions({{false, t0}});
  EXPECT_TRUE(EvaluateKey(config, "a/x", v, {}, t0 + 2 * kDay, kDay).empty());  // not midnight
  auto d = EvaluateKey(config, "a/x", v, {}, t0 - 3600 * kSec + 3 * kDay, kDay);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, Decision::Kind::kExpireCurrent);
  EXPECT_EQ(d[0].rule_id, "r");
  EXPECT_TRUE(EvaluateKey(config, "b/x", v, {}, t0 + 10 * kDay, kDay).empty());
  // A disabled rule does nothing; a date rule acts from its date.
  auto disabled = config;
  disabled.rules[0].enabled = false;
  EXPECT_TRUE(EvaluateKey(disabled, "a/x", v, {}, t0 + 10 * kDay, kDay).empty());
  LifecycleRule date = Rule("date");
  date.expiration = LifecycleExpiration{std::nullopt, t0 + kDay - 3600 * kSec, std::nullopt};
  EXPECT_TRUE(EvaluateKey(Config({date}), "a/x", v, {}, t0, kDay).empty());
  EXPECT_EQ(EvaluateKey(Config({date}), "a/x", v, {}, t0 + kDay, kDay).size(), 1u);
}

TEST(LifecycleEvaluate, ACurrentDeleteMarkerWithVersionsIsLeftAlone) {
  const auto config = Config({ExpireAfter("r", 1)});
  const auto v = Versions({{true, 0}, {false, 0}});
  EXPECT_TRUE(EvaluateKey(config, "k", v, {}, 100 * kDay, kDay).empty());
}

TEST(LifecycleEvaluate, NoncurrentVersionsByAgeAndCount) {
  // v0 current (t=5 days), v1..v4 noncurrent since 5, 4, 3, 2 days.
  const auto v = Versions({{false, 5 * kDay},
                           {false, 4 * kDay},
                           {false, 3 * kDay},
                           {false, 2 * kDay},
                           {false, 1 * kDay}});
  auto by_age = EvaluateKey(Config({Noncurrent("n", 2)}), "k", v, {}, 6 * kDay, kDay);
  // v_i became noncurrent when v_{i-1} was created: v1 at day 5 (1 day ago), v2 at day 4 ...
  std::vector<size_t> idx;
  for (auto& d : by_age) idx.push_back(d.index);
  EXPECT_EQ(idx, (std::vector<size_t>{2, 3, 4}));
  auto keep_two = EvaluateKey(Config({Noncurrent("n", 1, 2)}), "k", v, {}, 6 * kDay, kDay);
  idx.clear();
  for (auto& d : keep_two) idx.push_back(d.index);
  EXPECT_EQ(idx, (std::vector<size_t>{3, 4}));  // the two newest noncurrent ones stay
  // In a later chunk, ranks and ages continue from the chunk before.
  ChunkPlace later{false, true, 2, 3 * kDay};
  auto tail = EvaluateKey(Config({Noncurrent("n", 1, 2)}), "k",
                          std::span<const VersionView>(v).subspan(3), later, 6 * kDay, kDay);
  idx.clear();
  for (auto& d : tail) idx.push_back(d.index);
  EXPECT_EQ(idx, (std::vector<size_t>{0, 1}));
}

TEST(LifecycleEvaluate, ExpiredObjectDeleteMarkers) {
  LifecycleRule eodm = Rule("eodm");
  eodm.expiration = LifecycleExpiration{std::nullopt, std::nullopt, true};
  const auto lone = Versions({{true, kDay}});
  auto d = EvaluateKey(Config({eodm}), "k", lone, {}, kDay + 1, kDay);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, Decision::Kind::kRemoveDeleteMarker);
  // Not lone: nothing.
  EXPECT_TRUE(
      EvaluateKey(Config({eodm}), "k", Versions({{true, kDay}, {false, 0}}), {}, 100 * kDay, kDay)
          .empty());
  // Lone once the noncurrent versions go in the same pass.
  LifecycleRule both = Noncurrent("both", 1);
  both.expiration = eodm.expiration;
  auto d2 =
      EvaluateKey(Config({both}), "k", Versions({{true, kDay}, {false, 0}}), {}, 10 * kDay, kDay);
  ASSERT_EQ(d2.size(), 2u);
  EXPECT_EQ(d2[0].kind, Decision::Kind::kRemoveNoncurrent);
  EXPECT_EQ(d2[1].kind, Decision::Kind::kRemoveDeleteMarker);
  // Unless more versions follow in another chunk.
  ChunkPlace not_last{true, false, 0, 0};
  EXPECT_EQ(EvaluateKey(Config({both}), "k", Versions({{true, kDay}, {false, 0}}), not_last,
                        10 * kDay, kDay)
                .size(),
            1u);
  // A Days expiration removes a lone marker once it is that old.
  auto days = Config({ExpireAfter("days", 5)});
  EXPECT_TRUE(EvaluateKey(days, "k", lone, {}, 3 * kDay, kDay).empty());
  EXPECT_EQ(EvaluateKey(days, "k", lone, {}, 7 * kDay, kDay).size(), 1u);
}

TEST(LifecycleEvaluate, ExpiryOfTheCurrentVersionComesAlone) {
  // Noncurrent versions wait for a later pass (after the new delete marker).
  LifecycleRule r = ExpireAfter("r", 1);
  r.noncurrent_expiration = NoncurrentVersionExpiration{1, std::nullopt};
  auto d =
      EvaluateKey(Config({r}), "k", Versions({{false, kDay}, {false, 0}}), {}, 10 * kDay, kDay);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, Decision::Kind::kExpireCurrent);
}

TEST(LifecycleEvaluate, CurrentExpirationPicksTheSoonestMatchingRule) {
  auto c =
      Config({ExpireAfter("late", 30), ExpireAfter("soon", 3, "a/"), ExpireAfter("x", 1, "b/")});
  auto e = CurrentExpiration(c, "a/k", 5, nullptr, kDay, kDay);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->rule_id, "soon");
  EXPECT_EQ(e->date_ns, 4 * kDay);
  EXPECT_FALSE(CurrentExpiration(Config({Noncurrent("n", 1)}), "a", 1, nullptr, 0, kDay));
}

TEST(LifecycleEvaluate, AbortIncompleteUploads) {
  LifecycleRule r = Rule("abort");
  r.filter.prefix = "tmp/";
  r.abort_incomplete_upload_days = 2;
  auto c = Config({r});
  EXPECT_FALSE(AbortUploadRule(c, "tmp/a", kDay, 2 * kDay, kDay));
  EXPECT_EQ(AbortUploadRule(c, "tmp/a", kDay, 3 * kDay, kDay), "abort");
  EXPECT_FALSE(AbortUploadRule(c, "other", kDay, 30 * kDay, kDay));
}

TEST(LifecycleCodec, ConfigurationsAndCursorsRoundTrip) {
  LifecycleRule a = ExpireAfter("a", 30, "logs/");
  a.filter.form = LifecycleFilter::Form::kRulePrefix;
  LifecycleRule b = Noncurrent("b", 7, 3);
  b.filter.prefix.reset();
  b.filter.form = LifecycleFilter::Form::kAnd;
  b.filter.tags = {{"k", "v"}};
  b.filter.size_less_than = 5;
  b.abort_incomplete_upload_days = 4;
  b.enabled = false;
  LifecycleRule c = Rule("c");
  c.expiration = LifecycleExpiration{std::nullopt, 1735689600LL * kSec, false};
  const LifecycleConfiguration config = Config({a, b, c});
  auto back = DecodeConfig(EncodeConfig(config));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, config);
  std::string damaged = EncodeConfig(config);
  damaged.pop_back();
  EXPECT_EQ(DecodeConfig(damaged).error().code(), Status::Code::kCorruption);
  EXPECT_EQ(DecodeConfig(damaged + "xx").error().code(), Status::Code::kCorruption);
  Cursor cur{Cursor::Phase::kUploads, "key", std::string("\x01\x02", 2), 7, 123, 456};
  auto cb = DecodeCursor(EncodeCursor(cur));
  ASSERT_TRUE(cb.has_value());
  EXPECT_EQ(*cb, cur);
  EXPECT_FALSE(DecodeCursor("").has_value());
}

}  // namespace
}  // namespace maxiofs::engine::lifecycle
