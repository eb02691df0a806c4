// Filesystem BlobStore. Layout (the data dir's default: objects = <root>/objects, tmp =
// <root>/tmp; a separate blob directory D: objects = D, tmp = D/.tmp):
//   <tmp>/<id>            a blob being written (removed by RemoveUnfinished at start-up)
//   <objects>/ab/cd/<id>  a committed blob; ab, cd = the id's first two byte pairs (cd is "00"
//                         for every id NewBlobId makes now: 256 folders)
//   <objects>/STORE       the store's label (ReadLabel/WriteLabel): one line of text
// Durable publish order: write tmp/<id>, fdatasync, mkdir -p objects/ab/cd (fsync parents of new
// folders), rename into place, fsync objects/ab/cd. Ids are validated hex, so no id can name a
// path outside the root.
#include "maxiofs/backends/fs_blob_store.h"

#include "posix_error.h"

#include "maxiofs/common/no_wait.h"
#include "maxiofs/common/unique_fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace maxiofs::backends {
namespace {

Status SyncDir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return PosixError("open dir " + dir, errno);
  if (::fsync(fd.get()) != 0) return PosixError("fsync dir " + dir, errno);
  return Status::OK();
}

// Creates `dir` if missing. Sets *created when it made it.
Status EnsureDir(const std::string& dir, bool* created) {
  *created = false;
  if (::mkdir(dir.c_str(), 0750) == 0) {
    *created = true;
    return Status::OK();
  }
  if (errno == EEXIST) return Status::OK();
  return PosixError("mkdir " + dir, errno);
}

class FsBlobWriter final : public BlobWriter {
 public:
  // `size` > 0 and `adopted`: a file taken whole (BlobStore::Adopt); Append is refused.
  FsBlobWriter(std::string objects, BlobId id, std::string tmp_path, UniqueFd fd, uint64_t size = 0,
               bool adopted = false)
      : objects_(std::move(objects)),
        id_(std::move(id)),
        tmp_path_(std::move(tmp_path)),
        fd_(std::move(fd)),
        size_(size),
        adopted_(adopted) {}
  ~FsBlobWriter() override {
    if (!committed_) {
      fd_.Reset();
      ::unlink(tmp_path_.c_str());
    }
  }

  const BlobId& id() const override { return id_; }
  uint64_t size() const override { return size_; }

  Status Append(std::span<const char> data) override {
    if (!error_.ok()) return error_;
    if (adopted_) return error_ = Status::Internal("append to an adopted blob");
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_.get(), p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = PosixError("write " + tmp_path_, errno);
        return error_;
      }
      p += n;
      left -= static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }

  Status Commit(bool sync) override {
    if (!error_.ok()) return error_;
    if (committed_) return Status::Internal("blob committed twice");
    if (sync && ::fdatasync(fd_.get()) != 0) return PosixError("fdatasync " + tmp_path_, errno);
    fd_.Reset();
    const std::string l1 = objects_ + "/" + id_.substr(0, 2);
    const std::string l2 = l1 + "/" + id_.substr(2, 2);
    bool made1 = false, made2 = false;
    MAXIOFS_RETURN_IF_ERROR(EnsureDir(l1, &made1));
    MAXIOFS_RETURN_IF_ERROR(EnsureDir(l2, &made2));
    if (sync && made1) MAXIOFS_RETURN_IF_ERROR(SyncDir(objects_));
    if (sync && made2) MAXIOFS_RETURN_IF_ERROR(SyncDir(l1));
    const std::string final_path = l2 + "/" + id_;
    if (::rename(tmp_path_.c_str(), final_path.c_str()) != 0) {
      return PosixError("rename " + tmp_path_, errno);
    }
    committed_ = true;
    if (sync) MAXIOFS_RETURN_IF_ERROR(SyncDir(l2));
    return Status::OK();
  }

 private:
  const std::string objects_;
  const BlobId id_;
  const std::string tmp_path_;
  UniqueFd fd_;
  uint64_t size_ = 0;
  const bool adopted_ = false;
  bool committed_ = false;
  Status error_;
};

