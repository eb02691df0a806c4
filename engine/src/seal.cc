// The sealed-data format (see seal.h): per-chunk compression (chunk_codec.h) then AES-256-GCM,
// with Crypto++.
#include "seal.h"

#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>
#include <cryptopp/hmac.h>
#include <cryptopp/osrng.h>
#include <cryptopp/sha.h>

#include <algorithm>
#include <array>

namespace maxiofs::engine {
namespace {

using Byte = CryptoPP::byte;

constexpr std::string_view kChunkAadTag = "maxiofs-chunk-v1";
constexpr size_t kNonceSize = 12;
constexpr uint8_t kFinalFlag = 1;

// The AAD flags byte of a chunk (seal.h).
uint8_t ChunkFlags(bool final, ChunkCodec codec) {
  return static_cast<uint8_t>((final ? kFinalFlag : 0) | (static_cast<uint8_t>(codec) << 1));
}

const Byte* B(const char* p) { return reinterpret_cast<const Byte*>(p); }
Byte* B(char* p) { return reinterpret_cast<Byte*>(p); }

std::array<char, kNonceSize> ChunkNonce(uint64_t index) {
  std::array<char, kNonceSize> n{};
  for (int i = 0; i < 8; ++i) n[i] = static_cast<char>((index >> (8 * (7 - i))) & 0xff);
  return n;
}

std::string ChunkAad(std::string_view seal_id, uint64_t index, uint8_t flags) {
  std::string aad(kChunkAadTag);
  aad.append(seal_id);
  auto n = ChunkNonce(index);
  aad.append(n.data(), 8);
  aad.push_back(static_cast<char>(flags));
  return aad;
}

// A chunk is kept compressed only when it saves at least 1/8 of its size; after this many
// chunks none of which compressed, the rest of the body is not tried (incompressible data).
constexpr uint64_t kGiveUpAfterChunks = 4;

}  // namespace

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  CryptoPP::OS_GenerateRandomBlock(false, B(out.data()), n);
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view msg) {
  CryptoPP::HMAC<CryptoPP::SHA256> h(B(key.data()), key.size());
  h.Update(B(msg.data()), msg.size());
  std::string out(CryptoPP::SHA256::DIGESTSIZE, '\0');
  h.Final(B(out.data()));
  return out;
}

std::string WrapKey(std::string_view kek, std::string_view key, std::string_view aad) {
  std::string nonce = RandomBytes(kNonceSize);
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  enc.SetKeyWithIV(B(kek.data()), kek.size(), B(nonce.data()), nonce.size());
  std::string out = nonce;
  out.resize(kNonceSize + key.size() + kGcmTagSize);
  enc.EncryptAndAuthenticate(B(out.data() + kNonceSize), B(out.data() + kNonceSize + key.size()),
                             kGcmTagSize, B(nonce.data()), kNonceSize, B(aad.data()), aad.size(),
                             B(key.data()), key.size());
  return out;
}

Result<std::string> UnwrapKey(std::string_view kek, std::string_view wrapped,
                              std::string_view aad) {
  if (kek.size() != kDataKeySize) return Status::Internal("key-encryption key has the wrong size");
  if (wrapped.size() < kNonceSize + kGcmTagSize) {
    return Status::Corruption("wrapped key is truncated");
  }
  const size_t n = wrapped.size() - kNonceSize - kGcmTagSize;
  CryptoPP::GCM<CryptoPP::AES>::Decryption dec;
  dec.SetKeyWithIV(B(kek.data()), kek.size(), B(wrapped.data()), kNonceSize);
  std::string key(n, '\0');
  bool ok = dec.DecryptAndVerify(B(key.data()), B(wrapped.data() + kNonceSize + n), kGcmTagSize,
                                 B(wrapped.data()), kNonceSize, B(aad.data()), aad.size(),
                                 B(wrapped.data() + kNonceSize), n);
  if (!ok) return Status::Corruption("data key does not unwrap: wrong key or damaged record");
  return key;
}

// --- Sealer ------------------------------------------------------------------------------------

struct Sealer::Impl {
  SealInfo info;
  std::string key;
  CompressSpec compress;
  Sink sink;
  std::unique_ptr<CryptoPP::GCM<CryptoPP::AES>::Encryption> enc;
  std::unique_ptr<ChunkCompressor> compressor;
  std::string pending;  // plaintext of the chunk being filled
  std::string zbuf;     // compressed payload
  std::string out;      // stored chunk
  uint64_t chunk = 0;
  uint64_t compressed_chunks = 0;
  bool finished = false;
};

