// Usage counters and quotas: the counters equal a scan of the records after random operations
// of every kind that adds or removes a version, a marker, an upload or a part; they survive a
// reopen and are built for data dirs from before them; quotas refuse the write that would pass
// a limit, whatever path it takes, and concurrent writers cannot overshoot.
#include "key_codec.h"
#include "test_util.h"
#include "usage_counters.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

namespace maxiofs::engine {
namespace {

EngineOptions Options(const std::string& dir) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = 1024;  // small blobs, so both storage kinds are cheap to exercise
  o.min_part_size = 1;
  o.sync = false;
  o.compression.enabled = true;  // stored sizes differ from logical ones
  o.compression.min_size = 1;
  return o;
}

std::unique_ptr<Engine> Open(const std::string& dir) {
  auto r = Engine::Open(Options(dir));
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.has_value() ? std::move(r).value() : nullptr;
}

// Compressible or not, inline or blob, by seed.
std::string Data(uint32_t seed) {
  const size_t sizes[] = {0, 10, 700, 1500, 5000};
  size_t n = sizes[seed % 5];
  return seed % 2 ? Pattern(n, seed) : std::string(n, static_cast<char>('a' + seed % 26));
}

void ExpectCountersMatchScan(Engine& e, const std::string& bucket, const std::string& when) {
  auto v = e.VerifyBucketUsage(bucket, false);
  ASSERT_TRUE(v.has_value()) << v.error().ToString();
  EXPECT_TRUE(v->matches()) << bucket << " " << when << ": counters objects=" << v->counters.objects
                            << " versions=" << v->counters.versions
                            << " bytes=" << v->counters.version_bytes
                            << " markers=" << v->counters.delete_markers
                            << " uploads=" << v->counters.uploads << " parts=" << v->counters.parts
                            << " / scan objects=" << v->scanned.objects
                            << " versions=" << v->scanned.versions
                            << " bytes=" << v->scanned.version_bytes
                            << " markers=" << v->scanned.delete_markers
                            << " uploads=" << v->scanned.uploads << " parts=" << v->scanned.parts;
}

struct Upload {
  std::string bucket, key, id;
  std::vector<CompletedPart> parts;
};

TEST(UsageCountersTest, EqualAScanAfterAThousandRandomOperations) {
  TempDir dir;
  auto e = Open(dir.str());
  ASSERT_NE(e, nullptr);
  const std::vector<std::string> buckets = {"plain", "versioned", "flip"};
  for (const auto& b : buckets) ASSERT_TRUE(e->CreateBucket({b}).ok());
  ASSERT_TRUE(e->PutBucketVersioning("versioned", VersioningState::kEnabled).ok());
  std::mt19937 rng(20240518);
  std::vector<Upload> uploads;
  auto key = [&] { return "d" + std::to_string(rng() % 3) + "/k" + std::to_string(rng() % 6); };
  for (int step = 0; step < 1000; ++step) {
    const std::string& b = buckets[rng() % buckets.size()];
    const int op = static_cast<int>(rng() % 100);
    if (op < 30) {
      ASSERT_TRUE(Put(*e, b, key(), Data(rng())).has_value());
    } else if (op < 42) {
      ASSERT_TRUE(e->DeleteObject(DelReq(b, key())).has_value());
    } else if (op < 50) {
      // Remove one stored version (or marker) by id.
      auto list = e->ListObjectVersions({b, "", "", "", "", 1000});
      ASSERT_TRUE(list.has_value());
      if (list->versions.empty()) continue;
      const ObjectInfo& v = list->versions[rng() % list->versions.size()];
      ASSERT_TRUE(e->DeleteObject(DelReq(b, v.key, v.version_id)).has_value());
    } else if (op < 58) {
      CopyObjectRequest c;
      c.src_bucket = buckets[rng() % buckets.size()];
      c.src_key = key();
      c.dst_bucket = b;
      c.dst_key = key();
      c.replace_metadata = true;
      auto r = e->CopyObject(c);
      ASSERT_TRUE(r.has_value() || r.error().IsNoSuchKey()) << r.error().ToString();
    } else if (op < 63) {
      RenameObjectRequest r;
      r.bucket = b;
      r.src_key = key();
      r.dst_key = key();
      auto m = e->RenameObject(r);
      ASSERT_TRUE(m.has_value() || m.error().IsNoSuchKey()) << m.error().ToString();
    } else if (op < 66) {
      RenamePrefixRequest r;
      r.bucket = b;
      r.src_prefix = "d" + std::to_string(rng() % 3) + "/";
      r.dst_prefix = "d" + std::to_string(3 + step) + "/";
      ASSERT_TRUE(e->RenamePrefix(r).has_value());
    } else if (op < 72) {
      CreateMultipartRequest c;
      c.bucket = b;
      c.key = key();
      auto up = e->CreateMultipartUpload(c);
      ASSERT_TRUE(up.has_value());
      uploads.push_back({b, c.key, up->upload_id, {}});
    } else if (op < 84 && !uploads.empty()) {
      Upload& u = uploads[rng() % uploads.size()];
      UploadPartRequest p;
      p.bucket = u.bucket;
      p.key = u.key;
      p.upload_id = u.id;
      p.part_number = 1 + rng() % 3;  // sometimes replaces an earlier part
      auto w = e->BeginUploadPart(p);
      ASSERT_TRUE(w.has_value());
      ASSERT_TRUE((*w)->Append(Data(rng()) + "p").ok());  // parts other than the last: not empty
      auto done = (*w)->Commit();
      ASSERT_TRUE(done.has_value());
      std::erase_if(u.parts,
                    [&](const CompletedPart& cp) { return cp.part_number == p.part_number; });
      u.parts.push_back({p.part_number, done->etag});
    } else if (op < 90 && !uploads.empty()) {
      const size_t i = rng() % uploads.size();
      Upload u = uploads[i];
      uploads.erase(uploads.begin() + static_cast<long>(i));
      if (u.parts.empty() || rng() % 3 == 0) {
        ASSERT_TRUE(e->AbortMultipartUpload(u.bucket, u.key, u.id).ok());
      } else {
        std::sort(u.parts.begin(), u.parts.end(),
                  [](auto& a, auto& c) { return a.part_number < c.part_number; });
        CompleteMultipartRequest c;
        c.bucket = u.bucket;
        c.key = u.key;
        c.upload_id = u.id;
        c.parts = u.parts;
        if (c.parts.size() > 1 && rng() % 2) c.parts.pop_back();  // an unused part is released
        auto done = e->CompleteMultipartUpload(c);
        ASSERT_TRUE(done.has_value()) << done.error().ToString();
      }
    } else if (op < 95) {
      ASSERT_TRUE(e->PutBucketVersioning(
                       "flip", rng() % 2 ? VersioningState::kEnabled : VersioningState::kSuspended)
                      .ok());
    } else {
      ASSERT_TRUE(Put(*e, b, key(), Data(rng())).has_value());
    }
    if (step % 100 == 99) {
      for (const auto& bk : buckets)
        ExpectCountersMatchScan(*e, bk, "step " + std::to_string(step));
    }
  }
  std::vector<BucketUsage> before;
  for (const auto& b : buckets) before.push_back(*e->GetBucketUsage(b));
  e.reset();
  e = Open(dir.str());
  ASSERT_NE(e, nullptr);
  for (size_t i = 0; i < buckets.size(); ++i) {
    EXPECT_EQ(*e->GetBucketUsage(buckets[i]), before[i]) << buckets[i] << " after reopen";
    ExpectCountersMatchScan(*e, buckets[i], "after reopen");
  }
  // Something of every kind was counted.
  BucketUsage total;
  for (const auto& b : buckets) {
    auto u = *e->GetBucketUsage(b);
    total.objects += u.objects;
    total.delete_markers += u.delete_markers;
    total.uploads += u.uploads;
    total.parts += u.parts;
    total.version_stored_bytes += u.version_stored_bytes;
    total.version_bytes += u.version_bytes;
  }
  EXPECT_GT(total.objects, 0u);
  EXPECT_GT(total.delete_markers, 0u);
  EXPECT_GT(total.uploads, 0u);
  EXPECT_GT(total.parts, 0u);
  EXPECT_NE(total.version_stored_bytes, total.version_bytes);  // compression was counted
}

// A data dir written before the counters (format 4, no 'C' records) gets them from a scan
// when opened; a damaged counter is found by the verification and repaired.
TEST(UsageCountersTest, BuiltForOldDataDirsAndRepairedWhenDamaged) {
  TempDir dir;
  {
    auto e = Open(dir.str());
    ASSERT_NE(e, nullptr);
    ASSERT_TRUE(e->CreateBucket({"old"}).ok());
    ASSERT_TRUE(e->PutBucketVersioning("old", VersioningState::kEnabled).ok());
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE(Put(*e, "old", "k" + std::to_string(i % 7), Data(i)).has_value());
    ASSERT_TRUE(e->DeleteObject(DelReq("old", "k1")).has_value());
  }
  {
    // Turn it into a format-4 dir: no counters.
    leveldb::DB* raw = nullptr;
    leveldb::Options lo;
    ASSERT_TRUE(leveldb::DB::Open(lo, dir.str() + "/meta", &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    leveldb::WriteBatch batch;
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
    const std::string prefix(1, kUsageTag);
    int removed = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      batch.Delete(it->key());
      ++removed;
    }
    EXPECT_GT(removed, 0);
    batch.Put(std::string(kFormatKey), "4");
    ASSERT_TRUE(db->Write(leveldb::WriteOptions(), &batch).ok());
  }
  auto e = Open(dir.str());
  ASSERT_NE(e, nullptr);
  auto u = e->GetBucketUsage("old");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->objects, 6u);
  EXPECT_EQ(u->versions, 20u);
  EXPECT_EQ(u->delete_markers, 1u);
  ExpectCountersMatchScan(*e, "old", "after the rebuild");
  e.reset();
  {
    // Damage one shard.
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir.str() + "/meta", &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    UsageFigures bogus;
    bogus.versions = 5;
    bogus.version_bytes = 12345;
    ASSERT_TRUE(
        db->Put(leveldb::WriteOptions(), UsageKey("old", 77), EncodeUsageShard(bogus)).ok());
  }
  e = Open(dir.str());
  ASSERT_NE(e, nullptr);
  auto v = e->VerifyBucketUsage("old", false);
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->matches());
  EXPECT_EQ(v->counters.versions, 25u);
  EXPECT_EQ(v->scanned.versions, 20u);
  EXPECT_FALSE(v->repaired);
  auto r = e->VerifyBucketUsage("old", true);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->repaired);
  EXPECT_EQ(e->GetBucketUsage("old")->versions, 20u);
  e.reset();
  e = Open(dir.str());
  ExpectCountersMatchScan(*e, "old", "after the repair and a reopen");
  EXPECT_EQ(e->VerifyBucketUsage("nope", false).error().code(), Status::Code::kNoSuchBucket);
}

