// StagedPrefix: the part of a staging file written strictly in order from offset 0, which is
// how most files are written (cp, tar, rsync, fio, editors saving). While the file grows that
// way, the MD5s behind its ETag are computed off the write path, by the FUSE workers that have
// just replied to a write (so the hashing runs beside the writer's next writes instead of at
// commit), and its bytes are handed to the disk early (sync_file_range), so that the fdatasync
// at commit has little left to do. A write anywhere else or a truncate ends the prefix for
// good; the commit then lets the engine read the file back, as without it.
//
// The prefix is hashed in independent parts (the parts of the object's parts ETag, see
// engine::kPartsEtagPartSize), each by whichever worker gets to it first: one file is hashed by
// up to as many threads as there are hash slots, instead of through one serial MD5. With one
// part as large as any file, the MD5 of the whole file is kept instead.
//
// Thread-safety: Written, End and Take are called by the staging file's owner (one thread at
// a time: its handle's mutex); CatchUp by any thread, concurrently with them and with each
// other. One internal mutex, a leaf, never held while hashing or doing I/O.
#pragma once

#include "maxiofs/common/unique_fd.h"
#include "maxiofs/engine/object_stream.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace maxiofs::fuse {

// How many threads of one mount may hash in CatchUp at once: hashing past the cores buys
// nothing, and it must never hold every FUSE worker (other requests would wait behind it).
// Beyond the limit CatchUp skips; the commit hashes what is left. Thread-safe.
class HashSlots {
 public:
  explicit HashSlots(int slots) : free_(slots) {}
  bool TryAcquire() {
    int n = free_.load();
    while (n > 0) {
      if (free_.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }
  void Release() { free_.fetch_add(1); }

 private:
  std::atomic<int> free_;
};

// How a mount hashes its staging files (one, shared by all of them).
struct PrefixHashing {
  // CatchUp hashes only while it holds one of these. Not null.
  std::shared_ptr<HashSlots> slots;
  // Files are hashed in parts of this many bytes (> 0); UINT64_MAX: one part, the whole
  // file's MD5.
  uint64_t part_size = UINT64_MAX;
  // Past this many bytes the digests would not be used (a parts ETag past 10,000 parts has
  // larger parts): the prefix ends, and the commit lets the engine read the file back.
  uint64_t max_size = UINT64_MAX;
  // Makes the digest of a part (Engine::NewContentMd5 in the mount: parts hashed at the same
  // moment then share SIMD lanes). Called under StagedPrefix's mutex.
  std::function<std::unique_ptr<engine::ContentMd5>()> new_md5 = &engine::ContentMd5::New;
};

class StagedPrefix {
 public:
  // Tracks the staging file open as `fd`, hashed as `hashing` says; keeps its own duplicate of
  // `fd` (so a late CatchUp never reads a descriptor closed and reused meanwhile). nullptr
  // when it cannot dup.
  static std::shared_ptr<StagedPrefix> Create(int fd, PrefixHashing hashing);

  // [offset, offset + len) of the file was just written: in order (offset == the prefix's
  // end) it extends the prefix, anywhere else it ends it.
  void Written(uint64_t offset, uint64_t len);
  // The file changed other than by a write (a truncate): the prefix ends.
  void End();

  // Hashes bytes of the prefix not hashed yet, in parts no other thread is hashing, unless no
  // hash slot is free. `just_written`, the bytes of a write at `offset` still in the caller's
  // buffer, saves reading them back from the file. First starts the disk writeback of the
  // prefix every few MiB. Never fails: a read error ends the prefix.
  void CatchUp(uint64_t offset, std::span<const char> just_written);

  // The MD5s of the parts of the file (in order; one when the file fits in one part) when the
  // prefix is the whole file of `size` bytes: finishes the hashing on the calling thread
  // (after waiting for the parts other threads are hashing). Empty when the prefix ended or
  // is not `size` bytes. Ends the prefix either way (the digests are taken once).
  std::vector<std::unique_ptr<engine::ContentMd5>> Take(uint64_t size);

 private:
  struct Part {
    std::unique_ptr<engine::ContentMd5> md5;
    uint64_t hashed = 0;  // md5 covers the part's first `hashed` bytes
    bool busy = false;    // a thread is hashing it (owns md5)
  };

  StagedPrefix(UniqueFd fd, PrefixHashing hashing);
  // Starts the disk writeback of the prefix's bytes not yet handed to the disk, when at least
  // `min_bytes` are. REQUIRES: l holds mu_. Returns with l held.
  void WritebackLocked(std::unique_lock<std::mutex>& l, uint64_t min_bytes);
  // The lowest part with bytes of the prefix left to hash that no thread is hashing.
  // REQUIRES: mu_ held.
  std::optional<size_t> PickLocked();
  // Bytes of the prefix in part `i`. REQUIRES: mu_ held.
  uint64_t PartBytesLocked(size_t i) const;
  // Hashes parts (PickLocked) step by step until none is left to this thread. REQUIRES: l
  // holds mu_. Returns with l held.
  void HashLocked(std::unique_lock<std::mutex>& l, uint64_t offset,
                  std::span<const char> just_written);

  const UniqueFd fd_;
  const PrefixHashing hashing_;
  const uint64_t part_size_;      // hashing_.part_size
  std::mutex mu_;                 // guards everything below
  std::condition_variable idle_;  // busy_ fell to 0
  bool valid_ = true;             // the prefix has not ended
  uint64_t end_ = 0;              // the prefix is [0, end_)
  uint64_t flushed_ = 0;          // writeback started (or being started) for [0, flushed_)
  std::vector<Part> parts_;       // the parts of [0, end_); at least one
  size_t first_open_ = 0;         // parts before it are hashed whole
  int busy_ = 0;                  // parts being hashed
  std::vector<std::unique_ptr<char[]>> spare_bufs_;  // read-back buffers not in use
};

}  // namespace maxiofs::fuse
