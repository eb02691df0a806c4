// The lifecycle worker through a real engine: a model of S3's rules over random versioned
// histories (like the versioning model test), object lock, passes cut into many slices, and
// kill -9 in the middle of a slice.
#include "engine_impl.h"
#include "kill_rounds.h"
#include "lifecycle/lifecycle_worker.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <random>
#include <thread>

namespace maxiofs::engine {
namespace {

using lifecycle::Worker;

EngineOptions Options(const std::string& dir) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = 1024;
  o.sync = false;
  o.lifecycle.interval_seconds = 0;  // passes only when the test runs one
  return o;
}

Worker& WorkerOf(Engine& e) { return static_cast<EngineImpl&>(e).lifecycle_worker(); }

// Every version of a bucket, by key, newest first.
std::map<std::string, std::vector<ObjectInfo>> Versions(Engine& e, const std::string& bucket) {
  std::map<std::string, std::vector<ObjectInfo>> out;
  ListVersionsRequest req{bucket, "", "", "", "", 1000};
  for (;;) {
    auto page = e.ListObjectVersions(req);
    EXPECT_TRUE(page.has_value());
    if (!page.has_value()) return out;
    for (auto& v : page->versions) out[v.key].push_back(v);
    if (!page->truncated) return out;
    req.key_marker = page->next_key_marker;
    req.version_id_marker = page->next_version_id_marker;
  }
}

// --- The model: S3's rules, written independently of lifecycle_rules.cc ------------------------

bool ModelMatches(const LifecycleRule& r, const std::string& key, uint64_t size) {
  if (r.filter.prefix && !key.starts_with(*r.filter.prefix)) return false;
  if (r.filter.size_greater_than && size <= *r.filter.size_greater_than) return false;
  if (r.filter.size_less_than && size >= *r.filter.size_less_than) return false;
  return true;
}

bool Locked(const ObjectInfo& v, int64_t now) {
  return !v.delete_marker && (v.legal_hold || (v.retention.mode != LockMode::kNone &&
                                               v.retention.retain_until_ns > now));
}

// What one pass at `now` leaves of a key's versions ("+M" stands for a new delete marker, "+N"
// for a new null delete marker). Versions are "id:M" or "id:-".
std::vector<std::string> ModelPass(const LifecycleConfiguration& c, VersioningState state,
                                   const std::string& key, const std::vector<ObjectInfo>& vs,
                                   int64_t now, int64_t day) {
  std::vector<std::string> out;
  auto name = [](const ObjectInfo& v) { return v.version_id + (v.delete_marker ? ":M" : ":-"); };
  const int64_t real_now = NowNs();
  const ObjectInfo& cur = vs.front();
  if (!cur.delete_marker) {
    bool expire = false;
    for (const auto& r : c.rules) {
      if (!r.enabled || !r.expiration || !ModelMatches(r, key, cur.size)) continue;
      if (r.expiration->days && now >= cur.last_modified_ns + *r.expiration->days * day)
        expire = true;
      if (r.expiration->date_ns && now >= *r.expiration->date_ns) expire = true;
    }
    if (expire) {
      if (state == VersioningState::kUnversioned) {
        if (Locked(cur, real_now)) out.push_back(name(cur));
        return out;  // removed
      }
      if (state == VersioningState::kSuspended) {
        auto null =
            std::find_if(vs.begin(), vs.end(), [](auto& v) { return v.version_id == "null"; });
        if (null != vs.end() && Locked(*null, real_now)) {
          for (auto& v : vs) out.push_back(name(v));
          return out;
        }
        out.push_back("+N");
        for (auto& v : vs) {
          if (v.version_id != "null") out.push_back(name(v));
        }
        return out;
      }
      out.push_back("+M");
      for (auto& v : vs) out.push_back(name(v));
      return out;
    }
  }
  std::vector<bool> removed(vs.size(), false);
  bool skipped = false;
  for (size_t i = 1; i < vs.size(); ++i) {
    const int64_t since = vs[i - 1].last_modified_ns;
    const uint64_t size = vs[i].delete_marker ? 0 : vs[i].size;
    for (const auto& r : c.rules) {
      if (!r.enabled || !r.noncurrent_expiration || !ModelMatches(r, key, size)) continue;
      const auto& n = *r.noncurrent_expiration;
      if (now < since + *n.noncurrent_days * day) continue;
      if (n.newer_noncurrent_versions && i - 1 < *n.newer_noncurrent_versions) continue;
      if (Locked(vs[i], real_now)) {
        skipped = true;
      } else {
        removed[i] = true;
      }
      break;
    }
  }
  bool drop_marker = false;
  if (cur.delete_marker && !skipped &&
      std::all_of(removed.begin() + 1, removed.end(), [](bool b) { return b; })) {
    for (const auto& r : c.rules) {
      if (!r.enabled || !r.expiration || !ModelMatches(r, key, 0)) continue;
      const auto& e = *r.expiration;
      if (e.expired_object_delete_marker.value_or(false) ||
          (e.days && now >= cur.last_modified_ns + *e.days * day) ||
          (e.date_ns && now >= *e.date_ns)) {
        drop_marker = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < vs.size(); ++i) {
    if (i == 0 ? drop_marker : removed[i]) continue;
    out.push_back(name(vs[i]));
  }
  return out;
}

LifecycleConfiguration RandomConfig(std::mt19937& rng) {
  static const char* kPrefixes[] = {"", "a/", "b/", "a/x"};
  LifecycleConfiguration c;
  const int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    LifecycleRule r;
    r.id = "r" + std::to_string(i);
    r.enabled = rng() % 6 != 0;
    r.filter.form = LifecycleFilter::Form::kAnd;
    r.filter.prefix = kPrefixes[rng() % 4];
    if (rng() % 4 == 0) r.filter.size_greater_than = 100;
    if (rng() % 4 == 0) r.filter.size_less_than = 2000;
    switch (rng() % 4) {
      case 0:
        r.expiration = LifecycleExpiration{1 + static_cast<uint32_t>(rng() % 20), {}, {}};
        break;
      case 1:
        r.expiration = LifecycleExpiration{{}, {}, true};
        r.noncurrent_expiration =
            NoncurrentVersionExpiration{1 + static_cast<uint32_t>(rng() % 20), {}};
        break;
      case 2:
        r.noncurrent_expiration = NoncurrentVersionExpiration{1 + static_cast<uint32_t>(rng() % 20),
                                                              1 + static_cast<uint32_t>(rng() % 3)};
        break;
      default:
        r.expiration = LifecycleExpiration{1 + static_cast<uint32_t>(rng() % 20), {}, {}};
        r.noncurrent_expiration =
            NoncurrentVersionExpiration{1 + static_cast<uint32_t>(rng() % 20), {}};
        break;
    }
    c.rules.push_back(std::move(r));
  }
  return c;
}

// Random histories in an object-lock bucket (versioned, some versions under legal hold), a
// suspended bucket and an unversioned one; after each round of writes, one pass cut into
// small slices must leave exactly what the model says, with counters equal to a scan.
TEST(LifecycleModelTest, PassesDoWhatTheRulesSay) {
  TempDir dir;
  auto opened = Engine::Open(Options(dir.str()));
  ASSERT_TRUE(opened.has_value());
  auto e = std::move(opened).value();
  constexpr int64_t kTestDay = 2'000'000;  // 2 ms: the history spans dozens of days
  Worker& w = WorkerOf(*e);
  w.TEST_SetDayNs(kTestDay);
  w.TEST_SetLimits({.slice_keys = 7, .batch_keys = 3, .chunk_versions = 1000});
  ASSERT_TRUE(e->CreateBucket({"lock", true}).ok());
  ASSERT_TRUE(e->CreateBucket({"susp"}).ok());
  ASSERT_TRUE(e->CreateBucket({"plain"}).ok());
  ASSERT_TRUE(e->PutBucketVersioning("susp", VersioningState::kEnabled).ok());
  std::map<std::string, VersioningState> state = {{"lock", VersioningState::kEnabled},
                                                  {"susp", VersioningState::kEnabled},
                                                  {"plain", VersioningState::kUnversioned}};
  std::mt19937 rng(7);
  auto key = [&] {
    static const char* kKeys[] = {"a/1", "a/2", "a/x/3", "b/4", "b/5", "c/6", "7"};
    return std::string(kKeys[rng() % 7]);
  };
  uint64_t actions_total = 0, locked_seen = 0;
  for (int round = 0; round < 12; ++round) {
    for (const char* b : {"lock", "susp", "plain"}) {
      for (int op = 0; op < 25; ++op) {
        const int kind = static_cast<int>(rng() % 10);
        if (kind < 6) {
          PutObjectRequest req;
          if (std::string(b) == "lock" && rng() % 5 == 0) req.lock.legal_hold = true;
          ASSERT_TRUE(Put(*e, b, key(), Pattern(rng() % 3000, rng()), req).has_value());
        } else if (kind < 9) {
          ASSERT_TRUE(e->DeleteObject(DelReq(b, key())).has_value());
        } else if (std::string(b) == "susp") {
          const VersioningState s =
              rng() % 2 ? VersioningState::kEnabled : VersioningState::kSuspended;
          ASSERT_TRUE(e->PutBucketVersioning(b, s).ok());
          state[b] = s;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 1500));
      }
    }
    const int64_t now = NowNs() + static_cast<int64_t>(rng() % 15) * kTestDay + kTestDay / 2;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> want;
    std::map<std::string, LifecycleConfiguration> configs;
    for (const char* b : {"lock", "susp", "plain"}) {
      LifecycleConfiguration c = RandomConfig(rng);
      ASSERT_TRUE(e->PutBucketLifecycle(b, c).ok());
      configs[b] = c;
      for (auto& [k, vs] : Versions(*e, b)) {
        auto after = ModelPass(c, state[b], k, vs, now, kTestDay);
        if (!after.empty()) want[b][k] = after;
      }
    }
    auto done = w.RunPass(now);
    ASSERT_TRUE(done.has_value()) << done.error().ToString();
    actions_total += *done;
    for (const char* b : {"lock", "susp", "plain"}) {
      std::map<std::string, std::vector<std::string>> got;
      for (auto& [k, vs] : Versions(*e, b)) {
        const auto& expected = want[b][k];
        std::vector<std::string> names;
        for (size_t i = 0; i < vs.size(); ++i) {
          const ObjectInfo& v = vs[i];
          std::string n = v.version_id + (v.delete_marker ? ":M" : ":-");
          // A marker the pass added: its id is new.
          if (i == 0 && v.delete_marker && !expected.empty() &&
              (expected[0] == "+M" || expected[0] == "+N")) {
            n = expected[0] == "+N" && v.version_id == "null" ? "+N" : "+M";
          }
          names.push_back(n);
        }
        got[k] = names;
      }
      EXPECT_EQ(got, want[b]) << "round " << round << " bucket " << b;
      auto v = e->VerifyBucketUsage(b, false);
      ASSERT_TRUE(v.has_value());
      EXPECT_TRUE(v->matches()) << "round " << round << " bucket " << b;
    }
    locked_seen = e->GetLifecycleStats().locked_skipped;
  }
  EXPECT_GT(actions_total, 50u);  // the rules did act
  EXPECT_GT(locked_seen, 0u);     // and locked versions were kept
  EXPECT_EQ(e->GetLifecycleStats().passes, 12u);
}

// A key with more versions than one step looks at is handled in chunks, carrying the count
// of newer noncurrent versions and when the first of a chunk became noncurrent.
TEST(LifecycleWorkerTest, KeysWithManyVersionsGoInChunks) {
  TempDir dir;
  auto e = std::move(Engine::Open(Options(dir.str()))).value();
  Worker& w = WorkerOf(*e);
  w.TEST_SetLimits({.slice_keys = 5, .batch_keys = 2, .chunk_versions = 4});
  ASSERT_TRUE(e->CreateBucket({"many"}).ok());
  ASSERT_TRUE(e->PutBucketVersioning("many", VersioningState::kEnabled).ok());
  for (int i = 0; i < 23; ++i) ASSERT_TRUE(Put(*e, "many", "k", std::to_string(i)).has_value());
  ASSERT_TRUE(Put(*e, "many", "other", "x").has_value());
  LifecycleRule r;
  r.id = "keep5";
  r.filter.prefix = "";
  r.noncurrent_expiration = NoncurrentVersionExpiration{1, 5};
  ASSERT_TRUE(e->PutBucketLifecycle("many", LifecycleConfiguration{{r}}).ok());
  auto done = w.RunPass(NowNs() + 3 * lifecycle::kRealDayNs);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(*done, 17u);  // 22 noncurrent versions, the 5 newest kept
  auto vs = Versions(*e, "many");
  ASSERT_EQ(vs["k"].size(), 6u);
  EXPECT_EQ(*Get(*e, "many", "k"), "22");
  EXPECT_EQ(vs["other"].size(), 1u);
  auto stats = e->GetLifecycleStats();
  EXPECT_EQ(stats.versions_expired, 17u);
  EXPECT_TRUE(e->VerifyBucketUsage("many", false)->matches());
}

// Under a foreground write load the worker pauses between steps (Limits::yield), and it still
// expires everything (blobs included: they are deleted after the locks are let go); Stop ends
// a pause at once instead of waiting it out.
TEST(LifecycleWorkerTest, YieldsToWritersAndStopsDuringAPause) {
  TempDir dir;
  auto e = std::move(Engine::Open(Options(dir.str()))).value();
  Worker& w = WorkerOf(*e);
  w.TEST_SetLimits({.slice_keys = 10, .batch_keys = 4, .chunk_versions = 1000, .yield = 1.0});
  ASSERT_TRUE(e->CreateBucket({"old"}).ok());
  ASSERT_TRUE(e->CreateBucket({"busy"}).ok());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(Put(*e, "old", "k" + std::to_string(i), Pattern(2000, i)).has_value());
  }
  LifecycleRule r;
  r.id = "all";
  r.filter.prefix = "";
  r.expiration = LifecycleExpiration{1, {}, {}};
  ASSERT_TRUE(e->PutBucketLifecycle("old", LifecycleConfiguration{{r}}).ok());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      static_cast<void>(Put(*e, "busy", "w" + std::to_string(i % 50), "x"));
    }
  });
  auto done = w.RunPass(NowNs() + 3 * lifecycle::kRealDayNs);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(*done, 40u);
  EXPECT_TRUE(Versions(*e, "old").empty());
  EXPECT_EQ(CountFiles(dir.path() / "objects"), 0u);  // "busy"'s bodies are inline
  EXPECT_TRUE(e->VerifyBucketUsage("old", false)->matches());

  // Pauses of up to a minute per step: a pass over new objects is stopped in its first pause.
  // A write after each batch (from the hook, so it never depends on the writer thread being
  // scheduled) makes every step see foreground work.
  w.TEST_SetAfterBatch([&] { static_cast<void>(Put(*e, "busy", "hook", "x")); });
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(Put(*e, "old", "n" + std::to_string(i), Pattern(2000, i)).has_value());
  }
  w.TEST_SetLimits({.slice_keys = 10,
                    .batch_keys = 4,
                    .chunk_versions = 1000,
                    .yield = 1e9,
                    .max_pause_ms = 60000});
  std::promise<Result<uint64_t>> result;
  auto future = result.get_future();
  std::thread pass([&] { result.set_value(w.RunPass(NowNs() + 3 * lifecycle::kRealDayNs)); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (Versions(*e, "old").size() == 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  w.Stop();
  const bool returned = future.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  stop = true;
  writer.join();
  pass.join();  // returns at the latest after the 60 s pause: the assertion below tells
  EXPECT_TRUE(returned) << "Stop did not end the pause";
  EXPECT_LT(Versions(*e, "old").size(), 40u);
  EXPECT_GT(Versions(*e, "old").size(), 0u);
  EXPECT_TRUE(e->VerifyBucketUsage("old", false)->matches());
}

// Uploads, buckets without rules, locked current versions in an unversioned bucket's sense
// (the version stays), and the audit events.
TEST(LifecycleWorkerTest, AbortsUploadsAndReportsEveryAction) {
  TempDir dir;
  auto e = std::move(Engine::Open(Options(dir.str()))).value();
  struct Recorder : LifecycleListener {
    std::vector<LifecycleEvent> events;
    std::mutex mu;
    void OnLifecycle(const LifecycleEvent& ev) override {
      std::lock_guard<std::mutex> l(mu);
      events.push_back(ev);
    }
  } rec;
  e->SubscribeLifecycle(&rec);
  ASSERT_TRUE(e->CreateBucket({"upl"}).ok());
  ASSERT_TRUE(e->CreateBucket({"norules"}).ok());
  for (const char* k : {"tmp/a", "keep/b"}) {
    CreateMultipartRequest c;
    c.bucket = "upl";
    c.key = k;
    ASSERT_TRUE(e->CreateMultipartUpload(c).has_value());
  }
  ASSERT_TRUE(Put(*e, "upl", "tmp/old", std::string(300, 'x')).has_value());
  ASSERT_TRUE(Put(*e, "norules", "tmp/old", "x").has_value());
  LifecycleRule abort;
  abort.id = "abort-tmp";
  abort.filter.prefix = "tmp/";
  abort.abort_incomplete_upload_days = 1;
  abort.expiration = LifecycleExpiration{2, {}, {}};
  ASSERT_TRUE(e->PutBucketLifecycle("upl", LifecycleConfiguration{{abort}}).ok());
  auto first = e->RunLifecycle();  // nothing is old enough yet
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, 0u);
  auto done = WorkerOf(*e).RunPass(NowNs() + 4 * lifecycle::kRealDayNs);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(*done, 2u);
  auto uploads = e->ListMultipartUploads({"upl", "", "", "", "", 1000});
  ASSERT_EQ(uploads->uploads.size(), 1u);
  EXPECT_EQ(uploads->uploads[0].key, "keep/b");
  EXPECT_FALSE(e->HeadObject(HeadReq("upl", "tmp/old")).has_value());
  EXPECT_TRUE(e->HeadObject(HeadReq("norules", "tmp/old")).has_value());
  std::lock_guard<std::mutex> l(rec.mu);
  ASSERT_EQ(rec.events.size(), 2u);
  EXPECT_EQ(rec.events[0].action, LifecycleEvent::Action::kObjectExpired);
  EXPECT_EQ(rec.events[0].key, "tmp/old");
  EXPECT_EQ(rec.events[0].size, 300u);
  EXPECT_EQ(rec.events[0].rule_id, "abort-tmp");
  EXPECT_EQ(rec.events[1].action, LifecycleEvent::Action::kUploadAborted);
  EXPECT_EQ(rec.events[1].key, "tmp/a");
  auto stats = e->GetLifecycleStats();
  EXPECT_EQ(stats.objects_expired, 1u);
  EXPECT_EQ(stats.bytes_expired, 300u);
  EXPECT_EQ(stats.uploads_aborted, 1u);
  EXPECT_EQ(e->GetBucketUsage("upl")->uploads, 1u);
  e->UnsubscribeLifecycle(&rec);
}

TEST(LifecycleWorkerTest, ConfigurationsPersistAndGoWithTheBucket) {
  TempDir dir;
  LifecycleRule r;
  r.id = "";
  r.filter.form = LifecycleFilter::Form::kRulePrefix;
  r.filter.prefix = "logs/";
  r.expiration = LifecycleExpiration{30, {}, {}};
  {
    auto e = std::move(Engine::Open(Options(dir.str()))).value();
    ASSERT_TRUE(e->CreateBucket({"cfg"}).ok());
    EXPECT_EQ(e->GetBucketLifecycle("cfg").error().code(), Status::Code::kNotFound);
    EXPECT_TRUE(e->DeleteBucketLifecycle("cfg").ok());  // none: still OK
    ASSERT_TRUE(e->PutBucketLifecycle("cfg", LifecycleConfiguration{{r}}).ok());
    LifecycleRule bad = r;
    bad.expiration->days = 0;
    EXPECT_EQ(e->PutBucketLifecycle("cfg", LifecycleConfiguration{{bad}}).code(),
              Status::Code::kInvalidArgument);
    EXPECT_EQ(e->PutBucketLifecycle("nope", LifecycleConfiguration{{r}}).code(),
              Status::Code::kNoSuchBucket);
  }
  auto e = std::move(Engine::Open(Options(dir.str()))).value();
  auto got = e->GetBucketLifecycle("cfg");
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->rules.size(), 1u);
  EXPECT_EQ(got->rules[0].id.size(), 20u);  // an ID was given to it
  EXPECT_EQ(got->rules[0].filter, r.filter);
  EXPECT_EQ(got->rules[0].expiration, r.expiration);
  // x-amz-expiration: HEAD, GET and PUT of a matching object say when and which rule.
  auto put = Put(*e, "cfg", "logs/a", "x");
  ASSERT_TRUE(put.has_value());
  ASSERT_TRUE(put->expiration.has_value());
  EXPECT_EQ(put->expiration->rule_id, got->rules[0].id);
  EXPECT_EQ(put->expiration->date_ns % lifecycle::kRealDayNs, 0);
  EXPECT_GT(put->expiration->date_ns, put->last_modified_ns + 30 * lifecycle::kRealDayNs);
  EXPECT_EQ(e->HeadObject(HeadReq("cfg", "logs/a"))->expiration, put->expiration);
  EXPECT_FALSE(Put(*e, "cfg", "data/a", "x")->expiration.has_value());
  ASSERT_TRUE(e->DeleteBucketLifecycle("cfg").ok());
  EXPECT_FALSE(e->HeadObject(HeadReq("cfg", "logs/a"))->expiration.has_value());
  ASSERT_TRUE(e->PutBucketLifecycle("cfg", LifecycleConfiguration{{r}}).ok());
  ASSERT_TRUE(e->DeleteObject(DelReq("cfg", "logs/a")).has_value());
  ASSERT_TRUE(e->DeleteObject(DelReq("cfg", "data/a")).has_value());
  ASSERT_TRUE(e->DeleteBucket("cfg").ok());
  ASSERT_TRUE(e->CreateBucket({"cfg"}).ok());
  EXPECT_EQ(e->GetBucketLifecycle("cfg").error().code(), Status::Code::kNotFound);
}

