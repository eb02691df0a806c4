// Open-file and open-directory state, and the registry that hands out fuse_file_info::fh
// numbers for them (ids from a counter, never pointers).
//
// Lock order: FileHandle::mu / DirHandle::mu  ->  HandleRegistry::mu_ (leaf)
//                                             ->  InodeTable::mu_ (leaf)
//                                             ->  StagedPrefix::mu_ (leaf)
// A handle's mutex may be held across engine calls (it serializes one open file); the
// registry and inode-table locks never are.
#pragma once

#include "fuse_api.h"
#include "posix_attrs.h"
#include "staging_file.h"

#include "maxiofs/engine/object_stream.h"
#include "maxiofs/engine/types.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace maxiofs::fuse {

struct FileHandle {
  FileHandle(fuse_ino_t i, int f) : ino(i), flags(f) {}
  const fuse_ino_t ino;
  const int flags;  // open(2) flags

  std::mutex mu;  // guards everything below
  // Present once the handle wrote (or truncated): the whole file's new content.
  std::unique_ptr<StagingFile> staging;
  bool dirty = false;  // staging differs from the committed object
  // A write acknowledged before its bytes reached the staging file failed to store them
  // (Filesystem::Write): every later write, read, ftruncate, flush, fsync and release fails
  // with it, and the handle's data is never committed.
  Status write_error;
  // An explicit mtime (utimens/futimens) set after the last write; commit keeps it.
  std::optional<int64_t> mtime_override_ns;
  int64_t write_time_ns = 0;  // time of the last write or truncate (the staged mtime)
  // Metadata to use if the object vanished before commit (the attributes at open/create).
  UserMeta base_meta;
  // Read side: a snapshot of the object taken at open, read sequentially; a read elsewhere
  // reopens at that offset. Keeps an unlinked file readable by its open fd.
  std::unique_ptr<engine::ObjectReader> reader;
  uint64_t reader_pos = 0;
  uint64_t object_size = 0;  // size of the object the reader reads
  // A version opened through the versions view (read-only): reads reopen this version.
  std::string version_id;
  // The empty version committed when this handle created the file; the first commit replaces
  // it (PutObjectRequest::replace_version_id) so a new file gets one version, not two.
  std::string placeholder_version;
};

struct DirEntry {
  std::string name;
  bool is_dir = false;
  bool is_versions = false;  // an entry of the versions view (or ".versions" itself)
  // For a file: the object as the listing saw it (with user metadata), so readdirplus needs no
  // HEAD per entry.
  std::optional<engine::ObjectInfo> info;
};

struct DirHandle {
  explicit DirHandle(std::string p) : path(std::move(p)) {}
  const std::string path;  // node path of the directory at opendir

  std::mutex mu;  // guards everything below
  // Entries numbered from kFirstEntryOff; page[i] has offset page_base + i.
  std::vector<DirEntry> page;
  uint64_t page_base = 0;
  std::string cursor;  // engine start_after for the next page
  // When the current page was listed: its entries' object info is trusted for a short while
  // only, so a slow reader never turns an old listing into fresh attributes.
  std::chrono::steady_clock::time_point filled_at;
  bool started = false;
  bool eof = false;
  // The versions view: listing phase (0 = the versions of the directory's own key, 1 = the
  // keys and prefixes under it), the engine's markers, and the names listed so far (a key has
  // many versions but one directory entry).
  int versions_phase = 0;
  std::string key_marker;
  std::string version_marker;
  std::unordered_set<std::string> seen;  // a key "x" and a prefix "x/" are one directory
};

class HandleRegistry {
 public:
  uint64_t AddFile(std::shared_ptr<FileHandle> h);
  std::shared_ptr<FileHandle> File(uint64_t fh) const;
  std::shared_ptr<FileHandle> RemoveFile(uint64_t fh);
  // Every open file handle of `ino` (to report a staged size or pass an explicit mtime).
  std::vector<std::shared_ptr<FileHandle>> FilesOf(fuse_ino_t ino) const;

  uint64_t AddDir(std::shared_ptr<DirHandle> h);
  std::shared_ptr<DirHandle> Dir(uint64_t fh) const;
  void RemoveDir(uint64_t fh);

 private:
  mutable std::mutex mu_;  // guards everything below; leaf lock
  uint64_t next_ = 1;
  std::unordered_map<uint64_t, std::shared_ptr<FileHandle>> files_;
  std::multimap<fuse_ino_t, uint64_t> files_by_ino_;
  std::unordered_map<uint64_t, std::shared_ptr<DirHandle>> dirs_;
};

}  // namespace maxiofs::fuse
