#include "fault_env.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace maxiofs::engine {
namespace {

class FaultFile final : public leveldb::WritableFile {
 public:
  FaultFile(FaultEnv& env, std::string fname, leveldb::WritableFile* base)
      : env_(env), fname_(std::move(fname)), base_(base) {}

  leveldb::Status Append(const leveldb::Slice& data) override {
    if (env_.plan().Hit()) {
      // A short write: half the bytes reach the file before the device gives up.
      const leveldb::Slice half(data.data(), data.size() / 2);
      if (base_->Append(half).ok()) env_.Appended(fname_, half.size());
      return env_.Injected(fname_);
    }
    leveldb::Status s = base_->Append(data);
    if (s.ok()) env_.Appended(fname_, data.size());
    return s;
  }
  leveldb::Status Close() override { return base_->Close(); }
  leveldb::Status Flush() override { return base_->Flush(); }
  leveldb::Status Sync() override {
    if (env_.plan().Hit()) {
      // What reached the file stays unsynced (a power loss drops it).
      (void)base_->Flush();
      return env_.Injected(fname_);
    }
    leveldb::Status s = base_->Sync();
    if (s.ok()) env_.Synced(fname_);
    return s;
  }

 private:
  FaultEnv& env_;
  const std::string fname_;
  std::unique_ptr<leveldb::WritableFile> base_;
};

}  // namespace

leveldb::Status FaultEnv::Injected(const std::string& fname) const {
  return leveldb::Status::IOError(fname, plan_.error() == backends::FaultPlan::Error::kNoSpace
                                             ? std::strerror(ENOSPC)
                                             : std::strerror(EIO));
}

leveldb::Status FaultEnv::Wrap(const std::string& fname, uint64_t start_size,
                               leveldb::WritableFile** f) {
  {
    std::lock_guard<std::mutex> l(mu_);
    files_[fname] = FileState{start_size, start_size};
  }
  *f = new FaultFile(*this, fname, *f);  // LevelDB's interface: the caller owns *f
  return leveldb::Status::OK();
}

leveldb::Status FaultEnv::NewWritableFile(const std::string& fname,
                                          leveldb::WritableFile** result) {
  if (plan_.Hit()) return Injected(fname);
  leveldb::Status s = target()->NewWritableFile(fname, result);
  if (!s.ok()) return s;
  return Wrap(fname, 0, result);
}

leveldb::Status FaultEnv::NewAppendableFile(const std::string& fname,
                                            leveldb::WritableFile** result) {
  if (plan_.Hit()) return Injected(fname);
  uint64_t size = 0;
  if (!target()->GetFileSize(fname, &size).ok()) size = 0;
  leveldb::Status s = target()->NewAppendableFile(fname, result);
  if (!s.ok()) return s;
  return Wrap(fname, size, result);
}

leveldb::Status FaultEnv::RenameFile(const std::string& src, const std::string& target_name) {
  if (plan_.Hit()) return Injected(src);
  leveldb::Status s = target()->RenameFile(src, target_name);
  if (s.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(src);
    if (it != files_.end()) {
      files_[target_name] = it->second;
      files_.erase(src);
    } else {
      files_.erase(target_name);
    }
  }
  return s;
}

leveldb::Status FaultEnv::RemoveFile(const std::string& fname) {
  leveldb::Status s = target()->RemoveFile(fname);
  if (s.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    files_.erase(fname);
  }
  return s;
}

void FaultEnv::Appended(const std::string& fname, uint64_t n) {
  std::lock_guard<std::mutex> l(mu_);
  files_[fname].size += n;
}

void FaultEnv::Synced(const std::string& fname) {
  std::lock_guard<std::mutex> l(mu_);
  FileState& f = files_[fname];
  f.synced = f.size;
}

uint64_t FaultEnv::DropUnsyncedData() {
  std::lock_guard<std::mutex> l(mu_);
  uint64_t dropped = 0;
  for (auto& [name, f] : files_) {
    uint64_t on_disk = 0;
    if (!target()->GetFileSize(name, &on_disk).ok() || on_disk <= f.synced) continue;
    if (::truncate(name.c_str(), static_cast<off_t>(f.synced)) == 0) dropped += on_disk - f.synced;
    f.size = f.synced;
  }
  return dropped;
}

}  // namespace maxiofs::engine
