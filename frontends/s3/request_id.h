// Request ids: x-amz-request-id (16 upper-case hex digits, as S3) and x-amz-id-2, unique per
// server run (a random base plus a counter). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace maxiofs::s3 {

class RequestIdGenerator {
 public:
  RequestIdGenerator();
  std::string Next();
  // x-amz-id-2 for a request id: an opaque base64 token derived from it.
  static std::string HostId(const std::string& request_id);

 private:
  uint64_t base_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace maxiofs::s3
