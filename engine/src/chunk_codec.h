// Compression of one sealed chunk (seal.h): zstd, gzip (zlib's DEFLATE, in the zlib format with
// its Adler-32 check) or lz4 (liblz4 block format; LZ4HC from level 3). The codec of each chunk
// is recorded with it (SealInfo::index), so data written under one codec stays readable after
// the configuration names another.
//
// Thread-safety: ChunkCompressor and ChunkDecompressor are single-owner objects (each keeps its
// library context between chunks); the free functions are pure.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace maxiofs::engine {

// The codec of a stored chunk. The values are on disk (index entries and the chunk AAD flags):
// never renumber.
enum class ChunkCodec : uint8_t { kNone = 0, kZstd = 1, kGzip = 2, kLz4 = 3 };

inline constexpr uint8_t kMaxChunkCodec = 3;

// "zstd", "gzip", "lz4" (configuration and messages); "none" for kNone.
std::string_view ChunkCodecName(ChunkCodec codec);
// The codec named `name` ("none", "zstd", "gzip", "lz4"), or nullopt.
std::optional<ChunkCodec> ChunkCodecFromName(std::string_view name);

// The levels a codec accepts: zstd 1-19 (default 3), gzip 1-9 (default 6), lz4 1-12 (default
// 1; 1-2 are LZ4's fast mode, 3-12 LZ4HC, slower to write and smaller, as fast to read).
struct CodecLevels {
  int min = 0;
  int max = 0;
  int standard = 0;
};
CodecLevels LevelsOf(ChunkCodec codec);

class ChunkCompressor {
 public:
  // REQUIRES: codec != kNone; `level` within LevelsOf(codec) (clamped otherwise).
  static std::unique_ptr<ChunkCompressor> New(ChunkCodec codec, int level);
  virtual ~ChunkCompressor() = default;
  ChunkCompressor(const ChunkCompressor&) = delete;
  ChunkCompressor& operator=(const ChunkCompressor&) = delete;

  ChunkCodec codec() const { return codec_; }
  // Compresses `plain` into `out` (resized to the compressed length). Returns false when the
  // result would not be smaller than `limit` bytes (then `out` is unspecified); the caller then
  // stores the chunk as is.
  virtual bool Compress(std::string_view plain, size_t limit, std::string* out) = 0;

 protected:
  explicit ChunkCompressor(ChunkCodec codec) : codec_(codec) {}

 private:
  const ChunkCodec codec_;
};

// Decompresses chunks of any codec, keeping each library's context once it was needed.
class ChunkDecompressor {
 public:
  ChunkDecompressor();
  ~ChunkDecompressor();
  ChunkDecompressor(const ChunkDecompressor&) = delete;
  ChunkDecompressor& operator=(const ChunkDecompressor&) = delete;

  // Decompresses `payload` (a chunk stored with `codec`) into `out`, which must receive exactly
  // `plain_size` bytes. Corruption when the payload is damaged or decodes to another length.
  Status Decompress(ChunkCodec codec, std::string_view payload, size_t plain_size,
                    std::string* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace maxiofs::engine
