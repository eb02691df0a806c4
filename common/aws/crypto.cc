#include "maxiofs/aws/crypto.h"

#include <cryptopp/hmac.h>
#include <cryptopp/misc.h>
#include <cryptopp/sha.h>

namespace maxiofs::aws {
namespace {

const CryptoPP::byte* Bytes(std::string_view s) {
  return reinterpret_cast<const CryptoPP::byte*>(s.data());
}

template <class Hash>
std::string Hmac(std::string_view key, std::string_view data) {
  CryptoPP::HMAC<Hash> mac(Bytes(key), key.size());
  mac.Update(Bytes(data), data.size());
  std::string out(Hash::DIGESTSIZE, '\0');
  mac.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

}  // namespace

std::string Sha256(std::string_view data) {
  CryptoPP::SHA256 hash;
  hash.Update(Bytes(data), data.size());
  std::string out(CryptoPP::SHA256::DIGESTSIZE, '\0');
  hash.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac<CryptoPP::SHA256>(key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  return Hmac<CryptoPP::SHA1>(key, data);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CryptoPP::VerifyBufsEqual(Bytes(a), Bytes(b), a.size());
}

bool IsHex(std::string_view s, size_t len) {
  if (s.size() != len) return false;
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

struct Sha256Hasher::Impl {
  CryptoPP::SHA256 hash;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {}
Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(std::string_view data) { impl_->hash.Update(Bytes(data), data.size()); }

std::string Sha256Hasher::FinishHex() {
  std::string digest(CryptoPP::SHA256::DIGESTSIZE, '\0');
  impl_->hash.Final(reinterpret_cast<CryptoPP::byte*>(digest.data()));  // Final() also resets
  return HexEncode(digest);
}

}  // namespace maxiofs::aws
