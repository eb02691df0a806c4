#include "no_wait_env.h"

#include "maxiofs/common/no_wait.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace maxiofs::engine {
namespace {

class NoWaitFile final : public leveldb::RandomAccessFile {
 public:
  NoWaitFile(std::string fname, std::unique_ptr<leveldb::RandomAccessFile> base)
      : fname_(std::move(fname)), base_(std::move(base)) {}

  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* scratch) const override {
    if (!NoWaitActive()) return base_->Read(offset, n, result, scratch);
    // A descriptor per read: only block-cache misses inside a scope come here, and keeping
    // one open per table would double LevelDB's descriptor use.
    const int fd = ::open(fname_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return leveldb::Status::IOError(fname_, std::strerror(errno));
    size_t got = 0;
    int err = 0;
    while (got < n) {
      iovec iov{scratch + got, n - got};
      ssize_t r = ::preadv2(fd, &iov, 1, static_cast<off_t>(offset + got), RWF_NOWAIT);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        err = errno;
        break;
      }
      if (r == 0) break;  // end of file: a short result, as the default Env gives
      got += static_cast<size_t>(r);
    }
    ::close(fd);
    if (err == EAGAIN || err == EOPNOTSUPP) {
      NoteWouldBlock();
      return leveldb::Status::IOError(fname_, "read would wait for the disk");
    }
    if (err != 0) return leveldb::Status::IOError(fname_, std::strerror(err));
    *result = leveldb::Slice(scratch, got);
    return leveldb::Status::OK();
  }

 private:
  const std::string fname_;
  const std::unique_ptr<leveldb::RandomAccessFile> base_;
};

}  // namespace

leveldb::Status NoWaitEnv::NewRandomAccessFile(const std::string& fname,
                                               leveldb::RandomAccessFile** result) {
  leveldb::RandomAccessFile* base = nullptr;
  leveldb::Status s = target()->NewRandomAccessFile(fname, &base);
  if (!s.ok()) return s;
  // LevelDB takes ownership of *result.
  *result = std::make_unique<NoWaitFile>(fname, std::unique_ptr<leveldb::RandomAccessFile>(base))
                .release();
  return s;
}

}  // namespace maxiofs::engine
