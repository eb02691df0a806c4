#include "meta_value.h"

#include "maxiofs/common/ascii.h"
#include "maxiofs/common/base64.h"
#include "maxiofs/common/utf8.h"

#include <cctype>
#include <optional>

namespace maxiofs::s3 {
namespace {

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u != '\t' && (u < 0x20 || u > 0x7e)) return false;
  }
  return true;
}

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(static_cast<char>(0xc0 | (u >> 6)));
      out.push_back(static_cast<char>(0x80 | (u & 0x3f)));
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes one whole encoded-word `=?charset?enc?text?=` into UTF-8; nullopt when `word` is not
// one this decoder accepts.
std::optional<std::string> DecodeEncodedWord(std::string_view word) {
  if (word.size() < 8 || !word.starts_with("=?") || !word.ends_with("?=")) return std::nullopt;
  std::string_view inner = word.substr(2, word.size() - 4);
  const size_t q1 = inner.find('?');
  if (q1 == std::string_view::npos || q1 + 2 >= inner.size() || inner[q1 + 2] != '?') {
    return std::nullopt;
  }
  std::string_view charset = inner.substr(0, q1);
  if (const size_t star = charset.find('*'); star != std::string_view::npos) {
    charset = charset.substr(0, star);  // RFC 2231 language suffix
  }
  const char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(inner[q1 + 1])));
  std::string_view text = inner.substr(q1 + 3);
  if (text.find('?') != std::string_view::npos) return std::nullopt;
  std::string bytes;
  if (encoding == 'B') {
    auto decoded = Base64Decode(text);
    if (!decoded) return std::nullopt;
    bytes = std::move(*decoded);
  } else if (encoding == 'Q') {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '_') {
        bytes.push_back(' ');
      } else if (text[i] == '=') {
        if (i + 2 >= text.size()) return std::nullopt;
        const int hi = HexValue(text[i + 1]);
        const int lo = HexValue(text[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
      } else {
        bytes.push_back(text[i]);
      }
    }
  } else {
    return std::nullopt;
  }
  if (EqualsIgnoreCase(charset, "UTF-8") || EqualsIgnoreCase(charset, "US-ASCII")) {
    if (!IsValidUtf8(bytes)) return std::nullopt;
    return bytes;
  }
  if (EqualsIgnoreCase(charset, "ISO-8859-1")) return Latin1ToUtf8(bytes);
  return std::nullopt;
}

}  // namespace

std::string DecodeUserMetaValue(std::string_view header_value) {
  std::string raw =
      IsValidUtf8(header_value) ? std::string(header_value) : Latin1ToUtf8(header_value);
  if (raw.find("=?") == std::string::npos) return raw;
  std::string out;
  std::string pending_space;  // whitespace after a decoded word, dropped if another follows
  bool last_was_word = false;
  size_t pos = 0;
  while (pos < raw.size()) {
    if (raw[pos] == ' ' || raw[pos] == '\t') {
      const size_t end = raw.find_first_not_of(" \t", pos);
      std::string_view space(raw.data() + pos, (end == std::string::npos ? raw.size() : end) - pos);
      if (last_was_word) {
        pending_space = space;
      } else {
        out.append(space);
      }
      pos = end == std::string::npos ? raw.size() : end;
      continue;
    }
    const size_t end = raw.find_first_of(" \t", pos);
    std::string_view token(raw.data() + pos, (end == std::string::npos ? raw.size() : end) - pos);
    pos = end == std::string::npos ? raw.size() : end;
    if (auto word = DecodeEncodedWord(token)) {
      pending_space.clear();
      out += *word;
      last_was_word = true;
    } else {
      out += pending_space;
      pending_space.clear();
      out.append(token);
      last_was_word = false;
    }
  }
  out += pending_space;
  return out;
}

std::string EncodeUserMetaValue(std::string_view stored_value) {
  if (IsPrintableAscii(stored_value)) return std::string(stored_value);
  return "=?UTF-8?B?" + Base64Encode(stored_value) + "?=";
}

}  // namespace maxiofs::s3
