// EngineImpl: the private implementation of Engine. Split across files by concern:
//   engine_open.cc (open, lock, sweep), bucket_ops.cc, object_write.cc, object_read.cc,
//   object_delete.cc, object_copy.cc, object_list.cc, object_rename.cc, versions.cc (the
//   versioning core), lock_ops.cc, object_acl.cc, tagging.cc, list_versions.cc, multipart.cc,
//   object_links.cc (hard links), object_metadata.cc (metadata-only updates).
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

#include "cors/bucket_cors.h"
#include "iam/iam_impl.h"
#include "keyring.h"
#include "lifecycle/lifecycle_worker.h"
#include "logging/bucket_logging.h"
#include "md5/md5_batcher.h"
#include "no_wait_env.h"
#include "notify/event_queue.h"
#include "record_codec.h"
#include "seal.h"
#include "usage_counters.h"

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
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

// The changes one operation stages besides its batch, applied by CommitWithRefs: blob
// reference counts (under the blob stripes, so two changes to one blob in one batch add up
// correctly) and usage counters (usage_counters.h: checked against quotas, then written to
// their shards in the same batch).
struct RefChanges {
  std::map<std::string, int64_t> delta;  // blob id -> change
  UsageChanges usage;
  // Blobs this batch references for the first time: their upload intents go with it.
  std::vector<std::string> published;
  // Changes that may be bucket notifications: their queue entries go with it.
  std::vector<EventDraft> events;
  void Add(const std::string& blob, int64_t d) { delta[blob] += d; }
  // A blob just written (BodyWriter::Finish) gets its first reference.
  void AddNew(const std::string& blob) {
    delta[blob] += 1;
    published.push_back(blob);
  }
};

// What settling blob intents did (blob_intents.cc).
struct IntentSweep {
  uint64_t abandoned_uploads = 0;  // blobs of uploads that never committed, deleted
  uint64_t deletions = 0;          // owed deletions done
  uint64_t still_owed = 0;         // deletions the store refused or failed; kept for later
};

// How a new body is to be sealed: its SealInfo (mode, seal_id, wrapped key), the plain data key
// and the compression settings. Inactive (plain) when neither encrypting nor compressing.
struct SealPlan {
  SealInfo info;
  std::string data_key;
  CompressSpec compress;
  bool active() const { return info.encrypted() || compress.enabled; }
};

// The names of a key's link group (just the key when it is in none), with every name's key
// stripe (and an extra key's) held for as long as the object lives.
struct LinkedNames {
  std::string link_id;             // "" when the key is in no group
  std::vector<std::string> names;  // the group's names, the key included
  std::unique_ptr<StripeGuard<256>> guard;
};

// What a key's versions look like before an operation changes them.
// REQUIRES (to stay true): the key stripe is held.
struct VersionState {
  std::optional<ObjectRecord> latest;        // newest version (may be a delete marker)
  std::optional<ObjectRecord> null_version;  // the "null" version, when loaded and present
  // The current object: the latest version unless that is a delete marker.
  const ObjectRecord* current() const {
    return latest && !latest->delete_marker ? &*latest : nullptr;
  }
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
  // Test seam (engine_testing.h): LevelDB runs on `env` instead of the engine's own Env.
  // REQUIRES: called before Init; `env` outlives the engine.
  void TEST_UseEnv(leveldb::Env* env) { test_env_ = env; }

  Status CreateBucket(const CreateBucketRequest& req) override;
  Status DeleteBucket(std::string_view bucket) override;
  Result<BucketInfo> HeadBucket(std::string_view bucket) override;
  Result<std::vector<BucketInfo>> ListBuckets() override;
  Result<BucketUsage> GetBucketUsage(std::string_view bucket) override;
  Result<UsageVerification> VerifyBucketUsage(std::string_view bucket, bool repair) override;
  Status PutBucketQuota(std::string_view bucket, const BucketQuota& quota) override;
  Result<BucketQuota> GetBucketQuota(std::string_view bucket) override;

