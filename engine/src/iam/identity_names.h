// The shapes of IAM names and generated identifiers: name validation, and random ids, access
// keys, secrets and session tokens.
//
// Thread-safety: pure functions (randomness from the OS CSPRNG).
#pragma once

#include "maxiofs/common/status.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace maxiofs::engine::iam {

inline constexpr size_t kMaxUserNameLength = 64;
inline constexpr size_t kMaxGroupNameLength = 128;  // IAM allows 128 for groups
inline constexpr size_t kMaxPolicyNameLength = 128;
inline constexpr size_t kMaxPolicyDescriptionLength = 1000;

// OK when `name` is 1-`max_length` characters of [A-Za-z0-9+=,.@_-]; else InvalidArgument
// naming `what` ("user name") and the rule.
Status CheckName(std::string_view what, std::string_view name, size_t max_length);

// An STS role session name: 2-64 characters of [A-Za-z0-9+=,.@_-].
Status CheckSessionName(std::string_view name);

// `prefix` followed by `n` random upper-case letters and digits ("AIDA" + 17 for a user id).
std::string NewId(std::string_view prefix, size_t n);
// A 40-character secret access key of [A-Za-z0-9+/].
std::string NewSecretKey();
// A session token: 128 random characters of [A-Za-z0-9+/] (768 bits).
std::string NewSessionToken();

// The role name of arn:aws:iam::<account>:role[/path]/<name>; "" when `arn` is not a role ARN.
std::string RoleNameFromArn(std::string_view arn);

}  // namespace maxiofs::engine::iam
