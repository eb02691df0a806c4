// FuseSession: RAII over libfuse's session lifecycle: new -> mount -> multi-threaded loop on
// its own thread -> unmount -> join -> destroy. The destructor stops a running session.
// Not thread-safe: one owner.
#pragma once

#include "fuse_api.h"

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace maxiofs::fuse {

class FuseSession {
 public:
  // Creates the session with mount options `options` ("-o" list) and mounts it.
  // REQUIRES: `userdata` outlives the session. IOError when libfuse refuses.
  static Result<std::unique_ptr<FuseSession>> Mount(const std::string& mountpoint,
                                                    const std::string& options,
                                                    const fuse_lowlevel_ops& ops, void* userdata);
  ~FuseSession();
  FuseSession(const FuseSession&) = delete;
  FuseSession& operator=(const FuseSession&) = delete;

  // Runs fuse_session_loop_mt with up to `max_threads` workers on a new thread.
  void StartLoop(unsigned max_threads);

  // Unmounts and joins the loop (each wait bounded; a connection still busy after the lazy
  // unmount is aborted through fusectl). Idempotent.
  void Stop();

  fuse_session* get() const { return se_; }

 private:
  FuseSession(fuse_session* se, std::string mountpoint);
  bool WaitLoop(std::chrono::milliseconds timeout);
  void AbortConnection();

  fuse_session* se_;
  const std::string mountpoint_;
  dev_t dev_ = 0;  // the mount's device, to find its fusectl directory
  std::thread loop_;
  std::future<void> loop_done_;
  bool mounted_ = true;
};

}  // namespace maxiofs::fuse
