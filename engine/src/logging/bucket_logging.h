// BucketLogging: server access logging (maxiofs/engine/bucket_logging.h). Keeps every
// bucket's configuration, stored under 'X' 'g' bucket (key_codec.h, value logging_codec.h) and
// mirrored in memory, so "is this bucket logged?" never touches the disk; buffers the records
// front ends hand over, per source bucket; and delivers each buffer as one log object in its
// target bucket from its own thread, through the engine's own writer (no front end sees the
// write, so a delivery is never itself logged).
//
// A buffer is delivered AccessLogOptions::flush_seconds after its first record, as soon as it
// holds flush_bytes, when its bucket's configuration changes, on Flush, and at Stop. All
// buffers together hold at most max_buffered_bytes; records past that are dropped (counted).
// A delivery that fails (the target is gone, its policy no longer lets the logging service
// write, a full disk) drops its records: best effort, as S3's.
//
// The configuration is removed in the same batch as its bucket (kBucketSettingKinds: the
// BucketAccess staging deletes every 'X' kind), and ForgetBucket drops it from memory.
//
// Thread-safety: all methods are safe to call concurrently. Lock order: the engine's bucket
// lock (shared), then write_mu_, then mu_; buffer_mu_ is a leaf taken with no other lock and
// never held across a write.
#pragma once

#include "logging_codec.h"

#include "maxiofs/common/result.h"
#include "maxiofs/engine/bucket_logging.h"
#include "maxiofs/engine/options.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>

namespace leveldb {
class DB;
}  // namespace leveldb

namespace maxiofs::engine {

class EngineImpl;

class BucketLogging {
 public:
  // `db` and `engine` must outlive this object.
  BucketLogging(leveldb::DB* db, EngineImpl& engine, AccessLogOptions options);
  ~BucketLogging();  // Stop()s when still running
  BucketLogging(const BucketLogging&) = delete;
  BucketLogging& operator=(const BucketLogging&) = delete;

  // Reads every stored configuration (at open; ones of buckets that no longer exist are
  // skipped) and starts the delivery thread. Corruption when one does not decode.
  Status Load();
  // Delivers what is buffered and stops the thread; later records are dropped. Idempotent.
  void Stop();

  // Engine::PutBucketLogging / GetBucketLogging / IsBucketLogged / AppendAccessLog /
  // FlushAccessLogs / access_log_stats (engine.h).
  Status Put(std::string_view bucket, const std::optional<BucketLoggingConfig>& config);
  Result<StoredBucketLogging> Get(std::string_view bucket);  // modified_ns 0: none
  bool IsLogged(std::string_view bucket) const;
  void Append(std::string_view bucket, int64_t time_ns, std::string record);
  Result<uint64_t> Flush();
  AccessLogStats Stats() const;

  // After the batch that deleted `bucket` committed.
  void ForgetBucket(std::string_view bucket);

 private:
  struct Buffer {
    std::string source;
    BucketLoggingConfig config;  // where it goes (the configuration at its first record)
    std::string data;            // records, each ending in '\n'
    int64_t first_ns = 0;        // time of its first record
  };

  // The target's refusal as InvalidTargetBucketForLogging, or OK.
  Status CheckTarget(std::string_view source, const BucketLoggingConfig& config);
  // Writes one buffer as a log object (no lock held). True when written.
  bool Deliver(Buffer& buffer);
  // Accounts for a buffer whose delivery ended (no lock held; takes buffer_mu_).
  void Settle(const Buffer& buffer, bool delivered);
  void Run();  // the delivery thread
  // Moves every buffer that is due (all of them with `all`) to `out`. REQUIRES: buffer_mu_.
  void TakeDue(bool all, int64_t now_ns, std::deque<Buffer>& out);

  leveldb::DB* db_;
  EngineImpl& engine_;
  const AccessLogOptions options_;

  // Serializes configuration changes (LevelDB write + memory update). Lock order: after the
  // engine's bucket lock, before mu_.
  std::mutex write_mu_;
  // Guards configs_.
  mutable std::shared_mutex mu_;
  std::map<std::string, StoredBucketLogging, std::less<>> configs_;

  // Guards everything below. A leaf lock.
  mutable std::mutex buffer_mu_;
  std::condition_variable wake_;                     // the thread: something is due, or stop
  std::condition_variable settled_;                  // Flush: no delivery in flight
  std::map<std::string, Buffer, std::less<>> open_;  // by source bucket
  std::deque<Buffer> ready_;                         // closed, waiting for the thread
  uint64_t buffered_bytes_ = 0;                      // in open_ and ready_ and in flight
  int in_flight_ = 0;                                // buffers being written
  bool stopping_ = false;
  bool stopped_ = false;
  AccessLogStats stats_;
  std::thread thread_;
};

}  // namespace maxiofs::engine
