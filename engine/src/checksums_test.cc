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
