#include "maxiofs/aws/crypto.h"

#include <gtest/gtest.h>

namespace maxiofs::aws {
namespace {

// FIPS 180-2 / RFC 4231 / RFC 2202 / RFC 4648 known answers.
TEST(CryptoTest, Sha256KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), kEmptySha256Hex);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // AWS's PUT example body, "Welcome to Amazon S3.".
  EXPECT_EQ(Sha256Hex("Welcome to Amazon S3."),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

TEST(CryptoTest, IncrementalSha256MatchesOneShot) {
  const std::string data(65536, 'a');
  Sha256Hasher h;
  for (size_t i = 0; i < data.size(); i += 1000) h.Update(std::string_view(data).substr(i, 1000));
  // The first chunk of AWS's streaming example hashes to this value.
  EXPECT_EQ(h.FinishHex(), "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a");
  EXPECT_EQ(h.FinishHex(), kEmptySha256Hex);  // Finish resets
}

TEST(CryptoTest, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HmacSha1Rfc2202Case2) {
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(CryptoTest, Base64Rfc4648) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(CryptoTest, IsHex) {
  EXPECT_TRUE(IsHex("0aF9", 4));
  EXPECT_FALSE(IsHex("0aF9", 5));
  EXPECT_FALSE(IsHex("0aG9", 4));
}

}  // namespace
}  // namespace maxiofs::aws
