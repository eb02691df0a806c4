// PBKDF2-HMAC-SHA256 password hashes (see password_hash.h).
#include "password_hash.h"

#include "../seal.h"

#include <cryptopp/misc.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/sha.h>

#include <charconv>
#include <optional>

namespace maxiofs::engine::iam {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltSize = 16;
constexpr size_t kHashSize = 32;
constexpr uint32_t kMaxIterations = 10'000'000;

using Byte = CryptoPP::byte;
const Byte* B(const char* p) { return reinterpret_cast<const Byte*>(p); }

std::string Derive(std::string_view password, std::string_view salt, uint32_t iterations) {
  std::string out(kHashSize, '\0');
  CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA256> kdf;
  kdf.DeriveKey(reinterpret_cast<Byte*>(out.data()), out.size(), 0, B(password.data()),
                password.size(), B(salt.data()), salt.size(), iterations);
  return out;
}

std::string ToHex(std::string_view b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char ch : b) {
    auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::string> FromHex(std::string_view h) {
  auto val = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (h.size() % 2 != 0) return std::nullopt;
  std::string out(h.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = val(h[2 * i]), lo = val(h[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

struct Parsed {
  uint32_t iterations = 0;
  std::string salt;
  std::string hash;
};

std::optional<Parsed> Parse(std::string_view s) {
  auto next = [&s]() {
    size_t d = s.find('$');
    std::string_view field = s.substr(0, d);
    s = d == std::string_view::npos ? std::string_view() : s.substr(d + 1);
    return field;
  };
  if (next() != kScheme) return std::nullopt;
  std::string_view iter = next();
  Parsed p;
  auto [ptr, ec] = std::from_chars(iter.data(), iter.data() + iter.size(), p.iterations);
  if (ec != std::errc() || ptr != iter.data() + iter.size() || p.iterations == 0 ||
      p.iterations > kMaxIterations) {
    return std::nullopt;
  }
  auto salt = FromHex(next());
  auto hash = FromHex(next());
  if (!salt || !hash || salt->empty() || hash->size() != kHashSize || !s.empty()) {
    return std::nullopt;
  }
  p.salt = std::move(*salt);
  p.hash = std::move(*hash);
  return p;
}

}  // namespace

std::string HashPassword(std::string_view password, uint32_t iterations) {
  std::string salt = RandomBytes(kSaltSize);
  std::string hash = Derive(password, salt, iterations);
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + ToHex(salt) + "$" +
         ToHex(hash);
}

bool VerifyPassword(std::string_view stored, std::string_view password) {
  auto p = Parse(stored);
  if (!p) return false;
  std::string got = Derive(password, p->salt, p->iterations);
  return CryptoPP::VerifyBufsEqual(B(got.data()), B(p->hash.data()), kHashSize);
}

void BurnPasswordCheck(std::string_view password) {
  static constexpr char kSalt[kSaltSize] = {};
  std::string ignored = Derive(password, std::string_view(kSalt, kSaltSize), kPasswordIterations);
  (void)ignored;
}

}  // namespace maxiofs::engine::iam
