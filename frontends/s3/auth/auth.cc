// Authenticate(): decides which mechanism a request uses and hands it to sigv4.cc/sigv2.cc.
#include "auth/auth.h"

#include "auth/request_view.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "auth/uri_encoding.h"

namespace maxiofs::s3 {

S3Result<AuthResult> Authenticate(const AuthRequest& req, const SecretLookup& secrets) {
  using auth::AuthError;
  const std::optional<std::string_view> authorization = auth::FindHeader(req, "authorization");
  const std::vector<auth::QueryParam> params = auth::ParseQuery(req.raw_query);
  bool v4_query = false;
  bool v2_query = false;
  for (const auth::QueryParam& p : params) {
    if (p.name == "X-Amz-Algorithm" || p.name == "X-Amz-Credential" ||
        p.name == "X-Amz-Signature") {
      v4_query = true;
    } else if (p.name == "AWSAccessKeyId" || p.name == "Signature") {
      v2_query = true;
    }
  }
  const S3Error two_mechanisms =
      AuthError(S3ErrorCode::kInvalidArgument, "Only one auth mechanism allowed");

  if (authorization) {
    if (v4_query || v2_query) return two_mechanisms;
    const std::string_view value = auth::TrimWhitespace(*authorization);
    const std::string_view v4 = auth::kSigV4Algorithm;
    if (value.substr(0, v4.size()) == v4 && (value.size() == v4.size() || value[v4.size()] == ' ' ||
                                             value[v4.size()] == '\t' || value[v4.size()] == ',')) {
      return auth::VerifySigV4Header(req, value, secrets);
    }
    if (value.substr(0, 4) == "AWS ") return auth::VerifySigV2Header(req, value, secrets);
    return AuthError(S3ErrorCode::kInvalidArgument, "Unsupported Authorization Type");
  }
  if (v4_query && v2_query) return two_mechanisms;
  if (v4_query) return auth::VerifySigV4Query(req, params, secrets);
  if (v2_query) return auth::VerifySigV2Query(req, params, secrets);

  AuthResult anonymous;
  anonymous.anonymous = true;
  anonymous.scheme = AuthScheme::kAnonymous;
  return anonymous;
}

}  // namespace maxiofs::s3
