// Console password hashing: PBKDF2-HMAC-SHA256 with a random 16-byte salt and a 32-byte
// output, stored as
//
//   "pbkdf2-sha256$" iterations "$" hex(salt) "$" hex(hash)
//
// The iteration count is part of the stored string, so it can be raised later without
// invalidating existing hashes. With kPasswordIterations a check takes about 18 ms on an idle
// core of the reference machine (40-65 ms when it is loaded; bench/iam_bench), slow enough to
// make offline guessing costly and fast enough for a login.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine::iam {

inline constexpr uint32_t kPasswordIterations = 100000;

// A new salted hash of `password`.
std::string HashPassword(std::string_view password, uint32_t iterations = kPasswordIterations);

// True when `password` matches `stored` (a HashPassword result); false for a mismatch or a
// malformed `stored`. Compares in constant time.
bool VerifyPassword(std::string_view stored, std::string_view password);

// Spends the time of a VerifyPassword without a stored hash, so that a login for an unknown
// user takes as long as one with a wrong password.
void BurnPasswordCheck(std::string_view password);

}  // namespace maxiofs::engine::iam
