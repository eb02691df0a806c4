// Listen addresses as users write them: "host:port", ":port" (all interfaces) or
// "[v6-literal]:port". Parsing is strict so a typo fails at startup with the offending text
// instead of binding somewhere unexpected.
//
// Thread-safety: pure functions on values.
#pragma once

#include "maxiofs/common/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::app {

struct HostPort {
  // Host name or IP literal without brackets; empty means every interface.
  std::string host;
  // 0-65535; 0 asks the kernel for a free port (tests use it).
  uint16_t port = 0;
};

// Parses `text`. InvalidArgument with the reason (not repeating `text`) when it is not "host:port",
// ":port" or
// "[v6]:port" with a decimal port in 0-65535 and a host free of spaces and stray colons.
Result<HostPort> ParseHostPort(std::string_view text);

// True when `host` (as in HostPort) can only be reached from this machine: "localhost", an
// IPv4 address in 127.0.0.0/8, "::1" or an IPv4-mapped 127.x address. Empty (every interface)
// and other names are not.
bool IsLoopbackHost(std::string_view host);

// The host part as it should appear in a log line: "0.0.0.0" for all interfaces,
// "[::1]" for IPv6 literals, otherwise the host itself.
std::string DisplayHost(const HostPort& addr);

}  // namespace maxiofs::app
