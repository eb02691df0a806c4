// Session tokens as compact JWTs (RFC 7519) signed with HMAC-SHA256 ("HS256"). Only HS256 is
// accepted: a token naming another algorithm ("none" included) is refused.
//
// Thread-safety: pure functions.
#pragma once

#include "maxiofs/common/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::console {

// Who a session belongs to ("knd"): the config's root credentials or an IAM user.
enum class SessionKind : uint8_t { kRoot, kUser };

struct SessionClaims {
  // kRoot: the root access key that logged in; kUser: the IAM user name ("sub").
  std::string subject;
  SessionKind kind = SessionKind::kRoot;  // ("knd": "root" | "user")
  int64_t issued_at = 0;                  // Unix seconds ("iat")
  int64_t expires_at = 0;                 // Unix seconds ("exp")
  std::string id;                         // random token id ("jti"), for logout revocation
  std::string csrf;                       // the CSRF token bound to this session ("csrf")
};

// header.payload.signature, base64url without padding.
std::string SignJwt(const SessionClaims& claims, std::string_view key);

// The claims of a well-formed token whose signature verifies under `key` and which has not
// expired at `now_s` (Unix seconds) and names a known kind. AccessDenied (with the reason)
// otherwise.
Result<SessionClaims> VerifyJwt(std::string_view token, std::string_view key, int64_t now_s);

}  // namespace maxiofs::console
