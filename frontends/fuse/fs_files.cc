// Open files: staged writes committed on flush/release/fsync, snapshot reads.
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace maxiofs::fuse {
namespace {

constexpr size_t kIoChunk = 256 * 1024;
// A read this far ahead of the sequential reader skips forward instead of reopening.
constexpr uint64_t kMaxSkip = 1 << 20;
// Largest open file PreserveOpenHandles copies aside on unlink/replace.
constexpr uint64_t kMaxPreserveBytes = 256ull << 20;

std::shared_ptr<spdlog::logger> Log() {
  std::shared_ptr<spdlog::logger> l = spdlog::get("fuse");
  return l ? l : spdlog::default_logger();
}

}  // namespace

Result<std::unique_ptr<engine::ObjectWriter>> Filesystem::BeginPutFor(const std::string& path,
                                                                      engine::ObjectMeta meta,
                                                                      bool if_none_match,
                                                                      std::optional<uint64_t> size,
                                                                      std::string replace_version) {
  NodePath np = SplitPath(path);
  engine::PutObjectRequest req{.bucket = std::string(np.bucket),
                               .key = std::string(np.key),
                               .meta = std::move(meta),
                               .expected_size = size};
  if (if_none_match) req.preconditions.if_none_match.push_back("*");
  req.protect_locked = true;             // a locked file cannot be overwritten or truncated: EPERM
  req.durable = false;                   // close-to-open; fsync makes it durable (Engine::Sync)
  req.parts_etag = options_.parts_etag;  // hashed side by side (StagedPrefix)
  req.write_links = true;                // a hard-linked file changes under all its names
  req.replace_version_id = std::move(replace_version);
  return engine_.BeginPut(req);
}

Result<std::unique_ptr<StagingFile>> Filesystem::NewStaging() {
  return StagingFile::Create(staging_dir_, hashing_);
}

Status Filesystem::Materialize(FileHandle& h, const std::string& path, uint64_t limit) {
  MAXIOFS_ASSIGN_OR_RETURN(std::unique_ptr<StagingFile> staging, NewStaging());
  NodePath np = SplitPath(path);
  Result<std::unique_ptr<engine::ObjectReader>> r =
      engine_.GetObject({.bucket = std::string(np.bucket), .key = std::string(np.key)});
  if (!r && !r.error().IsNoSuchKey()) return r.error();
  if (r) {
    std::vector<char> buf(kIoChunk);
    uint64_t done = 0;
    while (done < limit) {
      MAXIOFS_ASSIGN_OR_RETURN(size_t n, (*r)->Read(buf));
      if (n == 0) break;
      n = static_cast<size_t>(std::min<uint64_t>(n, limit - done));
      MAXIOFS_RETURN_IF_ERROR(staging->WriteAt(done, {buf.data(), n}));
      done += n;
    }
  }
  h.staging = std::move(staging);
  return Status::OK();
}

Status Filesystem::CommitLocked(FileHandle& h) {
  MAXIOFS_RETURN_IF_ERROR(h.write_error);
  if (!h.dirty || !h.staging) return Status::OK();
  std::optional<InodeTable::Node> n = inodes_.Get(h.ino);
  if (!n || n->detached) {
    h.dirty = false;  // unlinked while open: like POSIX, the data goes with the file
    return Status::OK();
  }
  NodePath np = SplitPath(n->path);
  engine::ObjectMeta meta;
  Result<engine::ObjectInfo> cur =
      engine_.HeadObject({.bucket = std::string(np.bucket), .key = std::string(np.key)});
  if (cur) {
    meta = cur->meta;  // attributes changed while open (chmod, xattrs) are kept
  } else if (cur.error().IsNoSuchKey()) {
    meta.user = h.base_meta;
  } else {
    return cur.error();
  }
  SetUserMeta(&meta.user, "mtime", FormatMtime(h.mtime_override_ns.value_or(h.write_time_ns)));
  SetUserMeta(&meta.user, "ctime", FormatMtime(h.mtime_override_ns ? NowNs() : h.write_time_ns));
  const uint64_t size = h.staging->size();
  UserMeta user = meta.user;
  MAXIOFS_ASSIGN_OR_RETURN(
      auto w, BeginPutFor(n->path, std::move(meta), false, size, h.placeholder_version));
  // The engine takes the staging file as the object's data when it can (no second copy of
  // the bytes on disk); it copies it otherwise. The MD5s kept while the file was written in
  // order spare it reading the file back for the ETag.
  MAXIOFS_ASSIGN_OR_RETURN(bool taken,
                           w->AppendFileWithMd5s(h.staging->fd(), size, h.staging->TakeMd5s()));
  MAXIOFS_ASSIGN_OR_RETURN(engine::ObjectInfo info, w->Commit());
  if (taken) {
    // The staging file is now immutable object data. The handle reads the committed object
    // (a snapshot opened now, so it stays readable if unlinked), and a later write starts a
    // new staging copy (Write materializes it from the object).
    h.staging.reset();
    h.object_size = size;
    h.reader.reset();
    h.reader_pos = 0;
    auto r = engine_.GetObject({.bucket = std::string(np.bucket), .key = std::string(np.key)});
    if (r) h.reader = std::move(r).value();
  }
  // The kernel's page cache holds what was written through it: keep it on the next open.
  inodes_.SetCachedEtag(h.ino, info.etag);
  h.dirty = false;
  h.placeholder_version.clear();
  h.base_meta = std::move(user);
  return Status::OK();
}

void Filesystem::PreserveOpenHandles(const std::string& path) {
  std::optional<fuse_ino_t> ino = inodes_.Find(path);
  if (!ino) return;
  for (const std::shared_ptr<FileHandle>& h : handles_.FilesOf(*ino)) {
    std::lock_guard<std::mutex> l(h->mu);
    if (h->staging || h->object_size > kMaxPreserveBytes) continue;
    if (Status s = Materialize(*h, path, UINT64_MAX); !s.ok()) {
      Log()->warn("fuse op=preserve path={} status={}", path, s.ToString());
    }
  }
}

int Filesystem::OpenHandle(fuse_ino_t ino, const std::string& path, fuse_file_info* fi,
                           bool created, const UserMeta& meta, std::string placeholder) {
  const int acc = fi->flags & O_ACCMODE;
  if (acc != O_WRONLY) {
    if (int err = access_.Check("s3:GetObject", path); err != 0) return err;
  }
  if (acc != O_RDONLY) {
    if (int err = access_.Check("s3:PutObject", path); err != 0) return err;
  }
  const bool truncate = (fi->flags & O_TRUNC) && acc != O_RDONLY;
  auto h = std::make_shared<FileHandle>(ino, fi->flags);
  h->base_meta = meta;
  h->placeholder_version = std::move(placeholder);
  std::string etag;
  if (created || truncate) {
    Result<std::unique_ptr<StagingFile>> s = NewStaging();
    if (!s) return ToErrno(s.error());
    h->staging = std::move(s).value();
    h->dirty = truncate && !created;
    h->write_time_ns = NowNs();
  } else {
    NodePath np = SplitPath(path);
    const std::string bucket(np.bucket), key(np.key);
    if (acc != O_WRONLY) {
      // The read snapshot: one committed version, readable even after an unlink.
      auto r = engine_.GetObject({.bucket = bucket, .key = key});
      if (!r) return ToErrno(r.error());
      h->object_size = (*r)->info().size;
      h->base_meta = (*r)->info().meta.user;
      etag = (*r)->info().etag;
      h->reader = std::move(r).value();
    } else {
      auto info = engine_.HeadObject({.bucket = bucket, .key = key});
      if (!info) return ToErrno(info.error());
      h->object_size = info->size;
      h->base_meta = info->meta.user;
      etag = info->etag;
    }
  }
  if (created || truncate) {
    inodes_.SetCachedEtag(ino, "");
    fi->keep_cache = 0;
  } else {
    fi->keep_cache = inodes_.ExchangeCachedEtag(ino, etag) ? 1 : 0;
    if (acc != O_WRONLY) MaybeTouchAtime(path, h->base_meta);
  }
  fi->fh = handles_.AddFile(std::move(h));
  inodes_.Pin(ino);
  return 0;
}

int Filesystem::Open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  if (IsDirPath(n->path)) return EISDIR;
  if (IsVersionsPath(n->path)) {
    if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) return EROFS;
    if (int err = VersionsOpen(ino, n->path, fi); err != 0) return err;
  } else if (int err = OpenHandle(ino, n->path, fi, false, {}); err != 0) {
    return err;
  }
  if (fuse_reply_open(req, fi) != 0) {
    handles_.RemoveFile(fi->fh);
    inodes_.Unpin(ino);
  }
  return 0;
}

