// IPv4 and IPv6 address ranges for the IpAddress/NotIpAddress condition operators.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace maxiofs::engine::iam {

struct IpRange {
  bool v6 = false;
  std::array<uint8_t, 16> addr{};  // network address (v4 uses the first 4 bytes)
  int prefix_bits = 0;             // 0..32 (v4) or 0..128 (v6)
};

// "203.0.113.0/24", "2001:db8::/32", or a single address (a /32 or /128). Host bits beyond the
// prefix are allowed and ignored, as AWS does. nullopt when not valid.
std::optional<IpRange> ParseIpRange(std::string_view text);

// True when `address` (a plain IPv4 or IPv6 address, as in aws:SourceIp) lies in `range`. An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) is compared as the IPv4 address. False when
// `address` is not an address.
bool IpInRange(const IpRange& range, std::string_view address);

}  // namespace maxiofs::engine::iam
