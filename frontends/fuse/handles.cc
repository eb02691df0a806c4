#include "handles.h"

namespace maxiofs::fuse {

uint64_t HandleRegistry::AddFile(std::shared_ptr<FileHandle> h) {
  std::lock_guard<std::mutex> l(mu_);
  uint64_t id = next_++;
  files_by_ino_.emplace(h->ino, id);
  files_.emplace(id, std::move(h));
  return id;
}

std::shared_ptr<FileHandle> HandleRegistry::File(uint64_t fh) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(fh);
  return it == files_.end() ? nullptr : it->second;
}

std::shared_ptr<FileHandle> HandleRegistry::RemoveFile(uint64_t fh) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(fh);
  if (it == files_.end()) return nullptr;
  std::shared_ptr<FileHandle> h = std::move(it->second);
  files_.erase(it);
  auto [b, e] = files_by_ino_.equal_range(h->ino);
  for (auto i = b; i != e; ++i) {
    if (i->second == fh) {
      files_by_ino_.erase(i);
      break;
    }
  }
  return h;
}

std::vector<std::shared_ptr<FileHandle>> HandleRegistry::FilesOf(fuse_ino_t ino) const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<std::shared_ptr<FileHandle>> out;
  auto [b, e] = files_by_ino_.equal_range(ino);
  for (auto i = b; i != e; ++i) out.push_back(files_.at(i->second));
  return out;
}

uint64_t HandleRegistry::AddDir(std::shared_ptr<DirHandle> h) {
  std::lock_guard<std::mutex> l(mu_);
  uint64_t id = next_++;
  dirs_.emplace(id, std::move(h));
  return id;
}

std::shared_ptr<DirHandle> HandleRegistry::Dir(uint64_t fh) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = dirs_.find(fh);
  return it == dirs_.end() ? nullptr : it->second;
}

void HandleRegistry::RemoveDir(uint64_t fh) {
  std::lock_guard<std::mutex> l(mu_);
  dirs_.erase(fh);
}

}  // namespace maxiofs::fuse
