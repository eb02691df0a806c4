#include "encoding.h"

#include <array>
#include <cstdint>

namespace maxiofs::s3 {

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::vector<QueryParam>> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  size_t pos = 0;
  while (pos <= raw_query.size()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view part = raw_query.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) {
      if (amp == raw_query.size()) break;
      continue;
    }
    QueryParam p;
    size_t eq = part.find('=');
    auto name = PercentDecode(part.substr(0, eq), true);
    if (!name) return std::nullopt;
    p.name = std::move(*name);
    if (eq != std::string_view::npos) {
      auto value = PercentDecode(part.substr(eq + 1), true);
      if (!value) return std::nullopt;
      p.value = std::move(*value);
      p.has_value = true;
    }
    params.push_back(std::move(p));
  }
  return params;
}

}  // namespace maxiofs::s3
