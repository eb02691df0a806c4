#include "server_metrics.h"

#include "maxiofs/metrics/process_stats.h"

#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>

namespace maxiofs::app {
namespace {

using metrics::Sample;
using metrics::Type;

std::string ErrnoName(int err) {
  const char* name = strerrorname_np(err);
  return name != nullptr ? name : std::to_string(err);
}

}  // namespace

std::vector<ServerMetrics::DiskReading> ServerMetrics::Disks() const {
  std::lock_guard<std::mutex> lock(disk_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (disk_at_ != std::chrono::steady_clock::time_point{} && now - disk_at_ < refresh_) {
    return disks_;
  }
  disks_.clear();
  for (const std::string* dir : {&data_dir_, &blob_dir_}) {
    if (dir->empty()) continue;
    auto space = metrics::ReadDiskSpace(*dir);
    if (space) disks_.push_back({*dir, space->free_bytes, space->total_bytes});
  }
  disk_at_ = now;
  return disks_;
}

std::string StatusClass(int status) {
  if (status < 100 || status > 599) return "0xx";
  return std::to_string(status / 100) + "xx";
}

ServerMetrics::ServerMetrics(std::string data_dir, std::string version,
                             std::chrono::seconds refresh, std::string blob_dir)
    : requests_(registry_.AddCounter("maxiofs_http_requests_total",
                                     "HTTP requests finished, by server, operation and status "
                                     "class (0xx: no response could be sent).",
                                     {"server", "operation", "status"})),
      latency_(
          registry_.AddHistogram("maxiofs_http_request_duration_seconds",
                                 "Time from the end of the request head to the last response byte.",
                                 {"server", "operation"}, metrics::kLatencyBounds)),
      bytes_in_(registry_.AddCounter("maxiofs_http_received_bytes_total",
                                     "Request body bytes read.", {"server"})),
      bytes_out_(registry_.AddCounter("maxiofs_http_sent_bytes_total",
                                      "Response body bytes written.", {"server"})),
      in_flight_(registry_.AddGauge("maxiofs_http_requests_in_flight", "Requests being served now.",
                                    {"server"})),
      data_dir_(std::move(data_dir)),
      blob_dir_(std::move(blob_dir)),
      refresh_(refresh),
      started_(std::chrono::steady_clock::now()),
      start_time_s_(
          std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
              .count()) {
  registry_.AddCallback("maxiofs_build_info", "The running version (value 1).", Type::kGauge,
                        {"version"}, [version] {
                          return std::vector<Sample>{{{version}, 1}};
                        });
  registry_.AddCallback("maxiofs_ready",
                        "1 when the engine is open and the data directory writable.", Type::kGauge,
                        {}, [this] {
                          std::function<bool()> ready;
                          {
                            std::lock_guard<std::mutex> lock(mu_);
                            ready = ready_;
                          }
                          return std::vector<Sample>{{{}, ready && ready() ? 1.0 : 0.0}};
                        });
  registry_.AddCallback(
      "maxiofs_uptime_seconds", "Seconds since the server started.", Type::kGauge, {}, [this] {
        const double up =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        return std::vector<Sample>{{{}, up}};
      });
  registry_.AddCallback("process_start_time_seconds", "Start time of the process (Unix time).",
                        Type::kGauge, {}, [this] {
                          return std::vector<Sample>{{{}, start_time_s_}};
                        });
  registry_.AddCallback(
      "process_resident_memory_bytes", "Resident set size.", Type::kGauge, {}, [] {
        return std::vector<Sample>{
            {{}, static_cast<double>(metrics::ReadProcessStats().resident_bytes)}};
      });
  registry_.AddCallback("process_virtual_memory_bytes", "Virtual memory size.", Type::kGauge, {},
                        [] {
                          return std::vector<Sample>{
                              {{}, static_cast<double>(metrics::ReadProcessStats().virtual_bytes)}};
                        });
  registry_.AddCallback("process_open_fds", "Open file descriptors.", Type::kGauge, {}, [] {
    return std::vector<Sample>{{{}, static_cast<double>(metrics::ReadProcessStats().open_fds)}};
  });
  registry_.AddCallback("process_max_fds", "Limit of open file descriptors.", Type::kGauge, {}, [] {
    return std::vector<Sample>{{{}, static_cast<double>(metrics::ReadProcessStats().max_fds)}};
  });
  registry_.AddCallback("process_cpu_seconds_total", "User and system CPU time.", Type::kCounter,
                        {}, [] {
                          return std::vector<Sample>{{{}, metrics::ReadProcessStats().cpu_seconds}};
                        });
  registry_.AddCallback("maxiofs_disk_free_bytes",
                        "Free bytes (for unprivileged users) on the data directory's file system.",
                        Type::kGauge, {"path"}, [this] {
                          std::vector<Sample> out;
                          for (const DiskReading& d : Disks()) {
                            out.push_back({{d.path}, static_cast<double>(d.free_bytes)});
                          }
                          return out;
                        });
  registry_.AddCallback("maxiofs_disk_total_bytes", "Size of the data directory's file system.",
                        Type::kGauge, {"path"}, [this] {
                          std::vector<Sample> out;
                          for (const DiskReading& d : Disks()) {
                            out.push_back({{d.path}, static_cast<double>(d.total_bytes)});
                          }
                          return out;
                        });
  // Usage counters are a read of memory per bucket: every family asks the provider afresh.
  auto bucket_samples = [this](uint64_t BucketUsageSample::*field, bool skip_zero) {
    std::function<std::vector<BucketUsageSample>()> provider;
    {
      std::lock_guard<std::mutex> lock(mu_);
      provider = bucket_usage_;
    }
    std::vector<Sample> out;
    if (!provider) return out;
    for (const BucketUsageSample& b : provider()) {
      if (skip_zero && b.*field == 0) continue;
      out.push_back({{b.bucket}, static_cast<double>(b.*field)});
    }
    return out;
  };
  const struct {
    const char* name;
    const char* help;
    uint64_t BucketUsageSample::*field;
    bool skip_zero;
  } kBucketFamilies[] = {
      {"maxiofs_bucket_objects", "Objects (current versions) per bucket.",
       &BucketUsageSample::objects, false},
      {"maxiofs_bucket_bytes", "Bytes of the current versions per bucket.",
       &BucketUsageSample::bytes, false},
      {"maxiofs_bucket_versions", "Stored object versions (current and noncurrent) per bucket.",
       &BucketUsageSample::versions, false},
      {"maxiofs_bucket_version_bytes", "Bytes of every stored version per bucket.",
       &BucketUsageSample::version_bytes, false},
      {"maxiofs_bucket_delete_markers", "Delete markers per bucket.",
       &BucketUsageSample::delete_markers, false},
      {"maxiofs_bucket_uploads", "Multipart uploads in progress per bucket.",
       &BucketUsageSample::uploads, false},
      {"maxiofs_bucket_part_bytes", "Bytes of the parts of uploads in progress per bucket.",
       &BucketUsageSample::part_bytes, false},
      {"maxiofs_bucket_stored_bytes",
       "Bytes on disk per bucket (every version and part, after compression and encryption).",
       &BucketUsageSample::stored_bytes, false},
      {"maxiofs_bucket_quota_bytes",
       "Byte limit of the bucket's quota (version and part bytes); buckets with one only.",
       &BucketUsageSample::quota_bytes, true},
      {"maxiofs_bucket_quota_objects",
       "Object version limit of the bucket's quota; buckets with one only.",
       &BucketUsageSample::quota_objects, true},
  };
  for (const auto& f : kBucketFamilies) {
    registry_.AddCallback(f.name, f.help, Type::kGauge, {"bucket"},
                          [bucket_samples, field = f.field, skip = f.skip_zero] {
                            return bucket_samples(field, skip);
                          });
  }
  // The lifecycle worker's statistics (engine::LifecycleStats, counted since start).
  auto lifecycle_sample = [this](double (*field)(const engine::LifecycleStats&)) {
    std::function<engine::LifecycleStats()> provider;
    {
      std::lock_guard<std::mutex> lock(mu_);
      provider = lifecycle_;
    }
    if (!provider) return std::vector<Sample>{};
    return std::vector<Sample>{{{}, field(provider())}};
  };
  using LS = engine::LifecycleStats;
  const struct {
    const char* name;
    const char* help;
    Type type;
    double (*field)(const LS&);
  } kLifecycleFamilies[] = {
      {"maxiofs_lifecycle_objects_expired_total",
       "Current versions expired by lifecycle rules (removed, or hidden by a delete marker).",
       Type::kCounter, [](const LS& s) { return static_cast<double>(s.objects_expired); }},
      {"maxiofs_lifecycle_expired_bytes_total", "Bytes of the current versions expired.",
       Type::kCounter, [](const LS& s) { return static_cast<double>(s.bytes_expired); }},
      {"maxiofs_lifecycle_versions_expired_total",
       "Noncurrent versions (and noncurrent delete markers) removed by lifecycle rules.",
       Type::kCounter, [](const LS& s) { return static_cast<double>(s.versions_expired); }},
      {"maxiofs_lifecycle_version_bytes_expired_total", "Bytes of the noncurrent versions removed.",
       Type::kCounter, [](const LS& s) { return static_cast<double>(s.version_bytes_expired); }},
      {"maxiofs_lifecycle_delete_markers_removed_total",
       "Expired object delete markers removed by lifecycle rules.", Type::kCounter,
       [](const LS& s) { return static_cast<double>(s.delete_markers_removed); }},
      {"maxiofs_lifecycle_uploads_aborted_total",
       "Incomplete multipart uploads aborted by lifecycle rules.", Type::kCounter,
       [](const LS& s) { return static_cast<double>(s.uploads_aborted); }},
      {"maxiofs_lifecycle_locked_skipped_total",
       "Expiries refused by object lock (retried in later passes).", Type::kCounter,
       [](const LS& s) { return static_cast<double>(s.locked_skipped); }},
      {"maxiofs_lifecycle_passes_total", "Passes of the lifecycle worker.", Type::kCounter,
       [](const LS& s) { return static_cast<double>(s.passes); }},
      {"maxiofs_lifecycle_errors_total",
       "Buckets whose part of a lifecycle pass failed (retried in the next pass).", Type::kCounter,
       [](const LS& s) { return static_cast<double>(s.errors); }},
      {"maxiofs_lifecycle_last_pass_duration_seconds", "Duration of the last lifecycle pass.",
       Type::kGauge, [](const LS& s) { return s.last_pass_duration_ns / 1e9; }},
      {"maxiofs_lifecycle_last_pass_end_timestamp_seconds",
       "When the last lifecycle pass ended (Unix time; 0: none yet).", Type::kGauge,
       [](const LS& s) { return s.last_pass_end_ns / 1e9; }},
  };
  for (const auto& f : kLifecycleFamilies) {
    registry_.AddCallback(f.name, f.help, f.type, {},
                          [lifecycle_sample, field = f.field] { return lifecycle_sample(field); });
  }
  auto fuse_samples = [this](bool errors) {
    std::function<std::vector<FuseOpSample>()> provider;
    {
      std::lock_guard<std::mutex> lock(mu_);
      provider = fuse_;
    }
    std::vector<Sample> out;
    if (!provider) return out;
    for (const FuseOpSample& s : provider()) {
      if (errors && s.error != 0) {
        out.push_back({{s.op, ErrnoName(s.error)}, static_cast<double>(s.count)});
      } else if (!errors && s.error == 0) {
        out.push_back({{s.op}, static_cast<double>(s.count)});
      }
    }
    return out;
  };
  // The blob store (a remote backend's traffic; zero for the filesystem).
  struct BackendFamily {
    const char* name;
    const char* help;
    double (*value)(const BlobStoreSample&);
  };
  static constexpr BackendFamily kBackendFamilies[] = {
      {"maxiofs_backend_requests_total", "Requests sent to the blob store's service (attempts).",
       [](const BlobStoreSample& s) { return static_cast<double>(s.requests); }},
      {"maxiofs_backend_errors_total", "Blob store operations that failed after their retries.",
       [](const BlobStoreSample& s) { return static_cast<double>(s.errors); }},
      {"maxiofs_backend_retries_total", "Blob store requests that were retries.",
       [](const BlobStoreSample& s) { return static_cast<double>(s.retries); }},
      {"maxiofs_backend_sent_bytes_total", "Bytes sent to the blob store's service.",
       [](const BlobStoreSample& s) { return static_cast<double>(s.bytes_sent); }},
      {"maxiofs_backend_received_bytes_total", "Bytes received from the blob store's service.",
       [](const BlobStoreSample& s) { return static_cast<double>(s.bytes_received); }},
      {"maxiofs_backend_latency_seconds_total",
       "Time spent waiting for the blob store's service (sum over requests).",
       [](const BlobStoreSample& s) { return s.latency_us / 1e6; }},
      {"maxiofs_backend_cache_hits_total", "Blob reads served by the local read cache.",
       [](const BlobStoreSample& s) { return static_cast<double>(s.cache_hits); }},
      {"maxiofs_backend_cache_misses_total", "Blob reads the local read cache could not serve.",
       [](const BlobStoreSample& s) { return static_cast<double>(s.cache_misses); }},
  };
  for (const BackendFamily& f : kBackendFamilies) {
    registry_.AddCallback(f.name, f.help, Type::kCounter, {"backend"}, [this, f] {
      std::function<BlobStoreSample()> provider;
      {
        std::lock_guard<std::mutex> lock(mu_);
        provider = blob_store_;
      }
      if (!provider) return std::vector<Sample>{};
      const BlobStoreSample s = provider();
      return std::vector<Sample>{{{s.backend}, f.value(s)}};
    });
  }
  // Bucket notifications, per target.
  using NotifyStats = engine::NotificationTargetStats;
  struct NotifyFamily {
    const char* name;
    const char* help;
    Type type;
    double (*value)(const NotifyStats&);
  };
  static constexpr NotifyFamily kNotifyFamilies[] = {
      {"maxiofs_notify_queued_events", "Bucket notifications waiting for their target.",
       Type::kGauge, [](const NotifyStats& s) { return static_cast<double>(s.queued); }},
      {"maxiofs_notify_enqueued_total", "Bucket notifications queued for the target.",
       Type::kCounter, [](const NotifyStats& s) { return static_cast<double>(s.enqueued); }},
      {"maxiofs_notify_delivered_total", "Bucket notifications the target acknowledged.",
       Type::kCounter, [](const NotifyStats& s) { return static_cast<double>(s.delivered); }},
      {"maxiofs_notify_failed_total", "Delivery attempts that failed (each retried).",
       Type::kCounter, [](const NotifyStats& s) { return static_cast<double>(s.failed); }},
      {"maxiofs_notify_dropped_total",
       "Bucket notifications dropped because the target's queue was full (notify.queue_limit).",
       Type::kCounter, [](const NotifyStats& s) { return static_cast<double>(s.dropped); }},
      {"maxiofs_notify_delivery_latency_seconds_sum",
       "Time from the change's commit to the target's acknowledgement, summed.", Type::kCounter,
       [](const NotifyStats& s) { return s.latency_sum_us / 1e6; }},
      {"maxiofs_notify_delivery_latency_seconds_count",
       "Delivered notifications whose latency is summed.", Type::kCounter,
       [](const NotifyStats& s) { return static_cast<double>(s.latency_count); }},
  };
  auto notify_stats = [this] {
    std::function<std::vector<NotifyStats>()> provider;
    {
      std::lock_guard<std::mutex> lock(mu_);
      provider = notify_;
    }
    return provider ? provider() : std::vector<NotifyStats>{};
  };
  for (const NotifyFamily& f : kNotifyFamilies) {
    registry_.AddCallback(f.name, f.help, f.type, {"target", "type"}, [notify_stats, f] {
      std::vector<Sample> out;
      for (const NotifyStats& s : notify_stats()) out.push_back({{s.name, s.type}, f.value(s)});
      return out;
    });
  }
  registry_.AddCallback(
      "maxiofs_notify_delivery_latency_seconds_bucket",
      "Delivered notifications with a latency at most `le` seconds (cumulative).", Type::kCounter,
      {"target", "le"}, [notify_stats] {
        std::vector<Sample> out;
        for (const NotifyStats& s : notify_stats()) {
          for (size_t i = 0; i < s.latency_buckets.size(); ++i) {
            char le[32];
            std::snprintf(le, sizeof(le), "%g", engine::kNotifyLatencyBoundsMs[i] / 1000);
            out.push_back({{s.name, le}, static_cast<double>(s.latency_buckets[i])});
          }
          out.push_back({{s.name, "+Inf"}, static_cast<double>(s.latency_count)});
        }
        return out;
      });
  registry_.AddCallback("maxiofs_fuse_operations_total", "FUSE operations served, by operation.",
                        Type::kCounter, {"operation"},
                        [fuse_samples] { return fuse_samples(false); });
  registry_.AddCallback("maxiofs_fuse_errors_total",
                        "FUSE operations answered with an error, by operation and errno.",
                        Type::kCounter, {"operation", "errno"},
                        [fuse_samples] { return fuse_samples(true); });
}

void ServerMetrics::SetNotifyProvider(
    std::function<std::vector<engine::NotificationTargetStats>()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  notify_ = std::move(provider);
}

void ServerMetrics::SetBlobStoreProvider(std::function<BlobStoreSample()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  blob_store_ = std::move(provider);
}

void ServerMetrics::RecordRequest(const RequestFacts& facts) {
  const std::string_view op = facts.operation.empty() ? std::string_view("-") : facts.operation;
  requests_.WithLabels({facts.server, op, StatusClass(facts.status)}).Inc();
  latency_.WithLabels({facts.server, op})
      .Observe(std::chrono::duration<double>(facts.latency).count());
  if (facts.bytes_in > 0) bytes_in_.WithLabels({facts.server}).Inc(facts.bytes_in);
  if (facts.bytes_out > 0) bytes_out_.WithLabels({facts.server}).Inc(facts.bytes_out);
}

void ServerMetrics::RequestStarted(std::string_view server) {
  in_flight_.WithLabels({server}).Add(1);
}

void ServerMetrics::RequestFinished(std::string_view server) {
  in_flight_.WithLabels({server}).Add(-1);
}

void ServerMetrics::SetBucketUsageProvider(
    std::function<std::vector<BucketUsageSample>()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  bucket_usage_ = std::move(provider);
}

void ServerMetrics::SetFuseProvider(std::function<std::vector<FuseOpSample>()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  fuse_ = std::move(provider);
}

void ServerMetrics::SetReadyProvider(std::function<bool()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  ready_ = std::move(provider);
}

void ServerMetrics::SetLifecycleProvider(std::function<engine::LifecycleStats()> provider) {
  std::lock_guard<std::mutex> lock(mu_);
  lifecycle_ = std::move(provider);
}

std::string ServerMetrics::Render() const { return registry_.Render(); }

}  // namespace maxiofs::app
