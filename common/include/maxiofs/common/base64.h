// Base64 (RFC 4648), the one implementation every layer uses: S3 headers (Content-MD5,
// x-amz-checksum-*), stored checksums, policy BinaryEquals values, configured keys and the
// console's JWTs (URL alphabet, no padding).
//
// Decoding is strict by default: only the chosen alphabet, padding exactly as the options
// say, and a canonical encoding (the unused low bits of the last character are zero), so each
// byte string has exactly one accepted text. Never throws; thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs {

enum class Base64Alphabet : uint8_t {
  kStandard,  // A-Z a-z 0-9 + /
  kUrl,       // A-Z a-z 0-9 - _
  kEither,    // decoding only: accepts both (+ or -, / or _)
};

enum class Base64Padding : uint8_t {
  kRequired,  // the length is a multiple of 4, with '=' as needed
  kNone,      // no '=' at all (JWT)
  kOptional,  // either form
};

// Encodes `bytes`. REQUIRES: alphabet is kStandard or kUrl.
inline std::string Base64Encode(std::string_view bytes,
                                Base64Alphabet alphabet = Base64Alphabet::kStandard,
                                bool pad = true) {
  const char* chars = alphabet == Base64Alphabet::kUrl
                          ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(chars[(v >> 18) & 63]);
    out.push_back(chars[(v >> 12) & 63]);
    out.push_back(chars[(v >> 6) & 63]);
    out.push_back(chars[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  const uint32_t v = (byte(i) << 16) | (rest == 2 ? byte(i + 1) << 8 : 0);
  out.push_back(chars[(v >> 18) & 63]);
  out.push_back(chars[(v >> 12) & 63]);
  if (rest == 2) out.push_back(chars[(v >> 6) & 63]);
  if (pad) out.append(rest == 1 ? "==" : "=");
  return out;
}

// Decodes `text`; nullopt when it is not valid under the given alphabet and padding rule.
inline std::optional<std::string> Base64Decode(std::string_view text,
                                               Base64Alphabet alphabet = Base64Alphabet::kStandard,
                                               Base64Padding padding = Base64Padding::kRequired) {
  const bool standard = alphabet != Base64Alphabet::kUrl;
  const bool url = alphabet != Base64Alphabet::kStandard;
  auto value = [&](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if ((c == '+' && standard) || (c == '-' && url)) return 62;
    if ((c == '/' && standard) || (c == '_' && url)) return 63;
    return -1;
  };
  size_t pads = 0;
  while (pads < 2 && pads < text.size() && text[text.size() - 1 - pads] == '=') ++pads;
  std::string_view body = text.substr(0, text.size() - pads);
  if (body.size() % 4 == 1) return std::nullopt;
  const size_t needed = (4 - body.size() % 4) % 4;
  switch (padding) {
    case Base64Padding::kRequired:
      if (pads != needed) return std::nullopt;
      break;
    case Base64Padding::kNone:
      if (pads != 0) return std::nullopt;
      break;
    case Base64Padding::kOptional:
      if (pads != 0 && pads != needed) return std::nullopt;
      break;
  }
  std::string out;
  out.reserve(body.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : body) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // not canonical
  return out;
}

}  // namespace maxiofs
