// Percent-encoding (RFC 3986), the one implementation every layer uses: URL paths and query
// strings (frontends/http), and SigV4's UriEncode and canonical forms (frontends/s3/auth).
// Runs of bytes that stay as they are are copied whole. Never throws; thread-safe (no state).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs {

// RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~ (never encoded).
inline bool IsUnreservedByte(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Appends `c` as it is when unreserved (or '/' with keep_slash), else as %XX, upper-case hex
// (as SigV4 requires).
inline void AppendPercentEncoded(unsigned char c, bool keep_slash, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (IsUnreservedByte(c) || (keep_slash && c == '/')) {
    out.push_back(static_cast<char>(c));
  } else {
    out.push_back('%');
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
}

inline std::string PercentEncode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size() * 3 / 2 + 8);
  for (size_t i = 0; i < text.size();) {
    size_t run = i;
    while (run < text.size() && (IsUnreservedByte(static_cast<unsigned char>(text[run])) ||
                                 (keep_slash && text[run] == '/'))) {
      ++run;
    }
    out.append(text.data() + i, run - i);
    if (run == text.size()) break;
    AppendPercentEncoded(static_cast<unsigned char>(text[run]), keep_slash, out);
    i = run + 1;
  }
  return out;
}

// The byte of the escape at text[i] ('%' and two hex digits, either case), or -1 when there
// is none there.
inline int PercentEscapeAt(std::string_view text, size_t i) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (i + 2 >= text.size() || text[i] != '%') return -1;
  const int hi = hex(text[i + 1]);
  const int lo = hex(text[i + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// What PercentDecode does with a '%' not followed by two hex digits.
enum class BadEscape { kRefuse, kKeep };

// Decodes %XX escapes; `plus_is_space`: '+' decodes to ' ' (query strings), else stays '+'
// (paths). A bad escape: nullopt (kRefuse), or the '%' kept as it is (kKeep, never nullopt).
inline std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space,
                                                BadEscape bad = BadEscape::kRefuse) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t run = i;
    while (run < text.size() && text[run] != '%' && !(text[run] == '+' && plus_is_space)) ++run;
    out.append(text.data() + i, run - i);
    if (run == text.size()) break;
    if (text[run] == '+') {
      out.push_back(' ');
      i = run + 1;
      continue;
    }
    const int byte = PercentEscapeAt(text, run);
    if (byte >= 0) {
      out.push_back(static_cast<char>(byte));
      i = run + 3;
    } else if (bad == BadEscape::kKeep) {
      out.push_back('%');
      i = run + 1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace maxiofs
