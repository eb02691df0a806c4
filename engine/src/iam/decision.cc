#include "decision.h"

#include "acl_rules.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace maxiofs::engine::iam {
namespace {

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && IStartsWith(a, b);
}

enum class Why : uint8_t {
  kNoIdentityAllow,
  kNoSessionAllow,
  kNoResourceAllow,  // anonymous: only a bucket policy or an ACL could have allowed it
  kAnonymousNever,
  kDenyIdentity,
  kDenySession,
  kDenyResource,
};

Status Denied(const DecisionInputs& in, Why why) {
  const AuthzRequest& req = *in.request;
  std::string m = "User: ";
  m += req.principal.kind == PrincipalKind::kAnonymous || req.principal.arn.empty()
           ? std::string_view("anonymous")
           : std::string_view(req.principal.arn);
  m += " is not authorized to perform: ";
  m += req.action;
  m += " on resource: ";
  m += in.resource;
  switch (why) {
    case Why::kNoIdentityAllow:
      m += " because no identity-based policy allows the " + req.action + " action";
      break;
    case Why::kNoSessionAllow:
      m += " because no session policy allows the " + req.action + " action";
      break;
    case Why::kNoResourceAllow:
      m += " because no resource-based policy or ACL allows the " + req.action + " action";
      break;
    case Why::kAnonymousNever:
      m += " because anonymous requests may not perform " + req.action;
      break;
    case Why::kDenyIdentity:
      m += " with an explicit deny in an identity-based policy";
      break;
    case Why::kDenySession:
      m += " with an explicit deny in a session policy";
      break;
    case Why::kDenyResource:
      m += " with an explicit deny in a resource-based policy";
      break;
  }
  return Status::AccessDenied(m);
}

// Whether `acl` has a grant that matters for this caller and allows `action`.
bool AclAllows(const Acl& acl, bool on_object, const DecisionInputs& in, bool ignore_public) {
  const bool anonymous = in.request->principal.kind == PrincipalKind::kAnonymous;
  for (const AclGrant& g : acl.grants) {
    if (g.type != AclGrant::GranteeType::kGroup) continue;  // the owner's grant: root only
    const bool matches =
        g.grantee == kAllUsersUri || (g.grantee == kAuthenticatedUsersUri && !anonymous);
    if (!matches || (ignore_public && IsPublicGrant(g))) continue;
    if (AclPermits(g.permission, on_object, in.request->action)) return true;
  }
  return false;
}

}  // namespace

std::string UserArnOf(const Principal& p) {
  switch (p.kind) {
    case PrincipalKind::kAnonymous:
      return {};
    case PrincipalKind::kRoot:
    case PrincipalKind::kUser:
      return p.arn;
    case PrincipalKind::kSession:
      if (p.user.empty()) return "arn:aws:iam::" + std::string(kAccountId) + ":root";
      return "arn:aws:iam::" + std::string(kAccountId) + ":user/" + p.user;
  }
  return {};
}

Status Decide(const DecisionInputs& in) {
  const AuthzRequest& req = *in.request;
  const Principal& p = req.principal;
  if (p.kind == PrincipalKind::kRoot) return Status::OK();
  const bool anonymous = p.kind == PrincipalKind::kAnonymous;
  const bool session = p.kind == PrincipalKind::kSession;
  if (anonymous && (IEquals(req.action, "s3:ListAllMyBuckets") || IStartsWith(req.action, "iam:") ||
                    IStartsWith(req.action, "sts:"))) {
    return Denied(in, Why::kAnonymousNever);
  }

  const std::string user_arn = session ? UserArnOf(p) : std::string();
  EvalRequest er;
  er.action = req.action;
  er.resource = in.resource;
  er.principal_arn = p.arn;
  er.principal_user_arn = session ? std::string_view(user_arn) : std::string_view(p.arn);
  er.anonymous = anonymous;
  er.conditions = in.conditions;

  // Identity-based policies (none for anonymous callers).
  bool identity_allow = false;
  if (in.identity != nullptr && !anonymous) {
    for (const auto& pol : in.identity->identity) {
      if (!pol) continue;
      const Decision d = pol->Evaluate(er);
      if (d == Decision::kDeny) return Denied(in, Why::kDenyIdentity);
      identity_allow = identity_allow || d == Decision::kAllow;
    }
  }
  // The session policy bounds what the identity (and user-naming bucket statements) allow.
  bool session_allow = true;
  if (session && in.identity != nullptr && in.identity->session) {
    const Decision d = in.identity->session->Evaluate(er);
    if (d == Decision::kDeny) return Denied(in, Why::kDenySession);
    session_allow = d == Decision::kAllow;
  }
  // The bucket policy.
  bool direct_allow = false;
  bool user_allow = false;
  const BucketAccessSettings* b = in.bucket;
  if (b != nullptr && b->policy) {
    const Decision d = b->policy->Evaluate(er);
    if (d == Decision::kDeny) return Denied(in, Why::kDenyResource);
    if (d == Decision::kAllow) {
      if (anonymous && b->block.restrict_public_buckets && b->policy->IsPublic()) {
        // RestrictPublicBuckets: a public policy gives callers outside the account nothing.
      } else if (session) {
        // Statements naming the session itself (or everyone) are enough on their own; those
        // naming its user are bounded by the session policy.
        EvalRequest own = er;
        own.principal_user_arn = p.arn;
        if (b->policy->Evaluate(own) == Decision::kAllow) {
          direct_allow = true;
        } else {
          user_allow = true;
        }
      } else {
        direct_allow = true;
      }
    }
  }
  if (direct_allow) return Status::OK();
  if ((identity_allow || user_allow) && session_allow) return Status::OK();

  // ACLs.
  if (b != nullptr) {
    const bool ignore_public = b->block.ignore_public_acls;
    if (AclAllows(b->acl, false, in, ignore_public)) return Status::OK();
    if (!req.key.empty() && !ignore_public && in.load_object_acl &&
        AclPermits(AclPermission::kFullControl, true, req.action)) {
      std::optional<Acl> acl = in.load_object_acl();
      if (acl && AclAllows(*acl, true, in, ignore_public)) return Status::OK();
    }
  }
  if (anonymous) return Denied(in, Why::kNoResourceAllow);
  if (identity_allow || user_allow) return Denied(in, Why::kNoSessionAllow);
  return Denied(in, Why::kNoIdentityAllow);
}

}  // namespace maxiofs::engine::iam
