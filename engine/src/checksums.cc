#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include "checksums.h"

#include <cryptopp/base64.h>
#include <cryptopp/crc.h>
#include <cryptopp/filters.h>
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>
// MD5 through OpenSSL's low-level API: its assembly is ~12% faster than Crypto++'s C code, and
// MD5 bounds the mount's large writes and every PUT. Deprecated in OpenSSL 3 (not removed) and
// free of the provider machinery, so it cannot fail, and FIPS mode does not disable it.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

#include <array>
#include <cstdint>

namespace maxiofs::engine {
namespace {

template <class H>
class CryptoppDigest final : public Digest {
 public:
  void Update(std::span<const char> d) override {
    h_.Update(reinterpret_cast<const CryptoPP::byte*>(d.data()), d.size());
  }
  std::string Final() override {
    std::string out(h_.DigestSize(), '\0');
    h_.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
    return out;
  }

 private:
  H h_;
};

class OpensslMd5 final : public Digest {
 public:
  OpensslMd5() { MD5_Init(&ctx_); }
  void Update(std::span<const char> d) override { MD5_Update(&ctx_, d.data(), d.size()); }
  std::string Final() override {
    std::string out(MD5_DIGEST_LENGTH, '\0');
    MD5_Final(reinterpret_cast<unsigned char*>(out.data()), &ctx_);
    return out;
  }

 private:
  MD5_CTX ctx_;
};

// Crypto++'s CRC32/CRC32C emit the CRC little-endian; S3 shows it big-endian.
template <class H>
class CrcDigest final : public Digest {
 public:
  void Update(std::span<const char> d) override {
    h_.Update(reinterpret_cast<const CryptoPP::byte*>(d.data()), d.size());
  }
  std::string Final() override {
    std::string out(4, '\0');
    h_.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
    std::swap(out[0], out[3]);
    std::swap(out[1], out[2]);
    return out;
  }

 private:
  H h_;
};

// CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones.
class Crc64Nvme final : public Digest {
 public:
  void Update(std::span<const char> d) override {
    static const std::array<uint64_t, 256> kTable = [] {
      std::array<uint64_t, 256> t{};
      for (uint64_t i = 0; i < 256; ++i) {
        uint64_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x9A6C9329AC4BC9B5ull : c >> 1;
        t[i] = c;
      }
      return t;
    }();
    for (char ch : d) crc_ = kTable[(crc_ ^ static_cast<uint8_t>(ch)) & 0xff] ^ (crc_ >> 8);
  }
  std::string Final() override {
    uint64_t v = ~crc_;
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
    return out;
  }

 private:
  uint64_t crc_ = ~0ull;
};

// GF(2) matrices over CRC registers of up to 64 bits: row n is the image of bit n.
using CrcMatrix = std::array<uint64_t, 64>;

uint64_t Times(const CrcMatrix& m, uint64_t v) {
  uint64_t sum = 0;
  for (int n = 0; v != 0; v >>= 1, ++n) {
    if (v & 1) sum ^= m[n];
  }
  return sum;
}

CrcMatrix Square(const CrcMatrix& m, int width) {
  CrcMatrix out{};
  for (int n = 0; n < width; ++n) out[n] = Times(m, m[n]);
  return out;
}

struct CrcShape {
  int width;      // bits
  uint64_t poly;  // reflected
};

CrcShape ShapeOf(ChecksumAlgorithm alg) {
  switch (alg) {
    case ChecksumAlgorithm::kCRC32:
      return {32, 0xEDB88320ull};
    case ChecksumAlgorithm::kCRC32C:
      return {32, 0x82F63B78ull};
    default:
      return {64, 0x9A6C9329AC4BC9B5ull};
  }
}

}  // namespace

bool IsCrc(ChecksumAlgorithm alg) {
  return alg == ChecksumAlgorithm::kCRC32 || alg == ChecksumAlgorithm::kCRC32C ||
         alg == ChecksumAlgorithm::kCRC64NVME;
}

std::optional<std::string> CombineCrc(ChecksumAlgorithm alg, std::string_view crc_a,
                                      std::string_view crc_b, uint64_t len_b) {
  const CrcShape shape = ShapeOf(alg);
  const size_t bytes = static_cast<size_t>(shape.width / 8);
  if (crc_a.size() != bytes || crc_b.size() != bytes) return std::nullopt;
  auto load = [](std::string_view be) {
    uint64_t v = 0;
    for (char c : be) v = (v << 8) | static_cast<uint8_t>(c);
    return v;
  };
  uint64_t a = load(crc_a);
  const uint64_t b = load(crc_b);
  // As zlib's crc32_combine: apply len_b zero bytes to A's register by repeated squaring of
  // the one-zero-bit operator, then add B. The all-ones init and xorout cancel out.
  if (len_b > 0) {
    CrcMatrix odd{};
    odd[0] = shape.poly;
    for (int n = 1; n < shape.width; ++n) odd[n] = uint64_t{1} << (n - 1);
    CrcMatrix even = Square(odd, shape.width);  // two zero bits
    odd = Square(even, shape.width);            // four zero bits
    do {
      even = Square(odd, shape.width);  // the first pass: one zero byte
      if (len_b & 1) a = Times(even, a);
      len_b >>= 1;
      if (len_b == 0) break;
      odd = Square(even, shape.width);
      if (len_b & 1) a = Times(odd, a);
      len_b >>= 1;
    } while (len_b != 0);
  }
  const uint64_t sum = a ^ b;
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    out[i] = static_cast<char>((sum >> (8 * (bytes - 1 - i))) & 0xff);
  }
  return out;
}

std::unique_ptr<ContentMd5> ContentMd5::New() { return std::make_unique<ContentMd5Impl>(); }

std::unique_ptr<Digest> NewMd5() { return std::make_unique<OpensslMd5>(); }

std::unique_ptr<Digest> NewChecksum(ChecksumAlgorithm alg) {
  switch (alg) {
    case ChecksumAlgorithm::kCRC32:
      return std::make_unique<CrcDigest<CryptoPP::CRC32>>();
    case ChecksumAlgorithm::kCRC32C:
      return std::make_unique<CrcDigest<CryptoPP::CRC32C>>();
    case ChecksumAlgorithm::kCRC64NVME:
      return std::make_unique<Crc64Nvme>();
    case ChecksumAlgorithm::kSHA1:
      return std::make_unique<CryptoppDigest<CryptoPP::SHA1>>();
    case ChecksumAlgorithm::kSHA256:
      return std::make_unique<CryptoppDigest<CryptoPP::SHA256>>();
    case ChecksumAlgorithm::kNone:
      break;
  }
  return nullptr;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<uint8_t>(bytes[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 15];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  auto val = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = val(hex[2 * i]), lo = val(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace maxiofs::engine