  Result<std::unique_ptr<ObjectWriter>> BeginPut(const PutObjectRequest& req) override;
  std::unique_ptr<ContentMd5> NewContentMd5() override;
  Result<std::unique_ptr<ObjectReader>> GetObject(const GetObjectRequest& req) override;
  Result<ObjectInfo> HeadObject(const HeadObjectRequest& req) override;
  Result<ObjectAttributes> GetObjectAttributes(const GetObjectAttributesRequest& req) override;
  Result<DeleteObjectResult> DeleteObject(const DeleteObjectRequest& req) override;
  Result<ObjectInfo> CopyObject(const CopyObjectRequest& req) override;
  Result<ListObjectsResult> ListObjects(const ListObjectsRequest& req) override;
  Result<ObjectInfo> RenameObject(const RenameObjectRequest& req) override;
  Result<uint64_t> RenamePrefix(const RenamePrefixRequest& req) override;
  Result<ObjectInfo> UpdateObjectMetadata(const UpdateObjectMetadataRequest& req) override;
  Result<std::vector<std::pair<std::string, std::string>>> GetBucketMetadata(
      std::string_view bucket) override;
  Status UpdateBucketMetadata(const UpdateBucketMetadataRequest& req) override;
  Result<ObjectInfo> LinkObject(const LinkObjectRequest& req) override;

  Status PutBucketVersioning(std::string_view bucket, VersioningState state) override;
  Status PutObjectLockConfiguration(std::string_view bucket, const ObjectLockConfig& cfg) override;
  Result<ObjectLockConfig> GetObjectLockConfiguration(std::string_view bucket) override;
  Status PutObjectRetention(const PutRetentionRequest& req) override;
  Result<Retention> GetObjectRetention(std::string_view bucket, std::string_view key,
                                       std::string_view version_id) override;
  Status PutObjectLegalHold(std::string_view bucket, std::string_view key,
                            std::string_view version_id, bool on) override;
  Result<bool> GetObjectLegalHold(std::string_view bucket, std::string_view key,
                                  std::string_view version_id) override;
  Result<ListVersionsResult> ListObjectVersions(const ListVersionsRequest& req) override;
  Result<ObjectTagging> GetObjectTagging(const ObjectTaggingRequest& req) override;
  Result<std::string> PutObjectTagging(const PutObjectTaggingRequest& req) override;
  Result<std::string> DeleteObjectTagging(const ObjectTaggingRequest& req) override;
  Status PutBucketTagging(std::string_view bucket, const TagSet& tags) override;
  Result<TagSet> GetBucketTagging(std::string_view bucket) override;
  Status DeleteBucketTagging(std::string_view bucket) override;
  Status PutBucketCors(std::string_view bucket, const CorsConfiguration& config) override;
  Result<CorsConfiguration> GetBucketCors(std::string_view bucket) override;
  Status DeleteBucketCors(std::string_view bucket) override;
  CorsMatch MatchCors(const CorsRequest& req) override;
  Status PutBucketLogging(std::string_view bucket,
                          const std::optional<BucketLoggingConfig>& config) override;
  Result<BucketLoggingState> GetBucketLogging(std::string_view bucket) override;
  bool IsBucketLogged(std::string_view bucket) override;
  void AppendAccessLog(std::string_view bucket, int64_t time_ns, std::string record) override;
  Result<uint64_t> FlushAccessLogs() override;
  AccessLogStats access_log_stats() override;
  Status PutBucketNotification(std::string_view bucket, const NotificationConfiguration& config,
                               const RequestOrigin& origin) override;
  Result<NotificationConfiguration> GetBucketNotification(std::string_view bucket) override;
  Status StartNotifications(std::vector<std::unique_ptr<NotificationTarget>> targets) override;
  std::vector<NotificationTargetStats> notification_stats() override;
  Status PutBucketEncryption(std::string_view bucket, const BucketEncryption& enc) override;
  Result<BucketEncryption> GetBucketEncryption(std::string_view bucket) override;
  Status DeleteBucketEncryption(std::string_view bucket) override;

