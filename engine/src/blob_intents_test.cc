// Blob intents: deletions a failing store refused are kept and done later; a blob whose commit
// answer was lost is removed; start-up settles intents without listing the store (and lists it
// once for a data dir from before intents).
#include "blob_intents.h"

#include "key_codec.h"
#include "test_util.h"

#include "maxiofs/backends/fault_blob_store.h"
#include "maxiofs/backends/fs_blob_store.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <filesystem>
#include <memory>
#include <string>

namespace maxiofs::engine {
namespace {

uint64_t CountBlobs(backends::BlobStore& store) {
  uint64_t n = 0;
  EXPECT_TRUE(store.ForEach([&](const backends::BlobId&) { ++n; }).ok());
  return n;
}

class BlobIntentsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> Open() {
    EngineOptions o;
    o.data_dir = dir_.str();
    o.inline_threshold = 16;  // every body below is a blob
    auto r = Engine::Open(o, backends::NewFaultBlobStore(base_, faults_));
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.has_value() ? std::move(r).value() : nullptr;
  }

  TempDir dir_;
  std::shared_ptr<backends::BlobStore> base_ = backends::NewMemBlobStore();
  std::shared_ptr<backends::FaultSwitches> faults_ = std::make_shared<backends::FaultSwitches>();
};

TEST(BlobIntentCodec, RoundTripsAndRejectsGarbage) {
  BlobIntent in{IntentKind::kDelete, 1234567890123456789};
  auto out = DecodeIntent(EncodeIntent(in));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->kind, IntentKind::kDelete);
  EXPECT_EQ(out->since_ns, in.since_ns);
  EXPECT_FALSE(DecodeIntent("").has_value());
  EXPECT_FALSE(DecodeIntent(std::string(9, 'x')).has_value());
  EXPECT_FALSE(DecodeIntent(EncodeIntent(in) + "x").has_value());
}

TEST_F(BlobIntentsTest, RefusedDeletionIsKeptAndRetried) {
  auto e = Open();
  ASSERT_TRUE(e->CreateBucket({"bk1"}).ok());
  ASSERT_TRUE(Put(*e, "bk1", "k", std::string(1000, 'a')).has_value());
  EXPECT_EQ(CountBlobs(*base_), 1u);
  faults_->fail_delete = true;
  // The overwrite is acknowledged; the old blob's deletion is owed.
  ASSERT_TRUE(Put(*e, "bk1", "k", std::string(1000, 'b')).has_value());
  EXPECT_EQ(CountBlobs(*base_), 2u);
  auto again = e->RetryOwedDeletions();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(CountBlobs(*base_), 2u);
  faults_->fail_delete = false;
  again = e->RetryOwedDeletions();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 1u);
  EXPECT_EQ(CountBlobs(*base_), 1u);
  // Nothing is owed twice.
  again = e->RetryOwedDeletions();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(Get(*e, "bk1", "k").value(), std::string(1000, 'b'));
}

TEST_F(BlobIntentsTest, OwedDeletionSurvivesRestarts) {
  {
    auto e = Open();
    ASSERT_TRUE(e->CreateBucket({"bk1"}).ok());
    ASSERT_TRUE(Put(*e, "bk1", "k", std::string(1000, 'a')).has_value());
    faults_->fail_delete = true;
    DeleteObjectRequest d;
    d.bucket = "bk1";
    d.key = "k";
    ASSERT_TRUE(e->DeleteObject(d).has_value());
  }
  { auto e = Open(); }  // the store still refuses: the start succeeds, the deletion stays owed
  EXPECT_EQ(CountBlobs(*base_), 1u);
  faults_->fail_delete = false;
  auto e = Open();
  EXPECT_EQ(CountBlobs(*base_), 0u);
}

