// Engine: the object store. Buckets and objects with S3's rules, metadata in LevelDB, data in
// a BlobStore. Every front end (S3, console, FUSE) calls only this interface, so the same
// question gets the same answer everywhere.
//
// Thread-safety: safe for concurrent use from any number of threads without external
// synchronization. Each mutation is atomic (one synced LevelDB batch) and durable when it
// returns OK (unless EngineOptions::sync is false).
//
// Errors are returned as Status codes (see maxiofs/common/status.h); the engine never throws.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/engine/bucket_logging.h"
#include "maxiofs/engine/cors.h"
#include "maxiofs/engine/events.h"
#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/lifecycle.h"
#include "maxiofs/engine/notifications.h"
#include "maxiofs/engine/object_stream.h"
#include "maxiofs/engine/options.h"
#include "maxiofs/engine/types.h"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace maxiofs::backends {
class BlobStore;
}

namespace maxiofs::engine {

// What the blob store holding object data has done since the engine opened (for metrics).
struct BlobStoreStats {
  std::string kind;             // "filesystem", "s3", "gcs", "azure"
  uint64_t requests = 0;        // requests sent to a remote service (attempts)
  uint64_t errors = 0;          // operations that failed after their retries
  uint64_t retries = 0;         // attempts that were repeats
  uint64_t bytes_sent = 0;      // to the service
  uint64_t bytes_received = 0;  // from the service
  uint64_t latency_us = 0;      // summed over requests
  uint64_t cache_hits = 0;      // reads served by the local read cache
  uint64_t cache_misses = 0;
};

class Engine {
 public:
  // Opens (creating when needed) the store under options.data_dir, takes its exclusive lock,
  // and settles what a crash left: temp files, and the blobs its intents name (uploads that
  // never committed, deletions still owed); the blob store itself is not listed. Object data
  // goes to the filesystem blob store under the data dir. Busy when another process holds the
  // data dir; IOError when it cannot be created or written.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  // The same with object data in `blobs` (a remote store, or a test's). The engine owns it.
  // REQUIRES: `blobs` is not null and is only used through this engine from now on.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options,
                                              std::unique_ptr<backends::BlobStore> blobs);

  virtual ~Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Buckets -----------------------------------------------------------------------------
  // InvalidBucketName for names breaking S3's rules; BucketAlreadyOwnedByYou when it exists.
  virtual Status CreateBucket(const CreateBucketRequest& req) = 0;
  // NoSuchBucket; BucketNotEmpty while any object remains.
  virtual Status DeleteBucket(std::string_view bucket) = 0;
  // NoSuchBucket when absent.
  virtual Result<BucketInfo> HeadBucket(std::string_view bucket) = 0;
  // All buckets, sorted by name.
  virtual Result<std::vector<BucketInfo>> ListBuckets() = 0;
  // Name/value pairs a front end keeps with a bucket, sorted by name (the FUSE mount keeps the
  // bucket directory's mode, owner and times here, as it keeps a file's in its user
  // metadata). S3 has no equivalent and never shows them. Removed with the bucket.
  // NoSuchBucket.
  virtual Result<std::vector<std::pair<std::string, std::string>>> GetBucketMetadata(
      std::string_view bucket) = 0;
  // Changes them in one batch; errors as UpdateObjectMetadata's (NoSuchBucket for the bucket).
  virtual Status UpdateBucketMetadata(const UpdateBucketMetadataRequest& req) = 0;
  // Object counts and bytes of one bucket: counters kept with every change, so this is a
  // lookup in memory (no I/O) that callers may poll freely. Each figure is exact once the
  // writes in flight have returned. NoSuchBucket when absent.
  virtual Result<BucketUsage> GetBucketUsage(std::string_view bucket) = 0;
  // Adds up the bucket's records (a scan: about a microsecond per version) and compares the
  // sum with its counters; with `repair`, resets the counters to the scan when they differ
  // (writers of the bucket wait during the scan). NoSuchBucket.
  virtual Result<UsageVerification> VerifyBucketUsage(std::string_view bucket, bool repair) = 0;

  // --- Quotas -----------------------------------------------------------------------------
  // Sets the bucket's hard limits (all zero removes them). A bucket already past a new limit
  // keeps its data; only writes that would add to it fail. NoSuchBucket.
  virtual Status PutBucketQuota(std::string_view bucket, const BucketQuota& quota) = 0;
  // The bucket's limits (all zero when none). NoSuchBucket.
  virtual Result<BucketQuota> GetBucketQuota(std::string_view bucket) = 0;