Sealer::Sealer(SealInfo info, std::string data_key, CompressSpec compress, Sink sink)
    : impl_(std::make_unique<Impl>()) {
  impl_->info = std::move(info);
  impl_->info.index.clear();
  impl_->info.compressed = false;
  impl_->info.stored_size = 0;
  impl_->key = std::move(data_key);
  impl_->compress = compress;
  impl_->sink = std::move(sink);
  if (impl_->info.encrypted()) {
    impl_->enc = std::make_unique<CryptoPP::GCM<CryptoPP::AES>::Encryption>();
    auto nonce = ChunkNonce(0);
    impl_->enc->SetKeyWithIV(B(impl_->key.data()), impl_->key.size(), B(nonce.data()),
                             nonce.size());
  }
  if (compress.enabled && compress.codec != ChunkCodec::kNone) {
    impl_->compressor = ChunkCompressor::New(compress.codec, compress.level);
  }
  impl_->pending.reserve(impl_->info.chunk_size);
}

Sealer::~Sealer() = default;

Status Sealer::Append(std::span<const char> data) {
  Impl& m = *impl_;
  while (!data.empty()) {
    if (m.pending.size() == m.info.chunk_size) MAXIOFS_RETURN_IF_ERROR(SealChunk(false));
    size_t n = std::min<size_t>(data.size(), m.info.chunk_size - m.pending.size());
    m.pending.append(data.data(), n);
    data = data.subspan(n);
  }
  return Status::OK();
}

Status Sealer::SealChunk(bool final) {
  Impl& m = *impl_;
  std::string_view payload = m.pending;
  ChunkCodec codec = ChunkCodec::kNone;
  const bool try_compress =
      m.compressor && (m.compressed_chunks > 0 || m.chunk < kGiveUpAfterChunks);
  if (try_compress &&
      m.compressor->Compress(m.pending, m.pending.size() - m.pending.size() / 8, &m.zbuf)) {
    payload = m.zbuf;
    codec = m.compressor->codec();
    ++m.compressed_chunks;
  }
  const uint8_t flags = ChunkFlags(final, codec);
  std::string_view stored = payload;
  if (m.enc) {
    m.out.resize(payload.size() + kGcmTagSize);
    auto nonce = ChunkNonce(m.chunk);
    std::string aad = ChunkAad(m.info.seal_id, m.chunk, flags);
    m.enc->EncryptAndAuthenticate(B(m.out.data()), B(m.out.data() + payload.size()), kGcmTagSize,
                                  B(nonce.data()), kNonceSize, B(aad.data()), aad.size(),
                                  B(payload.data()), payload.size());
    stored = m.out;
  }
  MAXIOFS_RETURN_IF_ERROR(m.sink(stored));
  m.info.index.push_back(IndexEntry(stored.size(), codec));
  m.info.stored_size += stored.size();
  ++m.chunk;
  m.pending.clear();
  return Status::OK();
}

Result<SealInfo> Sealer::Finish() {
  Impl& m = *impl_;
  if (m.finished) return Status::Internal("sealer finished twice");
  m.finished = true;
  if (!m.pending.empty()) MAXIOFS_RETURN_IF_ERROR(SealChunk(true));
  m.info.compressed = m.compressed_chunks > 0;
  if (!m.info.compressed) m.info.index.clear();
  return m.info;
}

// --- Opener ------------------------------------------------------------------------------------

struct Opener::Impl {
  SealInfo info;
  std::string key;
  uint64_t plain_size = 0;
  ReadAt read_at;
  std::unique_ptr<CryptoPP::GCM<CryptoPP::AES>::Decryption> dec;
  ChunkDecompressor decompressor;
  std::vector<uint64_t> starts;  // compressed: stored offset of each chunk
  std::string stored;            // stored bytes of one chunk
  std::string payload;           // decrypted payload
  std::string plain;             // plaintext of `cached`
  uint64_t cached = UINT64_MAX;

