// RequestStats: counts of finished HTTP requests in per-second buckets over the last
// kWindowSeconds, for the console's dashboard (request rate, error rate, latency). Fed by the
// servers' on_complete callbacks (app/ wires S3 and console), read by the console API.
//
// Thread-safety: safe for concurrent use without external synchronization (one mutex; Record
// does O(1) work under it).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace maxiofs::console {

// One point of a series: requests that finished in [start, start + step).
struct StatsPoint {
  int64_t start_s = 0;          // Unix time (UTC seconds) of the bucket's start
  uint64_t requests = 0;        // finished requests
  uint64_t errors = 0;          // of which status >= 500 (server errors)
  uint64_t client_errors = 0;   // of which 400 <= status < 500
  uint64_t latency_us_sum = 0;  // sum of latencies (average = sum / requests)
  uint64_t latency_us_max = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

struct StatsSnapshot {
  uint32_t step_s = 10;            // width of each point
  std::vector<StatsPoint> series;  // oldest first, covering the whole window, gaps as zeros
  StatsPoint totals;               // since the process started (start_s = start time)
};

class RequestStats {
 public:
  static constexpr int64_t kWindowSeconds = 900;

  explicit RequestStats(
      std::chrono::system_clock::time_point started = std::chrono::system_clock::now());

  // Adds one finished request at `now`.
  void Record(int status, std::chrono::microseconds latency, uint64_t bytes_in, uint64_t bytes_out,
              std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  // The last kWindowSeconds ending at `now`, aggregated into points of `step_s` seconds
  // (REQUIRES: 1 <= step_s <= kWindowSeconds), plus the totals.
  StatsSnapshot Snapshot(uint32_t step_s, std::chrono::system_clock::time_point now =
                                              std::chrono::system_clock::now()) const;

 private:
  mutable std::mutex mu_;            // guards buckets_ and totals_; a leaf lock
  std::vector<StatsPoint> buckets_;  // ring indexed by second % kWindowSeconds
  StatsPoint totals_;
};

}  // namespace maxiofs::console
