// A BlobStore that forwards to another and fails on request (tests): a store that is down,
// refuses deletions, or loses the answer to a commit that did store the blob (a remote PUT
// whose response timed out). LevelDB's fault_injection_test and RocksDB's FaultInjectionTestFS
// play this part there.
#pragma once

#include "maxiofs/backends/blob_store.h"

#include <atomic>
#include <memory>

namespace maxiofs::backends {

// What to break. Each switch may be flipped at any time from any thread.
struct FaultSwitches {
  std::atomic<bool> fail_delete{false};  // Delete and Discard answer IOError, removing nothing
  std::atomic<bool> fail_create{false};  // Create answers IOError
  std::atomic<bool> fail_open{false};    // Open answers IOError
  // Commit publishes the blob in the base store, then answers Unavailable anyway.
  std::atomic<bool> lose_commit_answer{false};
  std::atomic<uint64_t> deletes{0};  // Delete/Discard calls seen (counted even when failed)
};

// A store forwarding to `base`, failing as `faults` says. Both are shared with the caller, so
// a test can reopen an engine on the same base store. Safe for concurrent use as `base` is.
std::unique_ptr<BlobStore> NewFaultBlobStore(std::shared_ptr<BlobStore> base,
                                             std::shared_ptr<FaultSwitches> faults);

}  // namespace maxiofs::backends
