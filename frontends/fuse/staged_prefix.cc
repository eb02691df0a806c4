#include "staged_prefix.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <new>

namespace maxiofs::fuse {
namespace {

// Bytes hashed per step (read back, when they are not the caller's buffer).
constexpr uint64_t kHashStep = 1 << 20;
// Disk writeback of the prefix starts in steps of this many bytes.
constexpr uint64_t kWritebackStep = 8 << 20;

}  // namespace

StagedPrefix::StagedPrefix(UniqueFd fd, std::shared_ptr<HashSlots> slots)
    : fd_(std::move(fd)), slots_(std::move(slots)), md5_(engine::ContentMd5::New()) {}

std::shared_ptr<StagedPrefix> StagedPrefix::Create(int fd, std::shared_ptr<HashSlots> slots) {
  UniqueFd own(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (own.get() < 0) return nullptr;
  return std::shared_ptr<StagedPrefix>(new StagedPrefix(std::move(own), std::move(slots)));
}

void StagedPrefix::Written(uint64_t offset, uint64_t len) {
  std::lock_guard<std::mutex> l(mu_);
  if (!valid_ || len == 0) return;
  if (offset == end_) {
    end_ += len;
  } else {
    valid_ = false;
  }
}

void StagedPrefix::End() {
  std::lock_guard<std::mutex> l(mu_);
  valid_ = false;
}

void StagedPrefix::WritebackLocked(std::unique_lock<std::mutex>& l, uint64_t min_bytes) {
  if (!valid_ || end_ - flushed_ < std::max<uint64_t>(min_bytes, 1)) return;
  const uint64_t from = flushed_;
  const uint64_t to = end_;
  flushed_ = to;  // claimed under the lock: no two threads start the same range
  l.unlock();
  // Starts writeback only, without waiting for it, so the commit's fdatasync finds the bytes
  // on their way to the disk. Advisory: an error here shows up in that fdatasync.
  ::sync_file_range(fd_.get(), static_cast<off_t>(from), static_cast<off_t>(to - from),
                    SYNC_FILE_RANGE_WRITE);
  l.lock();
}

void StagedPrefix::CatchUp(uint64_t offset, std::span<const char> just_written) {
  std::unique_lock<std::mutex> l(mu_);
  WritebackLocked(l, kWritebackStep);
  if (hashing_ || !valid_ || hashed_ == end_ || !slots_->TryAcquire()) return;
  hashing_ = true;
  HashLocked(l, offset, just_written);
  hashing_ = false;
  l.unlock();
  slots_->Release();
  idle_.notify_all();
}

void StagedPrefix::HashLocked(std::unique_lock<std::mutex>& l, uint64_t offset,
                              std::span<const char> just_written) {
  while (valid_ && hashed_ < end_) {
    const uint64_t at = hashed_;
    const uint64_t want = std::min<uint64_t>(end_ - at, kHashStep);
    l.unlock();
    // Bytes of the prefix never change while it is valid (a write over them ends it), so
    // hashing them unlocked is safe; if it ended meanwhile, this work is simply dropped.
    size_t got = 0;
    bool read_failed = false;
    if (at >= offset && at < offset + just_written.size()) {
      got = static_cast<size_t>(std::min<uint64_t>(want, offset + just_written.size() - at));
      md5_->Update(just_written.subspan(static_cast<size_t>(at - offset), got));
    } else {
      // Allocated here, not up front: most prefixes hash from the writers' buffers only. No
      // exception may leave this function (the hashing turn would never be given back).
      if (!buf_) {
        try {
          buf_ = std::make_unique_for_overwrite<char[]>(kHashStep);
        } catch (const std::bad_alloc&) {
          // handled below: no buffer, no digest
        }
      }
      ssize_t n =
          buf_ ? ::pread(fd_.get(), buf_.get(), static_cast<size_t>(want), static_cast<off_t>(at))
               : -1;
      if (n > 0) {
        got = static_cast<size_t>(n);
        md5_->Update({buf_.get(), got});
      } else if (n == 0 || !buf_ || errno != EINTR) {
        read_failed = true;  // should not happen (the bytes were written); give up the digest
      }
    }
    l.lock();
    if (read_failed) valid_ = false;
    hashed_ = at + got;
  }
}

std::unique_ptr<engine::ContentMd5> StagedPrefix::Take(uint64_t size) {
  std::unique_lock<std::mutex> l(mu_);
  // The rest of a large file goes to the disk while the hashing finishes (a small one may
  // never need the disk: the engine keeps it in its metadata).
  if (end_ >= kWritebackStep) WritebackLocked(l, 0);
  idle_.wait(l, [this] { return !hashing_; });
  if (valid_ && end_ == size) {
    hashing_ = true;
    HashLocked(l, 0, {});
    hashing_ = false;
  }
  const bool whole = valid_ && hashed_ == size;
  valid_ = false;
  if (!whole) return nullptr;
  return std::move(md5_);
}

}  // namespace maxiofs::fuse
