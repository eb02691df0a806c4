#include "inode_table.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace maxiofs::fuse {
namespace {

bool IsDir(const std::string& path) { return !path.empty() && path.back() == '/'; }

// True when `p` is `path` or (for a directory path) under it.
bool Covers(const std::string& path, const std::string& p) {
  return p == path || (IsDir(path) && p.starts_with(path));
}

}  // namespace

InodeTable::InodeTable() {
  by_ino_[kRootIno] = Inode{.paths = {""}, .nlookup = 1};
  by_path_[""] = kRootIno;
}

std::optional<InodeTable::Node> InodeTable::Get(fuse_ino_t ino) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end()) return std::nullopt;
  const Inode& n = it->second;
  if (n.paths.empty()) return Node{n.last_path, true};
  return Node{n.paths.front(), false};
}

std::optional<fuse_ino_t> InodeTable::Find(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_path_.find(path);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> InodeTable::PathsOf(fuse_ino_t ino) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end()) return {};
  return it->second.paths;
}

fuse_ino_t InodeTable::NewInodeLocked(const std::string& path, const std::string& identity) {
  fuse_ino_t ino = 0;
  if (auto r = retired_.find(path); r != retired_.end()) {
    // A forgotten path gets its old number back, unless another name took that inode since.
    if (!by_ino_.contains(r->second)) ino = r->second;
    retired_.erase(r);
  }
  if (ino == 0) ino = next_ino_++;
  Inode& n = by_ino_[ino];
  n = Inode{.paths = {path}, .identity = identity};
  by_path_[path] = ino;
  if (!identity.empty()) by_identity_[identity] = ino;
  return ino;
}

void InodeTable::UnnameLocked(const std::string& path, fuse_ino_t ino) {
  by_path_.erase(path);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end()) return;
  std::vector<std::string>& paths = it->second.paths;
  paths.erase(std::remove(paths.begin(), paths.end(), path), paths.end());
  if (paths.empty()) it->second.last_path = path;
}

fuse_ino_t InodeTable::Ref(const std::string& path, const std::string& identity) {
  std::lock_guard<std::mutex> l(mu_);
  auto at_path = by_path_.find(path);
  if (!identity.empty()) {
    if (auto g = by_identity_.find(identity); g != by_identity_.end()) {
      fuse_ino_t ino = g->second;
      Inode& n = by_ino_[ino];
      if (at_path == by_path_.end() || at_path->second != ino) {
        if (at_path != by_path_.end()) UnnameLocked(path, at_path->second);
        n.paths.push_back(path);
        by_path_[path] = ino;
      }
      ++n.nlookup;
      return ino;
    }
  }
  if (at_path != by_path_.end()) {
    fuse_ino_t ino = at_path->second;
    Inode& n = by_ino_[ino];
    if (n.identity != identity) {
      if (n.paths.size() > 1) {
        // This name left a group whose other names the kernel still knows: a file of its own.
        UnnameLocked(path, ino);
        ino = NewInodeLocked(path, identity);
        ++by_ino_[ino].nlookup;
        return ino;
      }
      // The only name: the same file, now known by another identity (it was linked, or its
      // group lost every other name).
      if (!n.identity.empty()) by_identity_.erase(n.identity);
      n.identity = identity;
      if (!identity.empty()) by_identity_[identity] = ino;
    }
    ++n.nlookup;
    return ino;
  }
  fuse_ino_t ino = NewInodeLocked(path, identity);
  ++by_ino_[ino].nlookup;
  return ino;
}

void InodeTable::SetIdentity(fuse_ino_t ino, const std::string& identity) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_ino_.find(ino);
  if (it == by_ino_.end() || identity.empty() || it->second.identity == identity) return;
  if (!it->second.identity.empty()) by_identity_.erase(it->second.identity);
  it->second.identity = identity;
  by_identity_[identity] = ino;
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
  if (retired_.size() + inode.paths.size() > kMaxRetired) retired_.clear();
  for (std::string& p : inode.paths) {
    by_path_.erase(p);
    retired_[std::move(p)] = ino;
  }
  if (!inode.identity.empty()) {
    auto g = by_identity_.find(inode.identity);
    if (g != by_identity_.end() && g->second == ino) by_identity_.erase(g);
  }
  by_ino_.erase(ino);
}

void InodeTable::DetachLocked(const std::string& path) {
  // A new file at this path is a new file.
  for (auto r = retired_.lower_bound(path); r != retired_.end() && Covers(path, r->first);) {
    r = retired_.erase(r);
  }
  std::vector<std::pair<std::string, fuse_ino_t>> names;
  for (auto it = by_path_.lower_bound(path); it != by_path_.end() && Covers(path, it->first);
       ++it) {
    names.emplace_back(it->first, it->second);
  }
  for (const auto& [p, ino] : names) UnnameLocked(p, ino);
}

void InodeTable::Detach(const std::string& path) {
  if (path.empty()) return;
  std::lock_guard<std::mutex> l(mu_);
  DetachLocked(path);
}

void InodeTable::Move(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> l(mu_);
  DetachLocked(to);
  std::vector<std::pair<std::string, fuse_ino_t>> moved;
  for (auto it = by_path_.lower_bound(from); it != by_path_.end() && Covers(from, it->first);) {
    moved.emplace_back(it->first, it->second);
    it = by_path_.erase(it);
  }
  for (auto& [old_path, ino] : moved) {
    std::string path = to + old_path.substr(from.size());
    for (std::string& p : by_ino_[ino].paths) {
      if (p == old_path) p = path;
    }
    by_path_[path] = ino;
  }
  // Forgotten paths under `from` keep their numbers at their new names.
  std::vector<std::pair<std::string, fuse_ino_t>> retired;
  for (auto r = retired_.lower_bound(from); r != retired_.end() && Covers(from, r->first);) {
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
