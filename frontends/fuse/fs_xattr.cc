// Extended attributes: "user.<name>" maps to user metadata <name>. Metadata names are
// lower-case (S3 headers), so names with upper-case letters or characters outside an HTTP
// token are refused (EINVAL), and the POSIX attribute names ("mode", "uid", "gid", "mtime")
// are reserved (EPERM), as are "ctime", "atime" and "rdev". Other namespaces (security., system.,
// trusted.) are not supported and answer ENOTSUP for get, set and remove: tools such as ls then
// remember, per filesystem, that there are no SELinux labels or ACLs here instead of asking once
// per file (a FUSE round trip each). Also statfs.
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <sys/statvfs.h>
#include <sys/xattr.h>

#include <cerrno>
#include <string_view>

namespace maxiofs::fuse {
namespace {

constexpr std::string_view kUserPrefix = "user.";

// The metadata name for an xattr name, or an errno.
int MetaNameFor(std::string_view xattr, std::string* meta, bool for_set) {
  if (!xattr.starts_with(kUserPrefix)) return ENOTSUP;
  std::string_view n = xattr.substr(kUserPrefix.size());
  if (n.empty() || n.size() > 255) return EINVAL;
  for (char c : n) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return EINVAL;
  }
  if (IsPosixMetaName(n)) return for_set ? EPERM : ENODATA;
  *meta = std::string(n);
  return 0;
}

}  // namespace

namespace {

// The metadata change that also moves the inode's ctime.
engine::MetadataChange CtimeNow() { return {.name = "ctime", .value = FormatMtime(NowNs())}; }

int XattrErrno(const Status& s) {
  // The object's user metadata is full (kMaxUserMetadataBytes): no room, as ext4 says.
  return s.code() == Status::Code::kEntityTooLarge ? ENOSPC : ToErrno(s);
}

}  // namespace

int Filesystem::SetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, const char* value,
                         size_t size, int flags) {
  std::string meta_name;
  if (int err = MetaNameFor(name, &meta_name, true); err != 0) return err;
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  if (IsVersionsPath(n->path)) return EROFS;
  if (n->path.empty()) return ENOTSUP;  // the root keeps no metadata
  if (int err = access_.Check("s3:PutObject", n->path); err != 0) return err;
  NodeStat cur;
  if (int err = StatPath(n->path, 0, &cur); err != 0) return err;
  const PosixAttrs attrs = AttrsOf(cur.st);
  engine::MetadataChange change{.name = meta_name, .value = std::string(value, size)};
  if (flags & XATTR_CREATE) change.require = engine::MetadataChange::Require::kAbsent;
  if (flags & XATTR_REPLACE) change.require = engine::MetadataChange::Require::kPresent;
  Status s = UpdateMeta(n->path, {std::move(change), CtimeNow()}, &attrs);
  if (s.code() == Status::Code::kPreconditionFailed) {
    return (flags & XATTR_CREATE) ? EEXIST : ENODATA;
  }
  if (!s.ok()) return XattrErrno(s);
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::GetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, size_t size) {
  std::string meta_name;
  if (int err = MetaNameFor(name, &meta_name, false); err != 0) {
    return err == EINVAL ? ENODATA : err;
  }
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  UserMeta user;
  if (IsVersionsPath(n->path)) {
    if (int err = access_.Check("s3:GetObjectVersion", n->path.substr(1)); err != 0) return err;
    if (int err = VersionsXattrs(n->path, &user); err != 0) return err;
  } else {
    if (int err = access_.Check("s3:GetObject", n->path); err != 0) return err;
    NodeStat cur;
    if (int err = StatPath(n->path, 0, &cur); err != 0) return err;
    user = std::move(cur.user);
  }
  const std::string* v = FindUserMeta(user, meta_name);
  if (v == nullptr) return ENODATA;
  if (size == 0) {
    fuse_reply_xattr(req, v->size());
  } else if (size < v->size()) {
    return ERANGE;
  } else {
    fuse_reply_buf(req, v->data(), v->size());
  }
  return 0;
}

int Filesystem::ListXattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  UserMeta user;
  if (IsVersionsPath(n->path)) {
    if (int err = access_.Check("s3:GetObjectVersion", n->path.substr(1)); err != 0) return err;
    if (int err = VersionsXattrs(n->path, &user); err != 0) return err;
  } else {
    if (int err = access_.Check("s3:GetObject", n->path); err != 0) return err;
    NodeStat cur;
    if (int err = StatPath(n->path, 0, &cur); err != 0) return err;
    user = std::move(cur.user);
  }
  std::string list;
  for (const auto& [k, v] : user) {
    if (IsPosixMetaName(k)) continue;
    list.append(kUserPrefix).append(k).push_back('\0');
  }
  if (size == 0) {
    fuse_reply_xattr(req, list.size());
  } else if (size < list.size()) {
    return ERANGE;
  } else {
    fuse_reply_buf(req, list.data(), list.size());
  }
  return 0;
}

int Filesystem::RemoveXattr(fuse_req_t req, fuse_ino_t ino, const char* name) {
  std::string meta_name;
  if (int err = MetaNameFor(name, &meta_name, true); err != 0) return err;
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  if (IsVersionsPath(n->path)) return EROFS;
  if (n->path.empty()) return ENOTSUP;
  if (int err = access_.Check("s3:PutObject", n->path); err != 0) return err;
  Status s = UpdateMeta(n->path,
                        {{.name = meta_name,
                          .value = std::nullopt,
                          .require = engine::MetadataChange::Require::kPresent},
                         CtimeNow()},
                        nullptr);
  if (s.code() == Status::Code::kPreconditionFailed || s.IsNoSuchKey()) return ENODATA;
  if (!s.ok()) return XattrErrno(s);
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::StatFs(fuse_req_t req, fuse_ino_t /*ino*/) {
  // The engine has no capacity API yet: report the data directory's file system.
  struct statvfs sv {};
  if (options_.data_dir.empty() || ::statvfs(options_.data_dir.c_str(), &sv) != 0) {
    sv = {};
    sv.f_bsize = sv.f_frsize = 4096;
  }
  sv.f_namemax = 255;
  fuse_reply_statfs(req, &sv);
  return 0;
}

}  // namespace maxiofs::fuse
