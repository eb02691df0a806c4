// Iam::Authorize: gathers what applies to a request (identity and session policies from the
// IdentityStore, the bucket's settings from BucketAccess, the condition values) and asks
// iam::Decide (decision.h). Reads the disk only for an object's ACL, when nothing else allowed
// the request and an object ACL could, and for an object's tags, when a policy that applies
// tests s3:ExistingObjectTag/<key>.
#include "condition.h"
#include "decision.h"
#include "iam_impl.h"

namespace maxiofs::engine {
namespace {

constexpr std::string_view kExistingTagPrefix = "s3:existingobjecttag/";

bool ReadsExistingTags(const PrincipalPolicies& pols, const BucketAccessSettings* bucket) {
  auto reads = [](const std::shared_ptr<const iam::Policy>& p) {
    return p && p->UsesConditionKeyPrefix(kExistingTagPrefix);
  };
  for (const auto& p : pols.identity) {
    if (reads(p)) return true;
  }
  return reads(pols.session) || (bucket != nullptr && reads(bucket->policy));
}

// The calls that manage a bucket policy: the account's root may always make them, so that a
// policy that denies everyone can still be read, fixed or removed.
bool IsBucketPolicyAction(std::string_view action) {
  return action == "s3:GetBucketPolicy" || action == "s3:PutBucketPolicy" ||
         action == "s3:DeleteBucketPolicy";
}

}  // namespace

bool IamImpl::CannotBeRefused(const Principal& principal, std::string_view bucket) {
  if (!IsUnrestricted(principal)) return false;
  if (bucket.empty()) return true;
  const std::shared_ptr<const BucketAccessSettings> b = buckets_.Snapshot(bucket);
  return !(b && b->policy);
}

Status IamImpl::Authorize(const AuthzRequest& req) {
  // The account's root is bound only by explicit denies in a bucket's policy (as in S3).
  const bool root = IsUnrestricted(req.principal);
  if (root && (!req.resource_arn.empty() || IsBucketPolicyAction(req.action) ||
               CannotBeRefused(req.principal, req.bucket))) {
    return Status::OK();
  }
  const PrincipalPolicies pols = identities_.PoliciesFor(req.principal);
  std::shared_ptr<const BucketAccessSettings> bucket;
  std::string resource;
  if (!req.resource_arn.empty()) {
    resource = req.resource_arn;
  } else if (req.bucket.empty()) {
    resource = "arn:aws:s3:::*";  // s3:ListAllMyBuckets
  } else {
    bucket = buckets_.Snapshot(req.bucket);
    resource.reserve(13 + req.bucket.size() + 1 + req.key.size());
    resource = "arn:aws:s3:::";
    resource += req.bucket;
    if (!req.key.empty()) {
      resource += '/';
      resource += req.key;
    }
  }
  if (root && !(bucket && bucket->policy)) return Status::OK();  // removed since the check
  // Condition values are only read by policies: skip building them when none applies.
  const bool any_policy = !pols.identity.empty() || pols.session || (bucket && bucket->policy);
  iam::ConditionValues conditions =
      any_policy ? iam::ConditionsFor(req, pols.user_id) : iam::ConditionValues{};
  // s3:ExistingObjectTag/<key> is the engine's to say: never what a caller sent.
  for (auto it = conditions.lower_bound(std::string(kExistingTagPrefix));
       it != conditions.end() && it->first.starts_with(kExistingTagPrefix);) {
    it = conditions.erase(it);
  }
  if (any_policy && bucket && !req.key.empty() && ReadsExistingTags(pols, bucket.get())) {
    // s3:ExistingObjectTag/<key>: the addressed version's tags (none when it does not exist).
    Result<TagSet> tags = buckets_.LoadObjectTags(req.bucket, req.key, req.version_id);
    if (tags.has_value()) {
      for (Tag& t : *tags) {
        conditions[std::string(kExistingTagPrefix) + t.key] = {std::move(t.value)};
      }
    }
  }
  iam::DecisionInputs in;
  in.request = &req;
  in.resource = resource;
  in.identity = &pols;
  in.bucket = bucket.get();
  in.conditions = &conditions;
  if (bucket && !req.key.empty()) {
    in.load_object_acl = [this, &req]() -> std::optional<Acl> {
      Result<Acl> acl = buckets_.GetObjectAcl(req.bucket, req.key, req.version_id);
      if (!acl.has_value()) return std::nullopt;  // no such object: no grants
      return std::move(*acl);
    };
  }
  return iam::Decide(in);
}

}  // namespace maxiofs::engine
