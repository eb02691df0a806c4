#include "mount_access.h"

#include "node_path.h"

#include <cerrno>
#include <string>
#include <utility>

namespace maxiofs::fuse {

MountAccess::MountAccess(engine::Engine& engine, engine::Principal principal)
    : engine_(engine), principal_(std::move(principal)) {}

int MountAccess::Check(std::string_view action, std::string_view path) const {
  if (is_root()) return 0;
  NodePath np = SplitPath(path);
  engine::AuthzRequest req;
  req.principal = principal_;
  req.action = std::string(action);
  req.bucket = std::string(np.bucket);
  req.key = std::string(np.key);
  return engine_.iam().Authorize(req).ok() ? 0 : EACCES;
}

int MountAccess::CheckList(std::string_view dir_path) const {
  if (is_root()) return 0;
  engine::AuthzRequest req;
  req.principal = principal_;
  if (dir_path.empty()) {
    req.action = "s3:ListAllMyBuckets";
  } else {
    NodePath np = SplitPath(dir_path);
    req.action = "s3:ListBucket";
    req.bucket = std::string(np.bucket);
    req.context["s3:prefix"] = {std::string(np.key)};
    req.context["s3:delimiter"] = {"/"};
  }
  return engine_.iam().Authorize(req).ok() ? 0 : EACCES;
}

int MountAccess::CheckListVersions(std::string_view dir_path) const {
  if (is_root()) return 0;
  NodePath np = SplitPath(dir_path);
  engine::AuthzRequest req;
  req.principal = principal_;
  req.action = "s3:ListBucketVersions";
  req.bucket = std::string(np.bucket);
  req.context["s3:prefix"] = {std::string(np.key)};
  req.context["s3:delimiter"] = {"/"};
  return engine_.iam().Authorize(req).ok() ? 0 : EACCES;
}

Result<engine::Principal> MountPrincipal(engine::Engine& engine, std::string_view user) {
  engine::Principal p;
  if (user.empty()) {
    p.kind = engine::PrincipalKind::kRoot;
    p.arn = "arn:aws:iam::" + std::string(engine::kAccountId) + ":root";
    return p;
  }
  Result<engine::UserInfo> info = engine.iam().GetUser(user);
  if (!info) {
    return Status::InvalidArgument("fuse.user: no IAM user named '" + std::string(user) +
                                   "': " + std::string(info.error().message()));
  }
  if (!info->enabled) {
    return Status::InvalidArgument("fuse.user: IAM user '" + std::string(user) + "' is disabled");
  }
  p.kind = engine::PrincipalKind::kUser;
  p.user = info->name;
  p.arn = info->arn;
  return p;
}

}  // namespace maxiofs::fuse
