#include "mountpoint.h"

#include <dirent.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <vector>

extern char** environ;

namespace maxiofs::fuse {
namespace {

std::string Errno(int err) { return std::strerror(err); }

Status RunFusermountDetach(const std::string& path) {
  std::vector<std::string> args = {"fusermount3", "-u", "-z", path};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, "fusermount3", nullptr, nullptr, argv.data(), environ);
  if (rc != 0) return Status::IOError("cannot run fusermount3: " + Errno(rc));
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Status::IOError("waitpid fusermount3: " + Errno(errno));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::IOError("fusermount3 -u -z " + path + " failed");
  }
  return Status::OK();
}

}  // namespace

Status DetachMount(const std::string& path) {
  if (::umount2(path.c_str(), MNT_DETACH) == 0) return Status::OK();
  if (errno == EINVAL) return Status::OK();  // not (or no longer) a mount
  return RunFusermountDetach(path);
}

Status PrepareMountpoint(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("the mountpoint is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOTCONN) {
      // A FUSE mount whose server died: clear it, then check again.
      Status s = DetachMount(path);
      if (!s.ok()) return s.WithContext("clear stale mount " + path);
      if (::stat(path.c_str(), &st) != 0) {
        return Status::IOError("mountpoint " + path +
                               " after clearing a stale mount: " + Errno(errno));
      }
    } else if (err == ENOENT) {
      return Status::NotFound("mountpoint " + path + " does not exist");
    } else {
      return Status::IOError("stat mountpoint " + path + ": " + Errno(err));
    }
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("mountpoint " + path + " is not a directory");
  }
  struct stat parent {};
  if (::stat((path + "/..").c_str(), &parent) == 0 &&
      (parent.st_dev != st.st_dev || parent.st_ino == st.st_ino)) {
    return Status::Busy("mountpoint " + path + " is already a mount");
  }
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return Status::IOError("open mountpoint " + path + ": " + Errno(errno));
  bool empty = true;
  while (dirent* e = ::readdir(dir)) {
    std::string_view n(e->d_name);
    if (n != "." && n != "..") {
      empty = false;
      break;
    }
  }
  ::closedir(dir);
  if (!empty) return Status::Busy("mountpoint " + path + " is not empty");
  return Status::OK();
}

}  // namespace maxiofs::fuse
