// Crash safety: a child process writes objects and reports each acknowledged one through a
// pipe; the parent SIGKILLs it mid-stream. After reopening, every acknowledged object reads
// back with the right MD5, nothing unacknowledged is half-visible, and after the start-up sweep
// no orphan blob or temp file remains.
#include "checksums.h"
#include "kill_rounds.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace maxiofs::engine {
namespace {

std::string Body(int i) {
  // Mix inline (small) and blob (large) objects.
  size_t size = (i % 3 == 0) ? 300000 : (i % 3 == 1) ? 5000 : 70000;
  return Pattern(size, static_cast<uint32_t>(i));
}

std::string Md5Hex(std::string_view d) {
  auto m = NewMd5();
  m->Update(d);
  return HexEncode(m->Final());
}

[[noreturn]] void ChildWriter(const std::string& dir, int fd) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = 64 * 1024;
  auto e = Engine::Open(o);
  if (!e.has_value()) _exit(2);
  Status cb = (*e)->CreateBucket({"crash"});
  if (!cb.ok() && cb.code() != Status::Code::kBucketAlreadyOwnedByYou) _exit(3);
  for (int i = 0;; ++i) {
    // Overwrite a small set of keys so the crash also hits overwrites.
    std::string key = "k" + std::to_string(i % 40);
    auto r = Put(**e, "crash", key, Body(i));
    if (!r.has_value()) _exit(4);
    int32_t rec[2] = {i % 40, i};
    if (write(fd, rec, sizeof(rec)) != sizeof(rec)) _exit(5);
  }
}

TEST(CrashTest, KillNineKeepsEveryAcknowledgedWrite) {
  TempDir dir;
  std::map<int, int> acked;  // key index -> body index of the last acknowledged write
  KillRounds(
      {300, 500, 700}, [&](int fd) { ChildWriter(dir.str(), fd); },
      [&](int32_t k, int32_t i) { acked[k] = i; });
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  auto e = OpenOrDie(dir.str(), 64 * 1024);
  ASSERT_NE(e, nullptr);
  int checked = 0;
  for (auto [k, i] : acked) {
    auto data = Get(*e, "crash", "k" + std::to_string(k));
    ASSERT_TRUE(data.has_value()) << "acknowledged object k" << k << " lost";
    // The stored object is the last acknowledged write or a later one that committed before
    // the kill but was not yet reported; never a mix.
    std::string md5 = Md5Hex(*data);
    bool ok = false;
    for (int j = i; j < i + 40 * 8 && !ok; j += 40) ok = (md5 == Md5Hex(Body(j)));
    EXPECT_TRUE(ok) << "k" << k << " holds data that no acknowledged write produced";
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(acked.size()));
  // Every listed object is whole; no orphan or temp file remains after the sweep.
  auto list = e->ListObjects({"crash", "", "", "", 1000});
  ASSERT_TRUE(list.has_value());
  size_t blob_objects = 0;
  for (auto& o : list->objects) {
    auto data = Get(*e, "crash", o.key);
    ASSERT_TRUE(data.has_value());
    EXPECT_EQ(Md5Hex(*data), o.etag);
    blob_objects += o.size > 64 * 1024;
  }
  EXPECT_EQ(CountFiles(dir.path() / "tmp"), 0u);
  EXPECT_EQ(CountFiles(dir.path() / "objects"), blob_objects);
  // The usage counters were committed with each write: exact after the kills.
  auto usage = e->VerifyBucketUsage("crash", false);
  ASSERT_TRUE(usage.has_value());
  EXPECT_TRUE(usage->matches());
  EXPECT_EQ(usage->counters.objects, list->objects.size());
}

}  // namespace
}  // namespace maxiofs::engine

