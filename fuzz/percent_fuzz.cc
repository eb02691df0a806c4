// Fuzzes the byte encodings requests carry: percent-decoding (paths, query strings, the
// x-amz-copy-source header), query parsing (S3's and SigV4's), SigV4's URI encoding, base64
// (Content-MD5, checksums, continuation tokens, JWTs) and UTF-8 validation. Oracles: decoding
// what was encoded gives the bytes back; base64 is canonical (one accepted text per bytes).
#include "encoding.h"

#include "maxiofs/aws/uri_encoding.h"
#include "maxiofs/common/base64.h"
#include "maxiofs/common/percent.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace s3 = maxiofs::s3;

namespace {

void CheckBase64(std::string_view text, maxiofs::Base64Alphabet alphabet,
                 maxiofs::Base64Padding padding) {
  auto bytes = maxiofs::Base64Decode(text, alphabet, padding);
  if (!bytes) return;
  if (maxiofs::Base64Encode(*bytes, alphabet, padding != maxiofs::Base64Padding::kNone) != text) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool plus : {false, true}) {
    auto decoded = maxiofs::PercentDecode(text, plus);
    if (decoded) {
      for (bool keep_slash : {false, true}) {
        auto again = maxiofs::PercentDecode(maxiofs::PercentEncode(*decoded, keep_slash), plus);
        if (!again || *again != *decoded) std::abort();
      }
      if (maxiofs::aws::PercentDecode(maxiofs::aws::UriEncode(*decoded, true), false) != *decoded) {
        std::abort();
      }
    }
    (void)maxiofs::PercentDecode(text, plus, maxiofs::BadEscape::kKeep);
  }
  (void)s3::ParseQuery(text);
  (void)maxiofs::aws::ParseQuery(text);
  (void)maxiofs::aws::CanonicalUri(text, false);
  (void)maxiofs::aws::CanonicalUri(text, true);
  (void)s3::IsValidUtf8(text);
  CheckBase64(text, maxiofs::Base64Alphabet::kStandard, maxiofs::Base64Padding::kRequired);
  CheckBase64(text, maxiofs::Base64Alphabet::kUrl, maxiofs::Base64Padding::kNone);
  (void)maxiofs::Base64Decode(text, maxiofs::Base64Alphabet::kEither,
                              maxiofs::Base64Padding::kOptional);
  return 0;
}
