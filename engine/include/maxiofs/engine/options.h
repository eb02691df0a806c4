// EngineOptions: how to open an engine. Each knob says what it is, its unit, its default and
// its trade-off (the style of leveldb/options.h). Loaded in app/ from the config.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace maxiofs::engine {

// A master key: wraps the data keys of SSE-S3 objects and the keys of the key service.
struct MasterKey {
  std::string id;   // name stored with each wrapped key; [A-Za-z0-9._-], 1-64 chars
  std::string key;  // 32 raw bytes
};

// Encryption at rest. Data keys are per object (per part), random, wrapped by a master key
// whose id is stored with them, so master keys can rotate without rewriting data.
struct EncryptionOptions {
  // Every master key that may have wrapped stored data. Open refuses (InvalidArgument) a key
  // whose check value differs from the one stored in the data dir, and a data dir whose keys
  // are not all configured.
  std::vector<MasterKey> master_keys;
  // Wraps new data keys. Empty: the only key (when there is exactly one).
  std::string active_key_id;
  // New data without an explicit request (and no bucket default) is SSE-S3. Default false.
  // REQUIRES: a master key.
  bool encrypt_new_data = false;
};

// A compression algorithm for new data. The values are the on-disk chunk codec numbers.
enum class CompressionCodec : uint8_t {
  kZstd = 1,  // levels 1-19, default 3: the best ratio for its speed
  kGzip = 2,  // zlib's DEFLATE, levels 1-9, default 6: the most widely known
  kLz4 = 3,   // levels 1-12, default 1 (1-2 fast mode, 3-12 LZ4HC): the fastest to read
};

// Transparent per-chunk compression of new data (before encryption). Each chunk records the
// codec it was written with, so data stays readable whatever these options say later.
struct CompressionOptions {
  bool enabled = false;
  CompressionCodec codec = CompressionCodec::kZstd;
  // The codec's level; higher is smaller and slower to write. 0: the codec's default. Values
  // outside the codec's range are clamped.
  int level = 3;
  // Bodies known to be smaller than this are stored uncompressed. Default 4096.
  uint64_t min_size = 4096;
  // Content types (exact, or "type/*") and key extensions (".jpg") never compressed: data
  // that is compressed already.
  std::vector<std::string> excluded_content_types;
  std::vector<std::string> excluded_extensions;
};

// Identity and access (see iam.h).
struct IamOptions {
  // The break-glass admin: always allowed. REQUIRES: non-empty.
  std::string root_access_key = "maxioadmin";
  std::string root_secret_key = "maxioadmin";
  // Secret from which the key that encrypts stored IAM secrets (access-key secrets, session
  // secrets) is derived (HKDF-SHA256). Empty: derived from root_secret_key, so changing the
  // root secret then makes stored secrets unreadable (Open fails with InvalidArgument naming
  // the setting). Any length; 32+ random bytes recommended.
  std::string master_secret;
  // The e-mail address of the account (its canonical user): ACL grants to this address
  // (emailAddress= grantees, AmazonCustomerByEmail) resolve to the account; compared
  // case-insensitively. Default empty: no address resolves (UnresolvableGrantByEmailAddress).
  std::string account_email;
};

// The lifecycle worker (docs/lifecycle.md).
struct LifecycleOptions {
  // Length of one lifecycle day in seconds. Default 86400; tests shorten it (like RGW's
  // rgw_lc_debug_interval) so a rule of 1 day acts within seconds. With real days an expiry is
  // rounded up to the next UTC midnight, as S3 does; with shorter days it is not rounded.
  uint32_t day_seconds = 86400;
  // How often the worker starts a pass over the buckets with rules (seconds). Default 3600;
  // 0 starts no worker (Engine::RunLifecycle still runs a pass).
  uint32_t interval_seconds = 3600;
};

// Server access logging to buckets (bucket_logging.h, docs/bucket-logging.md).
struct AccessLogOptions {
  // A target's buffered records are delivered as one log object at most this many seconds
  // after the first of them arrived (logging.bucket_flush_seconds). Default 300, as S3
  // delivers within minutes; tests shorten it. 0: only when the buffer is full, on
  // Engine::FlushAccessLogs and at close.
  uint32_t flush_seconds = 300;
  // ... or as soon as they reach this many bytes (logging.bucket_flush_bytes). Default 4 MiB.
  uint64_t flush_bytes = 4ull << 20;
  // Records buffered for all targets together, at most (bytes). Past it new records are
  // dropped (counted in AccessLogStats::records_dropped): logging is best effort, as in S3,
  // and never holds up a request or grows memory without bound. Default 64 MiB.
  uint64_t max_buffered_bytes = 64ull << 20;
  // The region named in PartitionedPrefix keys (the S3 front end's region). Default us-east-1.
  std::string region = "us-east-1";
};