  Result<UploadInfo> CreateMultipartUpload(const CreateMultipartRequest& req) override;
  Result<std::unique_ptr<ObjectWriter>> BeginUploadPart(const UploadPartRequest& req) override;
  Result<PartInfo> UploadPartCopy(const UploadPartCopyRequest& req) override;
  Result<ObjectInfo> CompleteMultipartUpload(const CompleteMultipartRequest& req) override;
  Status AbortMultipartUpload(std::string_view bucket, std::string_view key,
                              std::string_view upload_id) override;
  Result<ListUploadsResult> ListMultipartUploads(const ListUploadsRequest& req) override;
  Result<ListPartsResult> ListParts(const ListPartsRequest& req) override;
  Result<uint64_t> AbortUploadsInitiatedBefore(int64_t cutoff_ns) override;

  Status Sync() override;
  Result<uint64_t> RetryOwedDeletions() override;
  Status CheckBlobStore() override;
  BlobStoreStats blob_store_stats() const override;
  Result<uint64_t> RotateMasterKey() override;
  Status CreateKmsKey(std::string_view name) override;
  Result<std::vector<KmsKeyInfo>> ListKmsKeys() override;
  Status PutBucketLifecycle(std::string_view bucket, const LifecycleConfiguration& config) override;
  Result<LifecycleConfiguration> GetBucketLifecycle(std::string_view bucket) override;
  Status DeleteBucketLifecycle(std::string_view bucket) override;
  Result<uint64_t> RunLifecycle() override;
  LifecycleStats GetLifecycleStats() override;
  void SubscribeLifecycle(LifecycleListener* listener) override;
  void UnsubscribeLifecycle(LifecycleListener* listener) override;
  Iam& iam() override { return *iam_; }
  void Subscribe(ChangeListener* listener) override;
  void Unsubscribe(ChangeListener* listener) override;

  // --- used by the pieces of the implementation ---------------------------------------------
  const EngineOptions& options() const { return options_; }
  // Starts the lifecycle worker's thread (Engine::Open, once Init succeeded).
  void StartBackgroundWork() { lifecycle_worker_->Start(); }
  lifecycle::Worker& lifecycle_worker() { return *lifecycle_worker_; }
  // x-amz-expiration of `current`, the current version of (bucket, key): the bucket's rule
  // that expires it soonest, or nullopt (lifecycle_ops.cc). Takes no engine lock.
  std::optional<ObjectExpiration> ExpirationOf(std::string_view bucket, std::string_view key,
                                               const ObjectRecord& current) const;
  backends::BlobStore& blobs() { return *blobs_; }

  // Tells every listener about a committed change.
  void Publish(ChangeEvent::Kind kind, std::string_view bucket, std::string_view key = {});
  // ReadOnly once a sync failed (sticky until restart).
  Status CheckWritable() const;
  // Marks the engine read-only after a failed sync (STYLE rule 13).
  void EnterReadOnly(const Status& cause);

  // NoSuchBucket unless the bucket exists.
  Result<BucketRecord> LoadBucket(std::string_view bucket);
  Status CheckBucketExists(std::string_view bucket);
  // The current object of (bucket, key), or nullopt.
  Result<std::optional<ObjectRecord>> LoadObject(std::string_view bucket, std::string_view key);
  // A version by id: "" is the current object, "null" the null version, else a 32-hex id
  // (InvalidArgument when malformed). nullopt when there is no such version.
  Result<std::optional<ObjectRecord>> LoadVersion(std::string_view bucket, std::string_view key,
                                                  std::string_view version_id);
  // The version an object-level setting (ACL, tags) addresses: as LoadVersion, but NoSuchKey /
  // NoSuchVersion when absent and MethodNotAllowed for a delete marker named by id.
  Result<ObjectRecord> LoadLiveVersion(std::string_view bucket, std::string_view key,
                                       std::string_view version_id);
  // The newest version (delete markers included), and the null version when asked. A version
  // whose vkey is `removed_vkey` counts as gone (one staged for removal in the caller's batch).
  Result<VersionState> LoadVersionState(std::string_view bucket, std::string_view key,
                                        bool with_null, std::string_view removed_vkey = {});
  // Reads an inline object's bytes. NotFound when a concurrent overwrite removed them.
  Result<std::string> LoadInline(const std::string& data_id);

