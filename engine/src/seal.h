// The sealed-data format: how object bytes are compressed and encrypted at rest.
//
// A sealed body is a run of chunks, each holding up to `chunk_size` (64 KiB) bytes of plaintext:
//
//   stored chunk := payload                     (plain, not encrypted)
//                 | AES-256-GCM(payload) tag16  (encrypted)
//   payload      := the plaintext chunk, or the chunk compressed with its codec (chunk_codec.h:
//                   zstd, gzip or lz4) when that saves at least 1/8
//
// Encrypted chunks use the object's (or part's) own random 256-bit data key. The 96-bit nonce
// is the chunk index (big-endian, 8 bytes) and 4 zero bytes: unique because each key seals one
// body. The additional authenticated data binds what the chunk means:
//
//   AAD := "maxiofs-chunk-v1" seal_id(16) index(8, BE) flags(1)
//   flags := final(1 when the last chunk) | codec << 1   (codec: 0 none, 1 zstd, 2 gzip, 3 lz4;
//            so a zstd chunk has flag 2, as before other codecs existed)
//
// so a chunk moved to another index, another object, a truncated body (the last chunk is not
// "final") or a flipped bit all fail authentication: Corruption, never wrong data.
//
// Chunk i starts at plaintext offset i * chunk_size. Without compression a stored chunk is the
// plaintext length plus 16 (encrypted) bytes, so its position is computed; with compression the
// record keeps each chunk's stored length and codec (the chunk index), so a range read opens only
// the chunks it touches, and each chunk is decompressed with the codec it was written with.
//
// Thread-safety: Sealer and Opener are single-owner objects.
#pragma once

#include "chunk_codec.h"

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

inline constexpr uint32_t kSealChunkSize = 64 * 1024;
inline constexpr size_t kDataKeySize = 32;
inline constexpr size_t kSealIdSize = 16;
inline constexpr size_t kGcmTagSize = 16;

// How one body (an object's data or a multipart part) is stored. Absent fields mean "plain".
struct SealInfo {
  Sse mode = Sse::kNone;    // who wraps the data key (types.h)
  bool compressed = false;  // some chunk is compressed (then `index` is filled)
  uint32_t chunk_size = kSealChunkSize;
  std::string seal_id;      // kSealIdSize random bytes, bound into every chunk and the key wrap
  std::string key_id;       // master key (kS3) or KMS key (kKms) that wrapped the data key
  std::string wrapped_key;  // the data key, wrapped (see Keyring::Wrap)
  std::string key_hmac;     // kC: salted HMAC-SHA256 of the customer key (salt = seal_id)
  std::string kms_context;  // kKms: the encryption context as the client sent it
  uint64_t stored_size = 0;
  // Compressed only: per chunk, IndexEntry(stored length, codec). (Records of the time when zstd
  // was the only codec store length * 2 + 1-if-zstd; record_codec.cc converts them.)
  std::vector<uint64_t> index;

  bool sealed() const { return mode != Sse::kNone || compressed; }
  bool encrypted() const { return mode != Sse::kNone; }
  friend bool operator==(const SealInfo&, const SealInfo&) = default;
};

// What callers are told of a seal's encryption: the mode and, for SSE-KMS, the key and context
// (StorageInfo's stored_size and compressed are left for the caller).
inline StorageInfo EncryptionOf(const SealInfo& s) {
  StorageInfo out;
  out.sse = s.mode;
  if (s.mode == Sse::kKms) {
    out.kms_key_id = s.key_id;
    out.kms_context = s.kms_context;
  }
  return out;
}

// A chunk index entry: stored length * 4 + codec.
inline constexpr uint64_t IndexEntry(uint64_t stored_len, ChunkCodec codec) {
  return stored_len * 4 + static_cast<uint64_t>(codec);
}
inline constexpr uint64_t IndexLength(uint64_t entry) { return entry / 4; }
inline constexpr ChunkCodec IndexCodec(uint64_t entry) {
  return static_cast<ChunkCodec>(entry % 4);
}

// Compression settings for one body.
struct CompressSpec {
  bool enabled = false;
  ChunkCodec codec = ChunkCodec::kZstd;
  int level = 3;  // within LevelsOf(codec)
};

// Writes a body in the sealed format. Plaintext goes in with Append; stored bytes come out
// through `sink` (in order). Holds at most two chunks in memory.
class Sealer {
 public:
  using Sink = std::function<Status(std::string_view)>;
  // `data_key` is empty when not encrypting. `info` carries mode/seal_id; Finish fills
  // stored_size, compressed and index.
  Sealer(SealInfo info, std::string data_key, CompressSpec compress, Sink sink);
  ~Sealer();
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  Status Append(std::span<const char> data);
  // Seals the last chunk (marked final) and returns the completed SealInfo.
  Result<SealInfo> Finish();

 private:
  Status SealChunk(bool final);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads plaintext chunks of a sealed body. `read_at` reads stored bytes (returns the count,
// short only at the end).
class Opener {
 public:
  using ReadAt = std::function<Result<size_t>(uint64_t offset, std::span<char> out)>;
  // `plain_size` is the body's plaintext length.
  Opener(SealInfo info, std::string data_key, uint64_t plain_size, ReadAt read_at);
  ~Opener();
  Opener(const Opener&) = delete;
  Opener& operator=(const Opener&) = delete;

  // Checks that the index and the stored size agree with plain_size. Corruption otherwise.
  Status Validate() const;
  uint64_t chunk_count() const;
  // The plaintext of chunk `i`, authenticated. Corruption on any mismatch.
  Result<std::string_view> Chunk(uint64_t i);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Random bytes from the OS CSPRNG.
std::string RandomBytes(size_t n);

// AES-256-GCM of a small secret (a data key or a KMS key) under `kek`: nonce(12) ct tag(16).
// `aad` binds what the key belongs to.
std::string WrapKey(std::string_view kek, std::string_view key, std::string_view aad);
// Corruption (wrong key or tampered) when it does not authenticate.
Result<std::string> UnwrapKey(std::string_view kek, std::string_view wrapped, std::string_view aad);

// HMAC-SHA256(key, msg), raw 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view msg);

}  // namespace maxiofs::engine
