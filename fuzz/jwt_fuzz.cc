// Fuzzes the console's session tokens (HS256 JWTs, frontends/console/jwt.cc). The first byte
// picks the form: 0 the input is a token as a browser's cookie would carry it; 1 the input is
// "header JSON\npayload JSON", which the harness encodes and signs with the session key, so the
// claims parsing behind the signature check is reached too. Oracle: verified claims signed
// again verify to the same claims.
#include "crypto_util.h"
#include "jwt.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace console = maxiofs::console;

namespace {

constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef";
constexpr int64_t kNow = 1700000000;

bool Same(const console::SessionClaims& a, const console::SessionClaims& b) {
  return a.subject == b.subject && a.kind == b.kind && a.issued_at == b.issued_at &&
         a.expires_at == b.expires_at && a.id == b.id && a.csrf == b.csrf;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string token(input);
  if (data[0] & 1) {
    const size_t nl = input.find('\n');
    const std::string_view header = input.substr(0, nl);
    const std::string_view payload = nl == std::string_view::npos ? "" : input.substr(nl + 1);
    token = console::Base64UrlEncode(header) + "." + console::Base64UrlEncode(payload);
    token += "." + console::Base64UrlEncode(console::HmacSha256(kKey, token));
  }
  auto claims = console::VerifyJwt(token, kKey, kNow);
  if (!claims.has_value()) return 0;
  auto again = console::VerifyJwt(console::SignJwt(claims.value(), kKey), kKey, kNow);
  if (!again.has_value() || !Same(claims.value(), again.value())) std::abort();
  return 0;
}
