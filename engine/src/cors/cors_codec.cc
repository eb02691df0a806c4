#include "cors_codec.h"

#include "codec_primitives.h"

#include <cstdint>
#include <limits>

namespace maxiofs::engine {
namespace {

constexpr uint8_t kCorsV1 = 1;

using codec::PutStr;
using codec::PutVarint;
using codec::Reader;

void PutList(std::string* out, const std::vector<std::string>& items) {
  PutVarint(out, items.size());
  for (const std::string& s : items) PutStr(out, s);
}

std::vector<std::string> GetList(Reader& r) {
  std::vector<std::string> out;
  const uint64_t n = r.Count();
  for (uint64_t i = 0; r.ok() && i < n; ++i) out.push_back(r.Str());
  return out;
}

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
  Reader r(in);
  if (r.Byte() != kCorsV1 || !r.ok()) return Status::Corruption("cors configuration: bad version");
  CorsConfiguration config;
  const uint64_t n = r.Count();
  for (uint64_t i = 0; r.ok() && i < n; ++i) {
    CorsRule rule;
    rule.id = r.Str();
    rule.allowed_methods = GetList(r);
    rule.allowed_origins = GetList(r);
    rule.allowed_headers = GetList(r);
    rule.expose_headers = GetList(r);
    const uint8_t has_max_age = r.Byte();
    if (has_max_age == 1) {
      const uint64_t age = r.Varint();
      if (age > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) r.Fail();
      rule.max_age_seconds = static_cast<int32_t>(age);
    } else if (has_max_age != 0) {
      r.Fail();
    }
    config.rules.push_back(std::move(rule));
  }
  if (!r.ok() || !r.done()) return Status::Corruption("cors configuration: malformed");
  return config;
}

}  // namespace maxiofs::engine
