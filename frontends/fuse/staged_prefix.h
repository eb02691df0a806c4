// StagedPrefix: the part of a staging file written strictly in order from offset 0, which is
// how most files are written (cp, tar, rsync, fio, editors saving). While the file grows that
// way, its MD5 (the object's ETag) is computed off the write path, by the FUSE worker that has
// just replied to a write (so the hashing runs beside the writer's next write instead of at
// commit), and its bytes are handed to the disk early (sync_file_range), so that the fdatasync
// at commit has little left to do. A write anywhere else or a truncate ends the prefix for
// good; the commit then lets the engine read the file back, as without it.
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
#include <memory>
#include <mutex>
#include <span>

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

class StagedPrefix {
 public:
  // Tracks the staging file open as `fd`; keeps its own duplicate of it (so a late CatchUp
  // never reads a descriptor closed and reused meanwhile). CatchUp hashes only while it holds
  // one of `slots` (not null). nullptr when it cannot dup.
  static std::shared_ptr<StagedPrefix> Create(int fd, std::shared_ptr<HashSlots> slots);

  // [offset, offset + len) of the file was just written: in order (offset == the prefix's
  // end) it extends the prefix, anywhere else it ends it.
  void Written(uint64_t offset, uint64_t len);
  // The file changed other than by a write (a truncate): the prefix ends.
  void End();

  // Hashes the prefix's bytes not hashed yet, unless another thread is at it (that one then
  // hashes these too) or no hash slot is free. `just_written`, the bytes of a write at `offset`
  // still in the caller's buffer, saves reading them back from the file. First starts the disk
  // writeback of the prefix every few MiB. Never fails: a read error ends the prefix.
  void CatchUp(uint64_t offset, std::span<const char> just_written);

  // The MD5 of the file when the prefix is the whole file of `size` bytes: finishes the hashing
  // on the calling thread (after waiting for a CatchUp in progress). nullptr when the prefix
  // ended or is not `size` bytes. Ends the prefix either way (a digest is taken once).
  std::unique_ptr<engine::ContentMd5> Take(uint64_t size);

 private:
  StagedPrefix(UniqueFd fd, std::shared_ptr<HashSlots> slots);
  // Starts the disk writeback of the prefix's bytes not yet handed to the disk, when at least
  // `min_bytes` are. REQUIRES: l holds mu_. Returns with l held.
  void WritebackLocked(std::unique_lock<std::mutex>& l, uint64_t min_bytes);
  // Hashes [hashed_, end_) while this thread holds the hashing turn. REQUIRES: l holds mu_,
  // hashing_ set by this thread. Returns with l held.
  void HashLocked(std::unique_lock<std::mutex>& l, uint64_t offset,
                  std::span<const char> just_written);

  const UniqueFd fd_;
  const std::shared_ptr<HashSlots> slots_;
  std::mutex mu_;                 // guards everything below
  std::condition_variable idle_;  // hashing_ became false
  bool valid_ = true;             // the prefix has not ended
  bool hashing_ = false;          // a thread holds the hashing turn (md5_, buf_)
  uint64_t end_ = 0;              // the prefix is [0, end_)
  uint64_t hashed_ = 0;           // md5_ covers [0, hashed_)
  uint64_t flushed_ = 0;          // writeback started (or being started) for [0, flushed_)
  // Used only by the thread holding the hashing turn:
  std::unique_ptr<engine::ContentMd5> md5_;
  std::unique_ptr<char[]> buf_;  // read-back buffer (kHashStep bytes), allocated on first need
};

}  // namespace maxiofs::fuse