  // --- Objects -----------------------------------------------------------------------------
  // Starts a PUT: checks the bucket, the key and cheap preconditions before any byte is sent.
  // The caller owns the writer; see ObjectWriter for the commit contract.
  virtual Result<std::unique_ptr<ObjectWriter>> BeginPut(const PutObjectRequest& req) = 0;
  // A ContentMd5 (ObjectWriter::AppendFileWithMd5s) whose large updates share the SIMD lanes of
  // one core with the other streams this engine hashes at the same moment (PUT bodies, other
  // ones of these): several streams hashed side by side cost a fraction of the CPU of each
  // alone. An update may therefore wait for another thread to hash it. Thread-safe; the
  // digest itself is not (one owner at a time), and must not outlive the engine.
  virtual std::unique_ptr<ContentMd5> NewContentMd5() = 0;
  // Opens the current object for reading (whole or a range). NoSuchBucket, NoSuchKey,
  // InvalidRange, NotModified, PreconditionFailed.
  virtual Result<std::unique_ptr<ObjectReader>> GetObject(const GetObjectRequest& req) = 0;
  virtual Result<ObjectInfo> HeadObject(const HeadObjectRequest& req) = 0;
  // The attributes of one version, as HeadObject finds it (NoSuchKey, NoSuchVersion,
  // MethodNotAllowed for a delete marker, SSE-C key checks), with a page of its parts.
  virtual Result<ObjectAttributes> GetObjectAttributes(const GetObjectAttributesRequest& req) = 0;
  // Removes the object. Deleting a missing key succeeds (existed = false), as in S3.
  virtual Result<DeleteObjectResult> DeleteObject(const DeleteObjectRequest& req) = 0;
  // Server-side copy; shares the data instead of copying it where it can. InvalidRequest for a
  // copy onto itself that changes nothing.
  virtual Result<ObjectInfo> CopyObject(const CopyObjectRequest& req) = 0;
  // One page of a listing in key order (S3 ListObjects semantics: prefix, delimiter with common
  // prefixes, start_after, max_keys). Skipping a common prefix seeks past it.
  virtual Result<ListObjectsResult> ListObjects(const ListObjectsRequest& req) = 0;
  // Renames one object (metadata only; the data is not copied). NoSuchKey when the source is
  // missing; an existing destination is replaced unless no_replace. Returns the moved object.
  virtual Result<ObjectInfo> RenameObject(const RenameObjectRequest& req) = 0;
  // Renames every object under a prefix atomically; returns how many moved (0 is not an error).
  virtual Result<uint64_t> RenamePrefix(const RenamePrefixRequest& req) = 0;
  // Changes the user metadata of one version in place, in one batch: no new version, and its
  // data, ETag, Last-Modified and checksums stay. Allowed on versions under retention or legal
  // hold (object lock keeps a version's data from being removed or overwritten; S3 likewise
  // lets tags, ACLs and copies of locked versions change). Returns the updated version.
  // NoSuchKey / NoSuchVersion; MethodNotAllowed for a delete marker; PreconditionFailed when a
  // precondition or a change's `require` fails (nothing changes then); InvalidArgument for a
  // bad name; EntityTooLarge past kMaxUserMetadataBytes.
  virtual Result<ObjectInfo> UpdateObjectMetadata(const UpdateObjectMetadataRequest& req) = 0;
  // Makes dst_key a hard link of src_key (see LinkObjectRequest); returns dst_key's object
  // (link_count includes the new name). NoSuchKey; PreconditionFailed when dst_key exists;
  // InvalidRequest (SubCode kTooManyLinks) past kMaxLinkCount names.
  virtual Result<ObjectInfo> LinkObject(const LinkObjectRequest& req) = 0;

