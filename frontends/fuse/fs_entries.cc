// Lookup, attributes and the namespace operations that are not renames or links.
//
// Attributes are changed in place (Engine::UpdateObjectMetadata: no data copied, no new
// version). Every change of an inode moves its ctime; every change of a directory's entries
// moves the directory's mtime and ctime (TouchDir). Permission checks are the kernel's
// (default_permissions, see frontends/fuse/README.md): by the time an operation arrives here,
// the caller was allowed it by mode, owner and group.
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <thread>
#include <vector>

namespace maxiofs::fuse {
namespace {

constexpr size_t kIoChunk = 256 * 1024;
constexpr size_t kMaxSymlinkTarget = 4096;
constexpr int64_t kDayNs = int64_t{86400} * 1'000'000'000;

std::string StagingDirFor(const FuseOptions& o) {
  return o.data_dir.empty() ? std::string() : o.data_dir + "/tmp";
}

// Half the workers at most, so that writes and other requests always find free ones. The
// engine's lanes hash on one core at a time however many workers hash, and more streams at once
// share a lane pass (kMd5Lanes): more slots cost no extra core, only waiting workers.
int HashSlotsFor(const FuseOptions& o) { return static_cast<int>(std::max(o.max_threads, 2u) / 2); }

int64_t Ns(const struct timespec& ts) { return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec; }

std::shared_ptr<spdlog::logger> Log() {
  std::shared_ptr<spdlog::logger> l = spdlog::get("fuse");
  return l ? l : spdlog::default_logger();
}

std::vector<engine::MetadataChange> ToChanges(std::vector<std::pair<std::string, std::string>> e) {
  std::vector<engine::MetadataChange> out;
  out.reserve(e.size());
  for (auto& [k, v] : e) out.push_back({.name = std::move(k), .value = std::move(v)});
  return out;
}

}  // namespace

struct timespec ToTimespec(int64_t ns) {
  struct timespec ts {};
  ts.tv_sec = ns / 1'000'000'000;
  ts.tv_nsec = ns % 1'000'000'000;
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1'000'000'000;
    --ts.tv_sec;
  }
  return ts;
}

Filesystem::Filesystem(const FuseOptions& options, engine::Engine& engine,
                       engine::Principal principal)
    : options_(options),
      engine_(engine),
      access_(engine, std::move(principal)),
      staging_dir_(StagingDirFor(options)),
      hashing_{.slots = std::make_shared<HashSlots>(HashSlotsFor(options)),
               .part_size = options.parts_etag ? engine::kPartsEtagPartSize : UINT64_MAX,
               .max_size = options.parts_etag
                               ? engine::kPartsEtagPartSize * engine::kPartsEtagMaxParts
                               : UINT64_MAX,
               .new_md5 = [&engine] { return engine.NewContentMd5(); }},
      mount_time_ns_(NowNs()),
      notifier_(this, inodes_) {}

int Filesystem::KeyErrno(const std::string& path) {
  std::string_view key = SplitPath(path).key;
  if (engine::ValidateObjectKey(key).ok()) return 0;
  constexpr size_t kMaxKeyBytes = 1024;  // engine.h: keys are 1-1024 bytes
  return key.size() > kMaxKeyBytes ? ENAMETOOLONG : EINVAL;
}

PosixAttrs Filesystem::DefaultAttrs(bool is_dir) const {
  PosixAttrs a;
  a.mode = is_dir ? (S_IFDIR | (0777 & ~options_.umask)) : (S_IFREG | (0666 & ~options_.umask));
  a.uid = options_.uid;
  a.gid = options_.gid;
  a.mtime_ns = a.ctime_ns = a.atime_ns = mount_time_ns_;
  return a;
}

PosixAttrs Filesystem::NewAttrs(fuse_req_t req, mode_t mode, const NodeStat& parent) const {
  const fuse_ctx* ctx = fuse_req_ctx(req);
  PosixAttrs a;
  a.mode = mode;
  a.uid = ctx ? ctx->uid : options_.uid;
  a.gid = ctx ? ctx->gid : options_.gid;
  if (parent.st.st_mode & S_ISGID) {
    // As Linux: a set-group-ID directory gives new nodes its group, and new directories the
    // set-group-ID bit too.
    a.gid = parent.st.st_gid;
    if (S_ISDIR(mode)) a.mode |= S_ISGID;
  }
  a.mtime_ns = a.ctime_ns = a.atime_ns = NowNs();
  return a;
}