  // --- sealing (seal_plan.cc) -----------------------------------------------------------------
  const Keyring& keyring() const { return keyring_; }
  // The mode a request resolves to (kDefault: the bucket's default `b` when it has one, else
  // the engine's). Never kDefault.
  EncryptionRequest ResolveEncryption(const EncryptionRequest& req, const BucketRecord& b) const;
  // A fresh plan for a body of object `key`: random seal id and data key, wrapped per the
  // (resolved) request; compression per the options, the content type and the extension.
  // InvalidRequest when the mode needs a key that is not configured; InvalidArgument for a bad
  // SSE-C key; NotFound-like InvalidArgument for an unknown KMS key.
  Result<SealPlan> NewSealPlan(const EncryptionRequest& req, const BucketRecord& b,
                               std::string_view key, const ObjectMeta& meta,
                               std::optional<uint64_t> size);
  // The EncryptionRequest that reproduces `tmpl`'s mode (for the parts of an upload).
  static EncryptionRequest RequestFor(const SealInfo& tmpl, std::string_view customer_key);
  // A template for an upload's parts (mode, KMS key and context, SSE-C key check).
  Result<SealInfo> NewUploadTemplate(const EncryptionRequest& req, const BucketRecord& b);
  // SSE-C rules for reading (or adding parts to) data sealed as `s`: InvalidRequest when a key
  // is required and missing or given for data that is not SSE-C; AccessDenied when wrong.
  static Status CheckCustomerKey(const SealInfo& s, std::string_view customer_key);
  // The plain data key of a sealed body ("" when not encrypted). Corruption when the wrapped
  // key does not open; InvalidArgument naming a master or KMS key that is not configured.
  Result<std::string> OpenDataKey(const SealInfo& s, std::string_view customer_key);

  // Aborts every pending upload of `bucket` as AbortMultipartUpload does (parts' blobs
  // released), committing a bounded batch at a time: a crash leaves some uploads aborted, none
  // half. REQUIRES: the bucket lock held exclusively (DeleteBucket). multipart.cc.
  Status AbortBucketUploads(std::string_view bucket);

  // --- staging changes into one batch (REQUIRES: the key's stripe, or the bucket exclusively) -
  // Adds `rec` as the key's newest version under the bucket's versioning rules: sets its vkey,
  // is_null and mtime; replaces (and releases) the null version in unversioned/suspended
  // buckets, refusing with ObjectLocked when that version is locked.
  Status StageNewVersion(const BucketRecord& b, std::string_view bucket, std::string_view key,
                         const VersionState& vs, ObjectRecord* rec, leveldb::WriteBatch* batch,
                         RefChanges* refs);
  // Removes one version (ObjectLocked when the lock forbids it) and its data; makes the next
  // newest version current.
  Status StageRemoveVersion(std::string_view bucket, std::string_view key, const ObjectRecord& v,
                            bool bypass_governance, leveldb::WriteBatch* batch, RefChanges* refs);
  // Releases a record's data: deletes inline bytes, decrements blob references.
  void StageDropData(const ObjectRecord& r, leveldb::WriteBatch* batch, RefChanges* refs);
  // Gives `dst` its own reference to `src`'s data (blobs shared; inline bytes duplicated).
  Status StageShareData(const ObjectRecord& src, ObjectRecord* dst, leveldb::WriteBatch* batch,
                        RefChanges* refs);
  // Removes the versions `remove` of one key (each checked with CheckRemovable, without
  // bypass: a locked one fails the whole call with ObjectLocked) and their data, and makes the
  // newest version that remains current. Unlike StageRemoveVersion, several versions of the
  // key may go in one batch. REQUIRES: every element is a version of (bucket, key) as stored.
  Status StageRemoveVersions(std::string_view bucket, std::string_view key,
                             const std::vector<const ObjectRecord*>& remove,
                             leveldb::WriteBatch* batch, RefChanges* refs);
  // --- blob intents (blob_intents.cc) ---------------------------------------------------------
  // Records that blob `blob_id` is about to be written (before any byte reaches the store);
  // synced when `durable` and EngineOptions::sync. A failure makes the engine read-only.
  Status RecordUploadIntent(const std::string& blob_id, bool durable);
  // Forgets the intent of a blob that is settled (referenced, or gone from the store).
  void DropIntent(const std::string& blob_id);
  // Removes a blob that nothing references (and whatever an unfinished writer of it left),
  // then its intent. The store's error when it could not (the intent stays for a later try).
  Status DeleteUnreferencedBlob(const std::string& blob_id);
  // The same for several blobs, their settled intents dropped in one write. Failures keep
  // their intents (retried by RetryOwedDeletions and at start-up).
  void DeleteUnreferencedBlobs(const std::vector<std::string>& blob_ids);

