// StagingFile: the private scratch copy of a file open for writing. An anonymous O_TMPFILE
// (no name, so nothing to clean up after a crash) in <data_dir>/tmp, falling back to an
// unlinked mkstemp file. Random-offset pwrite/pread; its size is the file's size. Its
// StagedPrefix hashes it (in the parts of its ETag) while it is written in order, so the
// commit needs no read-back.
// Not thread-safe: its FileHandle's mutex serializes use (the prefix is thread-safe).
#pragma once

#include "staged_prefix.h"

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/common/unique_fd.h"
#include "maxiofs/engine/object_stream.h"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace maxiofs::fuse {

class StagingFile {
 public:
  // Creates an empty staging file under `dir` (created when missing; /tmp when empty), whose
  // prefix is hashed as `hashing` says.
  static Result<std::unique_ptr<StagingFile>> Create(const std::string& dir,
                                                     const PrefixHashing& hashing);

  ~StagingFile();
  StagingFile(const StagingFile&) = delete;
  StagingFile& operator=(const StagingFile&) = delete;

  // Writes all of `data` at `offset` (retrying short writes and EINTR). StorageFull/IOError.
  // Call prefix()->CatchUp with the same bytes afterwards (outside the handle's mutex).
  Status WriteAt(uint64_t offset, std::span<const char> data);
  // Reads up to out.size() bytes at `offset`; fewer only at the end of the file.
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out);
  Status Truncate(uint64_t size);
  uint64_t size() const { return size_; }
  // The open file, for the engine to copy or take (ObjectWriter::AppendFile). Owned here.
  int fd() const { return fd_.get(); }
  // The in-order prefix tracker; null when it could not be made (then no digest is kept).
  const std::shared_ptr<StagedPrefix>& prefix() const { return prefix_; }
  // The MD5s of the file's parts when it was written in order (StagedPrefix::Take), else
  // empty. Once only: later calls return empty.
  std::vector<std::unique_ptr<engine::ContentMd5>> TakeMd5s();

 private:
  StagingFile(UniqueFd fd, const PrefixHashing& hashing)
      : fd_(std::move(fd)), prefix_(StagedPrefix::Create(fd_.get(), hashing)) {}
  UniqueFd fd_;
  std::shared_ptr<StagedPrefix> prefix_;
  uint64_t size_ = 0;
};

}  // namespace maxiofs::fuse
