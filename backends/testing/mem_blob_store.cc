// In-memory BlobStore (like LevelDB's memenv): fast logic tests without a disk.
#include "maxiofs/backends/fs_blob_store.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace maxiofs::backends {
namespace {

struct MemState {
  std::mutex mu;  // guards blobs and unfinished
  std::map<BlobId, std::shared_ptr<const std::string>> blobs;
  std::set<BlobId> unfinished;
};

class MemBlobWriter final : public BlobWriter {
 public:
  MemBlobWriter(std::shared_ptr<MemState> st, BlobId id) : st_(std::move(st)), id_(std::move(id)) {}
  ~MemBlobWriter() override {
    std::lock_guard<std::mutex> l(st_->mu);
    st_->unfinished.erase(id_);
  }
  const BlobId& id() const override { return id_; }
  uint64_t size() const override { return data_.size(); }
  Status Append(std::span<const char> d) override {
    data_.append(d.data(), d.size());
    return Status::OK();
  }
  Status Commit(bool) override {
    std::lock_guard<std::mutex> l(st_->mu);
    st_->blobs[id_] = std::make_shared<const std::string>(std::move(data_));
    return Status::OK();
  }

 private:
  std::shared_ptr<MemState> st_;
  BlobId id_;
  std::string data_;
};

class MemBlobReader final : public BlobReader {
 public:
  explicit MemBlobReader(std::shared_ptr<const std::string> d) : d_(std::move(d)) {}
  uint64_t size() const override { return d_->size(); }
  Result<size_t> ReadAt(uint64_t off, std::span<char> out) override {
    if (off >= d_->size()) return size_t{0};
    size_t n = std::min<uint64_t>(out.size(), d_->size() - off);
    d_->copy(out.data(), n, off);
    return n;
  }

 private:
  std::shared_ptr<const std::string> d_;
};

class MemBlobStore final : public BlobStore {
 public:
  Result<std::unique_ptr<BlobWriter>> Create() override {
    BlobId id = NewBlobId();
    {
      std::lock_guard<std::mutex> l(st_->mu);
      st_->unfinished.insert(id);
    }
    return std::unique_ptr<BlobWriter>(std::make_unique<MemBlobWriter>(st_, std::move(id)));
  }
  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    std::lock_guard<std::mutex> l(st_->mu);
    auto it = st_->blobs.find(BlobId(id));
    if (it == st_->blobs.end()) return Status::NotFound("no such blob");
    return std::unique_ptr<BlobReader>(std::make_unique<MemBlobReader>(it->second));
  }
  Status Delete(std::string_view id) override {
    std::lock_guard<std::mutex> l(st_->mu);
    if (st_->blobs.erase(BlobId(id)) == 0) return Status::NotFound("no such blob");
    return Status::OK();
  }
  Status ForEach(const std::function<void(const BlobId&)>& fn) override {
    std::vector<BlobId> ids;
    {
      std::lock_guard<std::mutex> l(st_->mu);
      for (auto& [id, _] : st_->blobs) ids.push_back(id);
    }
    for (auto& id : ids) fn(id);
    return Status::OK();
  }
  Result<uint64_t> RemoveUnfinished() override { return uint64_t{0}; }
  Result<SpaceInfo> Space() override { return SpaceInfo{1ull << 40, 1ull << 39}; }
  std::string_view kind() const override { return "memory"; }

 private:
  std::shared_ptr<MemState> st_ = std::make_shared<MemState>();
};

}  // namespace

std::unique_ptr<BlobStore> NewMemBlobStore() { return std::make_unique<MemBlobStore>(); }

}  // namespace maxiofs::backends