  // --- hard links (object_links.cc) ------------------------------------------------------------
  // The id of the key's link group, "" when it is in none.
  Result<std::string> LoadLinkId(std::string_view bucket, std::string_view key);
  // The names of a link group, sorted (at most kMaxLinkCount + 1 are read).
  Result<std::vector<std::string>> LoadLinkNames(std::string_view bucket, std::string_view link_id);
  // Stages "the key is no longer a name of its link group" (nothing when it is in none).
  // REQUIRES: the key's stripe.
  Status StageLeaveLinkGroup(std::string_view bucket, std::string_view key,
                             leveldb::WriteBatch* batch);
  // Stages "the key is a name of group `link_id`" (after any leave staged for it).
  void StageJoinLinkGroup(std::string_view bucket, std::string_view key, std::string_view link_id,
                          leveldb::WriteBatch* batch);
  // Sets info->link_count and link_id for `rec`, the key's current version.
  Status FillLinkInfo(std::string_view bucket, std::string_view key, const ObjectRecord& rec,
                      ObjectInfo* info);
  // The names of the key's link group with all their stripes (and `extra`'s, when not empty)
  // locked; Busy when the group keeps changing. REQUIRES: the bucket lock (shared), and no key
  // stripe held by the caller.
  Result<LinkedNames> LockLinkedNames(std::string_view bucket, std::string_view key,
                                      std::string_view extra);

  // Checks the usage changes against the buckets' quotas (QuotaExceeded, nothing written),
  // applies the reference changes under the blob stripes and the usage changes to their
  // shards, commits the batch (with the intents: published blobs lose their upload intent,
  // blobs that lost their last reference gain an owed deletion), updates the in-memory
  // counters, and deletes those blobs from the store.
  // `durable`: wait for the disk (when EngineOptions::sync is on).
  // `unreferenced`: when given, those blobs are not deleted here but appended to it, for the
  // caller to pass to DeleteUnreferencedBlobs once it has let go of its locks (their owed
  // deletions are committed, so a crash in between loses nothing).
  Status CommitWithRefs(leveldb::WriteBatch* batch, const RefChanges& refs, bool durable = true,
                        std::vector<std::string>* unreferenced = nullptr);
  // Batches committed since open (any thread; background work compares it before and after a
  // step to see whether others wrote meanwhile).
  uint64_t CommitCount() const { return commits_.load(std::memory_order_relaxed); }
  // The usage shard of (bucket, key): its key stripe (usage_counters.h).
  uint8_t UsageShard(std::string_view bucket, std::string_view key) const {
    static_assert(kKeyStripes <= 256, "a usage shard is one byte");
    return static_cast<uint8_t>(KeyStripe(bucket, key));
  }
  UsageTable& usage_table() { return usage_; }
  // What a write is about to add to a bucket, for the early quota check.
  struct QuotaProbe {
    std::optional<uint64_t> size;  // of the body (nullopt: not known yet)
    bool adds_version = true;      // false for a multipart part
    uint64_t freed_bytes = 0;      // of what it replaces for good (the null version, a part)
    bool frees_version = false;    // it replaces a version for good
  };
  // QuotaExceeded when the write cannot fit the bucket's quota now. Returns the size its body
  // may grow to before it cannot fit (nullopt: no byte limit). An estimate made before the
  // body is read, without locks; the commit checks again exactly.
  Result<std::optional<uint64_t>> CheckQuotaRoom(std::string_view bucket,
                                                 const QuotaProbe& probe) const;
  // Applies the bucket's lock rules to a new version: explicit settings (InvalidRequest on a
  // bucket without object lock) or the bucket's default retention.
  Status ApplyLockSettings(const BucketRecord& b, const LockRequest& lock, ObjectRecord* rec);

