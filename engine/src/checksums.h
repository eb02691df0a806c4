// Incremental digests of object data: the MD5 behind the ETag and S3's additional checksums
// (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256).
// Not thread-safe: one per stream.
#pragma once

#include "maxiofs/common/base64.h"
#include "maxiofs/engine/object_stream.h"
#include "maxiofs/engine/types.h"

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace maxiofs::engine {

class Digest {
 public:
  virtual ~Digest() = default;
  virtual void Update(std::span<const char> data) = 0;
  // The digest bytes (big-endian for CRCs). Call once.
  virtual std::string Final() = 0;
};

std::unique_ptr<Digest> NewMd5();
// REQUIRES: alg != kNone.
std::unique_ptr<Digest> NewChecksum(ChecksumAlgorithm alg);

// The engine's ContentMd5 (every ContentMd5 is one: only this class can derive from it).
class ContentMd5Impl final : public ContentMd5 {
 public:
  ContentMd5Impl() : md5_(NewMd5()) {}
  explicit ContentMd5Impl(std::unique_ptr<Digest> md5) : md5_(std::move(md5)) {}
  void Update(std::span<const char> data) override {
    md5_->Update(data);
    size_ += data.size();
  }
  uint64_t size() const override { return size_; }
  // The 16 raw digest bytes. Call once.
  std::string Final() { return md5_->Final(); }

 private:
  std::unique_ptr<Digest> md5_;
  uint64_t size_ = 0;
};

// Whether `alg` is one of the CRCs (the algorithms a FULL_OBJECT checksum can use).
bool IsCrc(ChecksumAlgorithm alg);
// The CRC of A followed by B, from the CRCs of A and B and B's length in bytes, without the
// data (zlib's crc32_combine, for every CRC of `alg`). CRCs are digest bytes as Final gives
// them (big-endian, 4 bytes; 8 for CRC64NVME); nullopt when one has the wrong length.
// The CRC of no data is all zero bytes, so combining onto it starts a sum.
// REQUIRES: IsCrc(alg).
std::optional<std::string> CombineCrc(ChecksumAlgorithm alg, std::string_view crc_a,
                                      std::string_view crc_b, uint64_t len_b);

std::string HexEncode(std::string_view bytes);
// nullopt when `hex` is not lower- or upper-case hex of even length.
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace maxiofs::engine
