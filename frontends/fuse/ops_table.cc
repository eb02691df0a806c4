#include "ops_table.h"

#include "filesystem.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <exception>
#include <new>

namespace maxiofs::fuse {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  std::shared_ptr<spdlog::logger> l = spdlog::get("fuse");
  return l ? l : spdlog::default_logger();
}

Filesystem& Fs(fuse_req_t req) { return *static_cast<Filesystem*>(fuse_req_userdata(req)); }

// Runs `f` (an operation following Filesystem's convention) and replies with its errno.
template <class F>
void Run(fuse_req_t req, const char* op, F&& f) {
  Filesystem& fs = Fs(req);
  OwnOpScope scope(&fs);
  int err = 0;
  try {
    err = f(fs);
  } catch (const std::bad_alloc&) {
    err = ENOMEM;
    Log()->error("fuse op={} error=out-of-memory", op);
  } catch (const std::exception& e) {
    err = EIO;
    Log()->error("fuse op={} error=exception what=\"{}\"", op, e.what());
  }
  if (err != 0) {
    // Expected answers (ENOENT, EEXIST, ...) are not logged; failures of the store are.
    if (err == EIO || err == ENOSPC || err == EROFS || err == ENOMEM) {
      Log()->warn("fuse op={} errno={}", op, err);
    } else {
      Log()->debug("fuse op={} errno={}", op, err);
    }
    fuse_reply_err(req, err);
  }
  fs.op_stats().Record(op, err);
}

// For operations that must not reply with an error (forget).
template <class F>
void RunNoReply(fuse_req_t req, const char* op, F&& f) {
  Fs(req).op_stats().Record(op, 0);
  try {
    f();
  } catch (const std::exception& e) {
    Log()->error("fuse op={} error=exception what=\"{}\"", op, e.what());
  }
}

void Init(void* /*userdata*/, fuse_conn_info* conn) {
  if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  // Writes must reach the staging file before close, so no writeback cache; no splice.
  conn->want &= ~(FUSE_CAP_WRITEBACK_CACHE | FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
                  FUSE_CAP_SPLICE_MOVE | FUSE_CAP_POSIX_ACL | FUSE_CAP_HANDLE_KILLPRIV);
  if (conn->capable & FUSE_CAP_READDIRPLUS) conn->want |= FUSE_CAP_READDIRPLUS;
  // Always readdirplus: in "auto" mode the kernel switches to plain readdir after the first
  // buffer unless the listing process looked entries up, so `ls -l` of a large directory
  // then costs one LOOKUP per entry. Listings come with each object's metadata, so the
  // attributes cost nothing extra.
  conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
  if (conn->capable & FUSE_CAP_PARALLEL_DIROPS) conn->want |= FUSE_CAP_PARALLEL_DIROPS;
}

void Lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Run(req, "lookup", [&](Filesystem& fs) { return fs.Lookup(req, parent, name); });
}
void Forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
  RunNoReply(req, "forget", [&] { Fs(req).Forget(ino, nlookup); });
  fuse_reply_none(req);
}
void ForgetMulti(fuse_req_t req, size_t count, fuse_forget_data* forgets) {
  RunNoReply(req, "forget_multi", [&] {
    for (size_t i = 0; i < count; ++i) Fs(req).Forget(forgets[i].ino, forgets[i].nlookup);
  });
  fuse_reply_none(req);
}
void GetAttr(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "getattr", [&](Filesystem& fs) { return fs.GetAttr(req, ino, fi); });
}
void SetAttr(fuse_req_t req, fuse_ino_t ino, struct stat* attr, int to_set, fuse_file_info* fi) {
  Run(req, "setattr", [&](Filesystem& fs) { return fs.SetAttr(req, ino, attr, to_set, fi); });
}
void Readlink(fuse_req_t req, fuse_ino_t ino) {
  Run(req, "readlink", [&](Filesystem& fs) { return fs.Readlink(req, ino); });
}
void Mknod(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, dev_t rdev) {
  Run(req, "mknod", [&](Filesystem& fs) { return fs.Mknod(req, parent, name, mode, rdev); });
}
void Mkdir(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode) {
  Run(req, "mkdir", [&](Filesystem& fs) { return fs.Mkdir(req, parent, name, mode); });
}
void Unlink(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Run(req, "unlink", [&](Filesystem& fs) { return fs.Unlink(req, parent, name); });
}
void Rmdir(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Run(req, "rmdir", [&](Filesystem& fs) { return fs.Rmdir(req, parent, name); });
}
void Symlink(fuse_req_t req, const char* link, fuse_ino_t parent, const char* name) {
  Run(req, "symlink", [&](Filesystem& fs) { return fs.Symlink(req, link, parent, name); });
}
void Rename(fuse_req_t req, fuse_ino_t parent, const char* name, fuse_ino_t newparent,
            const char* newname, unsigned flags) {
  Run(req, "rename",
      [&](Filesystem& fs) { return fs.Rename(req, parent, name, newparent, newname, flags); });
}
void Link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char* name) {
  Run(req, "link", [&](Filesystem& fs) { return fs.Link(req, ino, newparent, name); });
}
void Open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "open", [&](Filesystem& fs) { return fs.Open(req, ino, fi); });
}
void Read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi) {
  Run(req, "read", [&](Filesystem& fs) { return fs.Read(req, ino, size, off, fi); });
}
void Write(fuse_req_t req, fuse_ino_t ino, const char* buf, size_t size, off_t off,
           fuse_file_info* fi) {
  Run(req, "write", [&](Filesystem& fs) { return fs.Write(req, ino, buf, size, off, fi); });
}
void Flush(fuse_req_t req, fuse_ino_t /*ino*/, fuse_file_info* fi) {
  Run(req, "flush", [&](Filesystem& fs) { return fs.Flush(req, fi); });
}
void Release(fuse_req_t req, fuse_ino_t /*ino*/, fuse_file_info* fi) {
  Run(req, "release", [&](Filesystem& fs) { return fs.Release(req, fi); });
}
void Fsync(fuse_req_t req, fuse_ino_t /*ino*/, int /*datasync*/, fuse_file_info* fi) {
  Run(req, "fsync", [&](Filesystem& fs) { return fs.Fsync(req, fi); });
}
void OpenDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "opendir", [&](Filesystem& fs) { return fs.OpenDir(req, ino, fi); });
}
void ReadDir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi) {
  Run(req, "readdir", [&](Filesystem& fs) { return fs.ReadDir(req, ino, size, off, fi, false); });
}
void ReadDirPlus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi) {
  Run(req, "readdirplus",
      [&](Filesystem& fs) { return fs.ReadDir(req, ino, size, off, fi, true); });
}
void ReleaseDir(fuse_req_t req, fuse_ino_t /*ino*/, fuse_file_info* fi) {
  Run(req, "releasedir", [&](Filesystem& fs) { return fs.ReleaseDir(req, fi); });
}
void FsyncDir(fuse_req_t req, fuse_ino_t /*ino*/, int /*datasync*/, fuse_file_info* /*fi*/) {
  Run(req, "fsyncdir", [&](Filesystem& fs) { return fs.FsyncDir(req); });
}
void StatFs(fuse_req_t req, fuse_ino_t ino) {
  Run(req, "statfs", [&](Filesystem& fs) { return fs.StatFs(req, ino); });
}
void SetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, const char* value, size_t size,
              int flags) {
  Run(req, "setxattr",
      [&](Filesystem& fs) { return fs.SetXattr(req, ino, name, value, size, flags); });
}
void GetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, size_t size) {
  Run(req, "getxattr", [&](Filesystem& fs) { return fs.GetXattr(req, ino, name, size); });
}
void ListXattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
  Run(req, "listxattr", [&](Filesystem& fs) { return fs.ListXattr(req, ino, size); });
}
void RemoveXattr(fuse_req_t req, fuse_ino_t ino, const char* name) {
  Run(req, "removexattr", [&](Filesystem& fs) { return fs.RemoveXattr(req, ino, name); });
}
void Create(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, fuse_file_info* fi) {
  Run(req, "create", [&](Filesystem& fs) { return fs.Create(req, parent, name, mode, fi); });
}

fuse_lowlevel_ops MakeOps() {
  fuse_lowlevel_ops ops{};
  ops.init = Init;
  ops.lookup = Lookup;
  ops.forget = Forget;
  ops.forget_multi = ForgetMulti;
  ops.getattr = GetAttr;
  ops.setattr = SetAttr;
  ops.readlink = Readlink;
  ops.mknod = Mknod;
  ops.mkdir = Mkdir;
  ops.unlink = Unlink;
  ops.rmdir = Rmdir;
  ops.symlink = Symlink;
  ops.rename = Rename;
  ops.link = Link;
  ops.open = Open;
  ops.read = Read;
  ops.write = Write;
  ops.flush = Flush;
  ops.release = Release;
  ops.fsync = Fsync;
  ops.opendir = OpenDir;
  ops.readdir = ReadDir;
  ops.readdirplus = ReadDirPlus;
  ops.releasedir = ReleaseDir;
  ops.fsyncdir = FsyncDir;
  ops.statfs = StatFs;
  ops.setxattr = SetXattr;
  ops.getxattr = GetXattr;
  ops.listxattr = ListXattr;
  ops.removexattr = RemoveXattr;
  ops.create = Create;
  return ops;
}

}  // namespace

const fuse_lowlevel_ops& LowLevelOps() {
  static const fuse_lowlevel_ops ops = MakeOps();
  return ops;
}

}  // namespace maxiofs::fuse
