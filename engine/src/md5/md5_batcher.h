// Md5Batcher: hashes the MD5 blocks of many concurrent streams (PUT bodies, parts) together in
// the SIMD lanes of md5_lanes.h, several times the throughput of one stream per core.
// BatchedMd5: a Digest whose large updates go through a batcher.
#pragma once

#include "checksums.h"
#include "md5/md5_lanes.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace maxiofs::engine {

// Thread-safe. No thread of its own: a caller waiting for its blocks hashes the queued blocks of
// every caller (up to kMd5Lanes streams at once) until its own are done, then hands the rest to
// the next waiter. A caller alone is hashed at once with the scalar code, so nobody waits for
// company; streams only share lanes when they arrive while others are being hashed. (Making a
// lone caller wait ~0.2 ms for company while other streams were open gained nothing measurable
// on 16 concurrent 1 MiB PUTs, so it does not.)
class Md5Batcher {
 public:
  explicit Md5Batcher(Md5Kernel kernel = BestMd5Kernel());
  Md5Batcher(const Md5Batcher&) = delete;
  Md5Batcher& operator=(const Md5Batcher&) = delete;

  // Advances `state` (A, B, C, D) over `blocks` 64-byte blocks of `data`. Blocks until done;
  // `data` must stay valid until then.
  void Compress(uint32_t state[4], const unsigned char* data, size_t blocks);

  Md5Kernel kernel() const { return kernel_; }

 private:
  struct Job;
  // Runs lanes until `mine` is done; called with mu_ held and busy_ set.
  void Combine(std::unique_lock<std::mutex>& lock, Job& mine);

  const Md5Kernel kernel_;
  std::mutex mu_;
  bool busy_ = false;       // a caller is combining
  std::deque<Job*> queue_;  // waiting jobs, not in any lane
};

// An MD5 Digest whose updates of at least kMinBatchBytes of whole blocks are hashed by
// `batcher`, which must outlive it. Not thread-safe (one per stream), like every Digest.
std::unique_ptr<Digest> NewBatchedMd5(Md5Batcher& batcher);

}  // namespace maxiofs::engine