  // --- access settings (object_acl.cc; bucket-level ones live in iam/bucket_access.cc) --------
  BucketAccess& bucket_access() { return iam_->bucket_access(); }
  BucketCors& bucket_cors() { return *cors_; }
  BucketLogging& bucket_logging() { return *logging_; }
  Notifications& notifications() { return *notify_; }
  // Replaces the ACL of one version (nullopt = private) in one synced batch under the key
  // stripe. NoSuchBucket / NoSuchKey / NoSuchVersion; MethodNotAllowed for a delete marker.
  Status SetObjectAcl(std::string_view bucket, std::string_view key, std::string_view version_id,
                      std::optional<Acl> acl);
  // The ACL of one version (nullopt = private), with the same errors.
  Result<std::optional<Acl>> LoadObjectAcl(std::string_view bucket, std::string_view key,
                                           std::string_view version_id);
  // The tags of one version, with the same errors (tagging.cc; s3:ExistingObjectTag).
  Result<TagSet> LoadObjectTags(std::string_view bucket, std::string_view key,
                                std::string_view version_id);

  std::shared_mutex& BucketLock(std::string_view bucket);
  size_t KeyStripe(std::string_view bucket, std::string_view key) const;
  size_t BlobStripe(std::string_view blob_id) const;
  std::array<std::mutex, kKeyStripes>& key_locks() { return key_locks_; }
  leveldb::DB& db() { return *db_; }
  // Shared by every body being written: their MD5s share SIMD lanes.
  Md5Batcher& md5_batcher() { return md5_batcher_; }

 private:
  // OK when object lock may be turned on for a bucket (EngineOptions::object_lock_enabled),
  // else InvalidRequest.
  Status CheckObjectLockAllowed() const;
  // Binds the data dir to its blob store (store_binding.cc): InvalidArgument when the store
  // belongs to another data dir, or holds none of this one's blobs.
  Status BindBlobStore();
  // The blob store's location, for messages.
  std::string BlobLocation() const;
  // Loads every bucket's lifecycle configuration into lifecycle_configs_.
  Status LoadLifecycleConfigs();
  // Loads every bucket's counters and quota into usage_; first builds the counters from a scan
  // when `rebuild` (a data dir from before counters), in the batch that upgrades the format.
  Status LoadUsage(bool rebuild);
  // Adds up the records of `bucket` in `snapshot` (null: the current state).
  Result<UsageFigures> ScanUsage(std::string_view bucket, const leveldb::Snapshot* snapshot);
  // Start-up: removes the store's unfinished blobs and settles every intent; lists the whole
  // store once for a data dir from before intents (kIntentsKey absent).
  Status SweepAtOpen();
  // Settles owed deletions, and upload intents too when `uploads_too` (only at start-up, when
  // no upload is under way).
  Result<IntentSweep> SettleIntents(bool uploads_too);
  // Deletes every stored blob without a reference count or an intent, then writes kIntentsKey.
  Status SweepWholeStore();
  // Stores options_.blob_store_binding at the first open; InvalidArgument when the data dir
  // is bound to another store.
  Status CheckBlobStoreBinding();
  // CopyObject when the destination's encryption differs from the source's.
  Result<ObjectInfo> CopyBySealing(const CopyObjectRequest& req, const ObjectRecord& src);
  // Checks the configured master keys against the check values stored in the data dir, and
  // stores the values of keys new to it.
  Status CheckMasterKeys();
  // The plain key of KMS key `name`. InvalidArgument when there is none.
  Result<std::string> LoadKmsKey(std::string_view name);
  // Re-wraps one seal under the active master key; true when it changed.
  Result<bool> Rewrap(SealInfo* s);
  // Commits a batch (sync per options). A failure makes the engine read-only.
  Status Commit(leveldb::WriteBatch* batch, bool durable = true);
  // Rewrites one version's record (and the current record when it is the current version).
  Status RewriteVersion(std::string_view bucket, std::string_view key, const ObjectRecord& v);

