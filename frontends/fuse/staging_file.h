// StagingFile: the private scratch copy of a file open for writing. An anonymous O_TMPFILE
// (no name, so nothing to clean up after a crash) in <data_dir>/tmp, falling back to an
// unlinked mkstemp file. Random-offset pwrite/pread; its size is the file's size.
// Not thread-safe: its FileHandle's mutex serializes use.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace maxiofs::fuse {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class StagingFile {
 public:
  // Creates an empty staging file under `dir` (created when missing; /tmp when empty).
  static Result<std::unique_ptr<StagingFile>> Create(const std::string& dir);

  // Writes all of `data` at `offset` (retrying short writes and EINTR). StorageFull/IOError.
  Status WriteAt(uint64_t offset, std::span<const char> data);
  // Reads up to out.size() bytes at `offset`; fewer only at the end of the file.
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out);
  Status Truncate(uint64_t size);
  uint64_t size() const { return size_; }
  // The open file, for the engine to copy or take (ObjectWriter::AppendFile). Owned here.
  int fd() const { return fd_.get(); }

 private:
  explicit StagingFile(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
  uint64_t size_ = 0;
};

}  // namespace maxiofs::fuse
