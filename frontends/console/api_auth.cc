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

namespace {

nlohmann::json SessionJson(const SessionClaims& claims) {
  return {{"user", claims.subject},
          {"csrfToken", claims.csrf},
          {"expiresAt", Rfc3339FromNs(claims.expires_at * 1000000000LL)}};
}

}  // namespace

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
    auto access_key = JsonString(doc, "accessKey");
    auto secret_key = JsonString(doc, "secretKey");
    if (!access_key || !secret_key) {
      return JsonError(400, "InvalidArgument", "accessKey and secretKey are required.");
    }
    // Compare both in full whatever the first gives, so timing tells nothing.
    const bool key_ok = ConstantTimeEquals(Sha256(*access_key), Sha256(options_.access_key));
    const bool secret_ok = ConstantTimeEquals(Sha256(*secret_key), Sha256(options_.secret_key));
    if (!(key_ok && secret_ok)) {
      limiter_.RecordFailure(client, now_s);
      return JsonError(401, "InvalidCredentials", "The access key or secret key is wrong.");
    }
    limiter_.RecordSuccess(client);
    const SessionClaims claims = sessions_.Issue(*access_key, now_s);
    http::Response r = JsonResponse(200, SessionJson(claims));
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
  return Started(JsonResponse(200, SessionJson(*call.session)));
}

}  // namespace maxiofs::console
