// Login, logout and the current session. The session token travels only in an HttpOnly,
// SameSite=Strict cookie; the CSRF token bound to it is returned in JSON for the app to send
// back in X-CSRF-Token.
#include "api.h"
#include "crypto_util.h"

namespace maxiofs::console {

constexpr std::string_view kSessionCookie = "maxiofs_session";

std::string ConsoleApi::SessionCookie(const SessionClaims& claims, bool secure) const {
  return SetCookie(kSessionCookie, sessions_.Sign(claims), claims.expires_at - claims.issued_at,
                   /*http_only=*/true, secure);
}

nlohmann::json ConsoleApi::SessionJson(const SessionClaims& claims, const Caller& caller) {
  // What the app may offer: pages the caller would only get 403s from are hidden.
  auto allowed = [&](Op op) { return Authorize(caller, op, "*").ok(); };
  return {{"user", claims.subject},
          {"kind", claims.kind == SessionKind::kUser ? "user" : "root"},
          {"csrfToken", claims.csrf},
          {"expiresAt", Rfc3339FromNs(claims.expires_at * 1000000000LL)},
          {"permissions",
           {{"iam", allowed(Op::kListUsers)}, {"config", allowed(Op::kGetServerConfig)}}}};
}

http::StartedRequest ConsoleApi::Login(const ApiCall& call) {
  const std::string client = ClientAddress(call.http.remote);
  if (const int64_t wait = limiter_.RetryAfter(client, call.now_s); wait > 0) {
    http::Response r =
        JsonError(429, "TooManyRequests", "Too many failed logins; try again later.");
    r.AddHeader("Retry-After", std::to_string(wait));
    return Started(std::move(r));
  }
  auto content_type = call.http.Header("content-type");
  if (!content_type || !content_type->starts_with("application/json")) {
    return Started(JsonError(415, "UnsupportedMediaType", "Send the login as application/json."));
  }
  const bool secure = call.http.tls;
  const int64_t now_s = call.now_s;
  http::StartedRequest started;
  started.operation = "Login";
  started.body = JsonBody([this, client, secure, now_s](const nlohmann::json& doc) {
    // {user, password}; {accessKey, secretKey} is the older spelling of the same.
    auto user = JsonString(doc, "user");
    auto password = JsonString(doc, "password");
    if (!user && !password) {
      user = JsonString(doc, "accessKey");
      password = JsonString(doc, "secretKey");
    }
    if (!options_.login_required) {
      // auth.enabled: false (loopback servers only): whoever asks is root.
      Caller root;
      root.principal.kind = engine::PrincipalKind::kRoot;
      root.principal.access_key = options_.access_key;
      const SessionClaims claims = sessions_.Issue(options_.access_key, SessionKind::kRoot, now_s);
      http::Response r = JsonResponse(200, SessionJson(claims, root));
      r.AddHeader("Set-Cookie", SessionCookie(claims, secure));
      return r;
    }
    if (!user || !password || user->empty()) {
      return JsonError(400, "InvalidArgument", "user and password are required.");
    }
    auto credentials_wrong = [&] {
      limiter_.RecordFailure(client, now_s);
      return JsonError(401, "InvalidCredentials", "The user name or password is wrong.");
    };
    // Root: the config's access key and secret key. Both are compared in full whatever the
    // first gives, so timing tells nothing.
    const bool key_ok = ConstantTimeEquals(Sha256(*user), Sha256(options_.access_key));
    const bool secret_ok = ConstantTimeEquals(Sha256(*password), Sha256(options_.secret_key));
    Caller caller;
    SessionKind kind = SessionKind::kRoot;
    if (key_ok && secret_ok) {
      caller.principal.kind = engine::PrincipalKind::kRoot;
      caller.principal.access_key = *user;
    } else {
      // An IAM user with a console password (the engine compares in constant time and says
      // the same whether or not the user exists).
      auto principal = engine_.iam().CheckConsolePassword(*user, *password);
      if (!principal.has_value()) {
        switch (principal.error().code()) {
          case Status::Code::kAccessDenied:
          case Status::Code::kNoSuchEntity:
          case Status::Code::kInvalidArgument:
          case Status::Code::kNotImplemented:
            return credentials_wrong();
          default:
            return StatusError(principal.error());
        }
      }
      caller.principal = std::move(principal).value();
      kind = SessionKind::kUser;
    }
    limiter_.RecordSuccess(client);
    const SessionClaims claims = sessions_.Issue(*user, kind, now_s);
    http::Response r = JsonResponse(200, SessionJson(claims, caller));
    r.AddHeader("Set-Cookie", SessionCookie(claims, secure));
    return r;
  });
  return started;
}

http::StartedRequest ConsoleApi::Logout(const ApiCall& call) {
  sessions_.Revoke(*call.session, call.now_s);
  http::Response r = JsonResponse(200, {{"loggedOut", true}});
  r.AddHeader("Set-Cookie", SetCookie(kSessionCookie, "", 0, true, call.http.tls));
  return Started(std::move(r));
}

http::StartedRequest ConsoleApi::Me(const ApiCall& call) {
  return Started(JsonResponse(200, SessionJson(*call.session, call.caller)));
}

}  // namespace maxiofs::console
