#include "seal.h"

#include <gtest/gtest.h>

#include <cstring>

namespace maxiofs::engine {
namespace {

struct Sealed {
  SealInfo info;
  std::string bytes;
};

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "line " + std::to_string(i) + " of some text\n";
  s.resize(n);
  return s;
}

Sealed Seal(std::string_view plain, const std::string& key, bool compress,
            ChunkCodec codec = ChunkCodec::kZstd, int level = 0) {
  SealInfo info;
  info.mode = key.empty() ? Sse::kNone : Sse::kS3;
  info.seal_id = RandomBytes(kSealIdSize);
  Sealed out;
  CompressSpec spec;
  spec.enabled = compress;
  spec.codec = codec;
  spec.level = level != 0 ? level : LevelsOf(codec).standard;
  Sealer s(info, key, spec, [&](std::string_view b) {
    out.bytes.append(b);
    return Status::OK();
  });
  // Uneven appends.
  size_t pos = 0, step = 777;
  while (pos < plain.size()) {
    size_t n = std::min(step, plain.size() - pos);
    EXPECT_TRUE(s.Append(plain.substr(pos, n)).ok());
    pos += n;
    step = step * 2 + 1;
  }
  auto r = s.Finish();
  EXPECT_TRUE(r.has_value());
  out.info = *r;
  return out;
}

Result<std::string> OpenAll(const Sealed& s, const std::string& key, uint64_t size) {
  Opener o(s.info, key, size, [&](uint64_t off, std::span<char> out) -> Result<size_t> {
    if (off >= s.bytes.size()) return size_t{0};
    size_t n = std::min<size_t>(out.size(), s.bytes.size() - off);
    std::memcpy(out.data(), s.bytes.data() + off, n);
    return n;
  });
  MAXIOFS_RETURN_IF_ERROR(o.Validate());
  std::string plain;
  for (uint64_t i = 0; i < o.chunk_count(); ++i) {
    MAXIOFS_ASSIGN_OR_RETURN(std::string_view c, o.Chunk(i));
    plain.append(c);
  }
  return plain;
}

constexpr ChunkCodec kCodecs[] = {ChunkCodec::kZstd, ChunkCodec::kGzip, ChunkCodec::kLz4};

TEST(Seal, RoundTripEveryMode) {
  const std::string key = RandomBytes(kDataKeySize);
  for (size_t size :
       {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{65537}, size_t{200000}}) {
    const std::string plain = Text(size);
    for (bool enc : {false, true}) {
      for (ChunkCodec codec :
           {ChunkCodec::kNone, ChunkCodec::kZstd, ChunkCodec::kGzip, ChunkCodec::kLz4}) {
        const bool comp = codec != ChunkCodec::kNone;
        Sealed s = Seal(plain, enc ? key : "", comp, codec);
        EXPECT_EQ(s.info.stored_size, s.bytes.size());
        auto back = OpenAll(s, enc ? key : "", size);
        ASSERT_TRUE(back.has_value()) << back.error().ToString();
        EXPECT_EQ(*back, plain) << size << enc << ChunkCodecName(codec);
        if (comp && size >= 65536) {
          EXPECT_TRUE(s.info.compressed);
          EXPECT_LT(s.bytes.size(), size / 2) << ChunkCodecName(codec);
          // Every chunk records the codec it was written with (a chunk too small to gain
          // from compression, such as a 1-byte last one, is stored as is).
          size_t with_codec = 0;
          for (uint64_t e : s.info.index) {
            EXPECT_TRUE(IndexCodec(e) == codec || IndexCodec(e) == ChunkCodec::kNone);
            with_codec += IndexCodec(e) == codec;
          }
          EXPECT_GE(with_codec, size / 65536);
        }
        if (enc && size > 0) {
          EXPECT_EQ(s.bytes.find("line 1 of"), std::string::npos);
        }
      }
    }
  }
}

TEST(Seal, IncompressibleDataIsStoredRaw) {
  const std::string plain = RandomBytes(300000);
  for (ChunkCodec codec : kCodecs) {
    Sealed s = Seal(plain, "", true, codec);
    EXPECT_FALSE(s.info.compressed) << ChunkCodecName(codec);
    EXPECT_EQ(s.bytes, plain);
  }
}

TEST(Seal, EveryLevelOfEveryCodecRoundTrips) {
  const std::string plain = Text(3 * 65536 + 999);
  for (ChunkCodec codec : kCodecs) {
    const CodecLevels levels = LevelsOf(codec);
    EXPECT_GE(levels.standard, levels.min);
    EXPECT_LE(levels.standard, levels.max);
    for (int level : {levels.min, levels.standard, levels.max}) {
      Sealed s = Seal(plain, "", true, codec, level);
      auto back = OpenAll(s, "", plain.size());
      ASSERT_TRUE(back.has_value()) << ChunkCodecName(codec) << level;
      EXPECT_EQ(*back, plain);
    }
  }
}

TEST(Seal, ChunksOfOneBodyAreReadAloneWithTheirOwnCodec) {
  // A range read opens only the chunks it touches, in any order.
  const std::string plain = Text(5 * 65536 + 17);
  const std::string key = RandomBytes(kDataKeySize);
  for (ChunkCodec codec : kCodecs) {
    Sealed s = Seal(plain, key, true, codec);
    Opener o(s.info, key, plain.size(), [&](uint64_t off, std::span<char> out) -> Result<size_t> {
      if (off >= s.bytes.size()) return size_t{0};
      size_t n = std::min<size_t>(out.size(), s.bytes.size() - off);
      std::memcpy(out.data(), s.bytes.data() + off, n);
      return n;
    });
    ASSERT_TRUE(o.Validate().ok());
    for (uint64_t i : {4u, 1u, 5u, 0u, 3u}) {
      auto c = o.Chunk(i);
      ASSERT_TRUE(c.has_value()) << c.error().ToString();
      EXPECT_EQ(*c, std::string_view(plain).substr(i * 65536, 65536)) << ChunkCodecName(codec);
    }
  }
}

TEST(Seal, AChunkReadWithAnotherCodecIsCorruption) {
  const std::string plain = Text(2 * 65536);
  for (bool enc : {false, true}) {
    const std::string key = enc ? RandomBytes(kDataKeySize) : std::string();
    Sealed s = Seal(plain, key, true, ChunkCodec::kGzip);
    for (ChunkCodec other : {ChunkCodec::kZstd, ChunkCodec::kLz4}) {
      Sealed relabelled = s;
      for (uint64_t& e : relabelled.info.index) e = IndexEntry(IndexLength(e), other);
      EXPECT_EQ(OpenAll(relabelled, key, plain.size()).status().code(), Status::Code::kCorruption)
          << enc << ChunkCodecName(other);
    }
  }
}

TEST(ChunkCodec, NamesAndLevels) {
  for (ChunkCodec codec :
       {ChunkCodec::kNone, ChunkCodec::kZstd, ChunkCodec::kGzip, ChunkCodec::kLz4}) {
    EXPECT_EQ(ChunkCodecFromName(ChunkCodecName(codec)), codec);
  }
  EXPECT_EQ(ChunkCodecFromName("brotli"), std::nullopt);
  EXPECT_EQ(LevelsOf(ChunkCodec::kZstd).max, 19);
  EXPECT_EQ(LevelsOf(ChunkCodec::kGzip).max, 9);
  EXPECT_EQ(LevelsOf(ChunkCodec::kLz4).max, 12);
  // Garbage never decompresses into plausible data of the declared size.
  ChunkDecompressor d;
  std::string out;
  for (ChunkCodec codec : kCodecs) {
    EXPECT_TRUE(d.Decompress(codec, "not a frame at all", 100, &out).IsCorruption())
        << ChunkCodecName(codec);
  }
}

TEST(Seal, TamperingIsCorruption) {
  const std::string key = RandomBytes(kDataKeySize);
  const std::string plain = Text(3 * 65536 + 100);
  for (ChunkCodec codec :
       {ChunkCodec::kNone, ChunkCodec::kZstd, ChunkCodec::kGzip, ChunkCodec::kLz4}) {
    Sealed s = Seal(plain, key, codec != ChunkCodec::kNone, codec);
    // A flipped bit in any chunk.
    Sealed flipped = s;
    flipped.bytes[flipped.bytes.size() / 2] ^= 0x01;
    EXPECT_EQ(OpenAll(flipped, key, plain.size()).status().code(), Status::Code::kCorruption);
    // The wrong key.
    EXPECT_EQ(OpenAll(s, RandomBytes(kDataKeySize), plain.size()).status().code(),
              Status::Code::kCorruption);
    // Another body's seal id (chunks moved between objects).
    Sealed moved = s;
    moved.info.seal_id = RandomBytes(kSealIdSize);
    EXPECT_EQ(OpenAll(moved, key, plain.size()).status().code(), Status::Code::kCorruption);
  }
  // Reordered chunks (fixed-size, uncompressed): swap chunk 0 and 1.
  Sealed s = Seal(plain, key, false);
  const size_t c = 65536 + kGcmTagSize;
  Sealed swapped = s;
  std::string a = s.bytes.substr(0, c), b = s.bytes.substr(c, c);
  swapped.bytes.replace(0, c, b);
  swapped.bytes.replace(c, c, a);
  EXPECT_EQ(OpenAll(swapped, key, plain.size()).status().code(), Status::Code::kCorruption);
  // Truncation to a whole number of chunks: the new last chunk is not marked final.
  Sealed cut = s;
  cut.bytes.resize(2 * c);
  cut.info.stored_size = 2 * c;
  EXPECT_EQ(OpenAll(cut, key, 2 * 65536).status().code(), Status::Code::kCorruption);
}

TEST(Seal, KeyWrap) {
  const std::string kek = RandomBytes(kDataKeySize), dk = RandomBytes(kDataKeySize);
  std::string w = WrapKey(kek, dk, "aad");
  auto back = UnwrapKey(kek, w, "aad");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, dk);
  EXPECT_FALSE(UnwrapKey(kek, w, "other").has_value());
  EXPECT_FALSE(UnwrapKey(RandomBytes(kDataKeySize), w, "aad").has_value());
}

}  // namespace
}  // namespace maxiofs::engine
