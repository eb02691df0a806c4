#include "digest.h"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

#include <array>
#include <cstdint>

namespace maxiofs::s3 {

namespace {

template <class Hash>
std::string OneShot(std::string_view data) {
  Hash h;
  h.Update(reinterpret_cast<const CryptoPP::byte*>(data.data()), data.size());
  std::string out(Hash::DIGESTSIZE, '\0');
  h.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

// A reflected CRC of `Bits` bits with the given reversed polynomial, init ~0, xorout ~0.
template <class T>
std::string ReflectedCrc(T poly, std::string_view data) {
  std::array<T, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    T c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
    table[i] = c;
  }
  T crc = ~T(0);
  for (unsigned char b : data) crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
  crc = ~crc;
  std::string out(sizeof(T), '\0');
  for (size_t i = 0; i < sizeof(T); ++i) {
    out[i] = char((crc >> (8 * (sizeof(T) - 1 - i))) & 0xff);
  }
  return out;
}

}  // namespace

std::string Md5(std::string_view data) { return OneShot<CryptoPP::Weak::MD5>(data); }
std::string Sha256(std::string_view data) { return OneShot<CryptoPP::SHA256>(data); }

std::string ComputeChecksum(engine::ChecksumAlgorithm algorithm, std::string_view data) {
  switch (algorithm) {
    case engine::ChecksumAlgorithm::kNone:
      return "";
    case engine::ChecksumAlgorithm::kCRC32:
      return ReflectedCrc<uint32_t>(0xEDB88320u, data);
    case engine::ChecksumAlgorithm::kCRC32C:
      return ReflectedCrc<uint32_t>(0x82F63B78u, data);
    case engine::ChecksumAlgorithm::kCRC64NVME:
      return ReflectedCrc<uint64_t>(0x9A6C9329AC4BC9B5ull, data);
    case engine::ChecksumAlgorithm::kSHA1:
      return OneShot<CryptoPP::SHA1>(data);
    case engine::ChecksumAlgorithm::kSHA256:
      return OneShot<CryptoPP::SHA256>(data);
  }
  return "";
}

struct Sha256Stream::State {
  CryptoPP::SHA256 hash;
};

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) {}
Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Update(std::string_view data) {
  state_->hash.Update(reinterpret_cast<const CryptoPP::byte*>(data.data()), data.size());
}

std::string Sha256Stream::Final() {
  std::string out(CryptoPP::SHA256::DIGESTSIZE, '\0');
  state_->hash.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

}  // namespace maxiofs::s3