class FsBlobReader final : public BlobReader {
 public:
  FsBlobReader(UniqueFd fd, uint64_t size, std::string path)
      : fd_(std::move(fd)), size_(size), path_(std::move(path)) {}
  uint64_t size() const override { return size_; }
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return size_t{0};
    const bool no_wait = NoWaitActive();
    for (;;) {
      // Inside a NoWaitScope: only what the page cache holds (a short count when part of it
      // is there; the next call then refuses).
      iovec iov{out.data(), out.size()};
      ssize_t n = no_wait ? ::preadv2(fd_.get(), &iov, 1, static_cast<off_t>(offset), RWF_NOWAIT)
                          : ::pread(fd_.get(), out.data(), out.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        if (no_wait && (errno == EAGAIN || errno == EOPNOTSUPP)) {
          NoteWouldBlock();
          return Status::WouldBlock("pread " + path_ + " would wait for the disk");
        }
        return PosixError("pread " + path_, errno);
      }
      return static_cast<size_t>(n);
    }
  }

 private:
  UniqueFd fd_;
  uint64_t size_;
  std::string path_;
};

class FsBlobStore final : public BlobStore {
 public:
  FsBlobStore(std::string objects, std::string tmp)
      : objects_(std::move(objects)), tmp_(std::move(tmp)) {}

  Result<std::unique_ptr<BlobWriter>> Create() override {
    BlobId id = NewBlobId();
    std::string tmp = tmp_ + "/" + id;
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (!fd.valid()) return PosixError("create " + tmp, errno);
    return std::unique_ptr<BlobWriter>(
        std::make_unique<FsBlobWriter>(objects_, std::move(id), std::move(tmp), std::move(fd)));
  }

