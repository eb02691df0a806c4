// Small helpers shared by the SigV4 and SigV2 verifiers: header look-up on an AuthRequest and
// error construction. Internal to the auth library.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include "auth/auth.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::s3::auth {

// The value of the first header named `name` (lower-case; the request's names are compared
// case-insensitively), untrimmed; nullopt if absent.
std::optional<std::string_view> FindHeader(const AuthRequest& req, std::string_view name);

// Every value of the headers named `name`, in arrival order.
std::vector<std::string_view> HeaderValues(const AuthRequest& req, std::string_view name);

// `s` without leading and trailing spaces and tabs.
std::string_view TrimWhitespace(std::string_view s);

inline S3Error AuthError(S3ErrorCode code, std::string message) {
  return S3Error{code, std::move(message)};
}

// The secret of `access_key` from `secrets`; InvalidAccessKeyId when there is no lookup.
S3Result<std::string> LookupSecret(const SecretLookup& secrets, std::string_view access_key);

}  // namespace maxiofs::s3::auth
