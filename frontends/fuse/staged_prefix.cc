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

StagedPrefix::StagedPrefix(UniqueFd fd, PrefixHashing hashing)
    : fd_(std::move(fd)), hashing_(std::move(hashing)), part_size_(hashing_.part_size), parts_(1) {
  parts_[0].md5 = hashing_.new_md5();
}

std::shared_ptr<StagedPrefix> StagedPrefix::Create(int fd, PrefixHashing hashing) {
  UniqueFd own(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (own.get() < 0 || hashing.part_size == 0 || !hashing.slots || !hashing.new_md5) {
    return nullptr;
  }
  return std::shared_ptr<StagedPrefix>(new StagedPrefix(std::move(own), std::move(hashing)));
}

void StagedPrefix::Written(uint64_t offset, uint64_t len) {
  std::lock_guard<std::mutex> l(mu_);
  if (!valid_ || len == 0) return;
  if (offset != end_ || len > hashing_.max_size - end_) {
    valid_ = false;
    return;
  }
  end_ += len;
  const uint64_t parts = (end_ - 1) / part_size_ + 1;
  while (parts_.size() < parts) {
    parts_.emplace_back();
    parts_.back().md5 = hashing_.new_md5();
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

uint64_t StagedPrefix::PartBytesLocked(size_t i) const {
  const uint64_t begin = i * part_size_;  // i is 0 when part_size_ is huge: no overflow
  return end_ <= begin ? 0 : std::min(end_ - begin, part_size_);
}

std::optional<size_t> StagedPrefix::PickLocked() {
  while (first_open_ + 1 < parts_.size() && !parts_[first_open_].busy &&
         parts_[first_open_].hashed == part_size_) {
    ++first_open_;
  }
  for (size_t i = first_open_; i < parts_.size(); ++i) {
    if (!parts_[i].busy && parts_[i].hashed < PartBytesLocked(i)) return i;
  }
  return std::nullopt;
}

void StagedPrefix::CatchUp(uint64_t offset, std::span<const char> just_written) {
  std::unique_lock<std::mutex> l(mu_);
  WritebackLocked(l, kWritebackStep);
  if (!valid_ || !PickLocked() || !hashing_.slots->TryAcquire()) return;
  HashLocked(l, offset, just_written);
  l.unlock();
  hashing_.slots->Release();
}

void StagedPrefix::HashLocked(std::unique_lock<std::mutex>& l, uint64_t offset,
                              std::span<const char> just_written) {
  std::unique_ptr<char[]> buf;  // this thread's read-back buffer, from the spares when needed
  while (valid_) {
    const std::optional<size_t> pick = PickLocked();
    if (!pick) break;
    Part& part = parts_[*pick];
    part.busy = true;
    ++busy_;
    const uint64_t at = *pick * part_size_ + part.hashed;
    const uint64_t want = std::min(PartBytesLocked(*pick) - part.hashed, kHashStep);
    engine::ContentMd5* md5 = part.md5.get();  // stable: parts_ may grow, the digest stays
    if (!buf && !(at >= offset && at < offset + just_written.size()) && !spare_bufs_.empty()) {
      buf = std::move(spare_bufs_.back());
      spare_bufs_.pop_back();
    }
    l.unlock();
    // Bytes of the prefix never change while it is valid (a write over them ends it), so
    // hashing them unlocked is safe; if it ended meanwhile, this work is simply dropped.
    size_t got = 0;
    bool read_failed = false;
    if (at >= offset && at < offset + just_written.size()) {
      got = static_cast<size_t>(std::min<uint64_t>(want, offset + just_written.size() - at));
      md5->Update(just_written.subspan(static_cast<size_t>(at - offset), got));
    } else {
      // Allocated here, not up front: most steps hash from the writers' buffers. No exception
      // may leave this function (the part would stay busy for good).
      if (!buf) {
        try {
          buf = std::make_unique_for_overwrite<char[]>(kHashStep);
        } catch (const std::bad_alloc&) {
          // handled below: no buffer, no digest
        }
      }
      ssize_t n =
          buf ? ::pread(fd_.get(), buf.get(), static_cast<size_t>(want), static_cast<off_t>(at))
              : -1;
      if (n > 0) {
        got = static_cast<size_t>(n);
        md5->Update({buf.get(), got});
      } else if (n == 0 || !buf || errno != EINTR) {
        read_failed = true;  // should not happen (the bytes were written); give up the digests
      }
    }
    l.lock();
    if (read_failed) valid_ = false;
    Part& done = parts_[*pick];  // parts_ may have grown meanwhile
    done.hashed += got;
    done.busy = false;
    if (--busy_ == 0) idle_.notify_all();
  }
  if (buf) spare_bufs_.push_back(std::move(buf));
}

std::vector<std::unique_ptr<engine::ContentMd5>> StagedPrefix::Take(uint64_t size) {
  std::unique_lock<std::mutex> l(mu_);
  // The rest of a large file goes to the disk while the hashing finishes (a small one may
  // never need the disk: the engine keeps it in its metadata).
  if (end_ >= kWritebackStep) WritebackLocked(l, 0);
  // Hash what is left beside the workers still at it; then wait for them and look again (a
  // worker stops after its step when the prefix ended).
  for (;;) {
    if (valid_ && end_ == size) HashLocked(l, 0, {});
    if (busy_ == 0) break;
    idle_.wait(l, [this] { return busy_ == 0; });
  }
  std::vector<std::unique_ptr<engine::ContentMd5>> out;
  bool whole = valid_ && end_ == size;
  for (size_t i = 0; whole && i < parts_.size(); ++i)
    whole = parts_[i].hashed == PartBytesLocked(i);
  valid_ = false;
  if (!whole) return out;
  out.reserve(parts_.size());
  for (Part& p : parts_) out.push_back(std::move(p.md5));
  return out;
}

}  // namespace maxiofs::fuse
