// Decide: the one authorization decision, as a pure function of what applies to a request
// (identity, session and bucket policies, the bucket's ACL and public-access block, and, when
// it matters, the object's ACL). Iam::Authorize (authorize.cc) gathers these and calls it;
// tests feed it directly.
//
// The rules (AWS "Policy evaluation logic" and "How Amazon S3 authorizes a request", for one
// account):
//  1. Root is allowed unless an explicit Deny of the bucket policy applies (Iam::Authorize
//     never asks for root's calls that manage the bucket policy itself, so a policy that
//     denies everyone can still be fixed). Identity policies and ACLs do not bind root.
//  2. Anonymous callers never get s3:ListAllMyBuckets or any iam:/sts: action.
//  3. An explicit Deny in any identity, session or bucket policy denies.
//  4. Allowed when the bucket policy allows the caller directly (Principal "*", or the
//     session's own ARN), or when an identity policy or a bucket-policy statement naming the
//     user allows it and, for a session with a session policy, that policy allows it too.
//     restrict_public_buckets: a public bucket policy gives anonymous callers nothing.
//     A session of root (no user) has root's permissions, bounded by its session policy.
//  5. Else allowed when an ACL grant does (bucket ACL for bucket actions and bucket WRITE,
//     the object's ACL for object actions): AllUsers matches everyone, AuthenticatedUsers every
//     non-anonymous caller; the owner's canonical grant is root's alone (already allowed).
//     ignore_public_acls: grants to those two groups are ignored.
//  6. Else denied (implicit deny).
#pragma once

#include "bucket_access.h"
#include "identity_store.h"
#include "policy.h"

#include "maxiofs/common/status.h"
#include "maxiofs/engine/iam.h"

#include <functional>
#include <optional>
#include <string_view>

namespace maxiofs::engine::iam {

struct DecisionInputs {
  const AuthzRequest* request = nullptr;        // REQUIRES: non-null
  std::string_view resource;                    // the resource ARN (arn:aws:s3:::b/k, an IAM ARN)
  const PrincipalPolicies* identity = nullptr;  // null = none
  // The bucket's settings for S3 resources; null for IAM/STS resources or a missing bucket.
  const BucketAccessSettings* bucket = nullptr;
  const ConditionValues* conditions = nullptr;  // REQUIRES: non-null
  // The object's ACL (nullopt = private or no such object), called at most once and only when
  // an object ACL could decide the request. May be empty (then no object ACL applies).
  std::function<std::optional<Acl>()> load_object_acl;
};

// OK or AccessDenied with a message in AWS's words naming the caller, the action, the resource
// and why ("... because no identity-based policy allows the s3:PutObject action", "... with an
// explicit deny in a resource-based policy").
Status Decide(const DecisionInputs& in);

// The condition values of a request: req.context with keys lower-cased, plus aws:username,
// aws:userid (`user_id`; the account id for root), aws:PrincipalType (Account, User,
// AssumedRole, FederatedUser, Anonymous), aws:PrincipalArn, aws:PrincipalAccount,
// aws:CurrentTime (ISO 8601, UTC, seconds) and aws:EpochTime, which replace any sent along.
ConditionValues ConditionsFor(const AuthzRequest& req, std::string_view user_id);

// The user ARN behind a principal (the session's user, or the root ARN for a root session);
// the principal's own ARN for users; "" for anonymous.
std::string UserArnOf(const Principal& p);

}  // namespace maxiofs::engine::iam
