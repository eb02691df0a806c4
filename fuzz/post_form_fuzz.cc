// Fuzzes the multipart/form-data parser of S3's POST Object (browser form uploads, which
// anonymous clients may send): the first line is the request's Content-Type (its boundary is
// taken with FormBoundary), the rest is the body. Oracle: the body fed whole or in pieces
// (sizes from the first byte) gives the same fields, the same file bytes and the same outcome
// (success or failure).
#include "post/form_parser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3 = maxiofs::s3;

namespace {

struct Outcome {
  std::vector<std::string> fields;  // "name=value"
  std::string file;                 // "filename|type|" then the data
  std::optional<s3::FormError> error;
  bool complete = false;
};

Outcome Parse(const std::string& boundary, std::string_view body, size_t piece) {
  Outcome r;
  s3::FormParser::Callbacks callbacks;
  callbacks.on_field = [&](std::string_view name, std::string_view value) {
    r.fields.push_back(std::string(name) + "=" + std::string(value));
    return std::optional<s3::FormFailure>();
  };
  callbacks.on_file_start = [&](std::string_view filename, std::string_view type) {
    r.file = std::string(filename) + "|" + std::string(type) + "|";
    return std::optional<s3::FormFailure>();
  };
  callbacks.on_file_data = [&](std::string_view data) {
    if (data.empty()) std::abort();  // promised never empty
    r.file.append(data);
    return std::optional<s3::FormFailure>();
  };
  s3::FormLimits limits;
  limits.max_pre_data = 2048;  // small, so the fuzzer reaches the limits
  limits.max_trailing = 512;
  s3::FormParser parser(boundary, limits, std::move(callbacks));
  std::optional<s3::FormFailure> failure;
  while (!body.empty() && !failure) {
    const size_t n = std::min(piece, body.size());
    failure = parser.Feed(body.substr(0, n));
    body.remove_prefix(n);
  }
  if (!failure) failure = parser.Finish();
  if (failure) r.error = failure->error;
  r.complete = parser.file_complete();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t nl = input.find('\n');
  if (nl == std::string_view::npos) return 0;
  auto boundary = s3::FormBoundary(input.substr(0, nl));
  if (!boundary) return 0;
  const std::string_view body = input.substr(nl + 1);
  const Outcome whole = Parse(*boundary, body, body.size() + 1);
  const Outcome split = Parse(*boundary, body, 1 + data[0] % 32);
  // Which error is reported may differ (a header line that is both malformed and past the size
  // limit is refused as one or the other depending on where the pieces end), not whether.
  if (whole.error.has_value() != split.error.has_value() || whole.complete != split.complete) {
    std::abort();
  }
  if (!whole.error && (whole.fields != split.fields || whole.file != split.file)) std::abort();
  return 0;
}
