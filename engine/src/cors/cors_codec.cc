#include "cors_codec.h"

#include <cstdint>
#include <limits>

namespace maxiofs::engine {
namespace {

constexpr uint8_t kCorsV1 = 1;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutStr(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

void PutList(std::string* out, const std::vector<std::string>& items) {
  PutVarint(out, items.size());
  for (const std::string& s : items) PutStr(out, s);
}

// Reads fields; any overrun sets ok = false and yields empty values.
struct Reader {
  std::string_view in;
  bool ok = true;

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (in.empty()) break;
      const uint8_t b = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    ok = false;
    return 0;
  }
  uint8_t Byte() {
    if (in.empty()) {
      ok = false;
      return 0;
    }
    const uint8_t b = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    return b;
  }
  std::string Str() {
    const uint64_t n = Varint();
    if (!ok || n > in.size()) {
      ok = false;
      return {};
    }
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
  // A count of items that take at least one byte each: bounded by what is left.
  uint64_t Count() {
    const uint64_t n = Varint();
    if (n > in.size()) {
      ok = false;
      return 0;
    }
    return n;
  }
  std::vector<std::string> List() {
    std::vector<std::string> out;
    const uint64_t n = Count();
    for (uint64_t i = 0; ok && i < n; ++i) out.push_back(Str());
    return out;
  }
};

}  // namespace

std::string EncodeCorsConfiguration(const CorsConfiguration& config) {
  std::string out;
  out.push_back(static_cast<char>(kCorsV1));
  PutVarint(&out, config.rules.size());
  for (const CorsRule& r : config.rules) {
    PutStr(&out, r.id);
    PutList(&out, r.allowed_methods);
    PutList(&out, r.allowed_origins);
    PutList(&out, r.allowed_headers);
    PutList(&out, r.expose_headers);
    if (r.max_age_seconds) {
      out.push_back(1);
      PutVarint(&out, static_cast<uint64_t>(*r.max_age_seconds));
    } else {
      out.push_back(0);
    }
  }
  return out;
}

Result<CorsConfiguration> DecodeCorsConfiguration(std::string_view in) {
  Reader r{in};
  if (r.Byte() != kCorsV1 || !r.ok) return Status::Corruption("cors configuration: bad version");
  CorsConfiguration config;
  const uint64_t n = r.Count();
  for (uint64_t i = 0; r.ok && i < n; ++i) {
    CorsRule rule;
    rule.id = r.Str();
    rule.allowed_methods = r.List();
    rule.allowed_origins = r.List();
    rule.allowed_headers = r.List();
    rule.expose_headers = r.List();
    const uint8_t has_max_age = r.Byte();
    if (has_max_age == 1) {
      const uint64_t age = r.Varint();
      if (age > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) r.ok = false;
      rule.max_age_seconds = static_cast<int32_t>(age);
    } else if (has_max_age != 0) {
      r.ok = false;
    }
    config.rules.push_back(std::move(rule));
  }
  if (!r.ok || !r.in.empty()) return Status::Corruption("cors configuration: malformed");
  return config;
}

}  // namespace maxiofs::engine
