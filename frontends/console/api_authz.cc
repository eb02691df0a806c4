// Who a session is, checked again on every call, and the one Authorize every handler asks
// before it acts. The decision itself is the engine's (Iam::Authorize), with the IAM action
// of iam_actions.cc, so a policy limits a user the same way in the console as over S3.
#include "api.h"
#include "crypto_util.h"

namespace maxiofs::console {
namespace {

std::string IamArn(std::string_view type, std::string_view name) {
  return "arn:aws:iam::" + std::string(engine::kAccountId) + ":" + std::string(type) + "/" +
         std::string(name);
}

}  // namespace

Result<Caller> ConsoleApi::SessionCaller(const SessionClaims& claims,
                                         const http::HttpRequest& request) {
  Caller caller;
  if (claims.kind == SessionKind::kRoot) {
    // A root session ends when the root key changes (a restart with new credentials).
    if (!ConstantTimeEquals(Sha256(claims.subject), Sha256(options_.access_key))) {
      return Status::AccessDenied("the root credentials have changed; log in again");
    }
    caller.principal.kind = engine::PrincipalKind::kRoot;
    caller.principal.access_key = claims.subject;
    caller.principal.arn = "arn:aws:iam::" + std::string(engine::kAccountId) + ":root";
  } else {
    auto user = engine_.iam().GetUser(claims.subject);
    if (!user.has_value()) {
      if (user.error().code() == Status::Code::kNoSuchEntity)
        return Status::AccessDenied("the user no longer exists");
      return user.error();
    }
    if (!user->enabled) return Status::AccessDenied("the user is disabled");
    if (!user->has_console_password) {
      return Status::AccessDenied("the user's console password was removed");
    }
    caller.principal.kind = engine::PrincipalKind::kUser;
    caller.principal.user = user->name;
    caller.principal.arn = user->arn;
  }
  caller.context["aws:SourceIp"] = {ClientAddress(request.remote)};
  caller.context["aws:SecureTransport"] = {request.tls ? "true" : "false"};
  if (auto agent = request.Header("user-agent")) {
    caller.context["aws:UserAgent"] = {std::string(*agent)};
  }
  return caller;
}

Status ConsoleApi::Authorize(const Caller& caller, Op op, std::string_view name,
                             std::string_view key,
                             const std::map<std::string, std::vector<std::string>>& extra) {
  engine::AuthzRequest req;
  req.principal = caller.principal;
  req.action = std::string(IamAction(op));
  switch (ResourceOf(op)) {
    case OpResource::kNone:
      break;
    case OpResource::kBucket:
      req.bucket = std::string(name);
      break;
    case OpResource::kObject:
      req.bucket = std::string(name);
      req.key = std::string(key);
      break;
    case OpResource::kUser:
      req.resource_arn = IamArn("user", name);
      break;
    case OpResource::kGroup:
      req.resource_arn = IamArn("group", name);
      break;
    case OpResource::kPolicy:
      req.resource_arn = IamArn("policy", name);
      break;
  }
  req.context = caller.context;
  for (const auto& [k, v] : extra) req.context[k] = v;
  return engine_.iam().Authorize(req);
}

}  // namespace maxiofs::console