// A deleted and re-created bucket starts from zero.
TEST(UsageCountersTest, DeletedBucketsTakeTheirCountersAlong) {
  TempDir dir;
  auto e = Open(dir.str());
  ASSERT_TRUE(e->CreateBucket({"gone"}).ok());
  ASSERT_TRUE(e->PutBucketQuota("gone", {100000, 0}).ok());
  ASSERT_TRUE(Put(*e, "gone", "a", Data(3)).has_value());
  ASSERT_TRUE(e->DeleteObject(DelReq("gone", "a")).has_value());
  ASSERT_TRUE(e->DeleteBucket("gone").ok());
  EXPECT_EQ(e->GetBucketUsage("gone").error().code(), Status::Code::kNoSuchBucket);
  EXPECT_EQ(e->GetBucketQuota("gone").error().code(), Status::Code::kNoSuchBucket);
  ASSERT_TRUE(e->CreateBucket({"gone"}).ok());
  EXPECT_EQ(*e->GetBucketUsage("gone"), BucketUsage{});
  EXPECT_TRUE(e->GetBucketQuota("gone")->empty());
  e.reset();
  e = Open(dir.str());
  EXPECT_EQ(*e->GetBucketUsage("gone"), BucketUsage{});
  ExpectCountersMatchScan(*e, "gone", "after re-creation");
}

class QuotaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    e_ = Open(dir_.str());
    ASSERT_NE(e_, nullptr);
    ASSERT_TRUE(e_->CreateBucket({"qq-bucket"}).ok());
  }
  Status PutSized(const std::string& key, size_t n, bool declare = true) {
    PutObjectRequest req;
    req.bucket = "qq-bucket";
    req.key = key;
    if (declare) req.expected_size = n;
    auto w = e_->BeginPut(req);
    if (!w.has_value()) return w.error();
    std::string data = Pattern(n, static_cast<uint32_t>(n));
    for (size_t pos = 0; pos < n; pos += 1000) {
      MAXIOFS_RETURN_IF_ERROR((*w)->Append(std::string_view(data).substr(pos, 1000)));
    }
    return (*w)->Commit().status();
  }
  TempDir dir_;
  std::unique_ptr<Engine> e_;
};

TEST_F(QuotaTest, BytesLimitRefusesTheWriteThatWouldPassIt) {
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {10000, 0}).ok());
  EXPECT_EQ(e_->GetBucketQuota("qq-bucket")->max_bytes, 10000u);
  ASSERT_TRUE(PutSized("a", 6000).ok());
  // Declared too big: refused before any byte is taken.
  PutObjectRequest req;
  req.bucket = "qq-bucket";
  req.key = "b";
  req.expected_size = 5000;
  auto w = e_->BeginPut(req);
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().code(), Status::Code::kQuotaExceeded);
  // Undeclared: refused as soon as the body is too long; nothing is stored.
  Status st = PutSized("b", 5000, /*declare=*/false);
  EXPECT_EQ(st.code(), Status::Code::kQuotaExceeded) << st.ToString();
  EXPECT_EQ(CountFiles(dir_.path() / "tmp"), 0u);
  EXPECT_TRUE(PutSized("b", 4000).ok());  // exactly at the limit
  EXPECT_EQ(e_->GetBucketUsage("qq-bucket")->version_bytes, 10000u);
  EXPECT_EQ(PutSized("c", 1).code(), Status::Code::kQuotaExceeded);
  EXPECT_TRUE(PutSized("c", 0).ok());  // adds no byte
  // An overwrite that frees as much as it adds fits (unversioned: the old version goes).
  EXPECT_TRUE(PutSized("a", 6000).ok());
  EXPECT_TRUE(PutSized("a", 2000).ok());
  EXPECT_TRUE(PutSized("c", 4000).ok());
  // Deletes always work; then there is room again.
  ASSERT_TRUE(e_->DeleteObject(DelReq("qq-bucket", "a")).has_value());
  EXPECT_TRUE(PutSized("d", 2000).ok());
  // Removing the quota lifts it.
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {}).ok());
  EXPECT_TRUE(PutSized("e", 50000).ok());
}

