#include "maxiofs/metrics/registry.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace maxiofs::metrics {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(RegistryTest, CountersAndGaugesRenderWithHelpTypeAndLabels) {
  Registry registry;
  auto& requests =
      registry.AddCounter("maxiofs_requests_total", "Requests served.", {"operation", "status"});
  auto& up = registry.AddGauge("maxiofs_up", "1 while serving.");
  requests.WithLabels({"GetObject", "2xx"}).Inc();
  requests.WithLabels({"GetObject", "2xx"}).Inc(2);
  requests.WithLabels({"PutObject", "4xx"}).Inc();
  up.WithLabels({}).Set(1);

  const std::string text = registry.Render();
  EXPECT_TRUE(Contains(text, "# HELP maxiofs_requests_total Requests served.\n")) << text;
  EXPECT_TRUE(Contains(text, "# TYPE maxiofs_requests_total counter\n")) << text;
  EXPECT_TRUE(Contains(text, "maxiofs_requests_total{operation=\"GetObject\",status=\"2xx\"} 3\n"))
      << text;
  EXPECT_TRUE(Contains(text, "maxiofs_requests_total{operation=\"PutObject\",status=\"4xx\"} 1\n"))
      << text;
  EXPECT_TRUE(Contains(text, "# TYPE maxiofs_up gauge\nmaxiofs_up 1\n")) << text;
  // Registration order is kept.
  EXPECT_LT(text.find("maxiofs_requests_total"), text.find("maxiofs_up"));
}

TEST(RegistryTest, HistogramBucketsAreCumulativeWithInf) {
  Registry registry;
  const double bounds[] = {0.1, 1};
  auto& latency = registry.AddHistogram("lat_seconds", "Latency.", {"op"}, bounds);
  Histogram& h = latency.WithLabels({"get"});
  h.Observe(0.05);
  h.Observe(0.1);  // on the bound: le is inclusive
  h.Observe(0.5);
  h.Observe(7);
  const std::string text = registry.Render();
  EXPECT_TRUE(Contains(text, "# TYPE lat_seconds histogram\n")) << text;
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{op=\"get\",le=\"0.1\"} 2\n")) << text;
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{op=\"get\",le=\"1\"} 3\n")) << text;
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{op=\"get\",le=\"+Inf\"} 4\n")) << text;
  EXPECT_TRUE(Contains(text, "lat_seconds_sum{op=\"get\"} 7.65\n")) << text;
  EXPECT_TRUE(Contains(text, "lat_seconds_count{op=\"get\"} 4\n")) << text;
}

TEST(RegistryTest, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.AddCounter("c_total", "line one\nback\\slash", {"bucket"})
      .WithLabels({"a\"b\\c\nd"})
      .Inc();
  const std::string text = registry.Render();
  EXPECT_TRUE(Contains(text, "# HELP c_total line one\\nback\\\\slash\n")) << text;
  EXPECT_TRUE(Contains(text, "c_total{bucket=\"a\\\"b\\\\c\\nd\"} 1\n")) << text;
}

TEST(RegistryTest, CallbacksRunAtRenderAndAreSorted) {
  Registry registry;
  int calls = 0;
  registry.AddCallback("bucket_bytes", "Bytes per bucket.", Type::kGauge, {"bucket"}, [&] {
    ++calls;
    return std::vector<Sample>{{{"zeta"}, 10}, {{"alpha"}, 1.5e12}};
  });
  const std::string text = registry.Render();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(Contains(text,
                       "bucket_bytes{bucket=\"alpha\"} 1500000000000\n"
                       "bucket_bytes{bucket=\"zeta\"} 10\n"))
      << text;
  registry.Render();
  EXPECT_EQ(calls, 2);
}

TEST(RegistryTest, ConcurrentUpdatesAreNotLost) {
  Registry registry;
  auto& family = registry.AddCounter("n_total", "n", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) family.WithLabels({"x"}).Inc();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(family.WithLabels({"x"}).value(), 40000u);
}

}  // namespace
}  // namespace maxiofs::metrics
