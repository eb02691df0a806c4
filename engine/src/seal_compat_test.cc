// Data sealed by the code of the time when zstd was the only codec (before gzip and lz4): its
// records and stored bytes must stay readable, and such records re-encode byte for byte. The
// hex below was produced by that code (EncodeObjectRecord and Sealer of commit 9c20ece) for the
// plaintext Plaintext() builds, with 256-byte chunks, zstd level 3, and for the encrypted copy the
// data key 32 x 0x11 and seal id 16 x 0x22.
#include "checksums.h"
#include "record_codec.h"
#include "seal.h"

#include <gtest/gtest.h>

#include <cstring>

namespace maxiofs::engine {
namespace {

constexpr const char* kPlainRecord =
    "03e4062030313233343536373839616263646566303132333435363738396162636465668080a8b1e39fe7cb17"
    "100707070707070707070707070707070700000001203030313132323333343435353636373738383939616162"
    "626363646465656666000000000000000000000000018002102222222222222222222222222222222200000000"
    "f80204278004a90123";
constexpr const char* kPlainStored =
    "28b52ffd6000004d000010414101007b0a600105048ba2e81c7e8c98c80abef712b37565f567f3fea96c7f496c"
    "ac2716da4f01764a92f603c74d52f48baaa89f29edc475b954b693c2713474ab85df64ecbe24af595bcbcb2d1e"
    "67dfb9893f64ded05fd5b187e5a1eb62c8d3189e9c1c94e31746c7bb602e48e164c6b717bcd78f36e76634add2"
    "ff00a8055a1b82e9fc4d56eee72fb99a6b58fac5a7737a7d5f5af1621da0ab72d924219a93a37375935ca21f4f"
    "2f940019df3fea175a8d013625c53803549761adb91e189b20641345c544865169bbbe20a5fd173d62deee6a97"
    "6a3834b6bbda4f6b64f72688fcb94b53af63d585d5a4beb6f276d501ad0cdd1c8c92e12e98c1e6252e90775599"
    "83b193495828b52ffd60000055020024026c696e652030206f6620746578740a31323334353637383931313131"
    "343536206f661000a013331d76be631ceb64631d680c7240664016201f90199005c80764066401f21261d60128"
    "b52ffd2064450000107a7a01003f012c";
constexpr const char* kEncRecord =
    "03e4062030313233343536373839616263646566303132333435363738396162636465668080a8b1e39fe7cb17"
    "100707070707070707070707070707070700000001203030313132323333343435353636373738383939616162"
    "626363646465656666000000000000000000000001018002102222222222222222222222222222222207646566"
    "61756c743c33333333333333333333333333333333333333333333333333333333333333333333333333333333"
    "33333333333333333333333333333333333333330000b8030447a004c90143";
constexpr const char* kEncStored =
    "ec7f319a81af9dd4011aad449af3daf4fb008e08cd97e6fc9a2927bf70514d07305cc5667543f06000b50bb754"
    "d5b85d9b6501c217be590767cb2085b868809ae2a18ec8fa61a03478c4e792b04eb546c417ea847f6e3cf64812"
    "e08eea4fd10d194c0e16bcbf40471062105b2bd4210d048b4bc69ecce4abf3d45caee36a75a50b862cbdc392e4"
    "773fff1749a6edb975ecb9ea4348f4f7f16f5b2fb49840a04375fc10fd09093dc9affc22109749f12bbb530211"
    "aa9ac456ecd31dd6be7e83e65941ee85404ce2c5ec3a0cc473687a2084b8f042ab66d2a3e291f66bef6c084279"
    "1532b44803499cba406b18c5901b4ad60ffb9f4c50e796af99ca7c1a303b06b8568a3a743681b956ce55d785bd"
    "c31c751c9a44ff8e83dc9d21b9dba5e673c8814f64c1078139f379b2b9adb3fe76c1b4614065ae84770cfd099d"
    "cc09ff050b3dcfdb47826ba93beaf64899ecd2f25399caf043d167fdc4f86b0aab7ab86eb4e72adf4027ad9214"
    "448eea40eb9865a331329534c5f8ad39b772052159e29e268479bbe33096efb317199e522149d5266259a4d440"
    "4243cd0db1debc4e0459ae3c75ef594f8cfb34a6ade8d4de25f10865280fb577af4c95";

// 256 x 'A', 256 pseudo-random bytes, text lines up to 768 bytes, then 100 x 'z'.
std::string Plaintext() {
  std::string plain(256, 'A');
  uint32_t x = 12345;
  for (int i = 0; i < 256; ++i) {
    x = x * 1664525u + 1013904223u;
    plain.push_back(static_cast<char>(x >> 24));
  }
  for (int i = 0; plain.size() < 768; ++i) plain += "line " + std::to_string(i) + " of text\n";
  plain.resize(768);
  plain += std::string(100, 'z');
  return plain;
}

std::string Unhex(std::string_view hex) {
  auto raw = HexDecode(hex);
  EXPECT_TRUE(raw.has_value());
  return raw.value_or("");
}

void ExpectReadable(const char* record_hex, const char* stored_hex, const std::string& key) {
  const std::string record = Unhex(record_hex);
  const std::string stored = Unhex(stored_hex);
  auto r = DecodeObjectRecord(record);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_TRUE(r->seal.compressed);
  ASSERT_EQ(r->seal.index.size(), 4u);
  // The old index said only "zstd or not"; it reads as zstd and none chunks.
  EXPECT_EQ(IndexCodec(r->seal.index[0]), ChunkCodec::kZstd);
  EXPECT_EQ(IndexCodec(r->seal.index[1]), ChunkCodec::kNone);  // the random chunk
  EXPECT_EQ(IndexCodec(r->seal.index[3]), ChunkCodec::kZstd);
  EXPECT_EQ(r->seal.stored_size, stored.size());
  const std::string plain = Plaintext();
  Opener o(r->seal, key, r->size, [&](uint64_t off, std::span<char> out) -> Result<size_t> {
    if (off >= stored.size()) return size_t{0};
    size_t n = std::min<size_t>(out.size(), stored.size() - off);
    std::memcpy(out.data(), stored.data() + off, n);
    return n;
  });
  ASSERT_TRUE(o.Validate().ok());
  // Chunk by chunk, out of order (a range read).
  for (uint64_t i : {2u, 0u, 3u, 1u}) {
    auto c = o.Chunk(i);
    ASSERT_TRUE(c.has_value()) << i << ": " << c.error().ToString();
    EXPECT_EQ(*c, std::string_view(plain).substr(i * 256, 256)) << i;
  }
  // Re-encoding (a rotation re-wrap, a copy) writes the same bytes as the old code did.
  EXPECT_EQ(EncodeObjectRecord(*r), record);
}

TEST(SealCompat, ZstdDataFromBeforeOtherCodecsIsReadable) {
  ExpectReadable(kPlainRecord, kPlainStored, "");
}

TEST(SealCompat, EncryptedZstdDataFromBeforeOtherCodecsIsReadable) {
  ExpectReadable(kEncRecord, kEncStored, std::string(32, '\x11'));
}

TEST(SealCompat, NewCodecsUseTheCodecIndexAndUnknownFormsAreCorruption) {
  auto r = DecodeObjectRecord(Unhex(kPlainRecord));
  ASSERT_TRUE(r.has_value());
  ObjectRecord gz = *r;
  gz.seal.index[0] = IndexEntry(IndexLength(gz.seal.index[0]), ChunkCodec::kGzip);
  gz.seal.index[3] = IndexEntry(IndexLength(gz.seal.index[3]), ChunkCodec::kLz4);
  const std::string encoded = EncodeObjectRecord(gz);
  EXPECT_NE(encoded, Unhex(kPlainRecord));
  auto back = DecodeObjectRecord(encoded);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->seal, gz.seal);
  // The compression byte follows the seal's mode byte; 3 and up are no known form.
  const std::string old = Unhex(kPlainRecord);
  std::string bad = encoded;
  bool changed = false;
  for (size_t i = 0; i + 1 < bad.size(); ++i) {
    if (bad[i] == old[i] || changed) continue;
    changed = true;  // the first difference is the compression byte: 1 (zstd only) -> 2
    EXPECT_EQ(old[i], 1);
    EXPECT_EQ(bad[i], 2);
    bad[i] = 3;
  }
  ASSERT_TRUE(changed);
  EXPECT_TRUE(DecodeObjectRecord(bad).status().IsCorruption());
}

}  // namespace
}  // namespace maxiofs::engine
