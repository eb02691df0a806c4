// Opening an engine: the data-dir lock, LevelDB, the blob store and the crash sweep.
#include "engine_impl.h"
#include "engine_testing.h"
#include "key_codec.h"

#include "maxiofs/backends/fs_blob_store.h"
#include "maxiofs/common/no_wait.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <iterator>

namespace maxiofs::engine {

namespace {
std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}
}  // namespace

namespace {
// Engine::Open, with LevelDB on `env` when it is not null (TEST_OpenEngine).
Result<std::unique_ptr<Engine>> OpenEngine(const EngineOptions& options,
                                           std::unique_ptr<backends::BlobStore> given,
                                           leveldb::Env* env);
}  // namespace

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status FromLevelDb(const leveldb::Status& s, std::string_view context) {
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsIOError()) {
    // A table read that refused to wait (NoWaitEnv) is not a disk failure.
    if (NoWaitBlocked()) return Status::WouldBlock(msg);
    return Status::IOError(msg);
  }
  return Status::Internal(msg);
}

Result<std::unique_ptr<DirLock>> DirLock::Acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Status::IOError("cannot open lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Busy("data dir is in use by another maxiofs process (" + path + ")");
    }
    return Status::IOError("cannot lock " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<DirLock>(new DirLock(fd));  // private constructor
}

DirLock::~DirLock() { ::close(fd_); }

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  return Open(options, nullptr);
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options,
                                             std::unique_ptr<backends::BlobStore> given) {
  return OpenEngine(options, std::move(given), nullptr);
}

Result<std::unique_ptr<Engine>> TEST_OpenEngine(const EngineOptions& options,
                                                std::unique_ptr<backends::BlobStore> given,
                                                leveldb::Env* env) {
  return OpenEngine(options, std::move(given), env);
}

namespace {
Result<std::unique_ptr<Engine>> OpenEngine(const EngineOptions& options,
                                           std::unique_ptr<backends::BlobStore> given,
                                           leveldb::Env* env) {
  const std::string& dir = options.data_dir;
  if (dir.empty()) return Status::InvalidArgument("data dir must not be empty");
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Status::IOError("cannot create data dir " + dir + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IOError("data dir " + dir + " is not a directory");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    return Status::IOError("data dir " + dir + " is not writable");
  }
  // Bad key configuration is reported before anything is touched.
  MAXIOFS_RETURN_IF_ERROR(Keyring::Make(options.encryption).status());
  MAXIOFS_ASSIGN_OR_RETURN(auto lock, DirLock::Acquire(dir + "/LOCK"));
  std::unique_ptr<backends::BlobStore> blobs = std::move(given);
  if (!blobs) {
    // The blob directory: <dir>/objects with <dir>/tmp by default, else options.blob_dir with
    // its own .tmp (a rename must not cross filesystems).
    MAXIOFS_ASSIGN_OR_RETURN(
        blobs, options.blob_dir.empty()
                   ? backends::OpenFsBlobStore(dir)
                   : backends::OpenFsBlobStoreAt(options.blob_dir, options.blob_dir + "/.tmp"));
  }
  auto impl = std::make_unique<EngineImpl>(options, std::move(lock), std::move(blobs));
  if (env != nullptr) impl->TEST_UseEnv(env);
  MAXIOFS_RETURN_IF_ERROR(impl->Init());
  impl->StartBackgroundWork();
  return std::unique_ptr<Engine>(std::move(impl));
}
}  // namespace

EngineImpl::EngineImpl(const EngineOptions& options, std::unique_ptr<DirLock> lock,
                       std::unique_ptr<backends::BlobStore> blobs)
    : options_(options),
      keyring_([&] {
        Result<Keyring> k = Keyring::Make(options.encryption);  // checked by Engine::Open
        return k.has_value() ? std::move(k).value() : Keyring();
      }()),
      lock_(std::move(lock)),
      blobs_(std::move(blobs)) {}

EngineImpl::~EngineImpl() {
  if (logging_) logging_->Stop();  // delivers what is buffered, through the whole engine
  if (lifecycle_worker_) lifecycle_worker_->Stop();
  if (notify_) notify_->Stop();
  notify_.reset();
  logging_.reset();
  cors_.reset();
  iam_.reset();
  db_.reset();
}

