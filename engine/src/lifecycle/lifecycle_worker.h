// The lifecycle worker: carries out the buckets' lifecycle rules in the background.
//
// A pass visits every bucket with a configuration. Per bucket it walks the version records in
// key order in slices: first without any lock, deciding from what it reads which keys have
// something to do (lifecycle_rules.h EvaluateKey); then, for a batch of at most
// Limits::batch_keys such keys, it takes the bucket lock (shared) and those keys' stripes,
// reloads their versions, decides again from the live records, stages the changes through the
// same versioning core every other delete uses (StageNewVersion / StageRemoveVersions, so
// CheckRemovable refuses a locked version, which is retried in a later pass) and commits them
// in one synced batch together with the cursor (where the pass stands, 'W' bucket). So a crash
// leaves every key either fully done or untouched, and a restart resumes at the cursor. No
// lock is held between batches, nor while the expired data is deleted from the blob store
// (its owed deletions are in the batch). Then it aborts the bucket's expired multipart uploads
// and removes the cursor.
//
// Background work yields to foreground work: when others committed while a step ran, the
// worker then pauses Limits::yield times as long as the step took (at most
// Limits::max_pause_ms), so under load it takes about 1 / (1 + yield) of the time it would.
//
// Thread-safety: safe for concurrent use; passes are serialized (a RunPass waits for a running
// one). Lock order: run_mu_ → the engine's locks (bucket, key stripes, blobs) → listeners_mu_
// / configs' mutex (leaf locks).
#pragma once

#include "lifecycle/lifecycle_codec.h"
#include "lifecycle/lifecycle_rules.h"

#include "maxiofs/common/result.h"
#include "maxiofs/engine/events.h"
#include "maxiofs/engine/lifecycle.h"
#include "maxiofs/engine/options.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace maxiofs::engine {
class EngineImpl;
}

namespace maxiofs::engine::lifecycle {

// Every bucket's lifecycle configuration in memory (loaded at open, replaced by Put/Delete),
// read by the worker and by reads that answer x-amz-expiration. Thread-safe; its mutex is a
// leaf lock.
class ConfigTable {
 public:
  void Set(std::string_view bucket, LifecycleConfiguration config);
  void Erase(std::string_view bucket);
  // nullptr when the bucket has none.
  std::shared_ptr<const LifecycleConfiguration> Get(std::string_view bucket) const;
  std::vector<std::string> Buckets() const;  // sorted

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<const LifecycleConfiguration>, std::less<>> configs_;
  // configs_.size(), read without the lock: reads of objects (x-amz-expiration) skip the lock
  // while no bucket has rules.
  std::atomic<size_t> count_{0};
};

class Worker {
 public:
  // How much one step does. Tests lower them to cut passes into many slices.
  struct Limits {
    size_t slice_keys = 1000;      // keys read without locks before the cursor is saved
    size_t batch_keys = 128;       // keys changed per locked, synced batch
    size_t chunk_versions = 1000;  // versions of one key looked at per step
    double yield = 1.0;            // pause / step time while others write; 0: never pause
    uint32_t max_pause_ms = 100;   // longest single pause
  };

  Worker(EngineImpl& engine, const LifecycleOptions& options, const ConfigTable& configs);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts the background thread (a pass at once, then every interval_seconds); nothing when
  // the interval is 0.
  void Start();
  // Stops the thread after the step in progress. Idempotent.
  void Stop();

  // One pass over every bucket with rules, deciding at `now_ns` (tests pass a later time to
  // make rules due). Returns the number of actions taken. A bucket whose slice fails is logged
  // and skipped until the next pass (LifecycleStats::errors).
  Result<uint64_t> RunPass(int64_t now_ns);

  LifecycleStats Stats() const;
  void Subscribe(LifecycleListener* listener);
  void Unsubscribe(LifecycleListener* listener);

  void TEST_SetLimits(const Limits& limits) { limits_ = limits; }
  // A lifecycle day of any length in ns (options only allow whole seconds).
  void TEST_SetDayNs(int64_t day_ns) { day_ns_ = day_ns; }
  // Called after each committed batch (crash tests report progress from it).
  void TEST_SetAfterBatch(std::function<void()> hook) { after_batch_ = std::move(hook); }

 private:
  struct Candidate;
  struct Counts;

  void Loop();
  // The bucket's part of a pass; the number of actions.
  Result<uint64_t> ProcessBucket(const std::string& bucket, int64_t now_ns);
  // Walks version records from `cursor` until `Limits::slice_keys` keys were read or
  // `Limits::batch_keys` keys need a change; `*done` when the bucket has no more keys.
  Status Scan(const std::string& bucket, const LifecycleConfiguration& config, int64_t now_ns,
              Cursor* cursor, std::vector<Candidate>* out, bool* done);
  // Applies the candidates under locks, with the new cursor, in one batch.
  Result<uint64_t> Apply(const std::string& bucket, const LifecycleConfiguration& config,
                         int64_t now_ns, const std::vector<Candidate>& candidates,
                         const Cursor& cursor);
  Result<uint64_t> AbortUploads(const std::string& bucket, const LifecycleConfiguration& config,
                                int64_t now_ns);
  Status SaveCursor(const std::string& bucket, const Cursor& cursor);
  // Pauses after a step that began at `started` with the engine's commit count `commits_before`
  // when anyone besides the step's own `own_commits` committed meanwhile; false when Stop was
  // called (the caller returns).
  bool YieldToForeground(std::chrono::steady_clock::time_point started, uint64_t commits_before,
                         uint64_t own_commits);
  void Notify(const std::vector<LifecycleEvent>& events);

  EngineImpl& engine_;
  int64_t day_ns_;
  const int64_t interval_ns_;
  const ConfigTable& configs_;
  Limits limits_;
  std::function<void()> after_batch_;

  std::mutex run_mu_;  // serializes passes; lock order 0 (before every engine lock)

  std::mutex wake_mu_;  // guards stop_; a leaf lock
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;

  // Statistics (relaxed atomics: each figure is exact on its own).
  std::atomic<uint64_t> objects_expired_{0}, bytes_expired_{0}, versions_expired_{0},
      version_bytes_expired_{0}, markers_removed_{0}, uploads_aborted_{0}, locked_skipped_{0},
      passes_{0}, errors_{0};
  std::atomic<int64_t> last_pass_duration_ns_{0}, last_pass_end_ns_{0};

  mutable std::shared_mutex listeners_mu_;  // guards listeners_; a leaf lock
  std::vector<LifecycleListener*> listeners_;
};

}  // namespace maxiofs::engine::lifecycle
