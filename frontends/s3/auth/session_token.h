// Temporary credentials: the session token a request must carry (x-amz-security-token).
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include "auth/auth.h"

#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

// The session token of a request: the x-amz-security-token header, else (presigned URLs) the
// X-Amz-Security-Token or x-amz-security-token query parameter; nullopt when it has none.
std::optional<std::string> RequestSessionToken(const AuthRequest& req);

// Checks a signed request's token against its credential's: temporary credentials
// (`expected` non-empty) need exactly that token, compared in constant time; long-term keys
// (`expected` empty) must carry none. InvalidToken (400, "The provided token is malformed or
// otherwise invalid.") otherwise, as S3 answers.
std::optional<S3Error> CheckSessionToken(const AuthRequest& req, std::string_view expected);

}  // namespace maxiofs::s3
