// Fuzzes the aws-chunked decoder (streaming SigV4 uploads, with and without trailers). The
// first byte picks the mode (unsigned with trailers, signed, signed with trailers, all with
// AWS's example key) and the size of the pieces the body arrives in; the rest is the body.
// Oracle: feeding the body whole or in pieces must give the same payload and the same outcome.
#include "auth/auth.h"
#include "auth/sigv4.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace s3 = maxiofs::s3;

namespace {

struct Outcome {
  std::optional<s3::S3Error> error;
  std::string out;
  bool done = false;
};

std::optional<s3::ChunkSigningContext> Context(int mode) {
  if (mode == 0) return std::nullopt;
  // AWS's sigv4-streaming example (seed signature of the request).
  return s3::ChunkSigningContext{
      s3::auth::DeriveSigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524",
                                 "us-east-1", "s3"),
      "20130524T000000Z", "20130524/us-east-1/s3/aws4_request",
      mode == 1 ? "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
                : "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"};
}

Outcome Decode(int mode, std::string_view body, size_t piece) {
  s3::ChunkedDecoder decoder(Context(mode), /*trailer=*/mode != 1);
  Outcome r;
  while (!body.empty() && !r.error) {
    const size_t n = std::min(body.size(), piece);
    r.error = decoder.Feed(body.substr(0, n), r.out);
    body.remove_prefix(n);
  }
  if (!r.error) r.error = decoder.Finish();
  r.done = decoder.done();
  if (r.out.size() != decoder.decoded_bytes()) std::abort();
  if (r.done) (void)decoder.trailers();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const size_t piece = 1 + (data[0] / 3) % 64;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const Outcome whole = Decode(mode, body, body.size() + 1);
  const Outcome split = Decode(mode, body, piece);
  if (whole.done != split.done || whole.error.has_value() != split.error.has_value()) std::abort();
  if (whole.error && whole.error->code != split.error->code) std::abort();
  // On success both saw the same payload (on an error the pieces may stop at other points).
  if (!whole.error && whole.out != split.out) std::abort();
  return 0;
}
