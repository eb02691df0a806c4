#include "observability.h"

#include "component_options.h"

#include "maxiofs/app/version.h"
#include "maxiofs/common/percent.h"

#include <utility>

namespace maxiofs::app {
namespace {

// The fixed metrics path of the S3 port.
constexpr std::string_view kFixedMetricsPath = "/_maxiofs/metrics";

// The metrics paths of the S3 port (only under /_maxiofs/, which no bucket name can shadow).
std::vector<std::string> S3MetricsPaths(const MetricsConfig& m) {
  std::vector<std::string> paths;
  if (!m.enabled) return paths;
  paths.emplace_back(kFixedMetricsPath);
  if (m.path != kFixedMetricsPath && m.path.starts_with("/_maxiofs/")) paths.push_back(m.path);
  return paths;
}

RequestFacts ToFacts(const http::RequestRecord& r) {
  RequestFacts f;
  f.server = r.server;
  f.request_id = r.request_id;
  f.remote = r.remote;
  f.user = r.user;
  f.operation = r.operation;
  f.method = r.method;
  f.target = r.target;
  f.status = r.status;
  f.bytes_in = r.bytes_in;
  f.bytes_out = r.bytes_out;
  f.latency = r.latency;
  f.note = r.note;
  return f;
}

}  // namespace

Observability::Observability(const Config& config, engine::Engine& engine,
                             const std::string& data_dir)
    : config_(config),
      engine_(engine),
      metrics_(data_dir, std::string(kVersion), std::chrono::seconds(config.metrics.interval),
               BlobDirectory(config, data_dir)),
      readiness_(engine, data_dir, BlobDirectory(config, data_dir)),
      request_log_(config.logging.access, config.logging.format == "json"),
      s3_metrics_paths_(S3MetricsPaths(config.metrics)) {
  metrics_.SetReadyProvider([this] { return readiness_.Check().ok(); });
  metrics_.SetBucketUsageProvider([this] { return BucketUsage(); });
  metrics_.SetLifecycleProvider([this] { return engine_.GetLifecycleStats(); });
  engine_.SubscribeLifecycle(this);
  metrics_.SetBlobStoreProvider([this] {
    const engine::BlobStoreStats s = engine_.blob_store_stats();
    return BlobStoreSample{s.kind,       s.requests,   s.errors,
                           s.retries,    s.bytes_sent, s.bytes_received,
                           s.latency_us, s.cache_hits, s.cache_misses};
  });
  metrics_.SetNotifyProvider([this] { return engine_.notification_stats(); });
  metrics_.SetFuseProvider([this] {
    std::vector<FuseOpSample> out;
    std::lock_guard<std::mutex> lock(fuse_mu_);
    if (fuse_ == nullptr) return out;
    for (const fuse::FuseOpCount& c : fuse_->op_counts()) out.push_back({c.op, c.error, c.count});
    return out;
  });
}

Observability::~Observability() {
  engine_.UnsubscribeLifecycle(this);
  Stop();
}

void Observability::OnLifecycle(const engine::LifecycleEvent& event) {
  using A = engine::LifecycleEvent::Action;
  std::string_view op;
  switch (event.action) {
    case A::kObjectExpired:
      op = "LifecycleExpireObject";
      break;
    case A::kDeleteMarkerAdded:
      op = "LifecycleAddDeleteMarker";
      break;
    case A::kVersionExpired:
      op = "LifecycleExpireVersion";
      break;
    case A::kDeleteMarkerRemoved:
      op = "LifecycleRemoveDeleteMarker";
      break;
    case A::kUploadAborted:
      op = "LifecycleAbortUpload";
      break;
  }
  const std::string target =
      "/" + PercentEncode(event.bucket, false) + "/" + PercentEncode(event.key, true);
  // A rule id is the client's text: no control character or quote may end the record early.
  std::string rule = event.rule_id;
  for (char& c : rule) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\') c = '?';
  }
  const std::string note = "rule=" + rule + " " +
                           (event.action == A::kUploadAborted ? "upload_id=" : "version_id=") +
                           event.version_id + " bytes=" + std::to_string(event.size);
  RequestFacts f;
  f.server = "lifecycle";
  f.operation = op;
  f.method = "-";
  f.target = target;
  f.status = 200;
  f.note = note;
  request_log_.Audit(f);
}

