#include "maxiofs/backends/caching_blob_store.h"

#include "maxiofs/common/no_wait.h"
#include "maxiofs/common/unique_fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace maxiofs::backends {
namespace {

Status Posix(const std::string& what, int err) {
  return Status::IOError(what + ": " + std::strerror(err));
}

// The index of cached blobs: LRU order and total size.
class Index {
 public:
  explicit Index(uint64_t max_bytes) : max_bytes_(max_bytes) {}

  // True (and marks it used) when `id` is cached.
  bool Touch(const std::string& id) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = map_.find(id);
    if (it == map_.end()) return false;
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return true;
  }
  // Adds `id` of `size` bytes; returns the ids to evict (their files are the caller's to
  // remove). `id` itself is refused (returned) when it alone does not fit.
  std::vector<std::string> Add(const std::string& id, uint64_t size) {
    std::lock_guard<std::mutex> l(mu_);
    std::vector<std::string> out;
    if (size > max_bytes_ || map_.count(id)) {
      if (!map_.count(id)) out.push_back(id);
      return out;
    }
    while (total_ + size > max_bytes_ && !lru_.empty()) {
      const std::string victim = lru_.back();
      total_ -= map_[victim].size;
      map_.erase(victim);
      lru_.pop_back();
      out.push_back(victim);
    }
    lru_.push_front(id);
    map_[id] = {size, lru_.begin()};
    total_ += size;
    return out;
  }
  // Forgets `id`; true when it was cached.
  bool Remove(const std::string& id) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = map_.find(id);
    if (it == map_.end()) return false;
    total_ -= it->second.size;
    lru_.erase(it->second.pos);
    map_.erase(it);
    return true;
  }

 private:
  struct Entry {
    uint64_t size = 0;
    std::list<std::string>::iterator pos;
  };
  const uint64_t max_bytes_;
  std::mutex mu_;               // guards everything below; a leaf lock
  std::list<std::string> lru_;  // most recent first
  std::unordered_map<std::string, Entry> map_;
  uint64_t total_ = 0;
};

struct Shared {
  std::unique_ptr<BlobStore> store;
  CacheOptions o;
  Index index;
  std::atomic<uint64_t> hits{0}, misses{0};
  Shared(std::unique_ptr<BlobStore> s, CacheOptions opts)
      : store(std::move(s)), o(std::move(opts)), index(o.max_bytes) {}
  std::string PathOf(std::string_view id) const { return o.dir + "/" + std::string(id); }
  // Publishes a complete temp file as the cached copy of `id`, evicting as needed.
  void Publish(const std::string& tmp, const std::string& id, uint64_t size) {
    if (::rename(tmp.c_str(), PathOf(id).c_str()) != 0) {
      ::unlink(tmp.c_str());
      return;
    }
    for (const std::string& victim : index.Add(id, size)) ::unlink(PathOf(victim).c_str());
  }
};

// Reads a cached copy (the file stays readable after eviction, as any unlinked open file).
class CachedReader final : public BlobReader {
 public:
  CachedReader(UniqueFd fd, uint64_t size) : fd_(std::move(fd)), size_(size) {}
  uint64_t size() const override { return size_; }
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return size_t{0};
    const bool no_wait = NoWaitActive();
    for (;;) {
      iovec iov{out.data(), out.size()};
      ssize_t n = no_wait ? ::preadv2(fd_.get(), &iov, 1, static_cast<off_t>(offset), RWF_NOWAIT)
                          : ::pread(fd_.get(), out.data(), out.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        if (no_wait && (errno == EAGAIN || errno == EOPNOTSUPP)) {
          NoteWouldBlock();
          return Status::WouldBlock("cached blob not in the page cache");
        }
        return Posix("pread cached blob", errno);
      }
      return static_cast<size_t>(n);
    }
  }

 private:
  UniqueFd fd_;
  uint64_t size_;
};

// Reads through to the store; while the reads go in order from byte 0, copies them into a
// temp file that becomes the cached copy when the last byte has passed.
class TeeReader final : public BlobReader {
 public:
  TeeReader(std::shared_ptr<Shared> sh, std::string id, std::unique_ptr<BlobReader> r)
      : sh_(std::move(sh)), id_(std::move(id)), r_(std::move(r)) {
    if (r_->size() == 0 || r_->size() > sh_->o.max_blob) return;
    tmp_ = sh_->o.dir + "/.tmp-" + id_ + "-" + NewBlobId().substr(0, 8);
    fd_ = UniqueFd(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (!fd_.valid()) tmp_.clear();
  }
  ~TeeReader() override { Abandon(); }
  uint64_t size() const override { return r_->size(); }
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    MAXIOFS_ASSIGN_OR_RETURN(size_t n, r_->ReadAt(offset, out));
    if (!tmp_.empty()) {
      if (offset != copied_ || n == 0) {
        if (offset > copied_ || n == 0) Abandon();  // a gap: not a whole-blob read
      } else if (!WriteAll(out.data(), n)) {
        Abandon();
      } else {
        copied_ += n;
        if (copied_ == r_->size()) {
          fd_.Reset();
          sh_->Publish(tmp_, id_, copied_);
          tmp_.clear();
        }
      }
    }
    return n;
  }