  const EngineOptions options_;
  Keyring keyring_;
  std::unique_ptr<DirLock> lock_;
  std::unique_ptr<backends::BlobStore> blobs_;
  // Declared before db_ so they outlive it.
  std::unique_ptr<NoWaitEnv> env_;    // LevelDB's Env; outlives db_
  leveldb::Env* test_env_ = nullptr;  // TEST_UseEnv: used instead of env_ when set
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;
  std::unique_ptr<IamImpl> iam_;      // after db_: destroyed before it
  std::unique_ptr<BucketCors> cors_;  // after db_: destroyed before it
  // After db_; stopped first by the destructor (its thread writes through the engine).
  std::unique_ptr<BucketLogging> logging_;
  // After db_; stopped by the destructor before db_ goes (its threads read and write db_).
  std::unique_ptr<Notifications> notify_;

  std::array<std::shared_mutex, kBucketStripes> bucket_locks_;  // lock order 1
  std::array<std::mutex, kKeyStripes> key_locks_;               // lock order 2
  std::array<std::mutex, kBlobStripes> blob_locks_;             // lock order 3
  std::atomic<bool> read_only_{false};
  std::atomic<uint64_t> commits_{0};  // see CommitCount
  bool new_data_dir_ = false;         // Init created the metadata store (nothing to sweep)
  std::mutex ping_mu_;                // guards the two below; a leaf lock
  int64_t ping_at_ns_ = 0;            // when the store last answered CheckBlobStore
  Status ping_status_;
  std::mutex kms_mu_;  // serializes the check-then-create of KMS keys
  // Guards listeners_. Taken after every other engine lock (listeners never call back in).
  mutable std::shared_mutex listeners_mu_;
  std::vector<ChangeListener*> listeners_;
  Md5Batcher md5_batcher_{Md5KernelFromEnvironment()};
  UsageTable usage_;                          // every bucket's counters and quota
  lifecycle::ConfigTable lifecycle_configs_;  // every bucket's lifecycle rules
  // Made by Init; stopped first by the destructor (its thread uses everything above).
  std::unique_ptr<lifecycle::Worker> lifecycle_worker_;
};

// InvalidArgument unless every change names valid user metadata (object_metadata.cc).
Status ValidateMetadataChanges(const std::vector<MetadataChange>& changes);
// Applies `changes` to `user` (sorted, unique). With `check`, a failed `require` is
// PreconditionFailed and nothing is applied; EntityTooLarge past kMaxUserMetadataBytes.
Status ApplyMetadataChanges(const std::vector<MetadataChange>& changes, bool check,
                            std::vector<std::pair<std::string, std::string>>* user);

// True when the lock on version `v` forbids removing it (or shortening its retention) now.
Status CheckRemovable(const ObjectRecord& v, bool bypass_governance, int64_t now_ns);
// For requests with protect_locked (POSIX semantics): ObjectLocked when the current version
// `cur` (may be null) is locked.
Status CheckProtected(const ObjectRecord* cur, bool protect_locked);

inline std::string_view View(const leveldb::Slice& s) { return {s.data(), s.size()}; }

// Current time in ns since the epoch (UTC).
int64_t NowNs();

}  // namespace maxiofs::engine