PosixAttrs Filesystem::AttrsOf(const struct stat& st) {
  PosixAttrs a;
  a.mode = st.st_mode;
  a.uid = st.st_uid;
  a.gid = st.st_gid;
  a.rdev = st.st_rdev;
  a.mtime_ns = Ns(st.st_mtim);
  a.ctime_ns = Ns(st.st_ctim);
  a.atime_ns = Ns(st.st_atim);
  return a;
}

std::string Filesystem::IdentityOf(const std::string& path, const NodeStat& stat) {
  if (stat.link_id.empty()) return {};
  std::string id(SplitPath(path).bucket);
  id.push_back('\0');
  id.append(stat.link_id);
  return id;
}

int Filesystem::StatPath(const std::string& path, fuse_ino_t ino, NodeStat* out,
                         const engine::ObjectInfo* known) {
  if (IsVersionsPath(path)) return VersionsStat(path, out, known);
  const bool is_dir = IsDirPath(path);
  PosixAttrs a = DefaultAttrs(is_dir);
  uint64_t size = 0;
  uint32_t nlink = is_dir ? 2 : 1;
  NodePath np = SplitPath(path);
  if (path.empty()) {
    // The root: defaults only.
  } else if (np.key.empty()) {
    Result<engine::BucketInfo> b = engine_.HeadBucket(np.bucket);
    if (!b) return ToErrno(b.error());
    a.mtime_ns = a.ctime_ns = a.atime_ns = b->created_ns;
    Result<UserMeta> meta = engine_.GetBucketMetadata(np.bucket);
    if (!meta) return ToErrno(meta.error());
    ApplyUserMeta(*meta, /*is_file=*/false, &a);
    out->has_object = true;
    out->user = std::move(meta).value();
  } else {
    // A listing's object is used in place: readdirplus stats every entry of a page.
    std::optional<Result<engine::ObjectInfo>> head;
    const engine::ObjectInfo* info = known;
    if (info == nullptr) {
      head.emplace(
          engine_.HeadObject({.bucket = std::string(np.bucket), .key = std::string(np.key)}));
      if (head->has_value()) info = &head->value();
    }
    if (info != nullptr) {
      out->has_object = true;
      out->etag = info->etag;
      out->user = info->meta.user;
      out->link_id = info->link_id;
      a.mtime_ns = a.ctime_ns = a.atime_ns = info->last_modified_ns;
      ApplyUserMeta(info->meta.user, /*is_file=*/!is_dir, &a);
      if (!is_dir) {
        size = info->size;
        nlink = std::max<uint32_t>(info->link_count, 1);
      }
    } else if (!head->error().IsNoSuchKey() || !is_dir) {
      return ToErrno(head->error());
    } else {
      // An implicit directory: it exists while some key is under its prefix.
      Result<engine::ListObjectsResult> l = engine_.ListObjects(
          {.bucket = std::string(np.bucket), .prefix = std::string(np.key), .max_keys = 1});
      if (!l) return ToErrno(l.error());
      if (l->objects.empty() && l->common_prefixes.empty()) return ENOENT;
    }
  }
  if (ino != 0 && !is_dir) {
    for (const std::shared_ptr<FileHandle>& h : handles_.FilesOf(ino)) {
      std::lock_guard<std::mutex> l(h->mu);
      if (!h->staging) continue;
      size = h->staging->size();
      if (h->mtime_override_ns) {
        a.mtime_ns = *h->mtime_override_ns;
      } else if (h->dirty) {
        a.mtime_ns = a.ctime_ns = std::max(a.ctime_ns, h->write_time_ns);
      }
    }
  }
  struct stat& st = out->st;
  st = {};
  st.st_mode = a.mode;
  st.st_nlink = nlink;
  st.st_uid = a.uid;
  st.st_gid = a.gid;
  if (S_ISCHR(a.mode) || S_ISBLK(a.mode)) st.st_rdev = a.rdev;
  st.st_size = static_cast<off_t>(size);
  st.st_blksize = 4096;
  st.st_blocks = static_cast<blkcnt_t>((size + 511) / 512);
  st.st_mtim = ToTimespec(a.mtime_ns);
  st.st_ctim = ToTimespec(a.ctime_ns);
  st.st_atim = ToTimespec(a.atime_ns);
  return 0;
}