Status EngineImpl::Init() {
  leveldb::Options o;
  o.create_if_missing = true;
  env_ = std::make_unique<NoWaitEnv>();
  o.env = test_env_ != nullptr ? test_env_ : env_.get();
  const MetadataStoreOptions& m = options_.metadata;
  cache_.reset(leveldb::NewLRUCache(m.cache_bytes));
  o.block_cache = cache_.get();
  if (m.bloom_bits_per_key > 0) {
    filter_.reset(leveldb::NewBloomFilterPolicy(m.bloom_bits_per_key));
    o.filter_policy = filter_.get();
  }
  o.write_buffer_size = m.write_buffer_bytes;
  o.max_file_size = m.max_file_bytes;
  o.max_open_files = m.max_open_files;
  o.compression = m.compress_tables ? leveldb::kSnappyCompression : leveldb::kNoCompression;
  leveldb::DB* raw = nullptr;
  const std::string meta = options_.data_dir + "/meta";
  leveldb::Status s = leveldb::DB::Open(o, meta, &raw);
  if (!s.ok()) return FromLevelDb(s, "open metadata " + meta);
  db_.reset(raw);

  std::string format;
  bool rebuild_usage = false;
  bool upgrade_marker = false;  // a format-6 or -7 dir: only the marker changes
  s = db_->Get(leveldb::ReadOptions(), std::string(kFormatKey), &format);
  if (s.IsNotFound()) {
    new_data_dir_ = true;
    leveldb::WriteOptions wo;
    wo.sync = true;
    s = db_->Put(wo, std::string(kFormatKey), std::string(kFormatVersion));
    if (!s.ok()) return FromLevelDb(s, "write format version");
  } else if (!s.ok()) {
    return FromLevelDb(s, "read format version");
  } else if (std::ranges::find(kPreviousFormatVersions, format) !=
             std::end(kPreviousFormatVersions)) {
    // Format 2 records are format 3 records without sealed data, format 3 records are format
    // 4 records without ACLs, format 4 records are format 5 records without sections (tags),
    // format 5 dirs lack only the usage counters (LoadUsage builds them and upgrades the
    // marker in one batch), and format 6 and 7 dirs lack only what no record or key of theirs
    // holds.
    rebuild_usage = std::ranges::find(kFormatsWithoutUsageCounters, format) !=
                    std::end(kFormatsWithoutUsageCounters);
    upgrade_marker = !rebuild_usage;
  } else if (format != kFormatVersion) {
    return Status::Corruption("unsupported data format version " + format);
  }
  MAXIOFS_RETURN_IF_ERROR(CheckBlobStoreBinding());
  MAXIOFS_RETURN_IF_ERROR(CheckMasterKeys());
  MAXIOFS_RETURN_IF_ERROR(BindBlobStore());
  MAXIOFS_RETURN_IF_ERROR(LoadUsage(rebuild_usage));
  if (upgrade_marker) {
    leveldb::WriteOptions wo;
    wo.sync = true;
    s = db_->Put(wo, std::string(kFormatKey), std::string(kFormatVersion));
    if (!s.ok()) return FromLevelDb(s, "upgrade format version");
  }
  MAXIOFS_RETURN_IF_ERROR(LoadLifecycleConfigs());
  lifecycle_worker_ =
      std::make_unique<lifecycle::Worker>(*this, options_.lifecycle, lifecycle_configs_);
  iam_ = std::make_unique<IamImpl>(options_.iam, db_.get(), *this);
  MAXIOFS_RETURN_IF_ERROR(iam_->Load());
  MAXIOFS_ASSIGN_OR_RETURN(std::shared_ptr<const CompiledCors> cors_default,
                           CompiledCors::ServerDefault(options_.cors_allowed_origins));
  cors_ = std::make_unique<BucketCors>(db_.get(), *this, std::move(cors_default));
  MAXIOFS_RETURN_IF_ERROR(cors_->Load());
  logging_ = std::make_unique<BucketLogging>(db_.get(), *this, options_.access_log);
  MAXIOFS_RETURN_IF_ERROR(logging_->Load());
  notify_ = std::make_unique<Notifications>(db_.get(), *this, options_.notify);
  MAXIOFS_RETURN_IF_ERROR(notify_->Load());
  Log()->debug("MD5 kernel: {}", Md5KernelName(md5_batcher_.kernel()));
  return SweepAtOpen();
}

