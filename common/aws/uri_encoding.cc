#include "maxiofs/aws/uri_encoding.h"

#include "maxiofs/common/percent.h"

#include <algorithm>

namespace maxiofs::aws {

std::string UriEncode(std::string_view bytes, bool encode_slash) {
  return PercentEncode(bytes, /*keep_slash=*/!encode_slash);
}

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  return *::maxiofs::PercentDecode(in, plus_is_space, BadEscape::kKeep);  // never nullopt
}

std::string CanonicalUri(std::string_view raw_path, bool keep_encoded_slash) {
  if (raw_path.empty()) return "/";
  std::string out;
  out.reserve(raw_path.size() * 3 / 2 + 8);
  for (size_t i = 0; i < raw_path.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw_path[i]);
    bool escaped = false;
    if (c == '%') {
      const int byte = PercentEscapeAt(raw_path, i);
      if (byte >= 0) {
        c = static_cast<unsigned char>(byte);
        escaped = true;
        i += 2;
      }
    }
    AppendPercentEncoded(c, /*keep_slash=*/!(escaped && keep_encoded_slash), out);
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

}  // namespace maxiofs::aws