int Filesystem::DirPathOf(fuse_ino_t ino, std::string* path) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  if (!IsDirPath(n->path)) return ENOTDIR;
  *path = std::move(n->path);
  return 0;
}

int Filesystem::ResolveChild(const std::string& dir_path, std::string_view name, std::string* child,
                             NodeStat* stat) {
  if (name.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(name)) return ENOENT;
  if (dir_path.empty()) {
    *child = ChildPath(dir_path, name, true);
    return StatPath(*child, 0, stat);
  }
  if (IsVersionsPath(dir_path)) return VersionsResolve(dir_path, name, child, stat);
  if (name == kVersionsDirName && SplitPath(dir_path).key.empty() &&
      VersionsOn(SplitPath(dir_path).bucket)) {
    *child = "@" + dir_path;
    return StatPath(*child, 0, stat);
  }
  std::string file = ChildPath(dir_path, name, false);
  if (int err = KeyErrno(ChildPath(dir_path, name, true)); err != 0) {
    return err == ENAMETOOLONG ? err : ENOENT;  // such a key cannot exist
  }
  int err = StatPath(file, inodes_.Find(file).value_or(0), stat);
  if (err == 0) {
    *child = std::move(file);
    return 0;
  }
  if (err != ENOENT) return err;
  std::string dir = ChildPath(dir_path, name, true);
  err = StatPath(dir, 0, stat);
  if (err == 0) *child = std::move(dir);
  return err;
}

void Filesystem::FillEntry(fuse_ino_t ino, const struct stat& st, fuse_entry_param* e) const {
  *e = {};
  e->ino = ino;
  e->generation = 1;
  e->attr = st;
  e->attr.st_ino = ino;
  e->attr_timeout = options_.attr_timeout_s;
  e->entry_timeout = options_.entry_timeout_s;
}

int Filesystem::ReplyEntry(fuse_req_t req, const std::string& path, NodeStat* stat) {
  NodeStat local;
  if (stat == nullptr) {
    stat = &local;
    if (int err = StatPath(path, inodes_.Find(path).value_or(0), stat); err != 0) return err;
  }
  fuse_ino_t ino = inodes_.Ref(path, IdentityOf(path, *stat));
  fuse_entry_param e;
  FillEntry(ino, stat->st, &e);
  // The kernel only holds the reference if the reply reached it.
  if (fuse_reply_entry(req, &e) != 0) inodes_.Forget(ino, 1);
  return 0;
}

int Filesystem::Lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  // Looking up a bucket is S3's HeadBucket (s3:ListBucket on it); a name in a directory needs
  // the right to list that directory.
  if (int err = dir.empty()           ? access_.CheckList(ChildPath(dir, name, true))
                : IsVersionsPath(dir) ? access_.CheckListVersions(dir.substr(1))
                                      : access_.CheckList(dir);
      err != 0) {
    return err;
  }
  std::string child;
  NodeStat stat;
  int err = ResolveChild(dir, name, &child, &stat);
  if (err == ENOENT) {
    // A negative entry, cached for entry_timeout; create and the notifier invalidate it.
    fuse_entry_param e{};
    e.ino = 0;
    e.entry_timeout = options_.entry_timeout_s;
    fuse_reply_entry(req, &e);
    return 0;
  }
  if (err != 0) return err;
  return ReplyEntry(req, child, &stat);
}

void Filesystem::Forget(fuse_ino_t ino, uint64_t nlookup) { inodes_.Forget(ino, nlookup); }

