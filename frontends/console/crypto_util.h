// Small cryptographic helpers for the console, over Crypto++: HMAC-SHA256, SHA-256, random
// bytes, base64url and constant-time comparison.
//
// Thread-safety: pure functions (RandomBytes uses a per-call OS generator).
#pragma once

#include "maxiofs/common/base64.h"

#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::console {

// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);
// Raw 32-byte SHA-256 of `data`.
std::string Sha256(std::string_view data);
// Lower-case hex of raw bytes.
std::string Hex(std::string_view raw);
// `n` bytes from the operating system's generator.
std::string RandomBytes(size_t n);
// Base64url without padding (RFC 7515 section 2), and its decoding; nullopt for bad input.
inline std::string Base64UrlEncode(std::string_view raw) {
  return Base64Encode(raw, Base64Alphabet::kUrl, false);
}
inline std::optional<std::string> Base64UrlDecode(std::string_view text) {
  return Base64Decode(text, Base64Alphabet::kUrl, Base64Padding::kNone);
}
// True when equal; time depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace maxiofs::console