Status EngineImpl::CheckBlobStoreBinding() {
  const std::string& want = options_.blob_store_binding;
  std::string have;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), std::string(kBackendKey), &have);
  if (s.ok()) {
    if (have == want) return Status::OK();
    return Status::InvalidArgument("this data dir's object data is in the blob store \"" + have +
                                   "\", not \"" + want +
                                   "\": start it with the storage settings it was created with");
  }
  if (!s.IsNotFound()) return FromLevelDb(s, "read the blob store binding");
  if (!new_data_dir_ && want != "filesystem") {
    // A data dir from before bindings: its blobs (if any) are in the filesystem store.
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    it->Seek(std::string(1, kRefTag));
    const bool has_blobs = it->Valid() && it->key().size() > 0 && it->key()[0] == kRefTag;
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan blob references"));
    if (has_blobs) {
      return Status::InvalidArgument(
          "this data dir's object data is in the filesystem blob store, not \"" + want +
          "\": start it with storage.backend filesystem");
    }
  }
  leveldb::WriteBatch batch;
  batch.Put(std::string(kBackendKey), want);
  return Commit(&batch);
}

Status EngineImpl::CheckBlobStore() {
  std::lock_guard<std::mutex> l(ping_mu_);  // one probe at a time; others wait for its answer
  const int64_t now = NowNs();
  if (ping_at_ns_ != 0 && now - ping_at_ns_ < 2'000'000'000) return ping_status_;
  ping_status_ = blobs_->Ping();
  ping_at_ns_ = NowNs();
  return ping_status_;
}

BlobStoreStats EngineImpl::blob_store_stats() const {
  const backends::BlobStoreCounters c = blobs_->counters();
  BlobStoreStats s;
  s.kind = std::string(blobs_->kind());
  s.requests = c.requests;
  s.errors = c.errors;
  s.retries = c.retries;
  s.bytes_sent = c.bytes_sent;
  s.bytes_received = c.bytes_received;
  s.latency_us = c.latency_us;
  s.cache_hits = c.cache_hits;
  s.cache_misses = c.cache_misses;
  return s;
}

Status EngineImpl::CheckWritable() const {
  if (read_only_.load(std::memory_order_acquire)) {
    return Status::ReadOnly(
        "the engine stopped accepting writes after a storage sync failure; "
        "restart the server");
  }
  return Status::OK();
}

void EngineImpl::EnterReadOnly(const Status& cause) {
  if (!read_only_.exchange(true)) {
    Log()->error("entering read-only mode after a failed sync: {}", cause.ToString());
  }
}

Status EngineImpl::Commit(leveldb::WriteBatch* batch, bool durable) {
  leveldb::WriteOptions wo;
  wo.sync = options_.sync && durable;
  leveldb::Status s = db_->Write(wo, batch);
  commits_.fetch_add(1, std::memory_order_relaxed);
  if (!s.ok()) {
    Status st = FromLevelDb(s, "commit metadata");
    EnterReadOnly(st);
    return st;
  }
  return Status::OK();
}

Status EngineImpl::Sync() {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  // A synced write makes the log, and every record before it, durable.
  leveldb::WriteBatch batch;
  batch.Put(std::string(kFormatKey), std::string(kFormatVersion));
  leveldb::WriteOptions wo;
  wo.sync = true;
  leveldb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) {
    Status st = FromLevelDb(s, "sync metadata");
    EnterReadOnly(st);
    return st;
  }
  return Status::OK();
}

void EngineImpl::Subscribe(ChangeListener* listener) {
  std::unique_lock<std::shared_mutex> l(listeners_mu_);
  listeners_.push_back(listener);
}

void EngineImpl::Unsubscribe(ChangeListener* listener) {
  std::unique_lock<std::shared_mutex> l(listeners_mu_);
  std::erase(listeners_, listener);
}

void EngineImpl::Publish(ChangeEvent::Kind kind, std::string_view bucket, std::string_view key) {
  std::shared_lock<std::shared_mutex> l(listeners_mu_);
  if (listeners_.empty()) return;
  ChangeEvent ev{kind, std::string(bucket), std::string(key)};
  for (ChangeListener* c : listeners_) c->OnChange(ev);
}

std::shared_mutex& EngineImpl::BucketLock(std::string_view bucket) {
  return bucket_locks_[std::hash<std::string_view>{}(bucket) % kBucketStripes];
}

size_t EngineImpl::KeyStripe(std::string_view bucket, std::string_view key) const {
  size_t h = std::hash<std::string_view>{}(bucket);
  h ^= std::hash<std::string_view>{}(key) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h % kKeyStripes;
}

size_t EngineImpl::BlobStripe(std::string_view blob_id) const {
  return std::hash<std::string_view>{}(blob_id) % kBlobStripes;
}

}  // namespace maxiofs::engine