int Filesystem::GetAttr(fuse_req_t req, fuse_ino_t ino, fuse_file_info* /*fi*/) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n) return ENOENT;
  NodeStat stat;
  if (n->detached) {
    // Unlinked but still open: answer from the open handles.
    std::vector<std::shared_ptr<FileHandle>> hs = handles_.FilesOf(ino);
    if (hs.empty()) return ENOENT;
    PosixAttrs a = DefaultAttrs(false);
    uint64_t size = 0;
    {
      std::lock_guard<std::mutex> l(hs.front()->mu);
      ApplyUserMeta(hs.front()->base_meta, true, &a);
      size = hs.front()->staging ? hs.front()->staging->size() : hs.front()->object_size;
    }
    stat.st.st_mode = a.mode;
    stat.st.st_nlink = 0;
    stat.st.st_uid = a.uid;
    stat.st.st_gid = a.gid;
    stat.st.st_size = static_cast<off_t>(size);
    stat.st.st_blocks = static_cast<blkcnt_t>((size + 511) / 512);
    stat.st.st_mtim = ToTimespec(a.mtime_ns);
    stat.st.st_ctim = ToTimespec(a.ctime_ns);
    stat.st.st_atim = ToTimespec(a.atime_ns);
  } else if (int err = StatPath(n->path, ino, &stat); err != 0) {
    return err;
  }
  stat.st.st_ino = ino;
  fuse_reply_attr(req, &stat.st, options_.attr_timeout_s);
  return 0;
}

Status Filesystem::UpdateMeta(const std::string& path, std::vector<engine::MetadataChange> changes,
                              const PosixAttrs* marker_attrs) {
  NodePath np = SplitPath(path);
  if (path.empty()) return Status::OK();  // the root keeps no metadata
  const std::string bucket(np.bucket), key(np.key);
  if (key.empty()) {
    return engine_.UpdateBucketMetadata(
        {.bucket = bucket, .changes = std::move(changes), .durable = false});
  }
  engine::UpdateObjectMetadataRequest req{.bucket = bucket, .key = key};
  req.changes = std::move(changes);
  req.all_links = true;  // one file, whatever name it was changed through
  req.durable = false;   // like every change through the mount: durable at fsync
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<engine::ObjectInfo> done = engine_.UpdateObjectMetadata(req);
    if (done || !done.error().IsNoSuchKey() || !IsDirPath(path) || marker_attrs == nullptr) {
      return done.status();
    }
    // An implicit directory gets a marker to hold its attributes (someone else may make it
    // first: then theirs is changed).
    engine::ObjectMeta meta;
    StoreAttrs(*marker_attrs, &meta.user);
    MAXIOFS_ASSIGN_OR_RETURN(auto w, BeginPutFor(path, std::move(meta), true, 0));
    Result<engine::ObjectInfo> made = w->Commit();
    if (!made && made.error().code() != Status::Code::kPreconditionFailed) return made.status();
  }
  return Status::Busy("a directory marker kept disappearing");
}

Status Filesystem::SetAttrs(const std::string& path, const PosixAttrs& attrs, unsigned fields,
                            const PosixAttrs* marker_attrs) {
  return UpdateMeta(path, ToChanges(AttrEntries(attrs, fields)), marker_attrs);
}

void Filesystem::TouchDir(const std::string& dir_path) {
  if (dir_path.empty() || IsVersionsPath(dir_path)) return;
  PosixAttrs a;
  a.mtime_ns = a.ctime_ns = NowNs();
  Status s = SetAttrs(dir_path, a, kAttrMtime | kAttrCtime, nullptr);
  if (!s.ok() && !s.IsNoSuchKey()) {
    Log()->debug("fuse op=touch-dir path={} status={}", dir_path, s.ToString());
  }
}

void Filesystem::TouchCtime(const std::string& path) {
  PosixAttrs a;
  a.ctime_ns = NowNs();
  Status s = SetAttrs(path, a, kAttrCtime, nullptr);
  if (!s.ok() && !s.IsNoSuchKey()) {
    Log()->debug("fuse op=touch-ctime path={} status={}", path, s.ToString());
  }
}

