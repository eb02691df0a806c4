// MetricsService: the http::Service of the optional metrics listener (metrics.listen): the
// metrics path, and GET/HEAD /_maxiofs/health/live and /ready. Anything else is 404. No
// authentication: serve it on an address only the scrapers reach.
//
// Thread-safety: safe for concurrent use (the HTTP server calls it from its worker pool).
#pragma once

#include "readiness.h"
#include "server_metrics.h"

#include "maxiofs/http/service.h"

#include <string>

namespace maxiofs::app {

// The Response for a metrics or health path, or nullopt when `path` is neither. Shared with
// the S3 port's reserved paths so both answer alike.
std::optional<http::Response> OpsResponse(std::string_view method, std::string_view path,
                                          const std::string& metrics_path,
                                          const ServerMetrics& metrics, const Readiness& ready);

class MetricsService final : public http::Service {
 public:
  // REQUIRES: `metrics` and `ready` outlive the service.
  MetricsService(std::string path, const ServerMetrics& metrics, const Readiness& ready)
      : path_(std::move(path)), metrics_(metrics), ready_(ready) {}

  http::StartedRequest Start(const http::HttpRequest& request,
                             std::chrono::system_clock::time_point now) override;
  http::Response ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                       const http::HttpRequest& request) const override;
  std::string LogTarget(const http::HttpRequest& request) const override;

 private:
  const std::string path_;
  const ServerMetrics& metrics_;
  const Readiness& ready_;
};

}  // namespace maxiofs::app