TEST_F(QuotaTest, VersionsCountAgainstTheLimits) {
  ASSERT_TRUE(e_->PutBucketVersioning("qq-bucket", VersioningState::kEnabled).ok());
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {0, 3}).ok());
  ASSERT_TRUE(PutSized("a", 10).ok());
  ASSERT_TRUE(PutSized("a", 10).ok());
  ASSERT_TRUE(PutSized("b", 10).ok());
  EXPECT_EQ(PutSized("a", 10).code(), Status::Code::kQuotaExceeded);  // a 4th version
  // A delete marker adds no version: deleting works and frees nothing.
  ASSERT_TRUE(e_->DeleteObject(DelReq("qq-bucket", "b")).has_value());
  EXPECT_EQ(PutSized("c", 10).code(), Status::Code::kQuotaExceeded);
  auto versions = e_->ListObjectVersions({"qq-bucket", "a", "", "", "", 10});
  ASSERT_TRUE(versions.has_value());
  ASSERT_TRUE(
      e_->DeleteObject(DelReq("qq-bucket", "a", versions->versions.back().version_id)).has_value());
  EXPECT_TRUE(PutSized("c", 10).ok());
}

TEST_F(QuotaTest, CopyMultipartAndRenameAreChecked) {
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {10000, 0}).ok());
  ASSERT_TRUE(PutSized("src", 6000).ok());
  CopyObjectRequest c;
  c.src_bucket = "qq-bucket";
  c.src_key = "src";
  c.dst_bucket = "qq-bucket";
  c.dst_key = "copy";
  auto copied = e_->CopyObject(c);
  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code(), Status::Code::kQuotaExceeded);
  EXPECT_FALSE(e_->HeadObject(HeadReq("qq-bucket", "copy")).has_value());
  // A rename in an unversioned bucket adds nothing.
  RenameObjectRequest r;
  r.bucket = "qq-bucket";
  r.src_key = "src";
  r.dst_key = "moved";
  ASSERT_TRUE(e_->RenameObject(r).has_value());
  // Parts count while the upload is in progress.
  CreateMultipartRequest cm;
  cm.bucket = "qq-bucket";
  cm.key = "mp";
  auto up = e_->CreateMultipartUpload(cm);
  ASSERT_TRUE(up.has_value());
  auto part = [&](uint32_t n, size_t size) -> Result<ObjectInfo> {
    UploadPartRequest p;
    p.bucket = "qq-bucket";
    p.key = "mp";
    p.upload_id = up->upload_id;
    p.part_number = n;
    p.expected_size = size;
    MAXIOFS_ASSIGN_OR_RETURN(auto w, e_->BeginUploadPart(p));
    MAXIOFS_RETURN_IF_ERROR(w->Append(Pattern(size, n)));
    return w->Commit();
  };
  auto p1 = part(1, 3000);
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(part(2, 2000).error().code(), Status::Code::kQuotaExceeded);
  auto p1b = part(1, 4000);  // replacing part 1 frees its 3000 bytes
  ASSERT_TRUE(p1b.has_value()) << p1b.error().ToString();
  EXPECT_EQ(e_->GetBucketUsage("qq-bucket")->part_bytes, 4000u);
  // Completion adds the object; with an object limit reached it is refused.
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {10000, 1}).ok());
  CompleteMultipartRequest done;
  done.bucket = "qq-bucket";
  done.key = "mp";
  done.upload_id = up->upload_id;
  done.parts = {{1, p1b->etag}};
  auto refused = e_->CompleteMultipartUpload(done);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Status::Code::kQuotaExceeded);
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {10000, 2}).ok());
  ASSERT_TRUE(e_->CompleteMultipartUpload(done).has_value());
  auto u = e_->GetBucketUsage("qq-bucket");
  EXPECT_EQ(u->part_bytes, 0u);
  EXPECT_EQ(u->version_bytes, 10000u);
  ExpectCountersMatchScan(*e_, "qq-bucket", "after the quota paths");
}