  // --- Versioning and object lock -------------------------------------------------------------
  // kEnabled or kSuspended (InvalidArgument for kUnversioned); InvalidBucketState when
  // suspending a bucket with object lock.
  virtual Status PutBucketVersioning(std::string_view bucket, VersioningState state) = 0;
  // Turns object lock on (REQUIRES cfg.enabled) with an optional default retention.
  // InvalidBucketState unless versioning is enabled; InvalidArgument for a bad default.
  virtual Status PutObjectLockConfiguration(std::string_view bucket,
                                            const ObjectLockConfig& cfg) = 0;
  // ObjectLockConfigurationNotFound when the bucket has no object lock.
  virtual Result<ObjectLockConfig> GetObjectLockConfiguration(std::string_view bucket) = 0;
  // Sets or changes a version's retention. A COMPLIANCE retention can only be extended; a
  // GOVERNANCE one shortened or removed only with bypass_governance (else ObjectLocked).
  // InvalidRequest on a bucket without object lock.
  virtual Status PutObjectRetention(const PutRetentionRequest& req) = 0;
  // NoSuchObjectLockConfiguration when the version has none.
  virtual Result<Retention> GetObjectRetention(std::string_view bucket, std::string_view key,
                                               std::string_view version_id) = 0;
  virtual Status PutObjectLegalHold(std::string_view bucket, std::string_view key,
                                    std::string_view version_id, bool on) = 0;
  virtual Result<bool> GetObjectLegalHold(std::string_view bucket, std::string_view key,
                                          std::string_view version_id) = 0;
  // Default encryption of new objects that ask for none. InvalidArgument for kNone or kC.
  virtual Status PutBucketEncryption(std::string_view bucket, const BucketEncryption& enc) = 0;
  // NotFound when the bucket has no default encryption (S3's
  // ServerSideEncryptionConfigurationNotFoundError); NoSuchBucket.
  virtual Result<BucketEncryption> GetBucketEncryption(std::string_view bucket) = 0;
  virtual Status DeleteBucketEncryption(std::string_view bucket) = 0;

  // --- Lifecycle ---------------------------------------------------------------------------
  // Replaces the bucket's lifecycle rules (and restarts the worker's pass over the bucket).
  // InvalidArgument naming the rule for a configuration S3 refuses (SubCode
  // kInvalidStorageClass for transitions: this server has no other storage class);
  // NoSuchBucket. Rules without an ID get a random one.
  virtual Status PutBucketLifecycle(std::string_view bucket,
                                    const LifecycleConfiguration& config) = 0;
  // NotFound when the bucket has none; NoSuchBucket.
  virtual Result<LifecycleConfiguration> GetBucketLifecycle(std::string_view bucket) = 0;
  // OK also when there is none; NoSuchBucket.
  virtual Status DeleteBucketLifecycle(std::string_view bucket) = 0;
  // Runs one pass of the worker now (waits for a running one); the number of actions taken.
  virtual Result<uint64_t> RunLifecycle() = 0;
  virtual LifecycleStats GetLifecycleStats() = 0;
  // The worker's actions, for auditing (see LifecycleListener). The listener is borrowed.
  virtual void SubscribeLifecycle(LifecycleListener* listener) = 0;
  virtual void UnsubscribeLifecycle(LifecycleListener* listener) = 0;

  // --- Tagging ------------------------------------------------------------------------------
  // Object tags live in the version record: a write with tags stores them in the same batch,
  // and they go away with the version. NoSuchBucket; NoSuchKey / NoSuchVersion when the
  // version does not exist (a current delete marker: NoSuchKey); MethodNotAllowed for a
  // delete marker named by version id. A version without tags has an empty set.
  virtual Result<ObjectTagging> GetObjectTagging(const ObjectTaggingRequest& req) = 0;
  // Replaces the version's tags (InvalidTag for a set ValidateObjectTags refuses); returns
  // the version id. Last-Modified and the data are unchanged.
  virtual Result<std::string> PutObjectTagging(const PutObjectTaggingRequest& req) = 0;
  // Removes every tag of the version (none is not an error); returns the version id.
  virtual Result<std::string> DeleteObjectTagging(const ObjectTaggingRequest& req) = 0;
  // Bucket tags, stored with the bucket (created empty, deleted with it). Put replaces the
  // set (InvalidTag per ValidateBucketTags; an empty set removes it); Get answers
  // NoSuchTagSet when the bucket has none; Delete of none is OK. NoSuchBucket.
  virtual Status PutBucketTagging(std::string_view bucket, const TagSet& tags) = 0;
  virtual Result<TagSet> GetBucketTagging(std::string_view bucket) = 0;
  virtual Status DeleteBucketTagging(std::string_view bucket) = 0;
  // --- Cross-origin resource sharing (cors.h) ---------------------------------------------------
  // Replaces the bucket's CORS rules. NoSuchBucket; InvalidRequest / InvalidArgument naming the
  // rule that breaks S3's rules (ValidateCorsConfiguration). One synced batch.
  virtual Status PutBucketCors(std::string_view bucket, const CorsConfiguration& config) = 0;
  // The bucket's own rules (never the server-wide default). NoSuchCORSConfiguration when it has
  // none; NoSuchBucket.
  virtual Result<CorsConfiguration> GetBucketCors(std::string_view bucket) = 0;
  // OK also when the bucket has no rules (S3 answers 204). NoSuchBucket.
  virtual Status DeleteBucketCors(std::string_view bucket) = 0;
  // Which rule answers a cross-origin request: the bucket's first matching rule, or the server's
  // default when the bucket has no rules. From memory: never touches the disk, never blocks on
  // a writer for long; cheap enough for every request.
  virtual CorsMatch MatchCors(const CorsRequest& req) = 0;