int Filesystem::Create(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode,
                       fuse_file_info* fi) {
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  if (IsVersionsPath(dir)) return EROFS;
  if (dir.empty()) return EPERM;  // only buckets (directories) live at the root
  std::string_view nm(name);
  if (nm.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(nm)) return EINVAL;
  std::string path = ChildPath(dir, nm, false);
  if (int err = KeyErrno(path); err != 0) return err;
  if (int err = access_.Check("s3:PutObject", path); err != 0) return err;
  NodeStat stat;
  std::string existing;
  int err = ResolveChild(dir, nm, &existing, &stat);
  bool created = false;
  std::string placeholder;
  if (err == 0) {
    if (IsDirPath(existing)) return EISDIR;
    if (fi->flags & O_EXCL) return EEXIST;
  } else if (err != ENOENT) {
    return err;
  } else {
    // Commit an empty object now, so the file exists (for stat, O_EXCL, other clients)
    // before the first close. If-None-Match "*" makes O_EXCL atomic in the engine.
    NodeStat parent_stat;
    if (int e = StatPath(dir, parent, &parent_stat); e != 0) return e;
    engine::ObjectMeta meta;
    StoreAttrs(NewAttrs(req, S_IFREG | (mode & 07777), parent_stat), &meta.user);
    UserMeta user = meta.user;
    auto w = BeginPutFor(path, std::move(meta), true, 0);
    Result<engine::ObjectInfo> made =
        w ? (*w)->Commit() : Result<engine::ObjectInfo>(std::move(w).error());
    Status s = made.status();
    if (made) placeholder = made->version_id;
    const bool lost_race = s.code() == Status::Code::kPreconditionFailed;
    if (!s.ok() && !(lost_race && !(fi->flags & O_EXCL))) return ToErrno(s);
    // A concurrent creator won the race: without O_EXCL, open its file instead.
    created = s.ok();
    if (created) TouchDir(dir);
    stat = {};
    if (int e = StatPath(path, 0, &stat); e != 0) return e;
    if (created) stat.user = std::move(user);
  }
  fuse_ino_t ino = inodes_.Ref(path, IdentityOf(path, stat));
  if (int e = OpenHandle(ino, path, fi, created, stat.user, std::move(placeholder)); e != 0) {
    inodes_.Forget(ino, 1);
    return e;
  }
  if (!created && (fi->flags & O_TRUNC)) stat.st.st_size = 0;
  fuse_entry_param entry;
  FillEntry(ino, stat.st, &entry);
  if (fuse_reply_create(req, &entry, fi) != 0) {
    handles_.RemoveFile(fi->fh);
    inodes_.Unpin(ino);
    inodes_.Forget(ino, 1);
  }
  return 0;
}

