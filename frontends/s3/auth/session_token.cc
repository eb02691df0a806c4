#include "auth/session_token.h"

#include "auth/crypto.h"
#include "auth/request_view.h"
#include "auth/uri_encoding.h"

namespace maxiofs::s3 {

std::optional<std::string> RequestSessionToken(const AuthRequest& req) {
  if (auto h = auth::FindHeader(req, "x-amz-security-token")) {
    return std::string(auth::TrimWhitespace(*h));
  }
  for (const auth::QueryParam& p : auth::ParseQuery(req.raw_query)) {
    if (p.name == "X-Amz-Security-Token" || p.name == "x-amz-security-token") return p.value;
  }
  return std::nullopt;
}

std::optional<S3Error> CheckSessionToken(const AuthRequest& req, std::string_view expected) {
  const std::optional<std::string> token = RequestSessionToken(req);
  const bool ok = expected.empty()
                      ? !token.has_value()
                      : token.has_value() && auth::ConstantTimeEquals(*token, expected);
  if (ok) return std::nullopt;
  return S3Error{S3ErrorCode::kInvalidToken,
                 "The provided token is malformed or otherwise invalid."};
}

}  // namespace maxiofs::s3
