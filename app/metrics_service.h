// MetricsService: the http::Service of the optional metrics listener (metrics.listen): the
// metrics paths (metrics.path and /_maxiofs/metrics), and GET/HEAD /_maxiofs/health/live and
// /ready. Anything else is 404. No
// authentication: serve it on an address only the scrapers reach.
//
// Thread-safety: safe for concurrent use (the HTTP server calls it from its worker pool).
#pragma once

#include "readiness.h"
#include "server_metrics.h"

#include "maxiofs/http/service.h"

#include <string>
#include <vector>

namespace maxiofs::app {

// The Response for a metrics path (one of `metrics_paths`; none when metrics are disabled) or a
// health path, or nullopt when `path` is neither. Shared with the S3 port's reserved paths so
// both answer alike.
std::optional<http::Response> OpsResponse(std::string_view method, std::string_view path,
                                          const std::vector<std::string>& metrics_paths,
                                          const ServerMetrics& metrics, const Readiness& ready);

class MetricsService final : public http::Service {
 public:
  // REQUIRES: `metrics` and `ready` outlive the service.
  MetricsService(std::vector<std::string> paths, const ServerMetrics& metrics,
                 const Readiness& ready)
      : paths_(std::move(paths)), metrics_(metrics), ready_(ready) {}

  http::StartedRequest Start(const http::HttpRequest& request,
                             std::chrono::system_clock::time_point now) override;
  http::Response ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                       const http::HttpRequest& request) const override;
  std::string LogTarget(const http::HttpRequest& request) const override;

 private:
  const std::vector<std::string> paths_;
  const ServerMetrics& metrics_;
  const Readiness& ready_;
};

}  // namespace maxiofs::app
