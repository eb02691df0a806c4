// RequestFacts: one finished HTTP request as app/ sees it (built from the HTTP server's
// completion record), for the metrics, the access log and the audit log.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace maxiofs::app {

// The views are valid for the duration of the call they are passed to.
struct RequestFacts {
  std::string_view server;  // "s3", "console", "metrics"
  std::string_view request_id;
  std::string_view remote;     // "ip:port"
  std::string_view user;       // access key or console user; empty when anonymous
  std::string_view operation;  // "GetObject"; empty when no handler was reached
  std::string_view method;
  std::string_view target;  // request target without credentials
  int status = 0;           // 0: no response could be sent
  uint64_t bytes_in = 0;    // request body bytes
  uint64_t bytes_out = 0;   // response body bytes
  std::chrono::microseconds latency{0};
  std::string_view note;  // why the request ended abnormally, or empty
};

}  // namespace maxiofs::app
