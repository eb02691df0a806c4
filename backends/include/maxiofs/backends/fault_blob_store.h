// A BlobStore that forwards to another and fails on request (tests): a store that is down,
// refuses deletions, or loses the answer to a commit that did store the blob (a remote PUT
// whose response timed out); and, through a FaultPlan, the Nth I/O call failing with an I/O
// error or a full disk. LevelDB's fault_injection_test and RocksDB's FaultInjectionTestFS play
// this part there; the engine's fault-injecting LevelDB Env (engine/src/fault_env.h) counts
// its calls on the same FaultPlan, so one number walks across both.
#pragma once

#include "maxiofs/backends/blob_store.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace maxiofs::backends {

// "Fail I/O call number N" (LevelDB's fault_injection_test, SQLite's I/O error tests). Every
// I/O call a fault store or fault Env makes counts one while the plan is armed; call number
// `fail_at` (1-based) fails, and with `sticky` every later call too (a disk that stays full or
// broken). Safe for concurrent use.
struct FaultPlan {
  enum class Error : uint8_t {
    kIO,       // EIO: Status::IOError / leveldb IOError
    kNoSpace,  // ENOSPC: Status::StorageFull / leveldb IOError "No space left on device"
  };

  // Starts counting from zero; call number `n` (>= 1) fails with `error`.
  void Arm(uint64_t n, Error error, bool sticky_after) {
    fail_at_.store(0);
    calls_.store(0);
    injected_.store(0);
    error_.store(error);
    sticky_.store(sticky_after);
    fail_at_.store(n);
  }
  // Stops failing (and counting).
  void Disarm() { fail_at_.store(0); }
  // Counts one I/O call; true when it must fail.
  bool Hit() {
    const uint64_t at = fail_at_.load();
    if (at == 0) return false;
    const uint64_t n = calls_.fetch_add(1) + 1;
    if (n == at || (sticky_.load() && n > at)) {
      injected_.fetch_add(1);
      return true;
    }
    return false;
  }
  Error error() const { return error_.load(); }
  uint64_t calls() const { return calls_.load(); }        // counted since Arm
  uint64_t injected() const { return injected_.load(); }  // failures since Arm

 private:
  std::atomic<uint64_t> fail_at_{0};  // 0: disarmed
  std::atomic<uint64_t> calls_{0};
  std::atomic<uint64_t> injected_{0};
  std::atomic<bool> sticky_{false};
  std::atomic<Error> error_{Error::kIO};
};

// What to break. Each switch may be flipped at any time from any thread.
struct FaultSwitches {
  std::atomic<bool> fail_delete{false};  // Delete and Discard answer IOError, removing nothing
  std::atomic<bool> fail_create{false};  // Create answers IOError
  std::atomic<bool> fail_open{false};    // Open answers IOError
  // Commit publishes the blob in the base store, then answers Unavailable anyway.
  std::atomic<bool> lose_commit_answer{false};
  std::atomic<uint64_t> deletes{0};  // Delete/Discard calls seen (counted even when failed)
  // Numbered faults. Counted calls: Create, Append (a failing Append first writes half of its
  // bytes: a short write), Commit (fails before publishing: the sync), Open/OpenRange (a
  // GET), Delete/Discard.
  FaultPlan plan;
};

// A store forwarding to `base`, failing as `faults` says. Both are shared with the caller, so
// a test can reopen an engine on the same base store. Safe for concurrent use as `base` is.
std::unique_ptr<BlobStore> NewFaultBlobStore(std::shared_ptr<BlobStore> base,
                                             std::shared_ptr<FaultSwitches> faults);

}  // namespace maxiofs::backends
