// ChunkedDecoder tests, driven by AWS's published streaming examples (sigv4-streaming.html:
// seed 4f232c43..., chunk signatures ad80c730..., 0055627c..., b6c6ea8a...;
// sigv4-streaming-trailers.html: seed 106e2a8a..., b474d886..., 1c1344b1..., 2ca2aba2...,
// trailer signature d81f82fc...).
#include "auth/auth.h"
#include "auth/sigv4.h"
#include "auth/test_request.h"

#include <gtest/gtest.h>

#include <random>

namespace maxiofs::s3 {
namespace {

ChunkSigningContext AwsContext(std::string seed) {
  return ChunkSigningContext{
      auth::DeriveSigningKey(auth::testing::kAwsSecret, "20130524", "us-east-1", "s3"),
      "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", std::move(seed)};
}

const std::string kSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const std::string kTrailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";

std::string AwsBody() {
  return "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
         "\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
         "\r\n\r\n";
}

std::string AwsTrailerBody(std::string trailer_value = "sOO8/Q==") {
  return "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2"
         "\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"
         "\r\nx-amz-checksum-crc32c:" +
         trailer_value +
         "\r\nx-amz-trailer-signature:"
         "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n";
}

struct Decoded {
  std::optional<S3Error> error;
  std::string out;
  bool done = false;
};

// Feeds `body` in pieces whose sizes come from `next_size`.
template <class NextSize>
Decoded Decode(ChunkedDecoder& d, std::string_view body, NextSize next_size) {
  Decoded r;
  while (!body.empty() && !r.error) {
    const size_t n = std::min(body.size(), next_size());
    r.error = d.Feed(body.substr(0, n), r.out);
    body.remove_prefix(n);
  }
  if (!r.error) r.error = d.Finish();
  r.done = d.done();
  return r;
}

Decoded DecodeWhole(ChunkedDecoder& d, std::string_view body) {
  return Decode(d, body, [&] { return body.size(); });
}

void ExpectCode(const Decoded& r, S3ErrorCode code) {
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, code) << r.error->message;
}

TEST(ChunkedDecoderTest, AwsExampleWhole) {
  ChunkedDecoder d(AwsContext(kSeed), /*trailer=*/false);
  const Decoded r = DecodeWhole(d, AwsBody());
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.out, std::string(66560, 'a'));
  EXPECT_EQ(d.decoded_bytes(), 66560u);
  EXPECT_TRUE(d.trailers().empty());
  EXPECT_EQ(AwsBody().size(), 66824u);  // the Content-Length AWS documents
}

TEST(ChunkedDecoderTest, AwsExampleOneByteAtATime) {
  ChunkedDecoder d(AwsContext(kSeed), false);
  const Decoded r = Decode(d, AwsBody(), [] { return size_t{1}; });
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.out, std::string(66560, 'a'));
}

TEST(ChunkedDecoderTest, AwsExampleRandomSplits) {
  std::mt19937 rng(20130524);
  for (int round = 0; round < 20; ++round) {
    std::uniform_int_distribution<size_t> size(1, round % 2 == 0 ? 7 : 9000);
    ChunkedDecoder d(AwsContext(kSeed), false);
    const Decoded r = Decode(d, AwsBody(), [&] { return size(rng); });
    ASSERT_FALSE(r.error.has_value()) << r.error->message;
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.out.size(), 66560u);
  }
}

TEST(ChunkedDecoderTest, AwsTrailerExample) {
  for (size_t piece : {size_t{1}, size_t{13}, size_t{100000}}) {
    ChunkedDecoder d(AwsContext(kTrailerSeed), /*trailer=*/true);
    const Decoded r = Decode(d, AwsTrailerBody(), [&] { return piece; });
    ASSERT_FALSE(r.error.has_value()) << r.error->message;
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.out, std::string(66560, 'a'));
    ASSERT_EQ(d.trailers().size(), 1u);
    EXPECT_EQ(d.trailers()[0].first, "x-amz-checksum-crc32c");
    EXPECT_EQ(d.trailers()[0].second, "sOO8/Q==");
  }
}

TEST(ChunkedDecoderTest, UnsignedTrailerCollectsChecksum) {
  // STREAMING-UNSIGNED-PAYLOAD-TRAILER as the AWS SDKs send it (CRC32 of "abc").
  ChunkedDecoder d(std::nullopt, /*trailer=*/true);
  const Decoded r =
      Decode(d, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n", [] { return size_t{2}; });
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.out, "abc");
  ASSERT_EQ(d.trailers().size(), 1u);
  EXPECT_EQ(d.trailers()[0].first, "x-amz-checksum-crc32");
  EXPECT_EQ(d.trailers()[0].second, "NSRBwg==");
}

TEST(ChunkedDecoderTest, TamperedChunkData) {
  std::string body = AwsBody();
  body[100] = 'b';
  ChunkedDecoder d(AwsContext(kSeed), false);
  const Decoded r = DecodeWhole(d, body);
  ExpectCode(r, S3ErrorCode::kSignatureDoesNotMatch);
  EXPECT_FALSE(r.done);
}

