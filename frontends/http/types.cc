#include "maxiofs/http/types.h"

namespace maxiofs::http {

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

int HttpRequest::HeaderCount(std::string_view name) const {
  int count = 0;
  for (const auto& h : headers) count += h.first == name;
  return count;
}

}  // namespace maxiofs::http
