// FuseMount::Start/Stop: the composition of the mount's parts. Start order: check the
// mountpoint, build the Filesystem, mount, subscribe to engine events, start the notifier,
// start the request loop. Stop runs it backwards: unsubscribe and stop the notifier first
// (no invalidation may target a dying session), then unmount and join the loop, then free
// the Filesystem.
#include "maxiofs/fuse/fuse_mount.h"

#include "filesystem.h"
#include "fuse_session.h"
#include "mountpoint.h"
#include "ops_table.h"

#include <spdlog/spdlog.h>

namespace maxiofs::fuse {

class FuseMountImpl final : public FuseMount {
 public:
  FuseMountImpl(const FuseOptions& options, engine::Engine& engine, engine::Principal principal)
      : options_(options),
        engine_(engine),
        fs_(std::make_unique<Filesystem>(options, engine, std::move(principal))) {}
  ~FuseMountImpl() override { Stop(); }

  Status Begin() {
    std::string mount_opts = "fsname=maxiofs,subtype=maxiofs";
    if (options_.allow_other) mount_opts += ",allow_other";
    if (options_.default_permissions) mount_opts += ",default_permissions";
    MAXIOFS_ASSIGN_OR_RETURN(
        session_, FuseSession::Mount(options_.mountpoint, mount_opts, LowLevelOps(), fs_.get()));
    engine_.Subscribe(&fs_->notifier());
    subscribed_ = true;
    fs_->notifier().Start(session_->get());
    session_->StartLoop(options_.max_threads);
    return Status::OK();
  }

  void Stop() override {
    if (subscribed_) {
      engine_.Unsubscribe(&fs_->notifier());
      subscribed_ = false;
    }
    fs_->notifier().Stop();
    if (session_) {
      session_->Stop();
      session_.reset();
      Logger()->info("fuse unmounted mountpoint={}", options_.mountpoint);
    }
  }

  uint64_t hidden_keys() const override { return fs_->hidden_keys(); }
  uint64_t invalidations() const override { return fs_->notifier().invalidations(); }
  std::vector<FuseOpCount> op_counts() const override { return fs_->op_stats().Snapshot(); }
  const std::string& mountpoint() const override { return options_.mountpoint; }

  static std::shared_ptr<spdlog::logger> Logger() {
    std::shared_ptr<spdlog::logger> l = spdlog::get("fuse");
    return l ? l : spdlog::default_logger();
  }

 private:
  const FuseOptions options_;
  engine::Engine& engine_;
  std::unique_ptr<Filesystem> fs_;
  std::unique_ptr<FuseSession> session_;
  bool subscribed_ = false;
};

Result<std::unique_ptr<FuseMount>> FuseMount::Start(const FuseOptions& options,
                                                    engine::Engine& engine) {
  MAXIOFS_ASSIGN_OR_RETURN(engine::Principal principal, MountPrincipal(engine, options.iam_user));
  MAXIOFS_RETURN_IF_ERROR(PrepareMountpoint(options.mountpoint));
  auto mount = std::make_unique<FuseMountImpl>(options, engine, std::move(principal));
  MAXIOFS_RETURN_IF_ERROR(mount->Begin());
  FuseMountImpl::Logger()->info("fuse mounted mountpoint={} max_threads={} user={}",
                                options.mountpoint, options.max_threads,
                                options.iam_user.empty() ? "root" : options.iam_user);
  return std::unique_ptr<FuseMount>(std::move(mount));
}

}  // namespace maxiofs::fuse
