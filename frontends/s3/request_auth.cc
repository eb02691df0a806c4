#include "request_auth.h"

#include "auth/session_token.h"

namespace maxiofs::s3 {

AuthRequest MakeAuthRequest(const HttpRequest& request, const Route& route,
                            std::chrono::system_clock::time_point now, std::string_view region) {
  AuthRequest ar;
  ar.method = request.method;
  ar.raw_path = route.raw_path;
  ar.raw_query = route.raw_query;
  ar.headers = &request.headers;
  ar.now = now;
  ar.region = region;
  if (route.virtual_host) ar.virtual_host_bucket = route.bucket;
  return ar;
}

S3Result<Authenticated> AuthenticateWithEngine(const AuthRequest& ar, engine::Engine& engine) {
  const int64_t now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(ar.now.time_since_epoch()).count();
  Authenticated out;
  SecretLookup secrets = [&](std::string_view key) -> S3Result<std::string> {
    auto found = engine.iam().LookupCredential(key, now_ns);
    if (!found.has_value()) return FromStatus(found.error());
    out.credential = std::move(found).value();
    return out.credential->secret_key;
  };
  auto auth = Authenticate(ar, secrets);
  if (!auth.has_value()) return auth.error();
  out.auth = std::move(auth).value();
  if (out.auth.anonymous) {
    out.credential.reset();
    return out;
  }
  if (!out.credential) return S3Error{S3ErrorCode::kInternalError, "no credential"};
  if (auto err = CheckSessionToken(ar, out.credential->session_token)) return *err;
  return out;
}

}  // namespace maxiofs::s3