void Filesystem::MaybeTouchAtime(const std::string& path, const UserMeta& user) {
  if (options_.atime != AtimeMode::kRelatime || IsVersionsPath(path)) return;
  PosixAttrs a = DefaultAttrs(false);
  ApplyUserMeta(user, true, &a);
  const int64_t now = NowNs();
  // Linux's relatime: only when atime is not after mtime or ctime, or is a day old.
  if (a.atime_ns > a.mtime_ns && a.atime_ns > a.ctime_ns && now - a.atime_ns < kDayNs) return;
  a.atime_ns = now;
  Status s = SetAttrs(path, a, kAttrAtime, nullptr);
  if (!s.ok()) Log()->debug("fuse op=atime path={} status={}", path, s.ToString());
}

Status Filesystem::TruncateObject(const std::string& path, uint64_t size) {
  NodePath np = SplitPath(path);
  const std::string bucket(np.bucket), key(np.key);
  MAXIOFS_ASSIGN_OR_RETURN(engine::ObjectInfo info,
                           engine_.HeadObject({.bucket = bucket, .key = key}));
  if (info.size == size) return Status::OK();
  engine::ObjectMeta meta = info.meta;
  const int64_t now = NowNs();
  SetUserMeta(&meta.user, "mtime", FormatMtime(now));
  SetUserMeta(&meta.user, "ctime", FormatMtime(now));
  MAXIOFS_ASSIGN_OR_RETURN(auto w, BeginPutFor(path, std::move(meta), false, size));
  uint64_t keep = std::min(info.size, size);
  std::vector<char> buf(kIoChunk);
  if (keep > 0) {
    engine::GetObjectRequest g{.bucket = bucket, .key = key};
    g.range =
        engine::RangeSpec{.kind = engine::RangeSpec::Kind::kFromTo, .first = 0, .last = keep - 1};
    g.preconditions.if_match.push_back(info.etag);
    MAXIOFS_ASSIGN_OR_RETURN(auto r, engine_.GetObject(g));
    uint64_t copied = 0;
    while (copied < keep) {
      MAXIOFS_ASSIGN_OR_RETURN(size_t n, r->Read(buf));
      if (n == 0) return Status::IOError("object shorter than its size while truncating");
      n = static_cast<size_t>(std::min<uint64_t>(n, keep - copied));
      MAXIOFS_RETURN_IF_ERROR(w->Append({buf.data(), n}));
      copied += n;
    }
  }
  std::fill(buf.begin(), buf.end(), 0);
  for (uint64_t left = size - keep; left > 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
    MAXIOFS_RETURN_IF_ERROR(w->Append({buf.data(), n}));
    left -= n;
  }
  return w->Commit().status();
}

