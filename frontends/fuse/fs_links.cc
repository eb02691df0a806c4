// link(2): a hard link is a second name of one file, kept as an engine link group
// (Engine::LinkObject). Both names answer with one inode (InodeTable identities); writes and
// attribute changes through either name reach both (write_links, all_links), and st_nlink is
// the group's size. Only files link (directories: EPERM, as Linux), and only within a bucket
// (EXDEV otherwise: ln then fails as it does across file systems).
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <cerrno>

namespace maxiofs::fuse {

int Filesystem::Link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char* name) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  std::string dir;
  if (int err = DirPathOf(newparent, &dir); err != 0) return err;
  if (IsVersionsPath(dir) || IsVersionsPath(n->path)) return EROFS;
  if (IsDirPath(n->path)) return EPERM;
  if (dir.empty()) return EPERM;  // only buckets live at the root
  std::string_view nm(name);
  if (nm.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(nm)) return EINVAL;
  NodePath src = SplitPath(n->path), dst_dir = SplitPath(dir);
  if (src.bucket != dst_dir.bucket) return EXDEV;
  std::string child = ChildPath(dir, nm, false);
  if (int err = KeyErrno(child); err != 0) return err;
  if (int err = access_.Check("s3:GetObject", n->path); err != 0) return err;
  if (int err = access_.Check("s3:PutObject", child); err != 0) return err;
  NodeStat existing;
  std::string found;
  if (int err = ResolveChild(dir, nm, &found, &existing); err != ENOENT) {
    return err == 0 ? EEXIST : err;
  }
  // The file's staged writes belong to every name: commit them first.
  for (const std::shared_ptr<FileHandle>& h : handles_.FilesOf(ino)) {
    std::lock_guard<std::mutex> l(h->mu);
    if (Status s = CommitLocked(*h); !s.ok()) return ToErrno(s);
  }
  Result<engine::ObjectInfo> linked =
      engine_.LinkObject({.bucket = std::string(src.bucket),
                          .src_key = std::string(src.key),
                          .dst_key = std::string(SplitPath(child).key),
                          .durable = false});
  if (!linked) {
    if (linked.error().subcode() == Status::SubCode::kTooManyLinks) return EMLINK;
    return ToErrno(linked.error());
  }
  TouchDir(dir);
  TouchCtime(child);  // the link count changed
  // The new name is the same inode as the old one (the kernel counts this reply as a lookup
  // of `ino`).
  NodeStat stat;
  if (int err = StatPath(child, 0, &stat); err != 0) return err;
  inodes_.SetIdentity(ino, IdentityOf(child, stat));
  return ReplyEntry(req, child, &stat);
}

}  // namespace maxiofs::fuse