  // --- Server access logging (bucket_logging.h) ---------------------------------------------
  // Sets (config) or removes (nullopt) the bucket's logging. NoSuchBucket for the source;
  // InvalidArgument with SubCode kInvalidTargetBucketForLogging when the target does not exist,
  // has object lock with a default retention, or its policy does not let the logging service
  // (kLoggingServicePrincipal) s3:PutObject under the prefix for this source; InvalidArgument
  // for a prefix over kMaxLogTargetPrefixBytes or not valid UTF-8, or a bad grant (permission
  // other than READ/WRITE/FULL_CONTROL, unknown grantee; kUnresolvableGrant for an unknown
  // e-mail). Putting the configuration the bucket already has changes nothing (its
  // Last-Modified stays). One synced batch.
  virtual Status PutBucketLogging(std::string_view bucket,
                                  const std::optional<BucketLoggingConfig>& config) = 0;
  // The configuration (nullopt: logging off) and when it last changed (Unix ns; 0 when it never
  // was set). NoSuchBucket.
  struct BucketLoggingState {
    std::optional<BucketLoggingConfig> config;
    int64_t modified_ns = 0;
  };
  virtual Result<BucketLoggingState> GetBucketLogging(std::string_view bucket) = 0;
  // True when requests on `bucket` are logged. From memory; cheap enough for every request.
  virtual bool IsBucketLogged(std::string_view bucket) = 0;
  // Hands over one record (a line, without its newline) of a request on `bucket`, made at
  // `time_ns` (Unix ns). Never waits for I/O and never fails the caller: when the bucket is not
  // logged (any more) or the buffer is full, the record is dropped (and counted). The record
  // goes to the target the bucket names at this moment.
  virtual void AppendAccessLog(std::string_view bucket, int64_t time_ns, std::string record) = 0;
  // Delivers every buffered record now; returns how many log objects were written. Waits for
  // the writes.
  virtual Result<uint64_t> FlushAccessLogs() = 0;
  virtual AccessLogStats access_log_stats() = 0;

  // --- Bucket notifications (notifications.h) ------------------------------------------------
  // Replaces the bucket's rules (no rules: notifications off) and queues S3's s3:TestEvent for
  // each target the rules name, in the same synced batch. InvalidArgument, with S3's messages,
  // for an unknown event name ("The event is not supported for notifications"), an ARN that
  // names no configured target ("Unable to validate the following destination
  // configurations"), a filter rule other than one prefix and one suffix, two rules sharing an
  // event type and overlapping key filters ("Configurations overlap..."), duplicate ids.
  // NoSuchBucket. Rules without an id get a random one.
  virtual Status PutBucketNotification(std::string_view bucket,
                                       const NotificationConfiguration& config,
                                       const RequestOrigin& origin) = 0;
  // The rules (none when never set). NoSuchBucket.
  virtual Result<NotificationConfiguration> GetBucketNotification(std::string_view bucket) = 0;
  // Hands the engine the server's targets and starts one delivery thread each (events queued
  // before, by this run or an earlier one, are sent now). Call once, right after Open, before
  // front ends start; until then every ARN is unknown. Events queued for a target no longer
  // configured are dropped (counted and logged). InvalidArgument for two targets with one name
  // or a bad name; FailedPrecondition-like InvalidRequest when called twice.
  virtual Status StartNotifications(std::vector<std::unique_ptr<NotificationTarget>> targets) = 0;
  // Per target, sorted by name.
  virtual std::vector<NotificationTargetStats> notification_stats() = 0;

  // Every version and delete marker, by key, newest first within a key.
  virtual Result<ListVersionsResult> ListObjectVersions(const ListVersionsRequest& req) = 0;

