// ListObjects against a brute-force model of S3's listing rules over 10,000 keys, with random
// prefixes, delimiters and page sizes; pages are chained by next_start_after.
#include "test_util.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace maxiofs::engine {
namespace {

struct Page {
  std::vector<std::string> keys;
  std::vector<std::string> prefixes;
  bool truncated = false;
  std::string next;
};

// The model: walk every key in order, as S3 defines the result.
Page ModelList(const std::set<std::string>& all, const std::string& prefix,
               const std::string& delim, const std::string& after, uint32_t max) {
  Page p;
  uint32_t count = 0;
  std::string last_cp;
  for (const auto& k : all) {
    if (k.compare(0, prefix.size(), prefix) != 0 || k <= after) continue;
    std::string item = k;
    bool is_cp = false;
    if (!delim.empty()) {
      size_t pos = k.find(delim, prefix.size());
      if (pos != std::string::npos) {
        item = k.substr(0, pos + delim.size());
        is_cp = true;
        if (item == last_cp || item <= after) continue;
      }
    }
    if (count == max) {
      p.truncated = true;
      break;
    }
    if (is_cp) {
      p.prefixes.push_back(item);
      last_cp = item;
    } else {
      p.keys.push_back(item);
    }
    p.next = item;
    ++count;
  }
  if (!p.truncated) p.next.clear();
  return p;
}

class ListObjectsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    EngineOptions o;
    o.data_dir = dir_->str();
    o.sync = false;  // speed; durability is tested elsewhere
    engine_ = Engine::Open(o).value().release();
    ASSERT_TRUE(engine_->CreateBucket({"list"}).ok());
    ASSERT_TRUE(engine_->CreateBucket({"lisu"}).ok());  // a neighbour bucket must not leak in
    ASSERT_TRUE(Put(*engine_, "lisu", "a/zzz", "x").has_value());
    std::mt19937 rng(42);
    const std::vector<std::string> parts = {"a", "b", "photos", "2024", "x.y", "é", "z-z", "_"};
    const std::vector<std::string> seps = {"/", "/", "/", "-", "."};
    while (keys_->size() < 10000) {
      std::string k;
      int depth = 1 + rng() % 4;
      for (int i = 0; i < depth; ++i) {
        if (i) k += seps[rng() % seps.size()];
        k += parts[rng() % parts.size()];
      }
      k += std::to_string(rng() % 50);
      if (rng() % 7 == 0) k += "/";
      keys_->insert(k);
    }
    for (const auto& k : *keys_) ASSERT_TRUE(Put(*engine_, "list", k, "").has_value()) << k;
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete dir_;
  }
  static inline TempDir* dir_ = nullptr;
  static inline Engine* engine_ = nullptr;
  static inline std::set<std::string>* keys_ = new std::set<std::string>();
};

TEST_F(ListObjectsTest, MatchesTheModelPageByPage) {
  std::mt19937 rng(7);
  const std::vector<std::string> prefixes = {"", "a", "a/", "photos/", "b-", "é", "zz", "2024"};
  const std::vector<std::string> delims = {"", "/", "-", ".", "/2", "photos"};
  const std::vector<uint32_t> pages = {1, 2, 7, 100, 1000};
  int compared = 0;
  for (int round = 0; round < 60; ++round) {
    std::string prefix = prefixes[rng() % prefixes.size()];
    std::string delim = delims[rng() % delims.size()];
    uint32_t max = pages[rng() % pages.size()];
    std::string after = (round % 5 == 0) ? "b" : "";
    for (int page = 0; page < 40; ++page) {
      Page want = ModelList(*keys_, prefix, delim, after, max);
      auto got = engine_->ListObjects({"list", prefix, delim, after, max});
      ASSERT_TRUE(got.has_value()) << got.error().ToString();
      std::vector<std::string> keys;
      for (auto& o : got->objects) keys.push_back(o.key);
      ASSERT_EQ(keys, want.keys) << "prefix=" << prefix << " delim=" << delim << " after=" << after;
      ASSERT_EQ(got->common_prefixes, want.prefixes) << prefix << "|" << delim << "|" << after;
      ASSERT_EQ(got->truncated, want.truncated);
      ASSERT_EQ(got->next_start_after, want.next);
      ++compared;
      if (!want.truncated) break;
      after = want.next;
    }
  }
  EXPECT_GT(compared, 100);
}

TEST_F(ListObjectsTest, FullWalkReturnsEveryKeyOnce) {
  std::vector<std::string> seen;
  std::string after;
  for (;;) {
    auto got = engine_->ListObjects({"list", "", "", after, 1000});
    ASSERT_TRUE(got.has_value());
    for (auto& o : got->objects) seen.push_back(o.key);
    if (!got->truncated) break;
    after = got->next_start_after;
  }
  EXPECT_EQ(seen, std::vector<std::string>(keys_->begin(), keys_->end()));
}

TEST_F(ListObjectsTest, EdgeCases) {
  auto zero = engine_->ListObjects({"list", "", "", "", 0});
  ASSERT_TRUE(zero.has_value());
  EXPECT_TRUE(zero->objects.empty());
  EXPECT_FALSE(zero->truncated);
  auto huge = engine_->ListObjects({"list", "", "", "", 5000});
  ASSERT_TRUE(huge.has_value());
  EXPECT_EQ(huge->objects.size(), 1000u);  // clamped
  EXPECT_TRUE(engine_->ListObjects({"nobucket", "", "", "", 10}).error().IsNoSuchBucket());
  auto none = engine_->ListObjects({"list", "no-such-prefix", "", "", 10});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->objects.empty());
  EXPECT_FALSE(none->truncated);
  auto past = engine_->ListObjects({"list", "", "", "\xf4\x8f\xbf\xbf", 10});
  ASSERT_TRUE(past.has_value());
  EXPECT_TRUE(past->objects.empty());
}

}  // namespace
}  // namespace maxiofs::engine