TEST(ChunkedDecoderTest, TamperedChunkSignatures) {
  for (const char* sig : {"ad80c730", "0055627c", "b6c6ea8a"}) {
    std::string body = AwsBody();
    const size_t at = body.find(sig);
    ASSERT_NE(at, std::string::npos);
    body[at] = body[at] == '0' ? '1' : '0';
    ChunkedDecoder d(AwsContext(kSeed), false);
    ExpectCode(DecodeWhole(d, body), S3ErrorCode::kSignatureDoesNotMatch);
  }
  // A wrong seed breaks the first chunk.
  ChunkedDecoder d(AwsContext(kTrailerSeed), false);
  ExpectCode(DecodeWhole(d, AwsBody()), S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(ChunkedDecoderTest, TamperedOrMissingTrailer) {
  ChunkedDecoder tampered(AwsContext(kTrailerSeed), true);
  ExpectCode(DecodeWhole(tampered, AwsTrailerBody("AAAAAA==")),
             S3ErrorCode::kSignatureDoesNotMatch);
  std::string body = AwsTrailerBody();
  const size_t at = body.find("x-amz-trailer-signature");
  body = body.substr(0, at) + "\r\n";
  ChunkedDecoder missing(AwsContext(kTrailerSeed), true);
  ExpectCode(DecodeWhole(missing, body), S3ErrorCode::kSignatureDoesNotMatch);
}

TEST(ChunkedDecoderTest, TruncatedStream) {
  const std::string body = AwsBody();
  for (size_t cut :
       {size_t{0}, size_t{10}, size_t{90}, size_t{66000}, body.size() - 3, body.size() - 1}) {
    ChunkedDecoder d(AwsContext(kSeed), false);
    std::string out;
    EXPECT_FALSE(d.Feed(std::string_view(body).substr(0, cut), out).has_value());
    EXPECT_FALSE(d.done());
    auto err = d.Finish();
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->code, S3ErrorCode::kIncompleteBody);
  }
}

TEST(ChunkedDecoderTest, OversizedSizeLine) {
  ChunkedDecoder d(std::nullopt, false);
  std::string out;
  auto err = d.Feed("1;" + std::string(5000, 'x'), out);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code, S3ErrorCode::kInvalidArgument);
  // Sticky: later input gets the same error.
  auto again = d.Feed("\r\n", out);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->code, S3ErrorCode::kInvalidArgument);
}

TEST(ChunkedDecoderTest, FramingErrors) {
  const std::string sig = ";chunk-signature=" + std::string(64, '0');
  const std::vector<std::pair<bool, std::string>> cases = {
      {false, "1000001\r\n"},                   // chunk over 16 MiB
      {false, "zz\r\n"},                        // bad hex
      {false, "\r\n"},                          // empty size
      {false, "3\nabc\r\n0\r\n\r\n"},           // bare LF
      {false, "3\r\nabcX\r\n0\r\n\r\n"},        // data not followed by CRLF
      {false, "3\r\nabc\r\n0\r\n\r\ngarbage"},  // data after the end
      {false, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"},  // undeclared trailer
      {true, "3\r\nabc\r\n"},                      // signed mode needs chunk-signature
      {true, "3;chunk-signature=abc\r\nabc\r\n"},  // short signature
      {false, "11111111111111111\r\n"},            // 17 hex digits
  };
  for (const auto& [signed_mode, body] : cases) {
    ChunkedDecoder d(signed_mode ? std::optional(AwsContext(kSeed)) : std::nullopt, false);
    ExpectCode(DecodeWhole(d, body), S3ErrorCode::kInvalidArgument);
  }
}

TEST(ChunkedDecoderTest, GarbageAfterFinalChunkOfAwsExample) {
  ChunkedDecoder d(AwsContext(kSeed), false);
  ExpectCode(DecodeWhole(d, AwsBody() + "0\r\n\r\n"), S3ErrorCode::kInvalidArgument);
}

TEST(ChunkedDecoderTest, UnsignedWithoutTrailer) {
  ChunkedDecoder d(std::nullopt, false);
  const Decoded r = DecodeWhole(d, "5\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n");
  ASSERT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_EQ(r.out, "hello0123456789");
}

TEST(ChunkedDecoderTest, RandomMutationsNeverSucceedSilently) {
  // Flipping any byte of the signed AWS body must either fail or (for bytes that do not
  // matter, e.g. hex-digit case) still decode exactly the original payload.
  const std::string body = AwsBody();
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pos(0, body.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 300; ++i) {
    std::string mutated = body;
    mutated[pos(rng)] = static_cast<char>(byte(rng));
    ChunkedDecoder d(AwsContext(kSeed), false);
    const Decoded r = Decode(d, mutated, [&] { return size_t{4096}; });
    if (!r.error) {
      EXPECT_EQ(r.out, std::string(66560, 'a'));
    }
  }
  // Pure garbage, unsigned mode: no crash, and no success.
  for (int i = 0; i < 200; ++i) {
    std::string junk(1 + i * 7, '\0');
    for (char& c : junk) c = static_cast<char>(byte(rng));
    ChunkedDecoder d(std::nullopt, true);
    const Decoded r = Decode(d, junk, [&] { return size_t{1} + i % 5; });
    EXPECT_TRUE(r.error.has_value());
  }
}

}  // namespace
}  // namespace maxiofs::s3
