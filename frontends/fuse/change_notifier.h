// ChangeNotifier: turns the engine's committed change events into kernel cache
// invalidations, so a write through S3 or the console is visible in the mount at once.
//
// OnChange (engine thread, maybe under engine locks) only appends to a queue. A dedicated
// thread drains it and calls fuse_lowlevel_notify_inval_entry / _inval_inode. Those calls
// are never made inside a FUSE request handler nor under the inode-table lock (they are
// made with no lock of ours held), which is the rule in fuse_lowlevel.h.
//
// Why the mount's own changes are skipped: events raised while a thread of this mount serves
// a FUSE request (OwnOpScope) come from the mount itself; the kernel already knows about
// them (it issued the request and updates its dentries and page cache from our reply).
// Invalidating them would only throw away good cache. It would also be a deadlock hazard if
// it were ever done synchronously: the kernel holds the parent directory's inode lock while
// it waits for our create/unlink/rename reply, and inval_entry takes that same lock, so a
// handler that notified before replying would wait for itself. Because the notifier thread
// never holds anything a handler needs and handlers never wait for the notifier, a notify
// that blocks on a kernel lock only waits for the in-flight request to finish.
//
// Thread-safety: OnChange is safe for concurrent calls; Start/Stop from one owner.
#pragma once

#include "fuse_api.h"
#include "inode_table.h"

#include "maxiofs/engine/events.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace maxiofs::fuse {

// Marks the current thread as serving a FUSE request for the mount `owner` (RAII, nests).
class OwnOpScope {
 public:
  explicit OwnOpScope(const void* owner);
  ~OwnOpScope();
  OwnOpScope(const OwnOpScope&) = delete;
  OwnOpScope& operator=(const OwnOpScope&) = delete;
  static bool Active(const void* owner);

 private:
  const void* saved_;
};

class ChangeNotifier : public engine::ChangeListener {
 public:
  // `owner` identifies the mount for OwnOpScope. REQUIRES: `table` outlives this object.
  ChangeNotifier(const void* owner, const InodeTable& table);
  ~ChangeNotifier() override;

  // Starts the notifier thread for `session`. REQUIRES: `session` stays valid until Stop.
  void Start(fuse_session* session);
  // Stops and joins the thread; pending events are dropped.
  void Stop();

  void OnChange(const engine::ChangeEvent& event) override;

  uint64_t invalidations() const { return invalidations_.load(); }
  uint64_t dropped() const { return dropped_.load(); }

 private:
  void Run();
  void Deliver(const engine::ChangeEvent& event);
  void InvalEntry(fuse_ino_t parent, std::string_view name);

  static constexpr size_t kMaxQueued = 1 << 20;

  const void* const owner_;
  const InodeTable& table_;
  fuse_session* session_ = nullptr;
  std::thread thread_;

  std::mutex mu_;  // guards queue_ and stop_; leaf lock (OnChange may run under engine locks)
  std::condition_variable cv_;
  std::deque<engine::ChangeEvent> queue_;
  bool stop_ = false;

  std::atomic<uint64_t> invalidations_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace maxiofs::fuse
