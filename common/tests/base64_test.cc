#include "maxiofs/common/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace maxiofs {
namespace {

// RFC 4648 section 10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, coded] : cases) {
    EXPECT_EQ(Base64Encode(plain), coded);
    EXPECT_EQ(Base64Decode(coded), plain) << coded;
    EXPECT_EQ(Base64Decode(coded, Base64Alphabet::kStandard, Base64Padding::kOptional), plain);
  }
}

TEST(Base64, AllBytesRoundTripInBothAlphabets) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 37) {
    std::string s = all.substr(0, n);
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
    std::string url = Base64Encode(s, Base64Alphabet::kUrl, false);
    EXPECT_EQ(url.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(Base64Decode(url, Base64Alphabet::kUrl, Base64Padding::kNone), s);
    EXPECT_EQ(Base64Decode(url, Base64Alphabet::kEither, Base64Padding::kOptional), s);
  }
}

TEST(Base64, StrictRejections) {
  EXPECT_FALSE(Base64Decode("Zg"));        // padding required
  EXPECT_FALSE(Base64Decode("Zg="));       // too little padding
  EXPECT_FALSE(Base64Decode("Zg==="));     // too much
  EXPECT_FALSE(Base64Decode("Zm9v===="));  // padding where none is needed
  EXPECT_FALSE(Base64Decode("Zh=="));      // non-canonical: low bits set
  EXPECT_FALSE(Base64Decode("Z==="));      // one character cannot be a byte
  EXPECT_FALSE(Base64Decode("Zm 9v"));     // space
  EXPECT_FALSE(Base64Decode("Zm9v\n"));    // newline
  EXPECT_FALSE(Base64Decode("Zm=v"));      // padding inside
  EXPECT_FALSE(Base64Decode("-_-_"));      // URL alphabet in standard mode
  EXPECT_FALSE(Base64Decode("+/+/", Base64Alphabet::kUrl, Base64Padding::kNone));
  EXPECT_FALSE(Base64Decode("Zg==", Base64Alphabet::kUrl, Base64Padding::kNone));
  EXPECT_TRUE(Base64Decode("Zg", Base64Alphabet::kStandard, Base64Padding::kOptional));
  EXPECT_FALSE(Base64Decode("Zg=", Base64Alphabet::kStandard, Base64Padding::kOptional));
}

}  // namespace
}  // namespace maxiofs
