// The versions view: "<bucket>/.versions/<path>/" lists the versions of the file at <path>,
// named by time and version id (VersionName), readable like files; the directories of the view
// mirror the bucket's keys and prefixes, deleted files included (their older versions stay
// readable). Read-only: every change answers EROFS. It exists in versioned buckets (enabled or
// suspended) when FuseOptions::versions is not kOff, and is listed in the bucket directory only
// with kVisible. Delete markers are not shown. Versions under retention or legal hold say so in
// extended attributes (user.maxiofs.retention, user.maxiofs.legal-hold), next to
// user.maxiofs.version-id and user.maxiofs.etag and the version's own user metadata.
//
// Costs: a version file is one HeadObject by version id; a directory page is one engine page of
// ListObjectVersions (delimiter "/"), one entry per key whatever its number of versions.
// VersionsStat of a directory with `known` set (any ObjectInfo) trusts that it exists.
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <fcntl.h>

#include <cerrno>
#include <ctime>

namespace maxiofs::fuse {
namespace {

std::string IsoTime(int64_t ns) {
  std::time_t t = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// "@b/dir/file/" -> bucket "b", key-or-prefix "dir/file" (without the trailing '/').
void SplitVersionsDir(const std::string& dir, std::string* bucket, std::string* base) {
  NodePath np = SplitPath(std::string_view(dir).substr(1));
  *bucket = std::string(np.bucket);
  std::string_view k = np.key;
  if (!k.empty() && k.back() == '/') k.remove_suffix(1);
  *base = std::string(k);
}

}  // namespace

bool Filesystem::VersionsOn(std::string_view bucket) {
  if (options_.versions == VersionsView::kOff) return false;
  Result<engine::BucketInfo> b = engine_.HeadBucket(bucket);
  return b && b->versioning != engine::VersioningState::kUnversioned;
}

bool Filesystem::ParseVersionFile(const std::string& path, std::string* bucket, std::string* key,
                                  std::string* version_id) {
  if (!IsVersionsPath(path) || IsDirPath(path)) return false;
  auto [dir, name] = ParentAndName(path);
  std::string base;
  SplitVersionsDir(std::string(dir), bucket, &base);
  *version_id = VersionIdOfName(name);
  if (base.empty() || version_id->empty()) return false;
  *key = std::move(base);
  return true;
}

int Filesystem::VersionsStat(const std::string& path, NodeStat* out,
                             const engine::ObjectInfo* known) {
  PosixAttrs a = DefaultAttrs(IsDirPath(path));
  if (IsDirPath(path)) {
    std::string bucket, base;
    SplitVersionsDir(path, &bucket, &base);
    if (!VersionsOn(bucket)) return ENOENT;
    if (!base.empty() && known == nullptr) {
      // A directory of the view exists while the key has versions or keys lie under it (a
      // directory a listing just returned comes with `known` set).
      Result<engine::ListVersionsResult> own =
          engine_.ListObjectVersions({.bucket = bucket, .prefix = base, .max_keys = 1});
      if (!own) return ToErrno(own.error());
      bool found = !own->versions.empty() && own->versions[0].key == base;
      if (!found) {
        Result<engine::ListVersionsResult> under =
            engine_.ListObjectVersions({.bucket = bucket, .prefix = base + "/", .max_keys = 1});
        if (!under) return ToErrno(under.error());
        found = !under->versions.empty() || !under->common_prefixes.empty();
      }
      if (!found) return ENOENT;
    }
    a.mode = S_IFDIR | 0555;
    out->st = {};
    out->st.st_nlink = 2;
  } else {
    engine::HeadObjectRequest h;
    if (!ParseVersionFile(path, &h.bucket, &h.key, &h.version_id)) return ENOENT;
    Result<engine::ObjectInfo> info =
        known ? Result<engine::ObjectInfo>(*known) : engine_.HeadObject(h);
    if (!info) {
      const Status::Code c = info.error().code();
      return c == Status::Code::kMethodNotAllowed || c == Status::Code::kInvalidArgument
                 ? ENOENT
                 : ToErrno(info.error());
    }
    if (info->delete_marker) return ENOENT;
    a.mtime_ns = a.ctime_ns = a.atime_ns = info->last_modified_ns;
    ApplyUserMeta(info->meta.user, /*is_file=*/true, &a);
    a.mode &= ~static_cast<mode_t>(0222 | S_ISUID | S_ISGID);  // read-only, never set-ID
    out->has_object = true;
    out->etag = info->etag;
    out->user = info->meta.user;
    out->version_id = info->version_id;
    out->st = {};
    out->st.st_nlink = 1;
    out->st.st_size = static_cast<off_t>(info->size);
    out->st.st_blocks = static_cast<blkcnt_t>((info->size + 511) / 512);
  }
  struct stat& st = out->st;
  st.st_mode = a.mode;
  st.st_uid = a.uid;
  st.st_gid = a.gid;
  st.st_blksize = 4096;
  st.st_mtim = ToTimespec(a.mtime_ns);
  st.st_ctim = ToTimespec(a.ctime_ns);
  st.st_atim = ToTimespec(a.atime_ns);
  return 0;
}

int Filesystem::VersionsResolve(const std::string& dir, std::string_view name, std::string* child,
                                NodeStat* stat) {
  if (!VersionIdOfName(name).empty()) {
    std::string file = ChildPath(dir, name, false);
    int err = VersionsStat(file, stat, nullptr);
    if (err == 0) {
      *child = std::move(file);
      return 0;
    }
    if (err != ENOENT) return err;
  }
  std::string sub = ChildPath(dir, name, true);
  if (int err = KeyErrno(sub.substr(1)); err != 0) return err == ENAMETOOLONG ? err : ENOENT;
  int err = VersionsStat(sub, stat, nullptr);
  if (err == 0) *child = std::move(sub);
  return err;
}

Status Filesystem::FillVersionsPage(DirHandle& d) {
  std::string bucket, base;
  SplitVersionsDir(d.path, &bucket, &base);
  if (base.empty()) d.versions_phase = std::max(d.versions_phase, 1);
  d.eof = false;
  if (d.versions_phase == 0) {
    // The versions of the key this directory is named after, newest first.
    engine::ListVersionsRequest r{.bucket = bucket, .prefix = base};
    r.with_user_meta = true;
    if (!d.key_marker.empty()) {
      r.key_marker = d.key_marker;
      r.version_id_marker = d.version_marker;
    }
    MAXIOFS_ASSIGN_OR_RETURN(engine::ListVersionsResult l, engine_.ListObjectVersions(r));
    bool done = !l.truncated;
    for (engine::ObjectInfo& v : l.versions) {
      if (v.key != base) {
        done = true;
        break;
      }
      d.key_marker = v.key;
      d.version_marker = v.version_id;
      if (v.delete_marker) continue;
      std::string name = VersionName(v.last_modified_ns, v.version_id);
      d.page.push_back({std::move(name), false, true, std::move(v)});
    }
    if (done) {
      d.versions_phase = 1;
      d.key_marker.clear();
      d.version_marker.clear();
    }
    return Status::OK();
  }
  // The keys and prefixes under it, one directory each.
  const std::string prefix = base.empty() ? std::string() : base + "/";
  engine::ListVersionsRequest r{.bucket = bucket, .prefix = prefix, .delimiter = "/"};
  r.key_marker = d.key_marker;
  r.version_id_marker = d.key_marker.empty() ? std::string() : d.version_marker;
  MAXIOFS_ASSIGN_OR_RETURN(engine::ListVersionsResult l, engine_.ListObjectVersions(r));
  auto add = [&](std::string_view name) {
    if (!IsValidName(name) || d.seen.contains(std::string(name))) return;
    d.seen.insert(std::string(name));
    d.page.push_back({std::string(name), true, true, std::nullopt});
  };
  size_t i = 0, j = 0;
  while (i < l.versions.size() || j < l.common_prefixes.size()) {
    bool take_version = j == l.common_prefixes.size() ||
                        (i < l.versions.size() && l.versions[i].key < l.common_prefixes[j]);
    if (take_version) {
      add(std::string_view(l.versions[i++].key).substr(prefix.size()));
    } else {
      std::string_view cp = l.common_prefixes[j++];
      cp.remove_prefix(prefix.size());
      cp.remove_suffix(1);
      add(cp);
    }
  }
  d.eof = !l.truncated;
  d.key_marker = l.next_key_marker;
  d.version_marker = l.next_version_id_marker;
  return Status::OK();
}

int Filesystem::VersionsOpen(fuse_ino_t ino, const std::string& path, fuse_file_info* fi) {
  engine::GetObjectRequest g;
  if (!ParseVersionFile(path, &g.bucket, &g.key, &g.version_id)) return EISDIR;
  if (int err = access_.Check("s3:GetObjectVersion", path.substr(1)); err != 0) return err;
  auto r = engine_.GetObject(g);
  if (!r) return ToErrno(r.error());
  auto h = std::make_shared<FileHandle>(ino, fi->flags);
  h->object_size = (*r)->info().size;
  h->base_meta = (*r)->info().meta.user;
  h->version_id = g.version_id;
  h->reader = std::move(r).value();
  fi->keep_cache = 1;  // a version never changes
  fi->fh = handles_.AddFile(std::move(h));
  inodes_.Pin(ino);
  return 0;
}

int Filesystem::VersionsXattrs(const std::string& path, UserMeta* out) {
  out->clear();
  engine::HeadObjectRequest h;
  if (!ParseVersionFile(path, &h.bucket, &h.key, &h.version_id)) return 0;  // a directory
  Result<engine::ObjectInfo> info = engine_.HeadObject(h);
  if (!info) return ToErrno(info.error());
  for (const auto& [k, v] : info->meta.user) {
    if (!IsPosixMetaName(k)) SetUserMeta(out, k, v);
  }
  SetUserMeta(out, "maxiofs.version-id", info->version_id);
  SetUserMeta(out, "maxiofs.etag", info->etag);
  if (info->retention.mode != engine::LockMode::kNone) {
    const char* mode =
        info->retention.mode == engine::LockMode::kCompliance ? "COMPLIANCE" : "GOVERNANCE";
    SetUserMeta(out, "maxiofs.retention",
                std::string(mode) + " until " + IsoTime(info->retention.retain_until_ns));
  }
  if (info->legal_hold) SetUserMeta(out, "maxiofs.legal-hold", "ON");
  return 0;
}

}  // namespace maxiofs::fuse
