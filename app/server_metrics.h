// ServerMetrics: the Prometheus metrics of one maxiofs process (docs/operations.md lists
// them). HTTP servers report finished requests here; the FUSE mount, the engine and the
// process are read through providers when the metrics are scraped.
//
// Thread-safety: safe for concurrent use without external synchronization. Providers must be
// set before the first Render and must stay callable until the object is destroyed.
#pragma once

#include "request_facts.h"

#include "maxiofs/engine/lifecycle.h"
#include "maxiofs/engine/notifications.h"
#include "maxiofs/metrics/registry.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::app {

struct BucketUsageSample {
  std::string bucket;
  uint64_t objects = 0;
  uint64_t bytes = 0;
  uint64_t versions = 0;
  uint64_t version_bytes = 0;
  uint64_t delete_markers = 0;
  uint64_t uploads = 0;
  uint64_t part_bytes = 0;
  uint64_t stored_bytes = 0;   // on disk: every version and part, after compression/encryption
  uint64_t quota_bytes = 0;    // 0: no limit (no series)
  uint64_t quota_objects = 0;  // 0: no limit (no series)
};

struct FuseOpSample {
  std::string op;
  int error = 0;  // 0: all calls of op
  uint64_t count = 0;
};

// The blob store's counters (engine::BlobStoreStats), labelled by its kind.
struct BlobStoreSample {
  std::string backend;  // "filesystem", "s3", "gcs", "azure"
  uint64_t requests = 0, errors = 0, retries = 0, bytes_sent = 0, bytes_received = 0;
  uint64_t latency_us = 0, cache_hits = 0, cache_misses = 0;
};

// "2xx", "4xx", ...; "0xx" for requests that got no response.
std::string StatusClass(int status);

class ServerMetrics {
 public:
  // `data_dir` is the directory whose file system's free space is reported (and `blob_dir`'s
  // too when set: storage.root elsewhere); `version` goes into maxiofs_build_info. Disk space is
  // read at most once per `refresh` (metrics.interval); scrapes in between get the last reading.
  ServerMetrics(std::string data_dir, std::string version,
                std::chrono::seconds refresh = std::chrono::seconds(5), std::string blob_dir = {});
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Counts one finished request (requests, latency, bytes).
  void RecordRequest(const RequestFacts& facts);
  // A request entered / left a server (in-flight gauge).
  void RequestStarted(std::string_view server);
  void RequestFinished(std::string_view server);

  // Providers, called at scrape time. Unset: the family is present with no series.
  void SetBucketUsageProvider(std::function<std::vector<BucketUsageSample>()> provider);
  void SetFuseProvider(std::function<std::vector<FuseOpSample>()> provider);
  void SetReadyProvider(std::function<bool()> provider);
  void SetLifecycleProvider(std::function<engine::LifecycleStats()> provider);
  void SetBlobStoreProvider(std::function<BlobStoreSample()> provider);
  // Bucket notification delivery, per target (Engine::notification_stats).
  void SetNotifyProvider(std::function<std::vector<engine::NotificationTargetStats>()> provider);

  // The Prometheus text of every metric.
  std::string Render() const;

 private:
  metrics::Registry registry_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& latency_;
  metrics::Family<metrics::Counter>& bytes_in_;
  metrics::Family<metrics::Counter>& bytes_out_;
  metrics::Family<metrics::Gauge>& in_flight_;
  struct DiskReading {
    std::string path;
    uint64_t free_bytes = 0;
    uint64_t total_bytes = 0;
  };
  // The disk readings of data_dir_ and blob_dir_, refreshed when older than refresh_.
  std::vector<DiskReading> Disks() const;

  const std::string data_dir_;
  const std::string blob_dir_;
  const std::chrono::seconds refresh_;
  const std::chrono::steady_clock::time_point started_;
  const double start_time_s_;  // Unix time of the start

  mutable std::mutex mu_;  // guards the providers (set once at start, read at scrape)
  std::function<std::vector<BucketUsageSample>()> bucket_usage_;
  std::function<std::vector<FuseOpSample>()> fuse_;
  std::function<bool()> ready_;
  std::function<engine::LifecycleStats()> lifecycle_;
  std::function<BlobStoreSample()> blob_store_;
  std::function<std::vector<engine::NotificationTargetStats>()> notify_;

  mutable std::mutex disk_mu_;  // guards the disk cache; leaf lock
  mutable std::chrono::steady_clock::time_point disk_at_{};
  mutable std::vector<DiskReading> disks_;
};

}  // namespace maxiofs::app
