#include "staging_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace maxiofs::fuse {
namespace {

Status ErrnoStatus(const char* what, int err) {
  std::string msg = std::string(what) + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return Status::StorageFull(msg);
  return Status::IOError(msg);
}

}  // namespace

StagingFile::~StagingFile() {
  if (prefix_) prefix_->End();  // a CatchUp still running stops at its next step
}

Result<std::unique_ptr<StagingFile>> StagingFile::Create(const std::string& dir,
                                                         const PrefixHashing& hashing) {
  std::string where = dir.empty() ? "/tmp" : dir;
  ::mkdir(where.c_str(), 0700);  // usually exists already; a failure shows up below
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::string templ = where + "/fuse-stage-XXXXXX";
    std::vector<char> name(templ.begin(), templ.end());
    name.push_back('\0');
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("create staging file", errno);
    ::unlink(name.data());
  }
  return std::unique_ptr<StagingFile>(new StagingFile(UniqueFd(fd), hashing));
}

Status StagingFile::WriteAt(uint64_t offset, std::span<const char> data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd_.get(), data.data() + done, data.size() - done,
                         static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (prefix_) prefix_->End();  // some of the bytes may have changed
      return ErrnoStatus("write staging file", errno);
    }
    done += static_cast<size_t>(n);
  }
  size_ = std::max<uint64_t>(size_, offset + data.size());
  if (prefix_) prefix_->Written(offset, data.size());
  return Status::OK();
}

Result<size_t> StagingFile::ReadAt(uint64_t offset, std::span<char> out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd_.get(), out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read staging file", errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

Status StagingFile::Truncate(uint64_t size) {
  if (size != size_ && prefix_) prefix_->End();
  while (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) return ErrnoStatus("truncate staging file", errno);
  }
  size_ = size;
  return Status::OK();
}

std::vector<std::unique_ptr<engine::ContentMd5>> StagingFile::TakeMd5s() {
  if (!prefix_) return {};
  return prefix_->Take(size_);
}

}  // namespace maxiofs::fuse
