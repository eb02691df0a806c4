// Request ids: 16 upper-case hex digits (the shape of S3's x-amz-request-id), unique per server
// run (a random base plus a counter). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace maxiofs::http {

class RequestIdGenerator {
 public:
  RequestIdGenerator();
  std::string Next();

 private:
  uint64_t base_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace maxiofs::http
