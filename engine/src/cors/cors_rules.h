// CORS rules compiled for matching: each AllowedOrigin / AllowedHeader split at its one '*'
// into a prefix and a suffix, methods as a bit set, and the answer headers' values
// (Allow-Methods, Expose-Headers) joined once, so matching a request allocates only for the
// answer it returns. The S3 semantics are documented in maxiofs/engine/cors.h.
//
// Thread-safety: a CompiledCors is immutable once built; share it freely.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/cors.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

// A pattern with at most one '*': it matches text that starts with `prefix` and ends with
// `suffix` (not overlapping); without a star, text equal to `prefix`.
struct CorsPattern {
  std::string prefix;
  std::string suffix;
  bool star = false;
  bool Matches(std::string_view text) const;  // ASCII case-insensitive
};

class CompiledCors {
 public:
  // Validates (ValidateCorsConfiguration) and compiles.
  static Result<std::shared_ptr<const CompiledCors>> Compile(CorsConfiguration config);
  // The server-wide default for `origins` (server.cors_allowed_origins): every method, every
  // request header, S3's response headers exposed (kDefaultExposeHeaders), no Max-Age. nullptr
  // when `origins` is empty. InvalidArgument for an origin CORS rules could not hold.
  static Result<std::shared_ptr<const CompiledCors>> ServerDefault(
      const std::vector<std::string>& origins);

  const CorsConfiguration& config() const { return config_; }
  // The first matching rule's answer (cors.h); `configured` is always true.
  CorsMatch Match(const CorsRequest& req) const;

 private:
  struct Rule {
    std::vector<CorsPattern> origins;
    std::vector<CorsPattern> headers;  // lower-case
    uint8_t methods = 0;               // bit per kCorsMethods entry
    std::string allow_methods;
    std::string expose_headers;
    std::optional<int32_t> max_age;
  };
  CorsConfiguration config_;
  std::vector<Rule> rules_;
};

// The response headers the server-wide default exposes to scripts.
inline constexpr std::string_view kDefaultExposeHeaders[] = {
    "ETag",
    "x-amz-request-id",
    "x-amz-id-2",
    "x-amz-version-id",
    "x-amz-delete-marker",
    "x-amz-server-side-encryption",
    "x-amz-checksum-crc32",
    "x-amz-checksum-crc32c",
    "x-amz-checksum-crc64nvme",
    "x-amz-checksum-sha1",
    "x-amz-checksum-sha256",
    "x-amz-mp-parts-count",
    "Content-Range",
    "Content-Disposition",
    "Content-Encoding",
    "Accept-Ranges",
    "Location",
};

}  // namespace maxiofs::engine
