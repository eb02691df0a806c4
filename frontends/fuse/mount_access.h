// MountAccess: the mount's identity and its access checks. Every FUSE operation asks the
// engine's one decision function (Iam::Authorize) with the IAM action the S3 API would need
// for the same change, so a mount acting as a limited IAM user can do exactly what that user
// could do through S3. The root identity (the default) is always allowed without asking.
//
// Mapping (node paths as in node_path.h):
//   list the root                   s3:ListAllMyBuckets
//   look up a bucket                s3:ListBucket on it (S3's HeadBucket)
//   look up / list in a directory   s3:ListBucket with s3:prefix = the directory's key prefix
//   read a file, a link, its xattrs s3:GetObject
//   list / look up in .versions     s3:ListBucketVersions with s3:prefix
//   read a version there            s3:GetObjectVersion
//   create, write, truncate, chmod, chown, utimens, setxattr, mkdir in a bucket
//                                   s3:PutObject
//   unlink, rmdir in a bucket       s3:DeleteObject
//   mkdir / rmdir at the root       s3:CreateBucket / s3:DeleteBucket
//   rename                          s3:GetObject + s3:DeleteObject on the source,
//                                   s3:PutObject on the destination
// A refusal is EACCES.
//
// Thread-safety: immutable after construction; Check may be called from any thread.
#pragma once

#include "maxiofs/engine/engine.h"

#include <string_view>

namespace maxiofs::fuse {

class MountAccess {
 public:
  // `engine` must outlive this object.
  MountAccess(engine::Engine& engine, engine::Principal principal);

  // 0 when `principal` may do `action` on the node at `path`; EACCES otherwise.
  int Check(std::string_view action, std::string_view path) const;
  // Listing (or looking up a name in) the directory at `dir_path`.
  int CheckList(std::string_view dir_path) const;
  // Listing the versions under the directory at `dir_path` (a plain node path, "bucket/...").
  int CheckListVersions(std::string_view dir_path) const;

  bool is_root() const { return engine::IsUnrestricted(principal_); }

 private:
  engine::Engine& engine_;
  const engine::Principal principal_;
};

// The principal a mount acts as: root for an empty `user`, else that IAM user (InvalidArgument
// naming fuse.user when there is no such user or it is disabled).
Result<engine::Principal> MountPrincipal(engine::Engine& engine, std::string_view user);

}  // namespace maxiofs::fuse
