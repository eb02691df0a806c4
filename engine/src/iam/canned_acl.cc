// CannedAcl: the grants of S3's canned ACL names (maxiofs/engine/iam.h).
#include "maxiofs/engine/iam.h"

namespace maxiofs::engine {

Result<Acl> CannedAcl(std::string_view name) {
  using G = AclGrant::GranteeType;
  static constexpr std::string_view kAllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
  static constexpr std::string_view kAuthUsers =
      "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  static constexpr std::string_view kLogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery";
  // The group grants first, the owner's last: the order RGW lists them in (S3 gives the order
  // no meaning; clients and Ceph's s3-tests index into it).
  Acl acl;
  if (name == "private" || name == "bucket-owner-read" || name == "bucket-owner-full-control" ||
      name == "aws-exec-read") {
    // One account: the bucket owner is the object owner; no EC2 to read bundles.
  } else if (name == "public-read") {
    acl.grants.push_back({G::kGroup, std::string(kAllUsers), AclPermission::kRead});
  } else if (name == "public-read-write") {
    acl.grants.push_back({G::kGroup, std::string(kAllUsers), AclPermission::kRead});
    acl.grants.push_back({G::kGroup, std::string(kAllUsers), AclPermission::kWrite});
  } else if (name == "authenticated-read") {
    acl.grants.push_back({G::kGroup, std::string(kAuthUsers), AclPermission::kRead});
  } else if (name == "log-delivery-write") {
    acl.grants.push_back({G::kGroup, std::string(kLogDelivery), AclPermission::kWrite});
    acl.grants.push_back({G::kGroup, std::string(kLogDelivery), AclPermission::kReadAcp});
  } else {
    return Status::InvalidArgument("unknown canned ACL '" + std::string(name) + "'");
  }
  acl.grants.push_back(
      {G::kCanonicalUser, std::string(kCanonicalUserId), AclPermission::kFullControl});
  return acl;
}

}  // namespace maxiofs::engine