// Writers racing for the last room never take the bucket past its limit.
TEST_F(QuotaTest, ConcurrentWritersCannotOvershoot) {
  constexpr uint64_t kLimit = 50 * 1000;
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {kLimit, 0}).ok());
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        Status st = PutSized("t" + std::to_string(t) + "-" + std::to_string(i), 1000,
                             /*declare=*/i % 2 == 0);
        if (st.ok()) {
          ++ok;
        } else {
          EXPECT_EQ(st.code(), Status::Code::kQuotaExceeded) << st.ToString();
          ++refused;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  auto u = e_->GetBucketUsage("qq-bucket");
  EXPECT_LE(u->version_bytes, kLimit);
  EXPECT_EQ(u->version_bytes, static_cast<uint64_t>(ok.load()) * 1000);
  EXPECT_EQ(ok.load(), 50);  // the limit is reached exactly: no write was refused spuriously
  EXPECT_EQ(refused.load(), 8 * 15 - 50);
  ExpectCountersMatchScan(*e_, "qq-bucket", "after the race");
}

TEST_F(QuotaTest, QuotasPersistAndRefuseUnknownBuckets) {
  ASSERT_TRUE(e_->PutBucketQuota("qq-bucket", {123, 4}).ok());
  e_.reset();
  e_ = Open(dir_.str());
  EXPECT_EQ(*e_->GetBucketQuota("qq-bucket"), (BucketQuota{123, 4}));
  EXPECT_EQ(e_->PutBucketQuota("nope", {1, 1}).code(), Status::Code::kNoSuchBucket);
}

}  // namespace
}  // namespace maxiofs::engine