namespace maxiofs::engine {
namespace {

// Kill -9 while multipart completions and versioned overwrites are in flight: after restart
// each completed upload is whole or absent, every acknowledged version reads back, and the blob
// files are exactly those referenced by versions and pending parts.
[[noreturn]] void ChildVersionedWriter(const std::string& dir, int fd) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = 1024;
  o.min_part_size = 2048;
  auto e = Engine::Open(o);
  if (!e.has_value()) _exit(2);
  (*e)->CreateBucket({"vcrash"}).IgnoreError();  // exists after the first round
  if (!(*e)->PutBucketVersioning("vcrash", VersioningState::kEnabled).ok()) _exit(3);
  for (int i = 0;; ++i) {
    if (i % 2 == 0) {
      if (!Put(**e, "vcrash", "hot", Body(i)).has_value()) _exit(4);
    } else {
      CreateMultipartRequest c;
      c.bucket = "vcrash";
      c.key = "mp" + std::to_string(i);
      auto up = (*e)->CreateMultipartUpload(c);
      if (!up.has_value()) _exit(5);
      std::vector<CompletedPart> parts;
      for (uint32_t n = 1; n <= 3; ++n) {
        UploadPartRequest u;
        u.bucket = "vcrash";
        u.key = c.key;
        u.upload_id = up->upload_id;
        u.part_number = n;
        auto w = (*e)->BeginUploadPart(u);
        if (!w.has_value() || !(*w)->Append(Pattern(3000, i * 10 + n)).ok()) _exit(6);
        auto done = (*w)->Commit();
        if (!done.has_value()) _exit(7);
        parts.push_back({n, done->etag});
      }
      CompleteMultipartRequest cm;
      cm.bucket = "vcrash";
      cm.key = c.key;
      cm.upload_id = up->upload_id;
      cm.parts = parts;
      if (!(*e)->CompleteMultipartUpload(cm).has_value()) _exit(8);
    }
    int32_t rec[2] = {i, 0};
    if (write(fd, rec, sizeof(rec)) != sizeof(rec)) _exit(9);
  }
}

TEST(CrashTest, KillNineDuringCompletionAndVersionedOverwrite) {
  TempDir dir;
  int last_acked = -1;
  KillRounds(
      {400, 550, 700}, [&](int fd) { ChildVersionedWriter(dir.str(), fd); },
      [&](int32_t k, int32_t i) {
        (void)i;
        last_acked = k;
      });
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EngineOptions o;
  o.data_dir = dir.str();
  o.inline_threshold = 1024;
  auto e = Engine::Open(o);
  ASSERT_TRUE(e.has_value());
  auto versions = (*e)->ListObjectVersions({"vcrash", "", "", "", "", 1000});
  ASSERT_TRUE(versions.has_value());
  ASSERT_FALSE(versions->truncated);
  size_t expected_blobs = 0;
  for (const auto& v : versions->versions) {
    GetObjectRequest g;
    g.bucket = "vcrash";
    g.key = v.key;
    g.version_id = v.version_id;
    auto r = (*e)->GetObject(g);
    ASSERT_TRUE(r.has_value()) << v.key << " " << r.error().ToString();
    auto data = ReadAll(**r);
    ASSERT_TRUE(data.has_value());
    EXPECT_EQ(data->size(), v.size);
    if (v.key.starts_with("mp")) {
      int i = std::stoi(v.key.substr(2));
      EXPECT_EQ(*data, Pattern(3000, i * 10 + 1) + Pattern(3000, i * 10 + 2) +
                           Pattern(3000, i * 10 + 3));  // whole, never partial
      expected_blobs += v.parts_count;
    } else if (v.size > 1024) {
      ++expected_blobs;
    }
  }
  // The last acknowledged completion is there.
  if (last_acked % 2 == 1) {
    EXPECT_TRUE((*e)->HeadObject(HeadReq("vcrash", "mp" + std::to_string(last_acked))).has_value());
  }
  auto uploads = (*e)->ListMultipartUploads({"vcrash", "", "", "", "", 1000});
  ASSERT_TRUE(uploads.has_value());
  for (const auto& u : uploads->uploads) {
    auto parts = (*e)->ListParts({"vcrash", u.key, u.upload_id, 0, 1000});
    ASSERT_TRUE(parts.has_value());
    expected_blobs += parts->parts.size();
  }
  EXPECT_EQ(CountFiles(dir.path() / "objects"), expected_blobs);
  EXPECT_EQ(CountFiles(dir.path() / "tmp"), 0u);
  auto usage = (*e)->VerifyBucketUsage("vcrash", false);
  ASSERT_TRUE(usage.has_value());
  EXPECT_TRUE(usage->matches());
  EXPECT_EQ(usage->counters.uploads, uploads->uploads.size());
}

}  // namespace
}  // namespace maxiofs::engine

namespace maxiofs::engine {
namespace {

// Commits with durable = false (the FUSE mount's close-to-open writes) skip the metadata fsync
// but must still survive a crash of the process: LevelDB has written its log before the
// commit returns. Kill -9 mid-stream; every acknowledged object is there with its MD5.
[[noreturn]] void ChildNonDurableWriter(const std::string& dir, int fd) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = 64 * 1024;
  auto e = Engine::Open(o);
  if (!e.has_value()) _exit(2);
  (*e)->CreateBucket({"nondurable"}).IgnoreError();  // exists after the first round
  for (int i = 0;; ++i) {
    PutObjectRequest req;
    req.durable = false;
    if (!Put(**e, "nondurable", "k" + std::to_string(i % 50), Body(i), req).has_value()) _exit(4);
    if (i % 97 == 0 && !(*e)->Sync().ok()) _exit(5);
    int32_t rec[2] = {i % 50, i};
    if (write(fd, rec, sizeof(rec)) != sizeof(rec)) _exit(6);
  }
}

TEST(CrashTest, NonDurableCommitsSurviveKillNine) {
  TempDir dir;
  std::map<int, int> acked;
  KillRounds(
      {300, 500}, [&](int fd) { ChildNonDurableWriter(dir.str(), fd); },
      [&](int32_t k, int32_t i) { acked[k] = i; });
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  auto e = OpenOrDie(dir.str(), 64 * 1024);
  ASSERT_NE(e, nullptr);
  for (auto [k, i] : acked) {
    auto data = Get(*e, "nondurable", "k" + std::to_string(k));
    ASSERT_TRUE(data.has_value()) << "acknowledged object k" << k << " lost";
    std::string md5 = Md5Hex(*data);
    bool ok = false;
    for (int j = i; j < i + 50 * 8 && !ok; j += 50) ok = (md5 == Md5Hex(Body(j)));
    EXPECT_TRUE(ok) << "k" << k << " holds data that no acknowledged write produced";
  }
  EXPECT_EQ(CountFiles(dir.path() / "tmp"), 0u);
  auto usage = e->VerifyBucketUsage("nondurable", false);
  ASSERT_TRUE(usage.has_value());
  EXPECT_TRUE(usage->matches());
}

}  // namespace
}  // namespace maxiofs::engine
