// InodeTable: stable inode numbers for node paths (see node_path.h) and the kernel's
// lookup-count protocol.
//
// Numbers come from a counter (never from pointers) and are never reused for another file
// while the mount lives. A path keeps its number for the life of the mount even after the
// kernel forgot it (tools such as git compare st_ino): forgotten paths are remembered in
// retired_, up to kMaxRetired entries (then that memory is cleared and forgotten paths get new
// numbers on their next lookup, which is still correct, only less stable). Every reply that hands
// the kernel an entry (lookup, create, mkdir, symlink, link, and each readdirplus entry) adds one
// reference with Ref(); forget/forget_multi drop them with Forget(). An inode is erased when it has
// no kernel references and no open handles. Unlink/rmdir/rename-over detach a path from its
// inode: an inode without paths lives on (open files keep working) but answers to no path.
//
// Hard links: an inode is one file, and a file can have several names. A path is given with
// the identity of what it names: "" for a file or directory known by its path alone, or the
// bucket and link id of a link group (engine::ObjectInfo::link_id) for a hard-linked file. All
// the names of one identity share one inode; a path whose identity changed (an S3 write took
// it out of its group) moves to an inode of its own.
//
// Lock: mu_ is a leaf. Nothing is called (engine, libfuse, other locks) while it is held,
// so there is no lookup/forget lock-order cycle of the kind passthrough_hp 3.14 has
// (upstream e9223eff): lookup counts and the path maps share this one lock.
// Thread-safety: safe for concurrent use.
#pragma once

#include "fuse_api.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace maxiofs::fuse {

class InodeTable {
 public:
  static constexpr fuse_ino_t kRootIno = FUSE_ROOT_ID;

  InodeTable();
  InodeTable(const InodeTable&) = delete;
  InodeTable& operator=(const InodeTable&) = delete;

  struct Node {
    std::string path;  // a current name (the first one), or the last one when detached
    bool detached = false;
  };
  // The node of `ino`; nullopt for an unknown (already forgotten) inode.
  std::optional<Node> Get(fuse_ino_t ino) const;
  // The inode currently at `path`, if the kernel knows one.
  std::optional<fuse_ino_t> Find(const std::string& path) const;
  // Every current name of `ino` (empty when unknown or detached).
  std::vector<std::string> PathsOf(fuse_ino_t ino) const;

  // Adds one kernel reference to the inode of `path` (with `identity`, see above), creating it.
  // Returns its number.
  fuse_ino_t Ref(const std::string& path, const std::string& identity = {});
  // Gives inode `ino` the identity of a link group (it just got a second name), so that every
  // name of the group is found on it.
  void SetIdentity(fuse_ino_t ino, const std::string& identity);
  // Drops `n` kernel references. Aborts on underflow (a protocol violation, as passthrough_hp).
  void Forget(fuse_ino_t ino, uint64_t n);

  // Open handles keep an inode alive past its last forget.
  void Pin(fuse_ino_t ino);
  void Unpin(fuse_ino_t ino);

  // Detaches `path` (and, for a directory path, every path under it) from its inode.
  void Detach(const std::string& path);
  // Moves the name `from` to `to` (for directory paths: every name under `from` too);
  // whatever was at `to` is detached first.
  void Move(const std::string& from, const std::string& to);

  // Remembers the ETag the kernel's page cache of `ino` holds; returns true when it was
  // already `etag` (so an open may keep the cache).
  bool ExchangeCachedEtag(fuse_ino_t ino, const std::string& etag);
  void SetCachedEtag(fuse_ino_t ino, const std::string& etag);

  size_t size() const;

 private:
  struct Inode {
    std::vector<std::string> paths;  // current names; empty = detached
    std::string last_path;           // the name it had when it was detached
    std::string identity;            // "" or bucket '\0' link id
    uint64_t nlookup = 0;
    uint32_t open = 0;
    std::string cached_etag;
  };
  fuse_ino_t NewInodeLocked(const std::string& path, const std::string& identity);
  void MaybeEraseLocked(fuse_ino_t ino, Inode& inode);
  // Removes `path` from its inode's names (by_path_ entry included).
  void UnnameLocked(const std::string& path, fuse_ino_t ino);
  void DetachLocked(const std::string& path);

  static constexpr size_t kMaxRetired = 1 << 20;

  // Guards everything below. Leaf lock: held for map operations only.
  mutable std::mutex mu_;
  std::unordered_map<fuse_ino_t, Inode> by_ino_;
  std::map<std::string, fuse_ino_t, std::less<>> by_path_;   // current names
  std::unordered_map<std::string, fuse_ino_t> by_identity_;  // inodes of link groups
  std::map<std::string, fuse_ino_t, std::less<>> retired_;   // forgotten paths' numbers
  fuse_ino_t next_ino_ = kRootIno + 1;
};

}  // namespace maxiofs::fuse
