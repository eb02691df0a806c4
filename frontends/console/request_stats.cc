#include "maxiofs/console/request_stats.h"

#include <algorithm>

namespace maxiofs::console {
namespace {

int64_t UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void Add(StatsPoint& into, const StatsPoint& p) {
  into.requests += p.requests;
  into.errors += p.errors;
  into.client_errors += p.client_errors;
  into.latency_us_sum += p.latency_us_sum;
  into.latency_us_max = std::max(into.latency_us_max, p.latency_us_max);
  into.bytes_in += p.bytes_in;
  into.bytes_out += p.bytes_out;
}

}  // namespace

RequestStats::RequestStats(std::chrono::system_clock::time_point started)
    : buckets_(kWindowSeconds) {
  totals_.start_s = UnixSeconds(started);
  for (StatsPoint& b : buckets_) b.start_s = -1;  // never used
}

void RequestStats::Record(int status, std::chrono::microseconds latency, uint64_t bytes_in,
                          uint64_t bytes_out, std::chrono::system_clock::time_point now) {
  const int64_t second = UnixSeconds(now);
  StatsPoint one;
  one.start_s = second;
  one.requests = 1;
  one.errors = status >= 500 ? 1 : 0;
  one.client_errors = (status >= 400 && status < 500) ? 1 : 0;
  const uint64_t us = latency.count() > 0 ? static_cast<uint64_t>(latency.count()) : 0;
  one.latency_us_sum = us;
  one.latency_us_max = us;
  one.bytes_in = bytes_in;
  one.bytes_out = bytes_out;

  std::lock_guard<std::mutex> lock(mu_);
  StatsPoint& bucket =
      buckets_[static_cast<size_t>(((second % kWindowSeconds) + kWindowSeconds) % kWindowSeconds)];
  if (bucket.start_s != second) {
    bucket = StatsPoint{};
    bucket.start_s = second;
  }
  Add(bucket, one);
  const int64_t start = totals_.start_s;
  Add(totals_, one);
  totals_.start_s = start;
}

StatsSnapshot RequestStats::Snapshot(uint32_t step_s,
                                     std::chrono::system_clock::time_point now) const {
  step_s = std::clamp<uint32_t>(step_s, 1, kWindowSeconds);
  const int64_t last = UnixSeconds(now);
  // Points aligned to multiples of step_s, the last one holding `last`.
  const int64_t last_start = last - (last % step_s);
  const int64_t points = kWindowSeconds / step_s;
  StatsSnapshot snap;
  snap.step_s = step_s;
  snap.series.resize(static_cast<size_t>(points));
  for (int64_t i = 0; i < points; ++i) {
    snap.series[static_cast<size_t>(i)].start_s = last_start - (points - 1 - i) * step_s;
  }
  const int64_t first = snap.series.front().start_s;
  std::lock_guard<std::mutex> lock(mu_);
  for (const StatsPoint& b : buckets_) {
    if (b.start_s < first || b.start_s > last) continue;
    const int64_t index = (b.start_s - first) / step_s;
    if (index < 0 || index >= points) continue;
    StatsPoint& into = snap.series[static_cast<size_t>(index)];
    const int64_t start = into.start_s;
    Add(into, b);
    into.start_s = start;
  }
  snap.totals = totals_;
  return snap;
}

}  // namespace maxiofs::console
