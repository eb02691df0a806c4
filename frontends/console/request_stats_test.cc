#include "maxiofs/console/request_stats.h"

#include <gtest/gtest.h>

namespace maxiofs::console {
namespace {

using Clock = std::chrono::system_clock;
Clock::time_point At(int64_t s) { return Clock::time_point(std::chrono::seconds(s)); }

TEST(RequestStatsTest, SeriesCoversWindowAndCounts) {
  RequestStats stats(At(1000000));
  stats.Record(200, std::chrono::microseconds(1000), 10, 20, At(1000000));
  stats.Record(503, std::chrono::microseconds(3000), 0, 5, At(1000001));
  stats.Record(404, std::chrono::microseconds(500), 0, 0, At(1000005));
  const StatsSnapshot snap = stats.Snapshot(10, At(1000009));
  ASSERT_EQ(snap.series.size(), 90u);
  const StatsPoint& last = snap.series.back();
  EXPECT_EQ(last.start_s, 1000000);
  EXPECT_EQ(last.requests, 3u);
  EXPECT_EQ(last.errors, 1u);
  EXPECT_EQ(last.client_errors, 1u);
  EXPECT_EQ(last.latency_us_sum, 4500u);
  EXPECT_EQ(last.latency_us_max, 3000u);
  EXPECT_EQ(last.bytes_in, 10u);
  EXPECT_EQ(last.bytes_out, 25u);
  EXPECT_EQ(snap.series.front().start_s, 1000000 - 89 * 10);
  EXPECT_EQ(snap.totals.requests, 3u);
}

TEST(RequestStatsTest, OldBucketsLeaveTheWindow) {
  RequestStats stats(At(0));
  stats.Record(200, std::chrono::microseconds(1), 0, 0, At(5000));
  // 900 seconds later the same ring slot is reused by a new second.
  stats.Record(200, std::chrono::microseconds(1), 0, 0, At(5900));
  const StatsSnapshot snap = stats.Snapshot(1, At(5900));
  uint64_t in_window = 0;
  for (const StatsPoint& p : snap.series) in_window += p.requests;
  EXPECT_EQ(in_window, 1u);
  EXPECT_EQ(snap.totals.requests, 2u);
  // Nothing recorded recently: an all-zero window.
  const StatsSnapshot later = stats.Snapshot(60, At(9000));
  for (const StatsPoint& p : later.series) EXPECT_EQ(p.requests, 0u);
}

}  // namespace
}  // namespace maxiofs::console
