#include "session_secret.h"

#include "crypto_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace maxiofs::console {
namespace {

constexpr size_t kMinSecret = 32;

Status Errno(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": " + std::strerror(errno));
}

Status WriteNew(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create", tmp);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = Errno("cannot write", tmp);
      ::close(fd);
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = Errno("cannot sync", tmp);
    ::close(fd);
    return st;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename to", path);
  return Status::OK();
}

}  // namespace

Result<std::string> LoadSessionSecret(const std::string& configured, const std::string& data_dir) {
  if (!configured.empty()) return configured;
  const std::string path = data_dir + "/console.secret";
  std::ifstream in(path);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string secret = ss.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < kMinSecret) {
      return Status::InvalidArgument(path + " holds fewer than 32 characters");
    }
    return secret;
  }
  if (errno != ENOENT) return Errno("cannot read", path);
  const std::string secret = Hex(RandomBytes(32));
  if (Status st = WriteNew(path, secret + "\n"); !st.ok()) return st;
  return secret;
}

}  // namespace maxiofs::console
