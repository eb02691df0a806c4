// Fuzzes the S3 header value parsers: Range, HTTP dates (RFC 1123, RFC 850, asctime, ISO
// 8601), ETag lists (If-Match & co.), decimal numbers, lock dates, and the extraction of
// object metadata and preconditions from a whole header list. The input is one header value,
// and also read as "name: value" lines. Oracles: a range is ordered; a date formatted again
// parses to the same second.
#include "headers.h"
#include "xml/request_documents.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace s3 = maxiofs::s3;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  if (auto range = s3::ParseRange(value)) {
    if (range->kind == maxiofs::engine::RangeSpec::Kind::kFromTo && range->last < range->first) {
      std::abort();
    }
  }
  if (auto ns = s3::ParseHttpDate(value)) {
    const int64_t seconds = *ns / 1'000'000'000 - (*ns % 1'000'000'000 < 0 ? 1 : 0);
    auto again = s3::ParseHttpDate(s3::FormatHttpDate(*ns));
    if (!again || *again != seconds * 1'000'000'000) std::abort();
    (void)s3::FormatIso8601(*ns);
  }
  (void)s3::ParseETagList(value);
  (void)s3::ParseUint64(value);
  (void)s3::ParseLockDate(value);

  s3::HttpRequest request;
  request.method = "PUT";
  request.target = "/bucket/key";
  std::string_view rest = value;
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    request.headers.emplace_back(std::string(line.substr(0, colon)),
                                 std::string(s3::TrimOws(line.substr(colon + 1))));
  }
  (void)s3::ExtractObjectMeta(request);
  (void)s3::ExtractPreconditions(request, "");
  (void)s3::ExtractPreconditions(request, "x-amz-copy-source-");
  return 0;
}
