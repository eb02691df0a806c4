// Notifications: bucket notification rules (kept with the bucket under 'X' 'n' and mirrored in
// memory) and the durable event queue ('Y' target '\0' seq, key_codec.h) with one delivery
// thread per target (maxiofs/engine/notifications.h).
//
// Queue entry value: 0x01 fixed64-LE(enqueue time, Unix ns) message-bytes.
//
// Staging: an operation lists its changes in RefChanges::events; CommitWithRefs calls Stage
// (which matches them against the bucket's rules and adds one entry per target to the batch)
// before it commits and Committed after, both under the operation's key stripe, so the entries
// of one key get increasing sequence numbers in the order of its commits.
//
// Delivery: a target's thread sends its entries in sequence order from a cursor (the last
// delivered seq). An entry committed after a higher one was delivered (two keys racing) moves
// the cursor back in Committed, so nothing is skipped. An entry is deleted only after Send
// returned OK; a crash in between sends it again (at least once). Failures are retried with
// jittered exponential backoff. Past NotifyOptions::queue_limit, Committed drops the oldest
// entries (never the one being sent), counts and logs them.
//
// Thread-safety: all methods are safe to call concurrently. Lock order: the engine's bucket
// and key locks, then write_mu_, then mu_, then a target's TargetQueue::mu (a leaf: never held
// across Send).
#pragma once

#include "event_message.h"

#include "maxiofs/common/result.h"
#include "maxiofs/engine/notifications.h"
#include "maxiofs/engine/options.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace leveldb {
class DB;
class WriteBatch;
}  // namespace leveldb

namespace maxiofs::engine {

class EngineImpl;

class Notifications {
 public:
  struct TargetQueue;
  // An entry staged in a batch, reported to Committed once the batch is durable.
  struct Staged {
    TargetQueue* queue;
    uint64_t seq;
  };

  // `db` and `engine` must outlive this object.
  Notifications(leveldb::DB* db, EngineImpl& engine, NotifyOptions options);
  ~Notifications();  // Stop()s
  Notifications(const Notifications&) = delete;
  Notifications& operator=(const Notifications&) = delete;

  // Reads every bucket's rules and counts the queued entries (at open).
  Status Load();
  // Engine::StartNotifications.
  Status Start(std::vector<std::unique_ptr<NotificationTarget>> targets);
  // Stops the delivery threads (waits for a Send in progress). Idempotent.
  void Stop();

  // Engine::PutBucketNotification / GetBucketNotification / notification_stats.
  Status Put(std::string_view bucket, NotificationConfiguration config,
             const RequestOrigin& origin);
  Result<NotificationConfiguration> Get(std::string_view bucket);
  std::vector<NotificationTargetStats> Stats() const;
  // After the batch that deleted `bucket` committed.
  void ForgetBucket(std::string_view bucket);
  // True when `bucket` has rules (from memory).
  bool HasRules(std::string_view bucket) const;

  // Adds the queue entries `drafts` cause to `batch` (nothing when no rule matches) and lists
  // them in `staged`. Cheap when no bucket has rules.
  void Stage(const std::vector<EventDraft>& drafts, leveldb::WriteBatch* batch,
             std::vector<Staged>* staged);
  // After the batch holding `staged` committed: counts them and wakes the delivery threads.
  void Committed(const std::vector<Staged>& staged);

  // Each target's queue. Public for the delivery thread's helpers; its fields are private to
  // event_queue.cc.
  struct TargetQueue {
    std::unique_ptr<NotificationTarget> target;
    std::string name;
    std::string prefix;  // EventKeyPrefix(name)
    std::thread thread;
    std::mutex mu;  // guards everything below; a leaf lock
    std::condition_variable wake;
    uint64_t count = 0;      // entries committed and not deleted
    uint64_t cursor = 0;     // the thread sends entries with seq > cursor
    uint64_t in_flight = 0;  // seq being sent (0: none)
    uint32_t attempt = 0;    // consecutive failures
    std::chrono::steady_clock::time_point retry_at{};
    int64_t last_drop_log_ns = 0;
    uint64_t dropped_since_log = 0;
    NotificationTargetStats stats;
  };

 private:
  void Run(TargetQueue* q);  // the delivery thread of one target
  // Drops the oldest entries past the limit. REQUIRES: q->mu.
  void TrimLocked(TargetQueue* q);
  // Deletes every entry of a target that is not configured (at Start).
  void DropOrphans(const std::string& name, uint64_t count);
  std::chrono::milliseconds Backoff(uint32_t attempt);

  leveldb::DB* db_;
  EngineImpl& engine_;
  const NotifyOptions options_;

  std::atomic<uint64_t> next_seq_{1};
  std::map<std::string, uint64_t> loaded_counts_;  // entries per target name found by Load

  std::mutex write_mu_;           // serializes configuration changes
  mutable std::shared_mutex mu_;  // guards configs_
  std::map<std::string, NotificationConfiguration, std::less<>> configs_;
  std::atomic<bool> any_config_{false};

  // Set once by Start (queues_ is not changed afterwards, so readers need no lock once
  // started_ is seen true).
  std::atomic<bool> started_{false};
  std::map<std::string, std::unique_ptr<TargetQueue>, std::less<>> queues_;
  std::atomic<bool> stopping_{false};
};

}  // namespace maxiofs::engine