TEST_F(BlobIntentsTest, BlobWhoseCommitAnswerWasLostIsRemoved) {
  auto e = Open();
  ASSERT_TRUE(e->CreateBucket({"bk1"}).ok());
  faults_->lose_commit_answer = true;
  faults_->fail_delete = true;  // and it cannot even be removed at once
  auto put = Put(*e, "bk1", "k", std::string(1000, 'a'));
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), Status::Code::kUnavailable);
  EXPECT_EQ(CountBlobs(*base_), 1u);  // stored, but referenced by nothing
  EXPECT_EQ(Get(*e, "bk1", "k").error().code(), Status::Code::kNoSuchKey);
  faults_->lose_commit_answer = false;
  faults_->fail_delete = false;
  // Not an owed deletion (an upload intent): only a start-up settles it.
  ASSERT_TRUE(e->RetryOwedDeletions().has_value());
  EXPECT_EQ(CountBlobs(*base_), 1u);
  e.reset();
  e = Open();
  EXPECT_EQ(CountBlobs(*base_), 0u);
  // The engine was not made read-only by a store that was unavailable.
  ASSERT_TRUE(Put(*e, "bk1", "k", std::string(1000, 'c')).has_value());
}

TEST_F(BlobIntentsTest, UnavailableStoreFailsPutAndChangesNothing) {
  auto e = Open();
  ASSERT_TRUE(e->CreateBucket({"bk1"}).ok());
  ASSERT_TRUE(Put(*e, "bk1", "k", std::string(1000, 'a')).has_value());
  faults_->fail_create = true;
  EXPECT_FALSE(Put(*e, "bk1", "k", std::string(1000, 'b')).has_value());
  faults_->fail_open = true;
  EXPECT_FALSE(Get(*e, "bk1", "k").has_value());
  faults_->fail_create = false;
  faults_->fail_open = false;
  EXPECT_EQ(Get(*e, "bk1", "k").value(), std::string(1000, 'a'));
  EXPECT_EQ(CountBlobs(*base_), 1u);
}

TEST(BlobIntentsStartup, TempFilesGoAndTheStoreIsNotListed) {
  TempDir d;
  { auto e = OpenOrDie(d.str()); }
  // A blob no intent names (put there by hand: the engine never makes one) stays: start-up
  // does not list the store. A temp file goes.
  std::filesystem::create_directories(d.path() / "objects" / "ab" / "cd");
  const auto stray = d.path() / "objects/ab/cd/abcd0000000000000000000000000000";
  FILE* f = fopen(stray.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  f = fopen((d.path() / "tmp/0123456789abcdef0123456789abcdef").c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  auto e = OpenOrDie(d.str(), 10);
  EXPECT_TRUE(std::filesystem::exists(stray));
  EXPECT_TRUE(std::filesystem::is_empty(d.path() / "tmp"));
}

TEST(BlobIntentsStartup, DataDirFromBeforeIntentsIsListedOnce) {
  TempDir d;
  {
    auto e = OpenOrDie(d.str(), 10);
    ASSERT_TRUE(e->CreateBucket({"b12"}).ok());
    ASSERT_TRUE(Put(*e, "b12", "kept", std::string(1000, 'k')).has_value());
  }
  // Make it look like an older data dir: no intents marker, and an orphan blob.
  {
    leveldb::DB* raw = nullptr;
    leveldb::Options o;
    ASSERT_TRUE(leveldb::DB::Open(o, (d.path() / "meta").string(), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Delete(leveldb::WriteOptions(), std::string(kIntentsKey)).ok());
  }
  std::filesystem::create_directories(d.path() / "objects" / "ab" / "cd");
  const auto orphan = d.path() / "objects/ab/cd/abcd0000000000000000000000000000";
  FILE* f = fopen(orphan.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  {
    auto e = OpenOrDie(d.str(), 10);
    EXPECT_FALSE(std::filesystem::exists(orphan));
    EXPECT_EQ(Get(*e, "b12", "kept").value(), std::string(1000, 'k'));
  }
  // Once: the marker is written, so the next start lists nothing.
  f = fopen(orphan.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  auto e = OpenOrDie(d.str(), 10);
  EXPECT_TRUE(std::filesystem::exists(orphan));
}

}  // namespace
}  // namespace maxiofs::engine
