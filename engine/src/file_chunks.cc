#include "file_chunks.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace maxiofs::engine {

Status ForEachFileChunk(int fd, uint64_t size,
                        const std::function<Status(std::span<const char>)>& fn) {
  std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(size, 1 << 20)));
  for (uint64_t off = 0; off < size;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), size - off));
    ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(off));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("read file: ") + std::strerror(errno));
    }
    if (n == 0) return Status::IOError("read file: shorter than its declared size");
    MAXIOFS_RETURN_IF_ERROR(fn(std::span<const char>(buf.data(), static_cast<size_t>(n))));
    off += static_cast<uint64_t>(n);
  }
  return Status::OK();
}

}  // namespace maxiofs::engine