// The metadata store's (LevelDB's) tuning: the engine.metadata_* config keys. The defaults
// were chosen with bench/scale (durable PUT 4 KiB up to millions of objects, small objects
// inline, so their bytes pass through LevelDB's compactions); docs/configuration.md has the
// figures. Each is read at Open only.
struct MetadataStoreOptions {
  // Block cache for table blocks (bytes). Larger keeps more of the keys and inline objects of
  // a big store in memory for GET, HEAD and listings. Default 64 MiB.
  uint64_t cache_bytes = 64ull << 20;
  // Bytes of writes gathered in memory before they are written out as one sorted table. Larger
  // means fewer, larger level-0 tables and less compaction work per write, at the cost of that
  // much memory (up to twice, while one is being written) and a longer replay of the log at
  // start after a crash. Default 32 MiB.
  uint64_t write_buffer_bytes = 32ull << 20;
  // Target size of one table file (bytes). Larger means fewer files and open descriptors for a
  // big store, and larger compactions. Default 32 MiB.
  uint64_t max_file_bytes = 32ull << 20;
  // Table files kept open (descriptors; the rest are reopened on use). Default 2000.
  int max_open_files = 2000;
  // Bloom filter bits per key: a point read of a missing key (HEAD of an absent object, PUT's
  // existence checks) skips a table's blocks with ~1 % false positives at 10. 0: no filter.
  // Default 10.
  int bloom_bits_per_key = 10;
  // Compress table blocks with Snappy. Saves disk for text-like metadata, costs CPU for data
  // that does not shrink (inline objects that are compressed or encrypted already).
  // Default true.
  bool compress_tables = true;
};

// Bucket notifications (notifications.h, docs/events.md).
struct NotifyOptions {
  // Events waiting for one target, at most (notify.queue_limit). Past it the oldest are
  // dropped (counted in NotificationTargetStats::dropped and logged as errors), so a target
  // that stays down cannot fill the disk. Default 100000 (about 100 MB of events at most).
  uint64_t queue_limit = 100000;
  // Retries of a failed delivery wait from retry_min_ms, doubling up to retry_max_ms, each
  // wait jittered by +-25% (notify.retry_max_ms). Defaults 100 ms and 5000 ms: a target that
  // comes back gets its events within seconds.
  uint32_t retry_min_ms = 100;
  uint32_t retry_max_ms = 5000;
  // The region named in events (awsRegion; the S3 front end's region). Default us-east-1.
  std::string region = "us-east-1";
};

struct EngineOptions {
  // Root of the data directory; holds meta/ (LevelDB), objects/ (blobs) and tmp/.
  // Created when missing. Default: ./data.
  std::string data_dir = "data";

  // Directory of the blob files (the filesystem backend's root). Empty (the default):
  // <data_dir>/objects, with unfinished blobs in <data_dir>/tmp. Otherwise blobs go here and
  // unfinished ones to <blob_dir>/.tmp, on the same filesystem. Created when missing. A data
  // dir is bound to its blob directory (a STORE file there names it): Open refuses one that
  // belongs to another data dir, or an empty one while this data dir has blobs elsewhere.
  std::string blob_dir;

  // Objects up to this size (bytes) are stored inside LevelDB: one synced write per PUT and no
  // file. Larger objects go to a blob file. Default 128 KiB. Raising it speeds small writes
  // but grows LevelDB compaction work.
  uint64_t inline_threshold = 128 * 1024;

  // Largest object a single PUT may create (bytes). Default 5 GiB, S3's limit.
  uint64_t max_object_size = 5ull << 30;

  // Smallest multipart part other than the last (bytes). Default 5 MiB, S3's rule; tests lower
  // it to keep uploads small.
  uint64_t min_part_size = 5ull << 20;

  // fsync data and metadata before acknowledging a write. Default true. false is only for
  // benchmarks and throw-away test runs: acknowledged writes may be lost on power failure.
  bool sync = true;

  // Allow turning object lock on for a bucket (CreateBucket with object lock, and
  // PutObjectLockConfiguration on a bucket without it). Default true. false refuses both
  // (InvalidRequest); buckets that already have object lock keep it, with every lock enforced.
  bool object_lock_enabled = true;

  MetadataStoreOptions metadata;

  // Names the blob store the data dir's object data lives in ("filesystem", or e.g.
  // "s3 bucket=b prefix=p"). Stored at the first open; a later open naming another store is
  // refused (InvalidArgument), since the metadata would point at blobs that are not there and
  // settling its intents would delete blobs of the other store. Default "filesystem".
  std::string blob_store_binding = "filesystem";

  EncryptionOptions encryption;
  CompressionOptions compression;
  IamOptions iam;
  LifecycleOptions lifecycle;
  AccessLogOptions access_log;
  NotifyOptions notify;

  // CORS for buckets without rules of their own (and for requests that name no bucket): the
  // origins allowed every method and request header, with S3's response headers exposed
  // (server.cors_allowed_origins). Each may hold one '*' ("*" allows every origin). Empty (the
  // default): no cross-origin access unless a bucket's own rules allow it. Open refuses an
  // origin a CORS rule could not hold (InvalidArgument).
  std::vector<std::string> cors_allowed_origins;
};

}  // namespace maxiofs::engine
