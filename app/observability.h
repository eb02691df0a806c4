// Observability: what app/ attaches to the front ends so the process can be watched: the
// metrics (server_metrics.h), the access and audit logs (request_log.h), readiness
// (readiness.h), and the optional metrics listener (metrics.listen). Built once in
// RunServer after the engine opens; it hands out the hooks the HTTP servers call.
//
// Thread-safety: the hooks are safe to call from any thread; Start/Stop from the owner only.
#pragma once

#include "config.h"
#include "metrics_service.h"
#include "readiness.h"
#include "request_log.h"
#include "server_metrics.h"

#include "maxiofs/console/console_server.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/fuse/fuse_mount.h"
#include "maxiofs/http/server.h"
#include "maxiofs/s3/s3_server.h"

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace maxiofs::app {

class Observability : private engine::LifecycleListener {
 public:
  // REQUIRES: `engine` outlives this object.
  Observability(const Config& config, engine::Engine& engine, const std::string& data_dir);
  ~Observability();
  Observability(const Observability&) = delete;
  Observability& operator=(const Observability&) = delete;

  // Sets on_start, on_complete and reserved_paths (metrics, health) of the S3 options.
  void Attach(s3::S3Options& options);
  // Counts the console's requests in the metrics and the access log.
  void AttachConsole(console::ConsoleOptions& options);
  // Counts the mount's operations in the metrics. REQUIRES: `mount` outlives this object or
  // DetachFuse is called first.
  void AttachFuse(const fuse::FuseMount& mount);
  void DetachFuse();
  // Starts the metrics listener when metrics.listen is set. The error names the address.
  Status StartMetricsListener();
  void Stop();

  ServerMetrics& metrics() { return metrics_; }

 private:
  void OnStart(std::string_view server, const http::HttpRequest& request);
  void OnComplete(const http::RequestRecord& record);
  std::vector<BucketUsageSample> BucketUsage();
  // The lifecycle worker's actions, written to the audit log (server=lifecycle).
  void OnLifecycle(const engine::LifecycleEvent& event) override;

  const Config& config_;
  engine::Engine& engine_;
  ServerMetrics metrics_;
  Readiness readiness_;
  RequestLog request_log_;
  // The metrics paths of the S3 port: /_maxiofs/metrics and metrics.path when it is under
  // /_maxiofs/; empty when metrics are disabled.
  std::vector<std::string> s3_metrics_paths_;

  std::mutex in_flight_mu_;                    // guards in_flight_; leaf lock
  std::unordered_set<std::string> in_flight_;  // "<server>/<request id>" of started requests

  std::mutex fuse_mu_;  // guards fuse_; leaf lock
  const fuse::FuseMount* fuse_ = nullptr;

  std::unique_ptr<MetricsService> metrics_service_;
  std::unique_ptr<http::Server> metrics_server_;
};

}  // namespace maxiofs::app
