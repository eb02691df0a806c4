#include "fuse_session.h"

#include "mountpoint.h"

#include <climits>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace maxiofs::fuse {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  std::shared_ptr<spdlog::logger> l = spdlog::get("fuse");
  return l ? l : spdlog::default_logger();
}

// The device number of the mount on `path` (the last one), from /proc/self/mountinfo:
// "id parent major:minor root mountpoint ...", with spaces in paths escaped as \040.
dev_t MountDevice(const std::string& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  dev_t dev = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, majmin, root, mp;
    if (!(fields >> id >> parent >> majmin >> root >> mp)) continue;
    std::string unescaped;
    for (size_t i = 0; i < mp.size(); ++i) {
      if (mp[i] == '\\' && i + 3 < mp.size()) {
        unescaped += static_cast<char>(std::stoi(mp.substr(i + 1, 3), nullptr, 8));
        i += 3;
      } else {
        unescaped += mp[i];
      }
    }
    if (unescaped != path) continue;
    unsigned maj = 0, min = 0;
    if (std::sscanf(majmin.c_str(), "%u:%u", &maj, &min) == 2) dev = makedev(maj, min);
  }
  return dev;
}

}  // namespace

FuseSession::FuseSession(fuse_session* se, std::string mountpoint)
    : se_(se), mountpoint_(std::move(mountpoint)) {}

Result<std::unique_ptr<FuseSession>> FuseSession::Mount(const std::string& mountpoint,
                                                        const std::string& options,
                                                        const fuse_lowlevel_ops& ops,
                                                        void* userdata) {
  // Resolved before mounting: resolving it afterwards would stat the mount itself.
  char resolved[PATH_MAX];
  std::string canonical =
      ::realpath(mountpoint.c_str(), resolved) != nullptr ? std::string(resolved) : mountpoint;
  std::vector<std::string> args = {"maxiofs", "-o", options};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  fuse_args fargs = FUSE_ARGS_INIT(static_cast<int>(argv.size()), argv.data());
  fuse_session* se = fuse_session_new(&fargs, &ops, sizeof(ops), userdata);
  fuse_opt_free_args(&fargs);
  if (se == nullptr) return Status::IOError("fuse_session_new failed (bad mount options?)");
  if (fuse_session_mount(se, mountpoint.c_str()) != 0) {
    fuse_session_destroy(se);
    return Status::IOError("cannot mount FUSE on " + mountpoint +
                           " (is /dev/fuse available and are we allowed to mount?)");
  }
  std::unique_ptr<FuseSession> s(new FuseSession(se, mountpoint));
  // Never stat the new mount here: until the loop answers INIT, any access to it blocks.
  s->dev_ = MountDevice(canonical);
  return s;
}

void FuseSession::StartLoop(unsigned max_threads) {
  std::promise<void> done;
  loop_done_ = done.get_future();
  // Captures copies, not `this`: a loop leaked by Stop may outlive this object.
  loop_ = std::thread([se = se_, mp = mountpoint_, max_threads, done = std::move(done)]() mutable {
    fuse_loop_config* cfg = fuse_loop_cfg_create();
    fuse_loop_cfg_set_max_threads(cfg, max_threads == 0 ? 1 : max_threads);
    fuse_loop_cfg_set_clone_fd(cfg, 0);
    int rc = fuse_session_loop_mt(se, cfg);
    fuse_loop_cfg_destroy(cfg);
    if (rc != 0) Log()->info("fuse loop ended rc={} mountpoint={}", rc, mp);
    done.set_value();
  });
}

bool FuseSession::WaitLoop(std::chrono::milliseconds timeout) {
  if (!loop_.joinable()) return true;
  if (loop_done_.wait_for(timeout) != std::future_status::ready) return false;
  loop_.join();
  return true;
}

void FuseSession::AbortConnection() {
  // fusectl: /sys/fs/fuse/connections/<device minor>/abort (mounted on demand).
  std::string dir = "/sys/fs/fuse/connections";
  std::string abort_file = dir + "/" + std::to_string(minor(dev_)) + "/abort";
  if (::access(abort_file.c_str(), W_OK) != 0) {
    ::mount("fusectl", dir.c_str(), "fusectl", 0, nullptr);  // may already be mounted
  }
  int fd = ::open(abort_file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    Log()->error("fuse cannot abort the connection of {}: no {}", mountpoint_, abort_file);
    return;
  }
  if (::write(fd, "1", 1) != 1) Log()->error("fuse abort write failed for {}", mountpoint_);
  ::close(fd);
}

void FuseSession::Stop() {
  if (!mounted_) return;
  mounted_ = false;
  fuse_session_exit(se_);
  // Unmounting ends the connection, which makes the workers' reads fail and the loop end.
  DetachMount(mountpoint_).IgnoreError();  // logged below if the loop does not end
  // Grace for requests in flight; a mount still held (open files, a cwd) after it is aborted.
  if (!WaitLoop(std::chrono::seconds(5))) {
    Log()->warn("fuse mount {} still busy after a lazy unmount; aborting the connection",
                mountpoint_);
    AbortConnection();
    if (!WaitLoop(std::chrono::seconds(10))) {
      // Never hang the caller: leak the session and its thread rather than block forever.
      Log()->error("fuse loop of {} did not stop; leaking it", mountpoint_);
      loop_.detach();
      se_ = nullptr;
      return;
    }
  }
  fuse_session_unmount(se_);  // libfuse's bookkeeping; the kernel mount is already gone
}

FuseSession::~FuseSession() {
  Stop();
  if (se_ != nullptr) fuse_session_destroy(se_);
}

}  // namespace maxiofs::fuse