void Observability::Attach(s3::S3Options& options) {
  options.on_start = [this](const http::HttpRequest& request) { OnStart("s3", request); };
  options.on_complete = [this](const http::RequestRecord& record) { OnComplete(record); };
  options.reserved_paths = [this](const http::HttpRequest& request) {
    const std::string_view target = request.target;
    // The metrics path only when it lives under /_maxiofs/ (validated) and is enabled.
    return OpsResponse(request.method, target.substr(0, target.find('?')), s3_metrics_paths_,
                       metrics_, readiness_);
  };
}

void Observability::AttachConsole(console::ConsoleOptions& options) {
  options.on_complete = [this](const http::RequestRecord& record) { OnComplete(record); };
}

void Observability::AttachFuse(const fuse::FuseMount& mount) {
  std::lock_guard<std::mutex> lock(fuse_mu_);
  fuse_ = &mount;
}

void Observability::DetachFuse() {
  std::lock_guard<std::mutex> lock(fuse_mu_);
  fuse_ = nullptr;
}

Status Observability::StartMetricsListener() {
  if (config_.metrics.listen.empty()) return Status::OK();
  std::vector<std::string> paths;
  if (config_.metrics.enabled) paths = {config_.metrics.path, std::string(kFixedMetricsPath)};
  metrics_service_ = std::make_unique<MetricsService>(std::move(paths), metrics_, readiness_);
  http::ServerOptions so;
  so.name = "metrics";
  so.listen = config_.metrics.listen;
  so.io_threads = 1;
  so.worker_threads = 2;
  so.max_connections = 64;
  so.on_complete = [this](const http::RequestRecord& record) { OnComplete(record); };
  auto started = http::Server::Start(so, *metrics_service_);
  if (!started.has_value()) return started.error();
  metrics_server_ = std::move(started).value();
  return Status::OK();
}

void Observability::Stop() {
  if (metrics_server_) metrics_server_->Stop();
  metrics_server_.reset();
  DetachFuse();
}

void Observability::OnStart(std::string_view server, const http::HttpRequest& request) {
  metrics_.RequestStarted(server);
  std::lock_guard<std::mutex> lock(in_flight_mu_);
  in_flight_.insert(std::string(server) + "/" + request.request_id);
}

void Observability::OnComplete(const http::RequestRecord& record) {
  const RequestFacts facts = ToFacts(record);
  metrics_.RecordRequest(facts);
  bool was_started = false;
  {
    std::lock_guard<std::mutex> lock(in_flight_mu_);
    was_started =
        in_flight_.erase(std::string(record.server) + "/" + std::string(record.request_id)) > 0;
  }
  if (was_started) metrics_.RequestFinished(record.server);
  request_log_.Log(facts);
}

std::vector<BucketUsageSample> Observability::BucketUsage() {
  // The engine keeps usage counters: a read of memory per bucket, so no cache is needed.
  std::vector<BucketUsageSample> out;
  auto buckets = engine_.ListBuckets();
  if (!buckets.has_value()) return out;
  out.reserve(buckets->size());
  for (const engine::BucketInfo& b : *buckets) {
    auto u = engine_.GetBucketUsage(b.name);
    if (!u.has_value()) continue;  // deleted meanwhile
    BucketUsageSample s;
    s.bucket = b.name;
    s.objects = u->objects;
    s.bytes = u->bytes;
    s.versions = u->versions;
    s.version_bytes = u->version_bytes;
    s.delete_markers = u->delete_markers;
    s.uploads = u->uploads;
    s.part_bytes = u->part_bytes;
    s.stored_bytes = u->version_stored_bytes + u->part_stored_bytes;
    if (auto q = engine_.GetBucketQuota(b.name); q.has_value()) {
      s.quota_bytes = q->max_bytes;
      s.quota_objects = q->max_objects;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace maxiofs::app
