// Renames are metadata-only engine operations: RenameObject for a file, RenamePrefix (one
// atomic batch, the "dir/" marker included since it is under the prefix) for a directory.
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <linux/fs.h>

#include <cerrno>
#include <utility>
#include <vector>

namespace maxiofs::fuse {

int Filesystem::Rename(fuse_req_t req, fuse_ino_t parent, const char* name, fuse_ino_t newparent,
                       const char* newname, unsigned flags) {
  if (flags & ~static_cast<unsigned>(RENAME_NOREPLACE)) return EINVAL;  // no EXCHANGE/WHITEOUT
  const bool no_replace = flags & RENAME_NOREPLACE;
  std::string from_dir, to_dir;
  if (int err = DirPathOf(parent, &from_dir); err != 0) return err;
  if (int err = DirPathOf(newparent, &to_dir); err != 0) return err;
  std::string_view to_name(newname);
  if (to_name.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(to_name)) return EINVAL;
  if (IsVersionsPath(from_dir) || IsVersionsPath(to_dir)) return EROFS;
  if (from_dir.empty() || to_dir.empty()) return EPERM;  // buckets cannot be renamed
  NodePath from_np = SplitPath(from_dir), to_np = SplitPath(to_dir);
  if (from_np.bucket != to_np.bucket) return EXDEV;  // tools fall back to copy + delete
  const std::string bucket(from_np.bucket);

  std::string src;
  NodeStat src_stat;
  if (int err = ResolveChild(from_dir, name, &src, &src_stat); err != 0) return err;
  std::string dst_existing;
  NodeStat dst_stat;
  int dst_err = ResolveChild(to_dir, to_name, &dst_existing, &dst_stat);
  if (dst_err != 0 && dst_err != ENOENT) return dst_err;
  const bool dst_exists = dst_err == 0;
  if (dst_exists && (dst_existing == src ||
                     (!src_stat.link_id.empty() && src_stat.link_id == dst_stat.link_id))) {
    fuse_reply_err(req, 0);  // same file (or two names of one hard-linked file): nothing to do
    return 0;
  }
  if ((std::string_view(name) == kVersionsDirName && IsVersionsPath(src)) ||
      (dst_exists && IsVersionsPath(dst_existing))) {
    return EROFS;  // the versions view itself
  }
  if (dst_exists && no_replace) return EEXIST;
  const bool is_dir = IsDirPath(src);
  if (dst_exists && IsDirPath(dst_existing) != is_dir) return is_dir ? ENOTDIR : EISDIR;
  std::string dst = ChildPath(to_dir, to_name, is_dir);
  if (int err = KeyErrno(dst); err != 0) return err;
  for (auto [action, path] : {std::pair{"s3:GetObject", &src}, std::pair{"s3:DeleteObject", &src},
                              std::pair{"s3:PutObject", &dst}}) {
    if (int err = access_.Check(action, *path); err != 0) return err;
  }

  // A replaced hard-linked file loses a name: its other names see the link count drop, and
  // its ctime must move (POSIX), like an unlink's.
  std::vector<std::string> dst_other_names;
  if (dst_exists && !is_dir && !dst_stat.link_id.empty()) {
    if (std::optional<fuse_ino_t> ino = inodes_.Find(dst)) {
      for (std::string& p : inodes_.PathsOf(*ino)) {
        if (p != dst) dst_other_names.push_back(std::move(p));
      }
    }
  }
  if (!is_dir) {
    if (dst_exists) PreserveOpenHandles(dst);
    // Object lock: with protect_locked, renaming a locked file (or over one) is EPERM.
    Result<engine::ObjectInfo> moved =
        engine_.RenameObject({.bucket = bucket,
                              .src_key = std::string(SplitPath(src).key),
                              .dst_key = std::string(SplitPath(dst).key),
                              .no_replace = no_replace,
                              .protect_locked = true,
                              .durable = false});
    if (!moved) return ToErrno(moved.error());
  } else {
    const std::string src_prefix(SplitPath(src).key), dst_prefix(SplitPath(dst).key);
    if (dst_prefix.starts_with(src_prefix)) return EINVAL;  // into itself
    if (dst_exists) {
      // Replacing an empty directory: remove its marker first (not atomic with the move;
      // the engine has no "rename over an empty prefix" operation).
      Status st;
      if (DirHasChildren(bucket, dst_prefix, &st)) return ENOTEMPTY;
      if (!st.ok()) return ToErrno(st);
      auto d = engine_.DeleteObject(
          {.bucket = bucket, .key = dst_prefix, .protect_locked = true, .durable = false});
      if (!d) return ToErrno(d.error());
    }
    Result<uint64_t> moved = engine_.RenamePrefix({.bucket = bucket,
                                                   .src_prefix = src_prefix,
                                                   .dst_prefix = dst_prefix,
                                                   .protect_locked = true,
                                                   .durable = false});
    if (!moved) {
      // Past the engine's one-batch limit: EXDEV makes mv fall back to copy + delete.
      if (moved.error().code() == Status::Code::kEntityTooLarge) return EXDEV;
      if (moved.error().code() == Status::Code::kPreconditionFailed) return ENOTEMPTY;
      return ToErrno(moved.error());
    }
    if (*moved == 0) return ENOENT;
  }
  inodes_.Move(src, dst);
  TouchDir(from_dir);
  if (to_dir != from_dir) TouchDir(to_dir);
  if (!dst_other_names.empty()) TouchCtime(dst_other_names.front());
  fuse_reply_err(req, 0);
  return 0;
}

}  // namespace maxiofs::fuse
