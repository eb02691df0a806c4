#include "decision.h"

#include "acl_rules.h"
#include "condition.h"

#include "maxiofs/common/ascii.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace maxiofs::engine::iam {
namespace {

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
    std::string_view action = in.request->action;
    // Creating an object with an ACL: the bucket grant to create it decides.
    if (!on_object && in.request->acl_of_new_object &&
        EqualsIgnoreCase(action, "s3:PutObjectAcl")) {
      action = "s3:PutObject";
    }
    if (AclPermits(g.permission, on_object, action)) return true;
  }
  return false;
}

std::string_view PrincipalType(const Principal& p) {
  switch (p.kind) {
    case PrincipalKind::kAnonymous:
      return "Anonymous";
    case PrincipalKind::kRoot:
      return "Account";
    case PrincipalKind::kUser:
      return "User";
    case PrincipalKind::kSession:
      return p.arn.find(":assumed-role/") != std::string::npos ? "AssumedRole" : "FederatedUser";
  }
  return "Anonymous";
}

}  // namespace

// The request's condition values: the caller's (keys lower-cased) plus the ones Authorize
// knows better than any front end (they replace what the caller sent).
ConditionValues ConditionsFor(const AuthzRequest& req, std::string_view user_id) {
  ConditionValues cv;
  for (const auto& [k, v] : req.context) cv.emplace(CanonicalConditionKey(k), v);
  const Principal& p = req.principal;
  const bool anonymous = p.kind == PrincipalKind::kAnonymous;
  if (!p.user.empty()) cv["aws:username"] = {p.user};
  if (!user_id.empty()) {
    cv["aws:userid"] = {std::string(user_id)};
  } else if (p.kind == PrincipalKind::kRoot) {
    cv["aws:userid"] = {std::string(kAccountId)};
  }
  cv["aws:principaltype"] = {std::string(PrincipalType(p))};
  if (!anonymous) {
    if (!p.arn.empty()) cv["aws:principalarn"] = {p.arn};
    cv["aws:principalaccount"] = {std::string(kAccountId)};
  }
  // ISO 8601 from the civil calendar (no libc time-zone lock on the request path).
  using namespace std::chrono;  // NOLINT: calendar types, function scope only
  const auto secs = floor<seconds>(system_clock::now());
  const auto day = floor<days>(secs);
  const year_month_day ymd(day);
  const hh_mm_ss hms(secs - day);
  char iso[32];
  const auto put2 = [](char* at, unsigned v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  };
  const unsigned y = static_cast<unsigned>(static_cast<int>(ymd.year())) % 10000;
  put2(iso, y / 100);
  put2(iso + 2, y % 100);
  iso[4] = '-';
  put2(iso + 5, static_cast<unsigned>(ymd.month()));
  iso[7] = '-';
  put2(iso + 8, static_cast<unsigned>(ymd.day()));
  iso[10] = 'T';
  put2(iso + 11, static_cast<unsigned>(hms.hours().count()));
  iso[13] = ':';
  put2(iso + 14, static_cast<unsigned>(hms.minutes().count()));
  iso[16] = ':';
  put2(iso + 17, static_cast<unsigned>(hms.seconds().count()));
  iso[19] = 'Z';
  cv["aws:currenttime"] = {std::string(iso, 20)};
  cv["aws:epochtime"] = {std::to_string(secs.time_since_epoch().count())};
  return cv;
}

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
  const bool anonymous = p.kind == PrincipalKind::kAnonymous;
  const bool session = p.kind == PrincipalKind::kSession;
  const std::string user_arn = session ? UserArnOf(p) : std::string();
  EvalRequest er;
  er.action = req.action;
  er.resource = in.resource;
  er.principal_arn = p.arn;
  er.principal_user_arn = session ? std::string_view(user_arn) : std::string_view(p.arn);
  er.anonymous = anonymous;
  er.conditions = in.conditions;

  if (p.kind == PrincipalKind::kRoot) {
    // The account's root: everything but what the bucket policy denies explicitly.
    if (in.bucket != nullptr && in.bucket->policy &&
        in.bucket->policy->Evaluate(er) == Decision::kDeny) {
      return Denied(in, Why::kDenyResource);
    }
    return Status::OK();
  }
  if (anonymous &&
      (EqualsIgnoreCase(req.action, "s3:ListAllMyBuckets") ||
       StartsWithIgnoreCase(req.action, "iam:") || StartsWithIgnoreCase(req.action, "sts:"))) {
    return Denied(in, Why::kAnonymousNever);
  }

  // Identity-based policies (none for anonymous callers). A session of root has root's
  // permissions, bounded by its session policy.
  bool identity_allow = session && p.user.empty();
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

  // ACLs (none apply while the bucket's ownership controls turn them off).
  if (b != nullptr && !b->acls_disabled()) {
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