 private:
  bool WriteAll(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_.get(), p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }
  void Abandon() {
    if (tmp_.empty()) return;
    fd_.Reset();
    ::unlink(tmp_.c_str());
    tmp_.clear();
  }

  std::shared_ptr<Shared> sh_;
  const std::string id_;
  std::unique_ptr<BlobReader> r_;
  std::string tmp_;  // "" when not copying
  UniqueFd fd_;
  uint64_t copied_ = 0;
};

class CachingBlobStore final : public BlobStore {
 public:
  explicit CachingBlobStore(std::shared_ptr<Shared> sh) : sh_(std::move(sh)) {}

  Result<std::unique_ptr<BlobWriter>> Create() override { return sh_->store->Create(); }
  Result<std::unique_ptr<BlobWriter>> Adopt(int fd, uint64_t size) override {
    return sh_->store->Adopt(fd, size);
  }
  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    return OpenRange(id, 0, 0);
  }
  Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view id, uint64_t offset,
                                                uint64_t length) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    const std::string key(id);
    if (sh_->index.Touch(key)) {
      UniqueFd fd(::open(sh_->PathOf(id).c_str(), O_RDONLY | O_CLOEXEC));
      struct stat st;
      if (fd.valid() && ::fstat(fd.get(), &st) == 0) {
        ++sh_->hits;
        return std::unique_ptr<BlobReader>(
            std::make_unique<CachedReader>(std::move(fd), static_cast<uint64_t>(st.st_size)));
      }
      sh_->index.Remove(key);  // evicted meanwhile
    }
    ++sh_->misses;
    MAXIOFS_ASSIGN_OR_RETURN(auto r, sh_->store->OpenRange(id, offset, length));
    if (offset != 0) return r;  // not a whole-blob read
    return std::unique_ptr<BlobReader>(std::make_unique<TeeReader>(sh_, key, std::move(r)));
  }
  Status Delete(std::string_view id) override {
    Drop(id);
    return sh_->store->Delete(id);
  }
  Status Discard(std::string_view id) override {
    Drop(id);
    return sh_->store->Discard(id);
  }
  Status ForEach(const std::function<void(const BlobId&)>& fn) override {
    return sh_->store->ForEach(fn);
  }
  Result<uint64_t> RemoveUnfinished() override { return sh_->store->RemoveUnfinished(); }
  Result<SpaceInfo> Space() override { return sh_->store->Space(); }
  Status Ping() override { return sh_->store->Ping(); }
  std::string_view kind() const override { return sh_->store->kind(); }
  BlobStoreCounters counters() const override {
    BlobStoreCounters c = sh_->store->counters();
    c.cache_hits = sh_->hits;
    c.cache_misses = sh_->misses;
    return c;
  }

 private:
  void Drop(std::string_view id) {
    if (IsValidBlobId(id) && sh_->index.Remove(std::string(id))) {
      ::unlink(sh_->PathOf(id).c_str());
    }
  }
  std::shared_ptr<Shared> sh_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> NewCachingBlobStore(std::unique_ptr<BlobStore> store,
                                                       const CacheOptions& options) {
  if (options.max_bytes == 0) return Status::InvalidArgument("cache size must be > 0");
  if (::mkdir(options.dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Posix("mkdir " + options.dir, errno);
  }
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(options.dir.c_str()), &::closedir);
  if (!d) return Posix("opendir " + options.dir, errno);
  while (struct dirent* e = ::readdir(d.get())) {
    const std::string name = e->d_name;
    if (!IsValidBlobId(name) && !name.starts_with(".tmp-")) continue;
    const std::string p = options.dir + "/" + name;
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return Posix("unlink " + p, errno);
  }
  auto sh = std::make_shared<Shared>(std::move(store), options);
  return std::unique_ptr<BlobStore>(std::make_unique<CachingBlobStore>(sh));
}

}  // namespace maxiofs::backends
