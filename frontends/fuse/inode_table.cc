#include "inode_table.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace maxiofs::fuse {

InodeTable::InodeTable() {
  by_ino_[kRootIno] = Inode{.path = "", .nlookup = 1};
  by_path_[""] = kRootIno;
}

std::optional<InodeTable::Node> InodeTable::Get(fuse_ino_t ino) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end()) return std::nullopt;
  return Node{it->second.path, it->second.detached};
}

std::optional<fuse_ino_t> InodeTable::Find(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_path_.find(path);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

fuse_ino_t InodeTable::Ref(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_path_.find(path);
  if (it != by_path_.end()) {
    ++by_ino_[it->second].nlookup;
    return it->second;
  }
  fuse_ino_t ino;
  if (auto r = retired_.find(path); r != retired_.end()) {
    ino = r->second;
    retired_.erase(r);
  } else {
    ino = next_ino_++;
  }
  by_ino_[ino] = Inode{.path = path, .nlookup = 1};
  by_path_.emplace(path, ino);
  return ino;
}

void InodeTable::Forget(fuse_ino_t ino, uint64_t n) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end() || it->second.nlookup < n) {
    std::fprintf(stderr, "maxiofs fuse: lookup count underflow for inode %llu\n",
                 static_cast<unsigned long long>(ino));
    std::abort();
  }
  it->second.nlookup -= n;
  MaybeEraseLocked(ino, it->second);
}

void InodeTable::Pin(fuse_ino_t ino) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it != by_ino_.end()) ++it->second.open;
}

void InodeTable::Unpin(fuse_ino_t ino) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end() || it->second.open == 0) return;
  --it->second.open;
  MaybeEraseLocked(ino, it->second);
}

void InodeTable::MaybeEraseLocked(fuse_ino_t ino, Inode& inode) {
  if (ino == kRootIno || inode.nlookup != 0 || inode.open != 0) return;
  if (!inode.detached) {
    by_path_.erase(inode.path);
    if (retired_.size() >= kMaxRetired) retired_.clear();
    retired_.emplace(std::move(inode.path), ino);
  }
  by_ino_.erase(ino);
}

// Erases the entries of `m` at `path` (and under it, for a directory path).
template <class Map>
static void EraseUnder(Map& m, const std::string& path) {
  bool is_dir = !path.empty() && path.back() == '/';
  auto it = m.lower_bound(path);
  while (it != m.end() && (it->first == path || (is_dir && it->first.starts_with(path)))) {
    it = m.erase(it);
  }
}

void InodeTable::DetachLocked(const std::string& path) {
  EraseUnder(retired_, path);  // a new file at this path is a new file
  auto begin = by_path_.lower_bound(path);
  auto end = begin;
  bool is_dir = !path.empty() && path.back() == '/';
  while (end != by_path_.end() &&
         (end->first == path || (is_dir && end->first.starts_with(path)))) {
    ++end;
  }
  for (auto it = begin; it != end; ++it) by_ino_[it->second].detached = true;
  by_path_.erase(begin, end);
}

void InodeTable::Detach(const std::string& path) {
  if (path.empty()) return;
  std::lock_guard<std::mutex> l(mu_);
  DetachLocked(path);
}

void InodeTable::Move(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> l(mu_);
  DetachLocked(to);
  bool is_dir = !from.empty() && from.back() == '/';
  std::vector<std::pair<std::string, fuse_ino_t>> moved;
  auto it = by_path_.lower_bound(from);
  while (it != by_path_.end() && (it->first == from || (is_dir && it->first.starts_with(from)))) {
    moved.emplace_back(to + it->first.substr(from.size()), it->second);
    it = by_path_.erase(it);
  }
  for (auto& [path, ino] : moved) {
    by_ino_[ino].path = path;
    by_path_[path] = ino;
  }
  // Forgotten paths under `from` keep their numbers at their new names.
  std::vector<std::pair<std::string, fuse_ino_t>> retired;
  for (auto r = retired_.lower_bound(from);
       r != retired_.end() && (r->first == from || (is_dir && r->first.starts_with(from)));) {
    retired.emplace_back(to + r->first.substr(from.size()), r->second);
    r = retired_.erase(r);
  }
  for (auto& [path, ino] : retired) retired_[path] = ino;
}

bool InodeTable::ExchangeCachedEtag(fuse_ino_t ino, const std::string& etag) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end()) return false;
  bool same = it->second.cached_etag == etag;
  it->second.cached_etag = etag;
  return same;
}

void InodeTable::SetCachedEtag(fuse_ino_t ino, const std::string& etag) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it != by_ino_.end()) it->second.cached_etag = etag;
}

size_t InodeTable::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return by_ino_.size();
}

}  // namespace maxiofs::fuse
