#include "ip_match.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <string>

namespace maxiofs::engine::iam {
namespace {

// Parses a bare address into `out`; sets `v6`. inet_pton needs a NUL-terminated string.
bool ParseAddress(std::string_view text, bool& v6, std::array<uint8_t, 16>& out) {
  if (text.empty() || text.size() > 45) return false;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  out.fill(0);
  if (inet_pton(AF_INET, buf, out.data()) == 1) {
    v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, buf, out.data()) == 1) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out.data(), kMapped, 12) == 0) {  // ::ffff:a.b.c.d is IPv4
      std::memmove(out.data(), out.data() + 12, 4);
      std::memset(out.data() + 4, 0, 12);
      v6 = false;
      return true;
    }
    v6 = true;
    return true;
  }
  return false;
}

bool PrefixEqual(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int bits) {
  int full = bits / 8;
  if (std::memcmp(a.data(), b.data(), full) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

std::optional<IpRange> ParseIpRange(std::string_view text) {
  IpRange r;
  std::string_view addr = text;
  int bits = -1;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view len = text.substr(slash + 1);
    if (len.empty() || len.size() > 3) return std::nullopt;
    auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), bits);
    if (ec != std::errc() || ptr != len.data() + len.size()) return std::nullopt;
  }
  // A mapped v6 address with a v6 prefix length is still written in v6 terms; keep it simple
  // and treat the literal family of the text as the range's family.
  bool literal_v6 = addr.find(':') != std::string_view::npos;
  if (!ParseAddress(addr, r.v6, r.addr)) return std::nullopt;
  if (literal_v6 && !r.v6) {
    // ::ffff:a.b.c.d/len: a v6 prefix over the mapped range.
    if (bits >= 0) {
      if (bits < 96 || bits > 128) return std::nullopt;
      bits -= 96;
    }
  }
  int max_bits = r.v6 ? 128 : 32;
  if (bits < 0) bits = max_bits;
  if (bits > max_bits) return std::nullopt;
  r.prefix_bits = bits;
  return r;
}

bool IpInRange(const IpRange& range, std::string_view address) {
  bool v6 = false;
  std::array<uint8_t, 16> a;
  if (!ParseAddress(address, v6, a)) return false;
  if (v6 != range.v6) return false;
  return PrefixEqual(a, range.addr, range.prefix_bits);
}

}  // namespace maxiofs::engine::iam