int Filesystem::SetAttr(fuse_req_t req, fuse_ino_t ino, struct stat* attr, int to_set,
                        fuse_file_info* fi) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n) return ENOENT;
  if (IsVersionsPath(n->path)) return EROFS;
  if (int err = access_.Check("s3:PutObject", n->path); err != 0) return err;
  std::shared_ptr<FileHandle> handle = fi ? handles_.File(fi->fh) : nullptr;
  const bool is_dir = IsDirPath(n->path);
  if (to_set & FUSE_SET_ATTR_SIZE) {
    if (is_dir) return EISDIR;
    uint64_t size = static_cast<uint64_t>(attr->st_size);
    if (handle && (handle->flags & O_ACCMODE) != O_RDONLY) {
      std::lock_guard<std::mutex> l(handle->mu);
      if (!handle->write_error.ok()) return ToErrno(handle->write_error);
      if (!handle->staging) {
        if (Status s = Materialize(*handle, n->path, size); !s.ok()) return ToErrno(s);
      }
      if (Status s = handle->staging->Truncate(size); !s.ok()) return ToErrno(s);
      handle->dirty = true;
      handle->write_time_ns = NowNs();
      handle->mtime_override_ns.reset();
    } else {
      if (n->detached) return ENOENT;
      if (Status s = TruncateObject(n->path, size); !s.ok()) return ToErrno(s);
      // Keep other open writers' staged copies the same length.
      for (const std::shared_ptr<FileHandle>& h : handles_.FilesOf(ino)) {
        std::lock_guard<std::mutex> l(h->mu);
        if (h->staging) h->staging->Truncate(size).IgnoreError();  // best effort
      }
    }
  }
  constexpr int kMetaBits = FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID |
                            FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_ATIME |
                            FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_CTIME;
  if ((to_set & kMetaBits) && !n->detached) {
    NodeStat cur;
    if (int err = StatPath(n->path, ino, &cur); err != 0) return err;
    const PosixAttrs before = AttrsOf(cur.st);
    PosixAttrs a = before;
    const int64_t now = NowNs();
    unsigned fields = kAttrCtime;  // any change of an inode moves its ctime
    a.ctime_ns = (to_set & FUSE_SET_ATTR_CTIME) ? Ns(attr->st_ctim) : now;
    if (to_set & FUSE_SET_ATTR_MODE) {
      a.mode = (a.mode & S_IFMT) | (attr->st_mode & 07777);
      fields |= kAttrMode;
    }
    if (to_set & FUSE_SET_ATTR_UID) {
      a.uid = attr->st_uid;
      fields |= kAttrUid;
    }
    if (to_set & FUSE_SET_ATTR_GID) {
      a.gid = attr->st_gid;
      fields |= kAttrGid;
    }
    std::optional<int64_t> mtime;
    if (to_set & FUSE_SET_ATTR_MTIME_NOW) {
      mtime = now;
    } else if (to_set & FUSE_SET_ATTR_MTIME) {
      mtime = Ns(attr->st_mtim);
    }
    if (mtime) {
      a.mtime_ns = *mtime;
      fields |= kAttrMtime;
    }
    if (to_set & FUSE_SET_ATTR_ATIME_NOW) {
      a.atime_ns = now;
      fields |= kAttrAtime;
    } else if (to_set & FUSE_SET_ATTR_ATIME) {
      a.atime_ns = Ns(attr->st_atim);
      fields |= kAttrAtime;
    }
    if (Status s = SetAttrs(n->path, a, fields, &before); !s.ok()) return ToErrno(s);
    if (mtime) {
      for (const std::shared_ptr<FileHandle>& h : handles_.FilesOf(ino)) {
        std::lock_guard<std::mutex> l(h->mu);
        if (h->staging) h->mtime_override_ns = *mtime;
      }
    }
  }
  return GetAttr(req, ino, fi);
}

int Filesystem::Mkdir(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode) {
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  if (IsVersionsPath(dir)) return EROFS;
  std::string_view nm(name);
  if (nm.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(nm)) return EINVAL;
  std::string child = ChildPath(dir, nm, true);
  if (int err = access_.Check(dir.empty() ? "s3:CreateBucket" : "s3:PutObject", child); err != 0) {
    return err;
  }
  NodeStat parent_stat;
  if (int err = StatPath(dir, parent, &parent_stat); err != 0) return err;
  const PosixAttrs attrs = NewAttrs(req, S_IFDIR | (mode & 07777), parent_stat);
  if (dir.empty()) {
    Status s = engine_.CreateBucket({.bucket = std::string(nm)});
    if (!s.ok()) return ToErrno(s);
    // The bucket directory's owner and mode, kept with the bucket.
    UserMeta user;
    StoreAttrs(attrs, &user);
    if (Status u = UpdateMeta(child, ToChanges(std::move(user)), nullptr); !u.ok()) {
      Log()->warn("fuse op=mkdir bucket={} attrs not kept: {}", nm, u.ToString());
    }
    return ReplyEntry(req, child);
  }
  if (int err = KeyErrno(child); err != 0) return err;
  NodeStat existing;
  std::string found;
  if (int err = ResolveChild(dir, nm, &found, &existing); err != ENOENT) {
    return err == 0 ? EEXIST : err;
  }
  engine::ObjectMeta meta;
  StoreAttrs(attrs, &meta.user);
  Result<std::unique_ptr<engine::ObjectWriter>> w = BeginPutFor(child, std::move(meta), true, 0);
  if (!w) return ToErrno(w.error());
  if (Status s = (*w)->Commit().status(); !s.ok()) return ToErrno(s);
  TouchDir(dir);
  return ReplyEntry(req, child);
}