  // --- Multipart uploads -------------------------------------------------------------------
  virtual Result<UploadInfo> CreateMultipartUpload(const CreateMultipartRequest& req) = 0;
  // Starts a part upload; the writer's Commit stores the part (replacing one with the same
  // number) and returns its size, ETag and checksum. NoSuchUpload; InvalidArgument for a
  // part number outside 1..10000.
  virtual Result<std::unique_ptr<ObjectWriter>> BeginUploadPart(const UploadPartRequest& req) = 0;
  // A part made from (a range of) an existing object.
  virtual Result<PartInfo> UploadPartCopy(const UploadPartCopyRequest& req) = 0;
  // Makes the object from the listed parts without copying data, atomically. InvalidPart,
  // InvalidPartOrder, EntityTooSmall (a part other than the last under the minimum size),
  // NoSuchUpload. ETag: hex MD5 of the parts' binary MD5s, "-", part count.
  virtual Result<ObjectInfo> CompleteMultipartUpload(const CompleteMultipartRequest& req) = 0;
  virtual Status AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id) = 0;
  virtual Result<ListUploadsResult> ListMultipartUploads(const ListUploadsRequest& req) = 0;
  virtual Result<ListPartsResult> ListParts(const ListPartsRequest& req) = 0;
  // Aborts every upload initiated before `cutoff_ns` (abandoned uploads); returns how many.
  virtual Result<uint64_t> AbortUploadsInitiatedBefore(int64_t cutoff_ns) = 0;

  // --- Keys -----------------------------------------------------------------------------------
  // Re-wraps every data key (and key-service key) that is not under the active master key with
  // the active one; the data is not rewritten. Returns how many keys changed. Afterwards the
  // other master keys are no longer needed (their check values are forgotten).
  virtual Result<uint64_t> RotateMasterKey() = 0;
  // Creates a key of the built-in key service (SSE-KMS). InvalidArgument for a bad name,
  // BucketAlreadyOwnedByYou-like InvalidRequest when it exists; InvalidRequest without a master
  // key (KMS keys are wrapped by it).
  virtual Status CreateKmsKey(std::string_view name) = 0;
  virtual Result<std::vector<KmsKeyInfo>> ListKmsKeys() = 0;

  // Makes every commit made so far durable (those with durable = false included). IOError on
  // failure, which also makes the engine read-only.
  virtual Status Sync() = 0;

  // Retries the blob deletions still owed to the blob store (ones that failed when the data
  // they held was released, e.g. while a remote store was unreachable); returns how many were
  // done now. Those that fail again stay owed (and are retried at every start-up).
  virtual Result<uint64_t> RetryOwedDeletions() = 0;

  // OK when the blob store can serve now: a remote store answers one cheap request (the
  // answer is kept for 2 s, so health checks do not hammer it); Unavailable with its reason
  // otherwise. For readiness checks.
  virtual Status CheckBlobStore() = 0;
  virtual BlobStoreStats blob_store_stats() const = 0;

  // --- Identity and access ------------------------------------------------------------------
  // Users, keys, policies, ACLs and the Authorize decision (see iam.h). Lives as long as the
  // engine.
  virtual Iam& iam() = 0;

  // --- Events -------------------------------------------------------------------------------
  // Registers a listener for committed changes. REQUIRES: `listener` stays valid until it is
  // removed with Unsubscribe (or the engine is destroyed).
  virtual void Subscribe(ChangeListener* listener) = 0;
  virtual void Unsubscribe(ChangeListener* listener) = 0;

 protected:
  Engine() = default;
};

// S3's bucket-name rules: 3-63 chars of [a-z0-9.-], starting and ending with a letter or
// digit, no "..", not an IPv4 address, not prefixed "xn--" or suffixed "-s3alias".
// OK or InvalidBucketName with the reason.
Status ValidateBucketName(std::string_view name);
// Object keys: 1-1024 bytes of valid UTF-8 without NUL. OK or InvalidKey with the reason.
Status ValidateObjectKey(std::string_view key);
// S3's tag rules: at most kMaxObjectTags (objects) / kMaxBucketTags (buckets) tags; keys of
// 1-128 and values of 0-256 Unicode characters of valid UTF-8; unique keys; no key starting
// with the reserved "aws:". OK or InvalidTag with the reason.
Status ValidateObjectTags(const TagSet& tags);
Status ValidateBucketTags(const TagSet& tags);

}  // namespace maxiofs::engine
