// What ACLs mean: validation, "public" grants, and which S3 actions a permission grants (the
// mapping AWS documents in "ACL overview": permissions to policy actions).
#pragma once

#include "maxiofs/common/status.h"
#include "maxiofs/engine/iam.h"

#include <optional>
#include <string_view>

namespace maxiofs::engine {

inline constexpr std::string_view kAllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr std::string_view kAuthenticatedUsersUri =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
inline constexpr std::string_view kLogDeliveryUri =
    "http://acs.amazonaws.com/groups/s3/LogDelivery";

// The "private" ACL: the owner has FULL_CONTROL.
const Acl& PrivateAcl();
// nullopt when `acl` is the private ACL (records then store no ACL), else `acl`.
std::optional<Acl> NormalizeAcl(Acl acl);

// A grant to AllUsers or AuthenticatedUsers.
bool IsPublicGrant(const AclGrant& g);
bool IsPublicAcl(const Acl& acl);

// Replaces every grant to an e-mail address with a grant to the canonical user the address
// belongs to: `account_email` (case-insensitive) is the account's; "" matches nothing.
// InvalidArgument with SubCode::kUnresolvableGrant for any other address.
Status ResolveEmailGrants(Acl& acl, std::string_view account_email);

// InvalidArgument for what S3 refuses: more than 100 grants, an owner or canonical grantee
// other than the account's (kCanonicalUserId), an unknown group URI.
Status ValidateAcl(const Acl& acl);

// True when `perm`, granted on a bucket (`on_object` false) or an object, allows `action`
// (matched case-insensitively). Bucket READ: s3:ListBucket, ListBucketVersions,
// ListBucketMultipartUploads; bucket WRITE: s3:PutObject, s3:DeleteObject; object READ:
// s3:GetObject, GetObjectVersion; READ_ACP: s3:Get{Bucket,Object,ObjectVersion}Acl;
// WRITE_ACP: s3:Put{...}Acl; FULL_CONTROL: all of the level's. Object WRITE grants nothing.
bool AclPermits(AclPermission perm, bool on_object, std::string_view action);

}  // namespace maxiofs::engine