// Kill -9 while the worker commits slices: after every round the data dir opens with exact
// counters, every key is whole (its current record agrees with its versions, every blob file
// belongs to a version), and the pass resumes where it stopped until everything is expired.
[[noreturn]] void ChildExpirer(const std::string& dir, int fd) {
  auto opened = Engine::Open(Options(dir));
  if (!opened.has_value()) _exit(2);
  auto e = std::move(opened).value();
  Worker& w = WorkerOf(*e);
  w.TEST_SetLimits({.slice_keys = 4, .batch_keys = 2, .chunk_versions = 1000});
  w.TEST_SetAfterBatch([fd] {
    int32_t rec[2] = {1, 0};
    if (write(fd, rec, sizeof(rec)) != sizeof(rec)) _exit(5);
    // Slow down so the kill lands in the middle of the pass.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  for (;;) {
    auto r = w.RunPass(NowNs() + 10 * lifecycle::kRealDayNs);
    if (!r.has_value()) _exit(3);
  }
}

TEST(LifecycleCrashTest, KillNineMidSliceLeavesEverythingWhole) {
  TempDir dir;
  constexpr int kKeys = 300;
  {
    auto e = std::move(Engine::Open(Options(dir.str()))).value();
    ASSERT_TRUE(e->CreateBucket({"plain"}).ok());
    ASSERT_TRUE(e->CreateBucket({"ver"}).ok());
    ASSERT_TRUE(e->PutBucketVersioning("ver", VersioningState::kEnabled).ok());
    for (int i = 0; i < kKeys; ++i) {
      const std::string k = "k" + std::to_string(i);
      ASSERT_TRUE(Put(*e, "plain", k, Pattern(i % 2 ? 3000 : 100, i)).has_value());
      ASSERT_TRUE(Put(*e, "ver", k, Pattern(2000, i)).has_value());
      ASSERT_TRUE(Put(*e, "ver", k, Pattern(100, i)).has_value());
    }
    LifecycleRule r;
    r.id = "all";
    r.filter.prefix = "";
    r.expiration = LifecycleExpiration{1, {}, {}};
    r.noncurrent_expiration = NoncurrentVersionExpiration{1, {}};
    for (const char* b : {"plain", "ver"}) {
      ASSERT_TRUE(e->PutBucketLifecycle(b, LifecycleConfiguration{{r}}).ok());
    }
  }
  auto check_whole = [&](Engine& e) {
    size_t blobs = 0;
    for (const char* b : {"plain", "ver"}) {
      auto v = e.VerifyBucketUsage(b, false);
      ASSERT_TRUE(v.has_value());
      EXPECT_TRUE(v->matches()) << b;
      for (auto& [k, vs] : Versions(e, b)) {
        auto head = e.HeadObject(HeadReq(b, k));
        if (vs.front().delete_marker) {
          EXPECT_FALSE(head.has_value()) << b << "/" << k;
        } else {
          ASSERT_TRUE(head.has_value()) << b << "/" << k;
          EXPECT_EQ(head->version_id, vs.front().version_id);
        }
        for (auto& x : vs) blobs += !x.delete_marker && x.size > 1024;
      }
    }
    EXPECT_EQ(CountFiles(dir.path() / "objects"), blobs);
  };
  int batches = 0;
  KillRounds(
      {150, 300, 450}, [&](int fd) { ChildExpirer(dir.str(), fd); },
      [&](int32_t, int32_t) { ++batches; });
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_GT(batches, 3);
  auto e = std::move(Engine::Open(Options(dir.str()))).value();
  check_whole(*e);
  // Finish the pass; a version hidden by a new marker is noncurrent only from then on, so a
  // later pass removes it.
  Worker& w = WorkerOf(*e);
  ASSERT_TRUE(w.RunPass(NowNs() + 10 * lifecycle::kRealDayNs).has_value());
  ASSERT_TRUE(w.RunPass(NowNs() + 20 * lifecycle::kRealDayNs).has_value());
  check_whole(*e);
  EXPECT_EQ(e->GetBucketUsage("plain")->versions, 0u);
  // Pass 2 removed the noncurrent versions, then the markers left alone (Days also expires
  // expired object delete markers).
  EXPECT_EQ(*e->GetBucketUsage("ver"), BucketUsage{});
}

}  // namespace
}  // namespace maxiofs::engine
