#include "acl_rules.h"

#include "maxiofs/common/ascii.h"

#include <algorithm>
#include <array>

namespace maxiofs::engine {
namespace {

template <size_t N>
bool AnyOf(const std::array<std::string_view, N>& names, std::string_view action) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view n) { return EqualsIgnoreCase(n, action); });
}

constexpr std::array<std::string_view, 3> kBucketRead = {"s3:ListBucket", "s3:ListBucketVersions",
                                                         "s3:ListBucketMultipartUploads"};
constexpr std::array<std::string_view, 2> kBucketWrite = {"s3:PutObject", "s3:DeleteObject"};
constexpr std::array<std::string_view, 1> kBucketReadAcp = {"s3:GetBucketAcl"};
constexpr std::array<std::string_view, 1> kBucketWriteAcp = {"s3:PutBucketAcl"};
constexpr std::array<std::string_view, 2> kObjectRead = {"s3:GetObject", "s3:GetObjectVersion"};
constexpr std::array<std::string_view, 2> kObjectReadAcp = {"s3:GetObjectAcl",
                                                            "s3:GetObjectVersionAcl"};
constexpr std::array<std::string_view, 2> kObjectWriteAcp = {"s3:PutObjectAcl",
                                                             "s3:PutObjectVersionAcl"};

}  // namespace

const Acl& PrivateAcl() {
  static const Acl kPrivate = [] {
    Acl a;
    a.grants.push_back({AclGrant::GranteeType::kCanonicalUser, std::string(kCanonicalUserId),
                        AclPermission::kFullControl});
    return a;
  }();
  return kPrivate;
}

std::optional<Acl> NormalizeAcl(Acl acl) {
  if (acl == PrivateAcl()) return std::nullopt;
  return acl;
}

bool IsPublicGrant(const AclGrant& g) {
  return g.type == AclGrant::GranteeType::kGroup &&
         (g.grantee == kAllUsersUri || g.grantee == kAuthenticatedUsersUri);
}

bool IsPublicAcl(const Acl& acl) {
  return std::any_of(acl.grants.begin(), acl.grants.end(), IsPublicGrant);
}

Status ResolveEmailGrants(Acl& acl, std::string_view account_email) {
  for (AclGrant& g : acl.grants) {
    if (g.type != AclGrant::GranteeType::kEmail) continue;
    if (account_email.empty() || !EqualsIgnoreCase(g.grantee, account_email)) {
      return Status::InvalidArgument(
                 "The e-mail address you provided does not match any account on record: " +
                 g.grantee)
          .WithSubCode(Status::SubCode::kUnresolvableGrant, g.grantee);
    }
    g.type = AclGrant::GranteeType::kCanonicalUser;
    g.grantee = std::string(kCanonicalUserId);
  }
  return Status::OK();
}

Status ValidateAcl(const Acl& acl) {
  if (acl.grants.size() > 100) return Status::InvalidArgument("an ACL has at most 100 grants");
  if (acl.owner_id != kCanonicalUserId) {
    return Status::InvalidArgument("the ACL owner must be the account's canonical user id");
  }
  for (const AclGrant& g : acl.grants) {
    if (g.type == AclGrant::GranteeType::kEmail) {
      return Status::InvalidArgument("an e-mail grantee must be resolved first");
    }
    if (g.type == AclGrant::GranteeType::kCanonicalUser) {
      if (g.grantee != kCanonicalUserId) {
        return Status::InvalidArgument("Invalid id: unknown canonical user '" + g.grantee + "'");
      }
    } else if (g.grantee != kAllUsersUri && g.grantee != kAuthenticatedUsersUri &&
               g.grantee != kLogDeliveryUri) {
      return Status::InvalidArgument("Invalid group uri '" + g.grantee + "'");
    }
  }
  return Status::OK();
}

bool AclPermits(AclPermission perm, bool on_object, std::string_view action) {
  const bool full = perm == AclPermission::kFullControl;
  if (on_object) {
    return ((full || perm == AclPermission::kRead) && AnyOf(kObjectRead, action)) ||
           ((full || perm == AclPermission::kReadAcp) && AnyOf(kObjectReadAcp, action)) ||
           ((full || perm == AclPermission::kWriteAcp) && AnyOf(kObjectWriteAcp, action));
  }
  return ((full || perm == AclPermission::kRead) && AnyOf(kBucketRead, action)) ||
         ((full || perm == AclPermission::kWrite) && AnyOf(kBucketWrite, action)) ||
         ((full || perm == AclPermission::kReadAcp) && AnyOf(kBucketReadAcp, action)) ||
         ((full || perm == AclPermission::kWriteAcp) && AnyOf(kBucketWriteAcp, action));
}

}  // namespace maxiofs::engine
