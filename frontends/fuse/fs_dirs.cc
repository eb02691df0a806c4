// Directory listings, streamed one engine page (1,000 keys) at a time: each open directory
// keeps a cursor (the engine's start_after), so listing N entries costs O(N) whatever N is.
//
// Offsets: "." is 1, ".." is 2, listed entries count from 3 in listing order. The offset
// given with an entry is its own number, so the kernel resumes with the next one. A seek
// backwards (rewinddir) restarts the listing from the beginning.
#include "errno_map.h"
#include "filesystem.h"
#include "node_path.h"

#include <cerrno>
#include <unordered_set>
#include <vector>

namespace maxiofs::fuse {
namespace {

constexpr uint64_t kFirstEntryOff = 3;
constexpr fuse_ino_t kUnknownIno = ~fuse_ino_t{0};  // d_ino of entries the kernel never saw

}  // namespace

int Filesystem::OpenDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  std::string path;
  if (int err = DirPathOf(ino, &path); err != 0) return err;
  if (IsVersionsPath(path)) {
    if (int err = access_.CheckListVersions(path.substr(1)); err != 0) return err;
  } else if (int err = access_.CheckList(path); err != 0) {
    return err;
  }
  fi->fh = handles_.AddDir(std::make_shared<DirHandle>(std::move(path)));
  fi->cache_readdir = 0;
  if (fuse_reply_open(req, fi) != 0) handles_.RemoveDir(fi->fh);
  return 0;
}

int Filesystem::ReleaseDir(fuse_req_t req, fuse_file_info* fi) {
  handles_.RemoveDir(fi->fh);
  fuse_reply_err(req, 0);
  return 0;
}

Status Filesystem::FillPage(DirHandle& d) {
  d.page.clear();
  if (IsVersionsPath(d.path)) {
    MAXIOFS_RETURN_IF_ERROR(FillVersionsPage(d));
    d.filled_at = std::chrono::steady_clock::now();
    return Status::OK();
  }
  if (d.path.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(std::vector<engine::BucketInfo> buckets, engine_.ListBuckets());
    for (engine::BucketInfo& b : buckets) {
      if (IsValidName(b.name)) {
        d.page.push_back({std::move(b.name), true, false, std::nullopt});
      } else {
        hidden_keys_.fetch_add(1);
      }
    }
    d.eof = true;
    return Status::OK();
  }
  NodePath np = SplitPath(d.path);
  const std::string prefix(np.key);
  // A bucket's versions view shadows keys named ".versions"; it is listed only when visible.
  const bool versions = prefix.empty() && VersionsOn(np.bucket);
  if (versions && d.cursor.empty() && options_.versions == VersionsView::kVisible) {
    d.page.push_back({std::string(kVersionsDirName), true, true, std::nullopt});
  }
  MAXIOFS_ASSIGN_OR_RETURN(engine::ListObjectsResult l,
                           engine_.ListObjects({.bucket = std::string(np.bucket),
                                                .prefix = prefix,
                                                .delimiter = "/",
                                                .start_after = d.cursor,
                                                .max_keys = 1000,
                                                .with_user_meta = true}));
  d.page.reserve(d.page.size() + l.objects.size() + l.common_prefixes.size());
  // File names of this page, kept only when the page has directories to check them against.
  const bool has_dirs = !l.common_prefixes.empty();
  std::unordered_set<std::string> files;
  size_t i = 0, j = 0;
  while (i < l.objects.size() || j < l.common_prefixes.size()) {
    bool take_object = j == l.common_prefixes.size() ||
                       (i < l.objects.size() && l.objects[i].key < l.common_prefixes[j]);
    if (take_object) {
      engine::ObjectInfo& obj = l.objects[i++];
      const std::string& key = obj.key;
      if (key == prefix) continue;  // this directory's own marker
      std::string_view name = std::string_view(key).substr(prefix.size());
      if (!IsValidName(name) || (versions && name == kVersionsDirName)) {
        hidden_keys_.fetch_add(1);
        continue;
      }
      d.page.push_back({std::string(name), false, false, std::move(obj)});
      if (has_dirs) files.insert(d.page.back().name);
    } else {
      const std::string& cp = l.common_prefixes[j++];
      std::string_view name = std::string_view(cp).substr(prefix.size());
      name.remove_suffix(1);  // the delimiter
      // A file and a directory of one name: the file wins (lookup does the same).
      if (!IsValidName(name) || files.contains(std::string(name)) ||
          (versions && name == kVersionsDirName)) {
        hidden_keys_.fetch_add(1);
        continue;
      }
      d.page.push_back({std::string(name), true, false, std::nullopt});
    }
  }
  d.eof = !l.truncated;
  d.cursor = l.truncated ? std::move(l.next_start_after) : std::string();
  d.filled_at = std::chrono::steady_clock::now();
  return Status::OK();
}