int Filesystem::Read(fuse_req_t req, fuse_ino_t /*ino*/, size_t size, off_t off,
                     fuse_file_info* fi) {
  std::shared_ptr<FileHandle> h = handles_.File(fi->fh);
  if (!h) return EBADF;
  std::lock_guard<std::mutex> l(h->mu);
  if (!h->write_error.ok()) return ToErrno(h->write_error);
  const uint64_t offset = static_cast<uint64_t>(off);
  if (h->staging) {
    std::vector<char> buf(size);
    Result<size_t> n = h->staging->ReadAt(offset, buf);
    if (!n) return ToErrno(n.error());
    fuse_reply_buf(req, buf.data(), *n);
    return 0;
  }
  if (offset >= h->object_size) {
    fuse_reply_buf(req, nullptr, 0);
    return 0;
  }
  size_t want = static_cast<size_t>(std::min<uint64_t>(size, h->object_size - offset));
  std::vector<char> buf(std::max<size_t>(want, 1));
  if (h->reader && offset > h->reader_pos && offset - h->reader_pos <= kMaxSkip) {
    while (h->reader_pos < offset) {
      size_t step = static_cast<size_t>(std::min<uint64_t>(buf.size(), offset - h->reader_pos));
      Result<size_t> n = h->reader->Read({buf.data(), step});
      if (!n) return ToErrno(n.error());
      if (*n == 0) break;
      h->reader_pos += *n;
    }
  }
  if (!h->reader || h->reader_pos != offset) {
    // Not sequential: reopen at the offset (the object as it is now; a version of the
    // versions view is the same whenever it is read).
    std::optional<InodeTable::Node> n = inodes_.Get(h->ino);
    if (!n || n->detached) return ESTALE;
    engine::GetObjectRequest g;
    if (!h->version_id.empty()) {
      std::string version;
      if (!ParseVersionFile(n->path, &g.bucket, &g.key, &version)) return ESTALE;
      g.version_id = h->version_id;
    } else {
      NodePath np = SplitPath(n->path);
      g.bucket = std::string(np.bucket);
      g.key = std::string(np.key);
    }
    g.range = engine::RangeSpec{.kind = engine::RangeSpec::Kind::kFrom, .first = offset};
    auto r = engine_.GetObject(g);
    if (!r) {
      if (r.error().code() == Status::Code::kInvalidRange) {
        fuse_reply_buf(req, nullptr, 0);
        return 0;
      }
      return ToErrno(r.error());
    }
    h->reader = std::move(r).value();
    h->reader_pos = offset;
  }
  size_t got = 0;
  while (got < want) {
    Result<size_t> n = h->reader->Read({buf.data() + got, want - got});
    if (!n) {
      h->reader.reset();
      return ToErrno(n.error());
    }
    if (*n == 0) break;
    got += *n;
  }
  h->reader_pos += got;
  fuse_reply_buf(req, buf.data(), got);
  return 0;
}

