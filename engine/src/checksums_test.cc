#include "checksums.h"

#include <gtest/gtest.h>

namespace maxiofs::engine {
namespace {

std::string Sum(ChecksumAlgorithm a, std::string_view data) {
  auto d = NewChecksum(a);
  // Split the update to check incremental use.
  d->Update(data.substr(0, 4));
  d->Update(data.substr(4));
  return Base64Encode(d->Final());
}

// Check values of the CRC catalogue for "123456789" and the published digests.
TEST(Checksums, StandardCheckValues) {
  const std::string s = "123456789";
  auto hex = [](ChecksumAlgorithm a, std::string_view d) {
    auto x = NewChecksum(a);
    x->Update(d);
    return HexEncode(x->Final());
  };
  EXPECT_EQ(hex(ChecksumAlgorithm::kCRC32, s), "cbf43926");
  EXPECT_EQ(hex(ChecksumAlgorithm::kCRC32C, s), "e3069283");
  EXPECT_EQ(hex(ChecksumAlgorithm::kCRC64NVME, s), "ae8b14860a799888");
  EXPECT_EQ(hex(ChecksumAlgorithm::kSHA1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(ChecksumAlgorithm::kSHA256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sum(ChecksumAlgorithm::kCRC32, s), "y/Q5Jg==");
}

// Combining the CRCs of two pieces gives the CRC of the whole, for every split and for an
// empty piece on either side (the CRC of no data is all zeros).
TEST(Checksums, CombineCrcEqualsTheCrcOfTheConcatenation) {
  std::string data;
  for (int i = 0; i < 3000; ++i) data.push_back(static_cast<char>((i * 131 + 7) % 251));
  auto raw = [](ChecksumAlgorithm a, std::string_view d) {
    auto x = NewChecksum(a);
    x->Update(d);
    return x->Final();
  };
  for (ChecksumAlgorithm a :
       {ChecksumAlgorithm::kCRC32, ChecksumAlgorithm::kCRC32C, ChecksumAlgorithm::kCRC64NVME}) {
    ASSERT_TRUE(IsCrc(a));
    const std::string whole = raw(a, data);
    EXPECT_EQ(raw(a, ""), std::string(whole.size(), '\0'));
    for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, size_t{1000}, size_t{2999}, data.size()}) {
      const std::string_view head = std::string_view(data).substr(0, cut);
      const std::string_view tail = std::string_view(data).substr(cut);
      auto c = CombineCrc(a, raw(a, head), raw(a, tail), tail.size());
      ASSERT_TRUE(c.has_value());
      EXPECT_EQ(HexEncode(*c), HexEncode(whole)) << static_cast<int>(a) << " cut " << cut;
    }
    // Three pieces folded from an empty start, as a FULL_OBJECT completion does.
    std::string sum(whole.size(), '\0');
    for (auto [at, len] : {std::pair<size_t, size_t>{0, 1200}, {1200, 1}, {1201, 1799}}) {
      sum = *CombineCrc(a, sum, raw(a, std::string_view(data).substr(at, len)), len);
    }
    EXPECT_EQ(sum, whole);
    EXPECT_FALSE(CombineCrc(a, "abc", whole, 1).has_value());
  }
  EXPECT_FALSE(IsCrc(ChecksumAlgorithm::kSHA256));
  EXPECT_FALSE(IsCrc(ChecksumAlgorithm::kNone));
}

TEST(Checksums, Md5) {
  auto m = NewMd5();
  EXPECT_EQ(HexEncode(m->Final()), "d41d8cd98f00b204e9800998ecf8427e");
  auto m2 = NewMd5();
  m2->Update(std::string_view("The quick brown fox jumps over the lazy dog"));
  EXPECT_EQ(HexEncode(m2->Final()), "9e107d9d372bb6826bd81d3542a419d6");
  // A million 'a' (RFC 1321's long vector), whole and in uneven pieces.
  const std::string a(1000000, 'a');
  auto whole = NewMd5();
  whole->Update(a);
  EXPECT_EQ(HexEncode(whole->Final()), "7707d6ae4e027c70eea2a935c2296f21");
  auto pieces = NewMd5();
  for (size_t off = 0, n = 1; off < a.size(); off += n, n = n * 7 % 65537 + 1) {
    pieces->Update(std::string_view(a).substr(off, n));
  }
  EXPECT_EQ(HexEncode(pieces->Final()), "7707d6ae4e027c70eea2a935c2296f21");
}

TEST(Checksums, Base64) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

}  // namespace
}  // namespace maxiofs::engine
