#include "server_metrics.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>

namespace maxiofs::app {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(ServerMetricsTest, StatusClasses) {
  EXPECT_EQ(StatusClass(200), "2xx");
  EXPECT_EQ(StatusClass(404), "4xx");
  EXPECT_EQ(StatusClass(503), "5xx");
  EXPECT_EQ(StatusClass(0), "0xx");
}

TEST(ServerMetricsTest, RequestsLatencyBytesAndInFlight) {
  ServerMetrics m(std::filesystem::temp_directory_path().string(), "9.9.9");
  RequestFacts f;
  f.server = "s3";
  f.operation = "PutObject";
  f.status = 200;
  f.bytes_in = 100;
  f.latency = std::chrono::microseconds(2000);
  m.RecordRequest(f);
  m.RecordRequest(f);
  f.status = 403;
  f.bytes_in = 0;
  f.bytes_out = 250;
  m.RecordRequest(f);
  m.RequestStarted("s3");
  m.RequestStarted("s3");
  m.RequestFinished("s3");

  const std::string text = m.Render();
  EXPECT_TRUE(Has(text,
                  "maxiofs_http_requests_total{server=\"s3\",operation=\"PutObject\","
                  "status=\"2xx\"} 2\n"))
      << text;
  EXPECT_TRUE(Has(text,
                  "maxiofs_http_requests_total{server=\"s3\",operation=\"PutObject\","
                  "status=\"4xx\"} 1\n"))
      << text;
  EXPECT_TRUE(Has(text,
                  "maxiofs_http_request_duration_seconds_bucket{server=\"s3\","
                  "operation=\"PutObject\",le=\"0.0025\"} 3\n"))
      << text;
  EXPECT_TRUE(Has(text, "maxiofs_http_received_bytes_total{server=\"s3\"} 200\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_http_sent_bytes_total{server=\"s3\"} 250\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_http_requests_in_flight{server=\"s3\"} 1\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_build_info{version=\"9.9.9\"} 1\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_ready 0\n")) << text;  // no provider yet
  for (const char* name :
       {"process_resident_memory_bytes ", "process_open_fds ", "maxiofs_uptime_seconds ",
        "maxiofs_disk_free_bytes{path=", "process_start_time_seconds "}) {
    EXPECT_TRUE(Has(text, name)) << name << " missing:\n" << text;
  }
}

TEST(ServerMetricsTest, BlobStoreCountersPerBackend) {
  ServerMetrics m("/tmp", "1.0");
  EXPECT_FALSE(Has(m.Render(), "maxiofs_backend_requests_total{"));  // no provider yet
  m.SetBlobStoreProvider([] {
    BlobStoreSample s;
    s.backend = "s3";
    s.requests = 7;
    s.retries = 2;
    s.latency_us = 1500000;
    s.cache_hits = 3;
    return s;
  });
  const std::string text = m.Render();
  EXPECT_TRUE(Has(text, "maxiofs_backend_requests_total{backend=\"s3\"} 7\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_backend_retries_total{backend=\"s3\"} 2\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_backend_latency_seconds_total{backend=\"s3\"} 1.5\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_backend_cache_hits_total{backend=\"s3\"} 3\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_backend_errors_total{backend=\"s3\"} 0\n")) << text;
}

TEST(ServerMetricsTest, ProvidersAreReadAtScrape) {
  ServerMetrics m("/", "1");
  int usage_calls = 0;
  m.SetBucketUsageProvider([&] {
    ++usage_calls;
    return std::vector<BucketUsageSample>{{"photos", 3, 4096}};
  });
  m.SetFuseProvider([] {
    return std::vector<FuseOpSample>{{"lookup", 0, 10}, {"lookup", ENOENT, 4}, {"write", 0, 2}};
  });
  m.SetReadyProvider([] { return true; });
  const std::string text = m.Render();
  EXPECT_GE(usage_calls, 1);
  EXPECT_TRUE(Has(text, "maxiofs_bucket_objects{bucket=\"photos\"} 3\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_bucket_bytes{bucket=\"photos\"} 4096\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_fuse_operations_total{operation=\"lookup\"} 10\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_fuse_operations_total{operation=\"write\"} 2\n")) << text;
  EXPECT_TRUE(Has(text, "maxiofs_fuse_errors_total{operation=\"lookup\",errno=\"ENOENT\"} 4\n"))
      << text;
  EXPECT_TRUE(Has(text, "maxiofs_ready 1\n")) << text;
}

}  // namespace
}  // namespace maxiofs::app