int Filesystem::ReadDir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi,
                        bool plus) {
  std::shared_ptr<DirHandle> d = handles_.Dir(fi->fh);
  if (!d) return EBADF;
  std::lock_guard<std::mutex> l(d->mu);
  std::vector<char> buf(size);
  size_t used = 0;
  uint64_t next = static_cast<uint64_t>(off) + 1;

  // Adds one entry; false when it does not fit (then nothing was added).
  auto add = [&](const std::string& name, const struct stat& st, fuse_ino_t ref_ino) {
    size_t room = size - used;
    size_t need;
    if (plus) {
      fuse_entry_param e;
      FillEntry(ref_ino, st, &e);
      if (ref_ino == 0) e.attr.st_ino = st.st_ino;
      need = fuse_add_direntry_plus(req, buf.data() + used, room, name.c_str(), &e,
                                    static_cast<off_t>(next));
    } else {
      need = fuse_add_direntry(req, buf.data() + used, room, name.c_str(), &st,
                               static_cast<off_t>(next));
    }
    if (need > room) return false;
    used += need;
    return true;
  };

  for (; next < kFirstEntryOff; ++next) {
    struct stat st {};
    st.st_mode = S_IFDIR;
    st.st_ino = next == 1 ? ino : kUnknownIno;
    if (!add(next == 1 ? "." : "..", st, 0)) break;  // ino 0: no lookup reference for dots
  }
  bool full = next < kFirstEntryOff;
  if (!full && (!d->started || next < d->page_base)) {
    d->started = true;
    d->cursor.clear();
    d->eof = false;
    d->page.clear();
    d->page_base = kFirstEntryOff;
    d->versions_phase = 0;
    d->key_marker.clear();
    d->version_marker.clear();
    d->seen.clear();
    if (Status s = FillPage(*d); !s.ok()) return ToErrno(s);
  }
  while (!full) {
    while (next >= d->page_base + d->page.size() && !d->eof) {
      d->page_base += d->page.size();
      if (Status s = FillPage(*d); !s.ok()) return ToErrno(s);
    }
    if (next >= d->page_base + d->page.size()) break;  // the end
    if (next < d->page_base) next = d->page_base;
    const DirEntry& entry = d->page[next - d->page_base];
    std::string path = entry.is_versions && !IsVersionsPath(d->path)
                           ? "@" + d->path
                           : ChildPath(d->path, entry.name, entry.is_dir);
    if (plus) {
      NodeStat stat;
      const bool fresh =
          std::chrono::steady_clock::now() - d->filled_at < std::chrono::milliseconds(500);
      // A directory of the versions view was just listed: it exists (kListed skips the check).
      static const engine::ObjectInfo kListed{};
      const engine::ObjectInfo* known = entry.info && fresh ? &*entry.info : nullptr;
      if (entry.is_versions && entry.is_dir && IsVersionsPath(d->path)) known = &kListed;
      int err = StatPath(path, inodes_.Find(path).value_or(0), &stat, known);
      if (err == ENOENT) {  // gone since the page was listed
        ++next;
        continue;
      }
      if (err != 0) return err;
      fuse_ino_t child = inodes_.Ref(path, IdentityOf(path, stat));
      if (!add(entry.name, stat.st, child)) {
        inodes_.Forget(child, 1);  // the kernel never saw this entry
        break;
      }
    } else {
      struct stat st {};
      st.st_mode = entry.is_dir ? S_IFDIR : S_IFREG;
      if (!entry.is_dir && entry.info) {  // d_type: symlinks, FIFOs, devices, sockets
        PosixAttrs a = DefaultAttrs(false);
        ApplyUserMeta(entry.info->meta.user, true, &a);
        st.st_mode = a.mode & S_IFMT;
      }
      st.st_ino = inodes_.Find(path).value_or(kUnknownIno);
      if (!add(entry.name, st, 0)) break;
    }
    ++next;
  }
  fuse_reply_buf(req, buf.data(), used);
  return 0;
}

}  // namespace maxiofs::fuse
