// Filesystem: the FUSE low-level operations over the engine. One instance per mount.
//
// Calling convention of every operation method: it either replies to `req` exactly once and
// returns 0, or returns a positive errno without having replied (the op table in
// ops_table.cc then replies with it). That way an exception thrown inside a method (caught by
// the op table) can never cause a second reply.
//
// Threads: libfuse's worker threads call these methods concurrently; the engine is called
// synchronously from them. Locks: see handles.h and inode_table.h (all leaf except the
// per-handle mutexes, which are taken first).
#pragma once

#include "change_notifier.h"
#include "fuse_api.h"
#include "handles.h"
#include "inode_table.h"
#include "mount_access.h"
#include "op_stats.h"
#include "posix_attrs.h"

#include "maxiofs/engine/engine.h"
#include "maxiofs/fuse/fuse_mount.h"

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace maxiofs::fuse {

class Filesystem {
 public:
  // `principal`: who the mount acts as (MountPrincipal).
  Filesystem(const FuseOptions& options, engine::Engine& engine, engine::Principal principal);
  Filesystem(const Filesystem&) = delete;
  Filesystem& operator=(const Filesystem&) = delete;

  // Inode and attribute operations (fs_entries.cc).
  int Lookup(fuse_req_t req, fuse_ino_t parent, const char* name);
  void Forget(fuse_ino_t ino, uint64_t nlookup);
  int GetAttr(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
  int SetAttr(fuse_req_t req, fuse_ino_t ino, struct stat* attr, int to_set, fuse_file_info* fi);
  int Mkdir(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode);
  int Rmdir(fuse_req_t req, fuse_ino_t parent, const char* name);
  int Unlink(fuse_req_t req, fuse_ino_t parent, const char* name);
  int Symlink(fuse_req_t req, const char* link, fuse_ino_t parent, const char* name);
  int Readlink(fuse_req_t req, fuse_ino_t ino);
  int Mknod(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, dev_t rdev);
  // Hard links (fs_links.cc).
  int Link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char* name);

  // Directories (fs_dirs.cc).
  int OpenDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
  int ReadDir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi,
              bool plus);
  int ReleaseDir(fuse_req_t req, fuse_file_info* fi);

  // Files (fs_files.cc).
  int Open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
  int Create(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, fuse_file_info* fi);
  int Read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi);
  int Write(fuse_req_t req, fuse_ino_t ino, const char* buf, size_t size, off_t off,
            fuse_file_info* fi);
  int Flush(fuse_req_t req, fuse_file_info* fi);
  int Release(fuse_req_t req, fuse_file_info* fi);
  int Fsync(fuse_req_t req, fuse_file_info* fi);
  int FsyncDir(fuse_req_t req);

  // Rename (fs_rename.cc).
  int Rename(fuse_req_t req, fuse_ino_t parent, const char* name, fuse_ino_t newparent,
             const char* newname, unsigned flags);

  // Extended attributes and statfs (fs_xattr.cc).
  int SetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, const char* value, size_t size,
               int flags);
  int GetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, size_t size);
  int ListXattr(fuse_req_t req, fuse_ino_t ino, size_t size);
  int RemoveXattr(fuse_req_t req, fuse_ino_t ino, const char* name);
  int StatFs(fuse_req_t req, fuse_ino_t ino);

  InodeTable& inodes() { return inodes_; }
  ChangeNotifier& notifier() { return notifier_; }
  uint64_t hidden_keys() const { return hidden_keys_.load(); }
  OpStats& op_stats() { return op_stats_; }

 private:
  // A node's attributes and, for objects, the object (fs_entries.cc).
  struct NodeStat {
    struct stat st {};
    bool has_object = false;  // a file object or a directory marker exists
    std::string etag;
    UserMeta user;
    std::string link_id;     // the object's link group ("" when none)
    std::string version_id;  // a file of the versions view: the version it shows
  };
  // Stats the node at `path` (ENOENT when it does not exist). Folds in the staged size and
  // explicit mtime of open handles of `ino` (0: unknown inode).
  // `known`, when not null, is the object as a listing just returned it (no HEAD needed).
  int StatPath(const std::string& path, fuse_ino_t ino, NodeStat* out,
               const engine::ObjectInfo* known = nullptr);
  // Looks up `name` in directory `dir_path`: the child's path or an errno.
  int ResolveChild(const std::string& dir_path, std::string_view name, std::string* child,
                   NodeStat* stat);
  // Replies with an entry for `path` (adds a kernel reference); stats it unless `stat` given.
  int ReplyEntry(fuse_req_t req, const std::string& path, NodeStat* stat = nullptr);
  void FillEntry(fuse_ino_t ino, const struct stat& st, fuse_entry_param* e) const;
  // The directory path of inode `ino`, or an errno (ENOENT, ENOTDIR).
  int DirPathOf(fuse_ino_t ino, std::string* path);
  // 0 when the key of node path `path` is a valid engine key; ENAMETOOLONG past the
  // engine's 1,024-byte key limit; EINVAL otherwise (e.g. a name that is not UTF-8).
  static int KeyErrno(const std::string& path);
  PosixAttrs DefaultAttrs(bool is_dir) const;
  // The attributes of a new node made by `req`'s caller in directory `parent` (its owner;
  // BSD/SysV group inheritance from a set-group-ID directory; all three times now).
  PosixAttrs NewAttrs(fuse_req_t req, mode_t mode, const NodeStat& parent) const;
  static PosixAttrs AttrsOf(const struct stat& st);
  // The inode identity of a node (InodeTable::Ref): its link group, or "" for its path alone.
  static std::string IdentityOf(const std::string& path, const NodeStat& stat);
  // Changes the metadata of the node at `path` in place (no data copied, no new version): the
  // object and every other name of it (hard links), a directory's marker (an implicit
  // directory gets one, made with `marker_attrs`, when they are given), or a bucket
  // directory's metadata (engine bucket metadata). OK for the root, which keeps none.
  Status UpdateMeta(const std::string& path, std::vector<engine::MetadataChange> changes,
                    const PosixAttrs* marker_attrs);
  // Sets the attribute `fields` (kAttrMode | ...) of `path` to those of `attrs`.
  Status SetAttrs(const std::string& path, const PosixAttrs& attrs, unsigned fields,
                  const PosixAttrs* marker_attrs);
  // A directory's entries changed: its mtime and ctime become now (directories with a marker
  // and buckets; an implicit directory has nowhere to keep them). Best effort.
  void TouchDir(const std::string& dir_path);
  // The node's inode changed (link count, xattrs): its ctime becomes now. Best effort.
  void TouchCtime(const std::string& path);
  // relatime: a read of `path` moves its atime to now when due (AtimeMode::kRelatime).
  void MaybeTouchAtime(const std::string& path, const UserMeta& user);
  // Truncates the committed object at `path` to `size` bytes (streaming, bounded memory).
  Status TruncateObject(const std::string& path, uint64_t size);
  bool DirHasChildren(std::string_view bucket, const std::string& prefix, Status* status);

  // Files (fs_files.cc).
  Result<std::unique_ptr<StagingFile>> NewStaging();
  // Copies the committed object into a new staging file (up to `limit` bytes).
  Status Materialize(FileHandle& h, const std::string& path, uint64_t limit);
  // Commits a dirty handle's staging file as the new object. REQUIRES: h.mu held.
  Status CommitLocked(FileHandle& h);
  // `replace_version`: PutObjectRequest::replace_version_id.
  Result<std::unique_ptr<engine::ObjectWriter>> BeginPutFor(const std::string& path,
                                                            engine::ObjectMeta meta,
                                                            bool if_none_match,
                                                            std::optional<uint64_t> size,
                                                            std::string replace_version = {});
  // Before the object at `path` is removed or replaced: gives read handles still open on it a
  // private copy (up to kMaxPreserveBytes), so reads at any offset keep working after the
  // unlink, as POSIX wants. Larger files keep only their sequential snapshot reader.
  void PreserveOpenHandles(const std::string& path);
  // `placeholder`: the version id of the empty object Create committed ("" otherwise).
  int OpenHandle(fuse_ino_t ino, const std::string& path, fuse_file_info* fi, bool created,
                 const UserMeta& meta, std::string placeholder = {});

  // Directories (fs_dirs.cc).
  Status FillPage(DirHandle& d);

  // The versions view (fs_versions.cc). All read-only: changes answer EROFS.
  // True when `bucket` shows a versions view (the option is on and the bucket is versioned).
  bool VersionsOn(std::string_view bucket);
  // Looks up `name` in versions directory `dir` (a version file or a key/prefix directory).
  int VersionsResolve(const std::string& dir, std::string_view name, std::string* child,
                      NodeStat* stat);
  // Stats a path of the view; `known` as for StatPath.
  int VersionsStat(const std::string& path, NodeStat* out, const engine::ObjectInfo* known);
  Status FillVersionsPage(DirHandle& d);
  int VersionsOpen(fuse_ino_t ino, const std::string& path, fuse_file_info* fi);
  // The extended attributes of a version file: its user metadata plus maxiofs.* entries
  // (version id, ETag, retention, legal hold).
  int VersionsXattrs(const std::string& path, UserMeta* out);
  // The engine request of a version file path.
  static bool ParseVersionFile(const std::string& path, std::string* bucket, std::string* key,
                               std::string* version_id);

  friend class FuseMountImpl;

  const FuseOptions options_;
  engine::Engine& engine_;
  const MountAccess access_;
  const std::string staging_dir_;
  // How the staging files are hashed: at most HashSlotsFor workers at once, in the ETag's parts.
  const PrefixHashing hashing_;  // of every staging file (NewStaging)
  const int64_t mount_time_ns_;
  InodeTable inodes_;
  HandleRegistry handles_;
  ChangeNotifier notifier_;
  std::atomic<uint64_t> hidden_keys_{0};
  OpStats op_stats_;
};

// Converts engine nanoseconds to a timespec.
struct timespec ToTimespec(int64_t ns);

}  // namespace maxiofs::fuse
