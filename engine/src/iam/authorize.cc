// Iam::Authorize: gathers what applies to a request (identity and session policies from the
// IdentityStore, the bucket's settings from BucketAccess, the condition values) and asks
// iam::Decide (decision.h). Reads the disk only for an object's ACL, and only when nothing
// else allowed the request and an object ACL could.
#include "decision.h"
#include "iam_impl.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace maxiofs::engine {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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

// The request's condition values: the caller's (keys lower-cased) plus the ones Authorize
// knows better than any front end (they replace what the caller sent).
iam::ConditionValues ConditionsFor(const AuthzRequest& req, const PrincipalPolicies& pols) {
  iam::ConditionValues cv;
  for (const auto& [k, v] : req.context) cv.emplace(Lower(k), v);
  const Principal& p = req.principal;
  const bool anonymous = p.kind == PrincipalKind::kAnonymous;
  if (!p.user.empty()) cv["aws:username"] = {p.user};
  if (!pols.user_id.empty()) {
    cv["aws:userid"] = {pols.user_id};
  } else if (p.kind == PrincipalKind::kRoot) {
    cv["aws:userid"] = {std::string(kAccountId)};
  }
  cv["aws:principaltype"] = {std::string(PrincipalType(p))};
  if (!anonymous) {
    if (!p.arn.empty()) cv["aws:principalarn"] = {p.arn};
    cv["aws:principalaccount"] = {std::string(kAccountId)};
  }
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char iso[64];
  std::snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  cv["aws:currenttime"] = {iso};
  cv["aws:epochtime"] = {std::to_string(static_cast<long long>(secs))};
  return cv;
}

}  // namespace

Status IamImpl::Authorize(const AuthzRequest& req) {
  if (req.principal.kind == PrincipalKind::kRoot) return Status::OK();
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
  const iam::ConditionValues conditions = ConditionsFor(req, pols);
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
