// The IAM policy language (internal to the engine): parsing with validation, and evaluation of
// one policy against one request. Iam::Authorize (iam_authorize.cc) combines the policies of a
// request (identity, group, bucket, session) with ACLs, as AWS documents: an explicit Deny
// wins, then any Allow, else an implicit deny.
//
// Supported, as AWS defines them: Version ("2012-10-17" or "2008-10-17"), Id, Statement (one
// object or an array) with Sid, Effect, Principal/NotPrincipal ("*", {"AWS": ...},
// {"CanonicalUser": ...}), Action/NotAction and Resource/NotResource with * and ? wildcards
// (actions case-insensitive, resources case-sensitive, policy variables ${aws:username} etc.
// expanded in Resource and condition values), Condition with every string, numeric, date,
// bool, binary, IP-address and ARN operator, the ...IfExists forms, Null, and the
// ForAnyValue:/ForAllValues: set qualifiers (semantics in condition.h).
//
// Details a caller may rely on:
//  - Policy variables are expanded only in Version "2012-10-17" documents; without a Version
//    (AWS then applies 2008-10-17) ${...} is literal text. A variable whose key is missing
//    makes that Resource or condition value match nothing (see pattern.h).
//  - Resource and ARN-condition matching compares the six colon-separated parts of an ARN
//    separately (a wildcard never spans the first five colons); "*" alone matches anything.
//  - Condition operator names are accepted in any case; condition keys are lower-cased when
//    compiled, so ConditionValues keys must be lower case, except the tag key of the
//    tag condition keys (s3:ExistingObjectTag/<key>, s3:RequestObjectTag/<key>,
//    aws:RequestTag/<key>, aws:ResourceTag/<key>, aws:PrincipalTag/<key>), which is
//    case-sensitive as tag keys are: both sides go through CanonicalConditionKey.
//  - Size: 20 KiB (20480 bytes) for both kinds. AWS allows 20 KiB for bucket policies but
//    only 6144 characters for managed identity policies; we are generous with the latter.
//  - Principal values: "*", {"AWS": "*"}, {"AWS": kAccountId} or the account's root ARN (every
//    authenticated principal), IAM user/role/session ARNs (exact, no wildcards), another
//    12-digit account (valid, never matches), {"CanonicalUser": kCanonicalUserId} (the
//    account), {"Service"/"Federated": ...} (valid, never matches).
//
// Thread-safety: a parsed Policy is immutable; Evaluate may be called concurrently.
#pragma once

#include "maxiofs/common/result.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine::iam {

// What a policy is attached to, which changes what is valid in it.
enum class PolicyKind : uint8_t {
  kIdentity,  // managed or session policy: Principal/NotPrincipal not allowed
  kResource,  // bucket policy: Principal or NotPrincipal required in every statement
};

// Condition values of a request: lower-cased key name -> values.
using ConditionValues = std::map<std::string, std::vector<std::string>>;

// The request as a policy sees it.
struct EvalRequest {
  std::string_view action;    // "s3:GetObject"
  std::string_view resource;  // "arn:aws:s3:::bucket/key"
  // The caller's ARN ("" for anonymous) and whether it is anonymous; Principal "*" matches
  // everyone, {"AWS": "arn:aws:iam::<acct>:root"} or the bare account id every principal of
  // the account (not anonymous), a user ARN that user (and its sessions).
  std::string_view principal_arn;
  std::string_view principal_user_arn;  // for sessions: the user behind it; else = principal_arn
  bool anonymous = false;
  // An AWS service acting on its own (e.g. "logging.s3.amazonaws.com" delivering server access
  // logs): matched only by a statement naming it in {"Service": ...}, never by "*" or an AWS
  // principal. Empty for every request of a user.
  std::string_view service;
  const ConditionValues* conditions = nullptr;  // never null when evaluating
};

enum class Decision : uint8_t {
  kNotApplicable,  // no statement matched
  kAllow,          // at least one Allow matched and no Deny
  kDeny,           // an explicit Deny matched
};

class Policy {
 public:
  // Parses and validates. MalformedPolicy with a message naming the statement (by Sid or
  // index) and the problem: JSON syntax (with the offset), unknown top-level or statement
  // element, missing Effect/Action/Resource, both Action and NotAction, a Principal in an
  // identity policy or none in a resource policy, an unknown condition operator, a value of
  // the wrong type for its operator (a non-number for NumericEquals, a bad date, a bad CIDR),
  // an action without a "service:" prefix, a resource that is not an ARN or "*", a document
  // over 20 KiB (identity) / 20 KiB (bucket), duplicate Sids. For kResource with `bucket`
  // non-empty, every Resource must be arn:aws:s3:::<bucket>[/...] (wildcards allowed as
  // long as the bucket part matches `bucket`; "*" is refused) and every Action an s3: action
  // or "*" (AWS: "Policy has invalid resource" / "Policy has invalid action").
  static Result<std::shared_ptr<const Policy>> Parse(std::string_view json, PolicyKind kind,
                                                     std::string_view bucket = {});

  virtual ~Policy() = default;

  // The decision of this policy alone.
  virtual Decision Evaluate(const EvalRequest& req) const = 0;

  // AWS's "public" test for bucket policies: some Allow statement grants to Principal "*" (or
  // {"AWS":"*"}) without a condition that pins it to fixed values (aws:SourceIp to a non-/0
  // range, aws:SourceArn, aws:SourceAccount, aws:PrincipalAccount, aws:userid, s3:x-amz-acl...).
  virtual bool IsPublic() const = 0;

  // The document as given.
  virtual const std::string& text() const = 0;

  // Whether some Condition tests a key starting with `prefix` (lower-case, as
  // CanonicalConditionKey gives it; e.g. "s3:existingobjecttag/"), so a caller gathers costly
  // values (an object's tags) only when a policy can read them. No allocation.
  virtual bool UsesConditionKeyPrefix(std::string_view prefix) const = 0;

 protected:
  Policy() = default;
};

}  // namespace maxiofs::engine::iam