  uint64_t count() const { return (plain_size + info.chunk_size - 1) / info.chunk_size; }
  uint64_t plain_len(uint64_t i) const {
    return std::min<uint64_t>(info.chunk_size, plain_size - i * info.chunk_size);
  }
  uint64_t overhead() const { return info.encrypted() ? kGcmTagSize : 0; }
};

Opener::Opener(SealInfo info, std::string data_key, uint64_t plain_size, ReadAt read_at)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.info = std::move(info);
  m.key = std::move(data_key);
  m.plain_size = plain_size;
  m.read_at = std::move(read_at);
  if (m.info.encrypted() && m.key.size() == kDataKeySize) {
    m.dec = std::make_unique<CryptoPP::GCM<CryptoPP::AES>::Decryption>();
    auto nonce = ChunkNonce(0);
    m.dec->SetKeyWithIV(B(m.key.data()), m.key.size(), B(nonce.data()), nonce.size());
  }
  if (m.info.compressed) {
    uint64_t at = 0;
    m.starts.reserve(m.info.index.size());
    for (uint64_t e : m.info.index) {
      m.starts.push_back(at);
      at += IndexLength(e);
    }
  }
}

Opener::~Opener() = default;

uint64_t Opener::chunk_count() const { return impl_->count(); }

Status Opener::Validate() const {
  const Impl& m = *impl_;
  if (m.info.chunk_size == 0) return Status::Corruption("sealed body: zero chunk size");
  if (m.info.encrypted() && !m.dec) return Status::Corruption("sealed body: no data key");
  const uint64_t n = m.count();
  if (m.info.compressed) {
    if (m.info.index.size() != n) return Status::Corruption("sealed body: chunk index size");
    uint64_t total = 0;
    for (uint64_t e : m.info.index) total += IndexLength(e);
    if (total != m.info.stored_size) return Status::Corruption("sealed body: chunk index sum");
  } else if (m.info.stored_size != m.plain_size + n * m.overhead()) {
    return Status::Corruption("sealed body: stored size does not match");
  }
  return Status::OK();
}

Result<std::string_view> Opener::Chunk(uint64_t i) {
  Impl& m = *impl_;
  if (i >= m.count()) return Status::Corruption("sealed body: chunk past the end");
  if (i == m.cached) return std::string_view(m.plain);
  m.cached = UINT64_MAX;
  const uint64_t want = m.plain_len(i);
  uint64_t at, len;
  ChunkCodec codec = ChunkCodec::kNone;
  if (m.info.compressed) {
    at = m.starts[i];
    len = IndexLength(m.info.index[i]);
    codec = IndexCodec(m.info.index[i]);
  } else {
    at = i * (m.info.chunk_size + m.overhead());
    len = want + m.overhead();
  }
  m.stored.resize(len);
  uint64_t got = 0;
  while (got < len) {
    MAXIOFS_ASSIGN_OR_RETURN(
        size_t n, m.read_at(at + got, std::span<char>(m.stored.data() + got, len - got)));
    if (n == 0) return Status::Corruption("sealed body is shorter than its record says");
    got += n;
  }
  std::string* payload = &m.stored;
  if (m.info.encrypted()) {
    if (len < kGcmTagSize) return Status::Corruption("sealed chunk: too short");
    const uint64_t n = len - kGcmTagSize;
    const uint8_t flags = ChunkFlags(i + 1 == m.count(), codec);
    std::string aad = ChunkAad(m.info.seal_id, i, flags);
    auto nonce = ChunkNonce(i);
    m.payload.resize(n);
    bool ok = m.dec->DecryptAndVerify(B(m.payload.data()), B(m.stored.data() + n), kGcmTagSize,
                                      B(nonce.data()), kNonceSize, B(aad.data()), aad.size(),
                                      B(m.stored.data()), n);
    if (!ok) {
      return Status::Corruption("sealed chunk " + std::to_string(i) +
                                " fails authentication (damaged, truncated or moved data)");
    }
    payload = &m.payload;
  }
  if (codec != ChunkCodec::kNone) {
    MAXIOFS_RETURN_IF_ERROR(m.decompressor.Decompress(codec, *payload, want, &m.plain));
  } else {
    if (payload->size() != want) return Status::Corruption("sealed chunk: wrong length");
    m.plain.swap(*payload);
  }
  m.cached = i;
  return std::string_view(m.plain);
}

}  // namespace maxiofs::engine