  Result<std::unique_ptr<BlobWriter>> Adopt(int fd, uint64_t size) override {
    struct stat st;
    if (::fstat(fd, &st) != 0) return PosixError("fstat adopted file", errno);
    if (!S_ISREG(st.st_mode) || st.st_nlink != 0 || static_cast<uint64_t>(st.st_size) != size) {
      return Status::NotImplemented("only an unnamed regular file of the given size is adopted");
    }
    BlobId id = NewBlobId();
    std::string tmp = tmp_ + "/" + id;
    // Gives the O_TMPFILE file the name tmp/<id>; from here it is an unfinished blob like any
    // other (removed by RemoveUnfinished after a crash, renamed into place by Commit). Fails
    // (EXDEV, ENOENT for an unlinked named file, ...) when the file cannot be linked here.
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      return Status::NotImplemented(std::string("cannot link the file into the store: ") +
                                    std::strerror(errno));
    }
    UniqueFd own(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
    if (!own.valid()) {
      Status s = PosixError("dup adopted file", errno);
      ::unlink(tmp.c_str());
      return s;
    }
    return std::unique_ptr<BlobWriter>(std::make_unique<FsBlobWriter>(
        objects_, std::move(id), std::move(tmp), std::move(own), size, true));
  }

  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    std::string path = PathOf(id);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return PosixError("open " + path, errno);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return PosixError("fstat " + path, errno);
    return std::unique_ptr<BlobReader>(std::make_unique<FsBlobReader>(
        std::move(fd), static_cast<uint64_t>(st.st_size), std::move(path)));
  }

  Status Delete(std::string_view id) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    std::string path = PathOf(id);
    if (::unlink(path.c_str()) != 0) return PosixError("unlink " + path, errno);
    return Status::OK();
  }

  Status ForEach(const std::function<void(const BlobId&)>& fn) override {
    const std::string& objects = objects_;
    return ForEachEntry(objects, [&](const std::string& l1) {
      if (l1.size() != 2) return Status::OK();
      return ForEachEntry(objects + "/" + l1, [&](const std::string& l2) {
        if (l2.size() != 2) return Status::OK();
        return ForEachEntry(objects + "/" + l1 + "/" + l2, [&](const std::string& name) {
          if (IsValidBlobId(name)) fn(name);
          return Status::OK();
        });
      });
    });
  }

  Result<uint64_t> RemoveUnfinished() override {
    const std::string& tmp = tmp_;
    uint64_t removed = 0;
    Status s = ForEachEntry(tmp, [&](const std::string& name) {
      std::string path = tmp + "/" + name;
      if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return PosixError("unlink " + path, errno);
      ++removed;
      return Status::OK();
    });
    if (!s.ok()) return s;
    return removed;
  }

  Result<SpaceInfo> Space() override {
    struct statvfs st;
    if (::statvfs(objects_.c_str(), &st) != 0) return PosixError("statvfs " + objects_, errno);
    return SpaceInfo{static_cast<uint64_t>(st.f_blocks) * st.f_frsize,
                     static_cast<uint64_t>(st.f_bavail) * st.f_frsize};
  }

  Result<std::string> ReadLabel() override {
    const std::string path = objects_ + "/" + std::string(kLabelFile);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
      if (errno == ENOENT) return std::string();
      return PosixError("open " + path, errno);
    }
    char buf[kMaxLabel + 2];
    size_t got = 0;
    while (got < sizeof(buf)) {
      ssize_t n = ::read(fd.get(), buf + got, sizeof(buf) - got);
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("read " + path, errno);
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    std::string label(buf, got);
    while (!label.empty() && (label.back() == '\n' || label.back() == '\r')) label.pop_back();
    if (label.empty() || label.size() > kMaxLabel || label.find('\n') != std::string::npos) {
      return Status::Corruption("blob store label " + path + " is malformed");
    }
    return label;
  }

  Status WriteLabel(std::string_view label) override {
    if (label.empty() || label.size() > kMaxLabel || label.find('\n') != std::string_view::npos) {
      return Status::InvalidArgument("a blob store label is one line of 1-256 bytes");
    }
    // Durable replace: tmp file, fdatasync, rename over the label, fsync the directory.
    const std::string tmp = tmp_ + "/" + std::string(kLabelFile) + ".new";
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (!fd.valid()) return PosixError("create " + tmp, errno);
    const std::string text = std::string(label) + "\n";
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = PosixError("write " + tmp, errno);
        ::unlink(tmp.c_str());
        return s;
      }
      done += static_cast<size_t>(n);
    }
    if (::fdatasync(fd.get()) != 0) {
      Status s = PosixError("fdatasync " + tmp, errno);
      ::unlink(tmp.c_str());
      return s;
    }
    fd.Reset();
    const std::string path = objects_ + "/" + std::string(kLabelFile);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      Status s = PosixError("rename " + tmp, errno);
      ::unlink(tmp.c_str());
      return s;
    }
    return SyncDir(objects_);
  }

 private:
  static constexpr std::string_view kLabelFile = "STORE";
  static constexpr size_t kMaxLabel = 256;

  std::string PathOf(std::string_view id) const {
    std::string p = objects_;
    p += '/';
    p.append(id.substr(0, 2));
    p += '/';
    p.append(id.substr(2, 2));
    p += '/';
    p.append(id);
    return p;
  }

  // Calls fn(name) for each entry of `dir` except "." and ".."; a missing dir has no entries.
  template <class Fn>
  static Status ForEachEntry(const std::string& dir, Fn&& fn) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
    if (!d) {
      if (errno == ENOENT) return Status::OK();
      return PosixError("opendir " + dir, errno);
    }
    for (;;) {
      errno = 0;
      struct dirent* e = ::readdir(d.get());
      if (e == nullptr) {
        if (errno != 0) return PosixError("readdir " + dir, errno);
        return Status::OK();
      }
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      MAXIOFS_RETURN_IF_ERROR(fn(name));
    }
  }

  const std::string objects_;  // committed blobs: <objects_>/ab/cd/<id>
  const std::string tmp_;      // unfinished blobs, on the same filesystem
};

}  // namespace

Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& root) {
  bool created = false;
  MAXIOFS_RETURN_IF_ERROR(EnsureDir(root, &created));
  return OpenFsBlobStoreAt(root + "/objects", root + "/tmp");
}

Result<std::unique_ptr<BlobStore>> OpenFsBlobStoreAt(const std::string& objects_dir,
                                                     const std::string& tmp_dir) {
  bool created = false;
  MAXIOFS_RETURN_IF_ERROR(EnsureDir(objects_dir, &created));
  MAXIOFS_RETURN_IF_ERROR(EnsureDir(tmp_dir, &created));
  struct stat st;
  if (::stat(objects_dir.c_str(), &st) != 0) return PosixError("stat " + objects_dir, errno);
  if (!S_ISDIR(st.st_mode)) return Status::IOError(objects_dir + " is not a directory");
  // Probe writability now so a read-only store fails at start, not at the first PUT.
  const std::string probe = tmp_dir + "/.probe";
  UniqueFd fd(::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
  if (!fd.valid()) return PosixError("blob directory is not writable: " + tmp_dir, errno);
  fd.Reset();
  ::unlink(probe.c_str());
  return std::unique_ptr<BlobStore>(std::make_unique<FsBlobStore>(objects_dir, tmp_dir));
}

}  // namespace maxiofs::backends
