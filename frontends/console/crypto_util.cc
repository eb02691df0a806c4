#include "crypto_util.h"

#include <cryptopp/hmac.h>
#include <cryptopp/osrng.h>
#include <cryptopp/sha.h>

#include <array>

namespace maxiofs::console {
namespace {

const CryptoPP::byte* Bytes(std::string_view s) {
  return reinterpret_cast<const CryptoPP::byte*>(s.data());
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  CryptoPP::HMAC<CryptoPP::SHA256> mac(Bytes(key), key.size());
  mac.Update(Bytes(data), data.size());
  std::string out(CryptoPP::SHA256::DIGESTSIZE, '\0');
  mac.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

std::string Sha256(std::string_view data) {
  CryptoPP::SHA256 hash;
  hash.Update(Bytes(data), data.size());
  std::string out(CryptoPP::SHA256::DIGESTSIZE, '\0');
  hash.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string RandomBytes(size_t n) {
  CryptoPP::AutoSeededRandomPool rng;
  std::string out(n, '\0');
  rng.GenerateBlock(reinterpret_cast<CryptoPP::byte*>(out.data()), n);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace maxiofs::console
