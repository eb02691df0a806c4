#include "auth/uri_encoding.h"

#include <algorithm>

namespace maxiofs::s3::auth {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at in[i] ('%'); returns the byte, or -1 when it is not a valid escape.
int EscapeAt(std::string_view in, size_t i) {
  if (i + 2 >= in.size()) return -1;
  const int hi = HexValue(in[i + 1]);
  const int lo = HexValue(in[i + 2]);
  if (hi < 0 || lo < 0) return -1;
  return hi * 16 + lo;
}

void AppendEncoded(unsigned char c, bool encode_slash, std::string& out) {
  if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
    out.push_back(static_cast<char>(c));
  } else {
    out.push_back('%');
    out.push_back(kUpperHex[c >> 4]);
    out.push_back(kUpperHex[c & 0xf]);
  }
}

}  // namespace

std::string UriEncode(std::string_view bytes, bool encode_slash) {
  std::string out;
  out.reserve(bytes.size() * 3 / 2 + 8);
  for (size_t i = 0; i < bytes.size();) {
    // Runs of bytes that stay as they are are copied whole (most of a signed request).
    size_t run = i;
    while (run < bytes.size() && (IsUnreserved(static_cast<unsigned char>(bytes[run])) ||
                                  (bytes[run] == '/' && !encode_slash))) {
      ++run;
    }
    out.append(bytes.data() + i, run - i);
    if (run == bytes.size()) break;
    AppendEncoded(static_cast<unsigned char>(bytes[run]), encode_slash, out);
    i = run + 1;
  }
  return out;
}

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    size_t run = i;  // bytes copied as they are, in one append
    while (run < in.size() && in[run] != '%' && !(in[run] == '+' && plus_is_space)) ++run;
    out.append(in.data() + i, run - i);
    if (run == in.size()) break;
    if (in[run] == '+') {
      out.push_back(' ');
      i = run + 1;
      continue;
    }
    const int byte = EscapeAt(in, run);
    if (byte >= 0) {
      out.push_back(static_cast<char>(byte));
      i = run + 3;
    } else {
      out.push_back('%');  // not an escape: kept as it is
      i = run + 1;
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view raw_path, bool keep_encoded_slash) {
  if (raw_path.empty()) return "/";
  std::string out;
  out.reserve(raw_path.size() * 3 / 2 + 8);
  for (size_t i = 0; i < raw_path.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw_path[i]);
    bool escaped = false;
    if (c == '%') {
      const int byte = EscapeAt(raw_path, i);
      if (byte >= 0) {
        c = static_cast<unsigned char>(byte);
        escaped = true;
        i += 2;
      }
    }
    AppendEncoded(c, /*encode_slash=*/escaped && keep_encoded_slash, out);
  }
  return out;
}

std::vector<QueryParam> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  while (!raw_query.empty()) {
    const size_t amp = raw_query.find('&');
    const std::string_view part = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (part.empty()) continue;
    QueryParam p;
    const size_t eq = part.find('=');
    p.name = PercentDecode(part.substr(0, eq), /*plus_is_space=*/true);
    if (eq != std::string_view::npos) {
      p.value = PercentDecode(part.substr(eq + 1), /*plus_is_space=*/true);
      p.has_value = true;
    }
    params.push_back(std::move(p));
  }
  return params;
}

std::string CanonicalQuery(const std::vector<QueryParam>& params, std::string_view exclude) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& p : params) {
    if (!exclude.empty() && p.name == exclude) continue;
    encoded.emplace_back(UriEncode(p.name, true), UriEncode(p.value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

}  // namespace maxiofs::s3::auth
