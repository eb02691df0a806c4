// EngineImpl: the private implementation of Engine. Split across files by concern:
//   engine_open.cc (open, lock, sweep), bucket_ops.cc, object_write.cc, object_read.cc,
//   object_delete.cc, object_copy.cc, object_list.cc.
//
// Concurrency: every check-then-act runs under striped locks and commits in ONE LevelDB
// WriteBatch (sync). Lock order (always acquired in this order, each family in ascending
// stripe index, never held across network I/O):
//   1. bucket_locks_ (shared for object operations, exclusive for create/delete bucket)
//   2. key_locks_    (per (bucket,key) stripe; copy takes source and destination stripes)
//   3. blob_locks_   (per blob-id stripe; guards the blob's reference count record)
// Reads (GET/HEAD/List) take no locks: they read a record and then its data, retrying when a
// concurrent overwrite removed the data in between.
#pragma once

#include "record_codec.h"

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace maxiofs::engine {

// Holds an exclusive flock on <data>/LOCK for the engine's lifetime.
class DirLock {
 public:
  static Result<std::unique_ptr<DirLock>> Acquire(const std::string& path);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

// Maps a LevelDB status to ours (the one place that does).
Status FromLevelDb(const leveldb::Status& s, std::string_view context);

// Locks a set of mutex stripes in ascending index order; unlocks on destruction.
template <size_t N>
class StripeGuard {
 public:
  StripeGuard(std::array<std::mutex, N>& stripes, std::vector<size_t> idx) : stripes_(stripes) {
    std::sort(idx.begin(), idx.end());
    idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
    idx_ = std::move(idx);
    for (size_t i : idx_) stripes_[i].lock();
  }
  ~StripeGuard() {
    for (auto it = idx_.rbegin(); it != idx_.rend(); ++it) stripes_[*it].unlock();
  }
  StripeGuard(const StripeGuard&) = delete;
  StripeGuard& operator=(const StripeGuard&) = delete;

 private:
  std::array<std::mutex, N>& stripes_;
  std::vector<size_t> idx_;
};

class EngineImpl final : public Engine {
 public:
  static constexpr size_t kBucketStripes = 64;
  static constexpr size_t kKeyStripes = 256;
  static constexpr size_t kBlobStripes = 64;

  EngineImpl(const EngineOptions& options, std::unique_ptr<DirLock> lock,
             std::unique_ptr<backends::BlobStore> blobs);
  ~EngineImpl() override;

  // Opens LevelDB and sweeps crash leftovers. Called once by Engine::Open.
  Status Init();

  Status CreateBucket(const CreateBucketRequest& req) override;
  Status DeleteBucket(std::string_view bucket) override;
  Result<BucketInfo> HeadBucket(std::string_view bucket) override;
  Result<std::vector<BucketInfo>> ListBuckets() override;

  Result<std::unique_ptr<ObjectWriter>> BeginPut(const PutObjectRequest& req) override;
  Result<std::unique_ptr<ObjectReader>> GetObject(const GetObjectRequest& req) override;
  Result<ObjectInfo> HeadObject(const HeadObjectRequest& req) override;
  Result<DeleteObjectResult> DeleteObject(const DeleteObjectRequest& req) override;
  Result<ObjectInfo> CopyObject(const CopyObjectRequest& req) override;
  Result<ListObjectsResult> ListObjects(const ListObjectsRequest& req) override;
  Result<ObjectInfo> RenameObject(const RenameObjectRequest& req) override;
  Result<uint64_t> RenamePrefix(const RenamePrefixRequest& req) override;
  void Subscribe(ChangeListener* listener) override;
  void Unsubscribe(ChangeListener* listener) override;

  // Tells every listener about a committed change.
  void Publish(ChangeEvent::Kind kind, std::string_view bucket, std::string_view key = {});

  // --- used by the pieces of the implementation ---------------------------------------------
  const EngineOptions& options() const { return options_; }
  backends::BlobStore& blobs() { return *blobs_; }

  // ReadOnly once a sync failed (sticky until restart).
  Status CheckWritable() const;
  // Commits a batch (sync per options). A failure makes the engine read-only.
  Status Commit(leveldb::WriteBatch* batch);
  // NoSuchBucket unless the bucket record exists.
  Status CheckBucketExists(std::string_view bucket);
  // The current record of (bucket, key), or nullopt.
  Result<std::optional<ObjectRecord>> LoadObject(std::string_view bucket, std::string_view key);
  // Reads an inline object's bytes. NotFound when a concurrent overwrite removed them.
  Result<std::string> LoadInline(const std::string& data_id);

  // Adds to `batch` the removal of `old`'s data. For a blob: decrements its reference count
  // (REQUIRES: its blob stripe is held) and, when it drops to zero, appends the id to
  // `unreferenced` so the caller deletes the file after the commit.
  Status DropData(const ObjectRecord& old, leveldb::WriteBatch* batch,
                  std::vector<std::string>* unreferenced);
  // Deletes blob files that no record references any more (after a commit). Failures are
  // left to the start-up sweep.
  void DeleteUnreferenced(const std::vector<std::string>& ids);

  std::shared_mutex& BucketLock(std::string_view bucket);
  size_t KeyStripe(std::string_view bucket, std::string_view key) const;
  size_t BlobStripe(std::string_view blob_id) const;
  std::array<std::mutex, kKeyStripes>& key_locks() { return key_locks_; }
  std::array<std::mutex, kBlobStripes>& blob_locks() { return blob_locks_; }
  leveldb::DB& db() { return *db_; }

  // Marks the engine read-only after a failed sync (STYLE rule 13).
  void EnterReadOnly(const Status& cause);

 private:
  Status SweepOrphans();

  const EngineOptions options_;
  std::unique_ptr<DirLock> lock_;
  std::unique_ptr<backends::BlobStore> blobs_;
  // Declared before db_ so they outlive it.
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;

  std::array<std::shared_mutex, kBucketStripes> bucket_locks_;  // lock order 1
  std::array<std::mutex, kKeyStripes> key_locks_;               // lock order 2
  std::array<std::mutex, kBlobStripes> blob_locks_;             // lock order 3
  std::atomic<bool> read_only_{false};
  // Guards listeners_. Taken after every other engine lock (listeners never call back in).
  mutable std::shared_mutex listeners_mu_;
  std::vector<ChangeListener*> listeners_;
};

inline std::string_view View(const leveldb::Slice& s) { return {s.data(), s.size()}; }

// Current time in ns since the epoch (UTC).
int64_t NowNs();

}  // namespace maxiofs::engine
