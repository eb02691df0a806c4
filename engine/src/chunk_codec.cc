// Chunk compression with libzstd, zlib and liblz4 (see chunk_codec.h).
#include "chunk_codec.h"

#include <climits>
#include <lz4.h>
#include <lz4hc.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <vector>

namespace maxiofs::engine {
namespace {

constexpr int kLz4FirstHcLevel = 3;

struct ZstdCCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

class ZstdCompressor final : public ChunkCompressor {
 public:
  explicit ZstdCompressor(int level)
      : ChunkCompressor(ChunkCodec::kZstd), level_(level), cctx_(ZSTD_createCCtx()) {}
  bool Compress(std::string_view plain, size_t limit, std::string* out) override {
    if (!cctx_) return false;
    out->resize(ZSTD_compressBound(plain.size()));
    const size_t z = ZSTD_compressCCtx(cctx_.get(), out->data(), out->size(), plain.data(),
                                       plain.size(), level_);
    if (ZSTD_isError(z) || z > limit) return false;
    out->resize(z);
    return true;
  }

 private:
  const int level_;
  std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree> cctx_;
};

// One deflate stream, reset per chunk (deflateInit allocates ~256 KiB; reset does not).
class GzipCompressor final : public ChunkCompressor {
 public:
  explicit GzipCompressor(int level) : ChunkCompressor(ChunkCodec::kGzip) {
    ok_ = deflateInit2(&z_, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipCompressor() override {
    if (ok_) deflateEnd(&z_);
  }
  bool Compress(std::string_view plain, size_t limit, std::string* out) override {
    if (!ok_ || plain.size() > UINT_MAX || deflateReset(&z_) != Z_OK) return false;
    out->resize(deflateBound(&z_, plain.size()));
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    z_.avail_in = static_cast<uInt>(plain.size());
    z_.next_out = reinterpret_cast<Bytef*>(out->data());
    z_.avail_out = static_cast<uInt>(out->size());
    if (deflate(&z_, Z_FINISH) != Z_STREAM_END || z_.total_out > limit) return false;
    out->resize(z_.total_out);
    return true;
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

class Lz4Compressor final : public ChunkCompressor {
 public:
  explicit Lz4Compressor(int level)
      : ChunkCompressor(ChunkCodec::kLz4),
        level_(level),
        state_(static_cast<size_t>(level >= kLz4FirstHcLevel ? LZ4_sizeofStateHC()
                                                             : LZ4_sizeofState())) {}
  bool Compress(std::string_view plain, size_t limit, std::string* out) override {
    if (plain.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) return false;
    const int cap = static_cast<int>(std::min<size_t>(limit, INT_MAX));
    out->resize(static_cast<size_t>(cap));
    const int n = level_ >= kLz4FirstHcLevel
                      ? LZ4_compress_HC_extStateHC(state_.data(), plain.data(), out->data(),
                                                   static_cast<int>(plain.size()), cap, level_)
                      : LZ4_compress_fast_extState(state_.data(), plain.data(), out->data(),
                                                   static_cast<int>(plain.size()), cap, 1);
    if (n <= 0) return false;  // did not fit in `limit` bytes
    out->resize(static_cast<size_t>(n));
    return true;
  }

 private:
  const int level_;
  std::vector<char> state_;  // LZ4's working state (operator new's alignment suffices)
};

}  // namespace

std::string_view ChunkCodecName(ChunkCodec codec) {
  switch (codec) {
    case ChunkCodec::kNone:
      return "none";
    case ChunkCodec::kZstd:
      return "zstd";
    case ChunkCodec::kGzip:
      return "gzip";
    case ChunkCodec::kLz4:
      return "lz4";
  }
  return "unknown";
}

std::optional<ChunkCodec> ChunkCodecFromName(std::string_view name) {
  for (uint8_t c = 0; c <= kMaxChunkCodec; ++c) {
    if (ChunkCodecName(static_cast<ChunkCodec>(c)) == name) return static_cast<ChunkCodec>(c);
  }
  return std::nullopt;
}

CodecLevels LevelsOf(ChunkCodec codec) {
  switch (codec) {
    case ChunkCodec::kNone:
      return {0, 0, 0};
    case ChunkCodec::kZstd:
      return {1, 19, 3};
    case ChunkCodec::kGzip:
      return {1, 9, 6};
    case ChunkCodec::kLz4:
      return {1, 12, 1};
  }
  return {0, 0, 0};
}

std::unique_ptr<ChunkCompressor> ChunkCompressor::New(ChunkCodec codec, int level) {
  const CodecLevels l = LevelsOf(codec);
  level = std::clamp(level, l.min, l.max);
  switch (codec) {
    case ChunkCodec::kNone:
      return nullptr;
    case ChunkCodec::kZstd:
      return std::make_unique<ZstdCompressor>(level);
    case ChunkCodec::kGzip:
      return std::make_unique<GzipCompressor>(level);
    case ChunkCodec::kLz4:
      return std::make_unique<Lz4Compressor>(level);
  }
  return nullptr;
}

struct ChunkDecompressor::Impl {
  std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree> zstd;
  z_stream inflate{};
  bool inflate_ready = false;
  ~Impl() {
    if (inflate_ready) inflateEnd(&inflate);
  }
};

ChunkDecompressor::ChunkDecompressor() : impl_(std::make_unique<Impl>()) {}
ChunkDecompressor::~ChunkDecompressor() = default;

Status ChunkDecompressor::Decompress(ChunkCodec codec, std::string_view payload, size_t plain_size,
                                     std::string* out) {
  Impl& m = *impl_;
  out->resize(plain_size);
  switch (codec) {
    case ChunkCodec::kNone:
      if (payload.size() != plain_size) return Status::Corruption("sealed chunk: wrong length");
      out->assign(payload);
      return Status::OK();
    case ChunkCodec::kZstd: {
      if (!m.zstd) m.zstd.reset(ZSTD_createDCtx());
      if (!m.zstd) return Status::Internal("cannot create a zstd context");
      const size_t r = ZSTD_decompressDCtx(m.zstd.get(), out->data(), plain_size, payload.data(),
                                           payload.size());
      if (ZSTD_isError(r) || r != plain_size)
        return Status::Corruption("sealed chunk: bad zstd frame");
      return Status::OK();
    }
    case ChunkCodec::kGzip: {
      if (payload.size() > UINT_MAX || plain_size > UINT_MAX) {
        return Status::Corruption("sealed chunk: gzip chunk too large");
      }
      if (!m.inflate_ready) {
        if (inflateInit2(&m.inflate, 15) != Z_OK) return Status::Internal("cannot start inflate");
        m.inflate_ready = true;
      } else if (inflateReset(&m.inflate) != Z_OK) {
        return Status::Internal("cannot reset inflate");
      }
      m.inflate.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(payload.data()));
      m.inflate.avail_in = static_cast<uInt>(payload.size());
      m.inflate.next_out = reinterpret_cast<Bytef*>(out->data());
      m.inflate.avail_out = static_cast<uInt>(plain_size);
      const int r = inflate(&m.inflate, Z_FINISH);
      if (r != Z_STREAM_END || m.inflate.total_out != plain_size || m.inflate.avail_in != 0) {
        return Status::Corruption("sealed chunk: bad gzip (zlib) stream");
      }
      return Status::OK();
    }
    case ChunkCodec::kLz4: {
      if (payload.size() > INT_MAX || plain_size > INT_MAX) {
        return Status::Corruption("sealed chunk: lz4 chunk too large");
      }
      const int r =
          LZ4_decompress_safe(payload.data(), out->data(), static_cast<int>(payload.size()),
                              static_cast<int>(plain_size));
      if (r < 0 || static_cast<size_t>(r) != plain_size) {
        return Status::Corruption("sealed chunk: bad lz4 block");
      }
      return Status::OK();
    }
  }
  return Status::Corruption("sealed chunk: unknown codec " +
                            std::to_string(static_cast<int>(codec)));
}

}  // namespace maxiofs::engine