bool Filesystem::DirHasChildren(std::string_view bucket, const std::string& prefix,
                                Status* status) {
  Result<engine::ListObjectsResult> l = engine_.ListObjects(
      {.bucket = std::string(bucket), .prefix = prefix, .delimiter = "/", .max_keys = 2});
  if (!l) {
    *status = l.error();
    return false;
  }
  if (!l->common_prefixes.empty()) return true;
  for (const engine::ObjectInfo& o : l->objects) {
    if (o.key != prefix) return true;
  }
  return false;
}

int Filesystem::Rmdir(fuse_req_t req, fuse_ino_t parent, const char* name) {
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  if (IsVersionsPath(dir)) return EROFS;
  std::string child = ChildPath(dir, name, true);
  if (int err = access_.Check(dir.empty() ? "s3:DeleteBucket" : "s3:DeleteObject", child);
      err != 0) {
    return err;
  }
  if (dir.empty()) {
    if (Status s = engine_.DeleteBucket(name); !s.ok()) return ToErrno(s);
  } else {
    if (std::string_view(name) == kVersionsDirName && SplitPath(dir).key.empty() &&
        VersionsOn(SplitPath(dir).bucket)) {
      return EROFS;
    }
    NodePath np = SplitPath(child);
    Status st;
    if (DirHasChildren(np.bucket, std::string(np.key), &st)) return ENOTEMPTY;
    if (!st.ok()) return ToErrno(st);
    Result<engine::DeleteObjectResult> d = engine_.DeleteObject({.bucket = std::string(np.bucket),
                                                                 .key = std::string(np.key),
                                                                 .protect_locked = true,
                                                                 .durable = false});
    if (!d) return ToErrno(d.error());
    if (!d->existed) return ENOENT;
    TouchDir(dir);
  }
  inodes_.Detach(child);
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::Unlink(fuse_req_t req, fuse_ino_t parent, const char* name) {
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  if (IsVersionsPath(dir)) return EROFS;
  if (dir.empty()) return EISDIR;  // everything at the root is a bucket
  std::string child = ChildPath(dir, name, false);
  if (int err = access_.Check("s3:DeleteObject", child); err != 0) return err;
  NodePath np = SplitPath(child);
  std::optional<fuse_ino_t> ino = inodes_.Find(child);
  // Before the engine drops the name: an inode with other names is not unlinked, so open
  // handles keep reading the object through them.
  if (!ino || inodes_.PathsOf(*ino).size() <= 1) PreserveOpenHandles(child);
  // Object lock: with protect_locked the engine refuses (ObjectLocked -> EPERM) instead of
  // hiding a locked file behind a delete marker.
  Result<engine::DeleteObjectResult> d = engine_.DeleteObject({.bucket = std::string(np.bucket),
                                                               .key = std::string(np.key),
                                                               .protect_locked = true,
                                                               .durable = false});
  if (!d) return ToErrno(d.error());
  if (!d->existed) return ENOENT;
  inodes_.Detach(child);
  TouchDir(dir);
  // A hard-linked file lost a name: its link count, hence its ctime, changed.
  if (ino) {
    std::vector<std::string> others = inodes_.PathsOf(*ino);
    if (!others.empty()) TouchCtime(others.front());
  }
  fuse_reply_err(req, 0);
  return 0;
}

int Filesystem::Symlink(fuse_req_t req, const char* link, fuse_ino_t parent, const char* name) {
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  if (IsVersionsPath(dir)) return EROFS;
  if (dir.empty()) return EPERM;
  std::string_view nm(name), target(link);
  if (nm.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(nm)) return EINVAL;
  if (target.size() >= kMaxSymlinkTarget) return ENAMETOOLONG;
  std::string child = ChildPath(dir, nm, false);
  if (int err = KeyErrno(child); err != 0) return err;
  if (int err = access_.Check("s3:PutObject", child); err != 0) return err;
  NodeStat parent_stat;
  if (int err = StatPath(dir, parent, &parent_stat); err != 0) return err;
  engine::ObjectMeta meta;
  StoreAttrs(NewAttrs(req, S_IFLNK | 0777, parent_stat), &meta.user);
  auto w = BeginPutFor(child, std::move(meta), true, target.size());
  if (!w) return ToErrno(w.error());
  if (Status s = (*w)->Append(target); !s.ok()) return ToErrno(s);
  if (Status s = (*w)->Commit().status(); !s.ok()) return ToErrno(s);
  TouchDir(dir);
  return ReplyEntry(req, child);
}

int Filesystem::Readlink(fuse_req_t req, fuse_ino_t ino) {
  std::optional<InodeTable::Node> n = inodes_.Get(ino);
  if (!n || n->detached) return ENOENT;
  if (IsDirPath(n->path)) return EINVAL;
  engine::GetObjectRequest g;
  if (IsVersionsPath(n->path)) {
    if (!ParseVersionFile(n->path, &g.bucket, &g.key, &g.version_id)) return EINVAL;
    if (int err = access_.Check("s3:GetObjectVersion", n->path.substr(1)); err != 0) return err;
  } else {
    if (int err = access_.Check("s3:GetObject", n->path); err != 0) return err;
    NodePath np = SplitPath(n->path);
    g.bucket = std::string(np.bucket);
    g.key = std::string(np.key);
  }
  auto r = engine_.GetObject(g);
  if (!r) return ToErrno(r.error());
  PosixAttrs a = DefaultAttrs(false);
  ApplyUserMeta((*r)->info().meta.user, true, &a);
  if (!S_ISLNK(a.mode)) return EINVAL;
  if ((*r)->length() >= kMaxSymlinkTarget) return ENAMETOOLONG;
  std::string target((*r)->length(), '\0');
  size_t got = 0;
  while (got < target.size()) {
    Result<size_t> k = (*r)->Read({target.data() + got, target.size() - got});
    if (!k) return ToErrno(k.error());
    if (*k == 0) break;
    got += *k;
  }
  target.resize(got);
  fuse_reply_readlink(req, target.c_str());
  return 0;
}

int Filesystem::Mknod(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode,
                      dev_t rdev) {
  // Regular files, and special files as zero-length objects whose type (and device number)
  // live in their metadata, as s3fs keeps them.
  const mode_t type = mode & S_IFMT;
  if (!S_ISREG(type) && !S_ISFIFO(type) && !S_ISCHR(type) && !S_ISBLK(type) && !S_ISSOCK(type)) {
    return EINVAL;
  }
  std::string dir;
  if (int err = DirPathOf(parent, &dir); err != 0) return err;
  if (IsVersionsPath(dir)) return EROFS;
  if (dir.empty()) return EPERM;
  std::string_view nm(name);
  if (nm.size() > 255) return ENAMETOOLONG;
  if (!IsValidName(nm)) return EINVAL;
  std::string child = ChildPath(dir, nm, false);
  if (int err = KeyErrno(child); err != 0) return err;
  if (int err = access_.Check("s3:PutObject", child); err != 0) return err;
  NodeStat existing;
  std::string found;
  if (int err = ResolveChild(dir, nm, &found, &existing); err != ENOENT) {
    return err == 0 ? EEXIST : err;
  }
  NodeStat parent_stat;
  if (int err = StatPath(dir, parent, &parent_stat); err != 0) return err;
  PosixAttrs attrs = NewAttrs(req, type | (mode & 07777), parent_stat);
  if (S_ISCHR(type) || S_ISBLK(type)) attrs.rdev = rdev;
  engine::ObjectMeta meta;
  StoreAttrs(attrs, &meta.user);
  auto w = BeginPutFor(child, std::move(meta), true, 0);
  if (!w) return ToErrno(w.error());
  if (Status s = (*w)->Commit().status(); !s.ok()) return ToErrno(s);
  TouchDir(dir);
  return ReplyEntry(req, child);
}

}  // namespace maxiofs::fuse
