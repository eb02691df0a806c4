#include "readiness.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace maxiofs::app {

namespace {

// O_TMPFILE: an unnamed file in the directory, gone when closed; proves the directory
// accepts new files without leaving any behind.
Status ProbeWritable(const std::string& dir) {
  const int fd = open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IOError("data dir not writable: " + dir + ": " + std::strerror(errno));
  }
  const char byte = 0;
  const bool wrote = write(fd, &byte, 1) == 1;
  const int err = errno;
  close(fd);
  if (!wrote) return Status::IOError("data dir not writable: " + dir + ": " + std::strerror(err));
  return Status::OK();
}

}  // namespace

Status Readiness::Check() const {
  auto buckets = engine_.ListBuckets();
  if (!buckets.has_value()) return buckets.error();
  // Object data on a remote service: not ready while it does not answer.
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBlobStore());
  MAXIOFS_RETURN_IF_ERROR(ProbeWritable(data_dir_ + "/tmp"));
  if (!blob_dir_.empty()) MAXIOFS_RETURN_IF_ERROR(ProbeWritable(blob_dir_ + "/.tmp"));
  return Status::OK();
}

}  // namespace maxiofs::app
