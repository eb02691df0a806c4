#include "address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <string>
#include <system_error>

namespace maxiofs::app {
namespace {

Status Invalid(std::string_view why) {
  return Status::InvalidArgument("not a listen address: " + std::string(why) +
                                 " (expected host:port or :port)");
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return Invalid("no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);

  if (port_text.empty()) return Invalid("empty port");
  unsigned port = 0;
  const char* end = port_text.data() + port_text.size();
  auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == end && port > 65535)) {
    return Invalid("port out of range 0-65535");
  }
  if (ec != std::errc() || ptr != end) return Invalid("port is not a number");

  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return Invalid("unterminated [ in host");
    host = host.substr(1, host.size() - 2);
    if (host.find_first_of("[]") != std::string_view::npos) return Invalid("bad IPv6 host");
  } else if (host.find(':') != std::string_view::npos) {
    return Invalid("IPv6 hosts need brackets, e.g. [::1]:8080");
  }
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
    if (!ok) return Invalid("bad character in host");
  }
  return HostPort{std::string(host), static_cast<uint16_t>(port)};
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  const std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

std::string DisplayHost(const HostPort& addr) {
  if (addr.host.empty()) return "0.0.0.0";
  if (addr.host.find(':') != std::string::npos) return "[" + addr.host + "]";
  return addr.host;
}

}  // namespace maxiofs::app