int Filesystem::Write(fuse_req_t req, fuse_ino_t /*ino*/, const char* buf, size_t size, off_t off,
                      fuse_file_info* fi) {
  std::shared_ptr<FileHandle> h = handles_.File(fi->fh);
  if (!h) return EBADF;
  if ((h->flags & O_ACCMODE) == O_RDONLY) return EBADF;
  std::shared_ptr<StagedPrefix> prefix;
  {
    std::lock_guard<std::mutex> l(h->mu);
    if (!h->write_error.ok()) return ToErrno(h->write_error);
    if (!h->staging) {
      // First write to an existing object opened without O_TRUNC: copy it in lazily.
      std::optional<InodeTable::Node> n = inodes_.Get(h->ino);
      if (n && !n->detached) {
        if (Status s = Materialize(*h, n->path, UINT64_MAX); !s.ok()) return ToErrno(s);
      } else {
        auto created = NewStaging();
        if (!created) return ToErrno(created.error());
        h->staging = std::move(created).value();
      }
    }
    // The writer goes on with its next write (served by another worker) while this one copies
    // the bytes into the staging file, as a local file system's writeback does: the bytes stay
    // in this worker's buffer until then, and the handle's mutex, held throughout, keeps every
    // later request on the handle behind the copy. Should it fail (disk full, I/O error), the
    // error is the handle's from then on: the next write, read, flush, fsync or close returns
    // it and nothing is committed (like NFS or a FUSE writeback cache).
    fuse_reply_write(req, size);
    if (Status s = h->staging->WriteAt(static_cast<uint64_t>(off), {buf, size}); !s.ok()) {
      Log()->warn("fuse op=write ino={} status={} (reported at the next call)", h->ino,
                  s.ToString());
      h->write_error = s;
      return 0;
    }
    h->dirty = true;
    h->write_time_ns = NowNs();
    h->mtime_override_ns.reset();
    prefix = h->staging->prefix();
  }
  // This worker then hashes, beside the writer's next writes: the MD5s for the ETag cost the
  // commit nothing when the file is written in order.
  if (prefix) prefix->CatchUp(static_cast<uint64_t>(off), {buf, size});
  return 0;
}

int Filesystem::Flush(fuse_req_t req, fuse_file_info* fi) {
  std::shared_ptr<FileHandle> h = handles_.File(fi->fh);
  if (!h) return EBADF;
  std::lock_guard<std::mutex> l(h->mu);
  if (Status s = CommitLocked(*h); !s.ok()) {
    Log()->warn("fuse op=flush ino={} status={}", h->ino, s.ToString());
    return ToErrno(s);
  }
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::Fsync(fuse_req_t req, fuse_file_info* fi) {
  // Commit the staged data, then make every commit so far durable (the mount's commits do not
  // wait for the disk, as a local file system's writes do not before fsync).
  std::shared_ptr<FileHandle> h = handles_.File(fi->fh);
  if (!h) return EBADF;
  {
    std::lock_guard<std::mutex> l(h->mu);
    if (Status s = CommitLocked(*h); !s.ok()) return ToErrno(s);
  }
  if (Status s = engine_.Sync(); !s.ok()) return ToErrno(s);
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::FsyncDir(fuse_req_t req) {
  if (Status s = engine_.Sync(); !s.ok()) return ToErrno(s);
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::Release(fuse_req_t req, fuse_file_info* fi) {
  std::shared_ptr<FileHandle> h = handles_.RemoveFile(fi->fh);
  if (!h) return EBADF;
  Status s;
  {
    std::lock_guard<std::mutex> l(h->mu);
    s = CommitLocked(*h);
  }
  inodes_.Unpin(h->ino);
  if (!s.ok()) {
    Log()->warn("fuse op=release ino={} status={} (written data lost)", h->ino, s.ToString());
  }
  fuse_reply_err(req, ToErrno(s));
  return 0;
}

}  // namespace maxiofs::fuse
