#include "metrics_service.h"

#include "maxiofs/metrics/registry.h"

#include <algorithm>

namespace maxiofs::app {
namespace {

http::Response Text(int status, std::string content_type, std::string body) {
  http::Response r;
  r.status = status;
  r.AddHeader("Content-Type", std::move(content_type));
  r.AddHeader("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

}  // namespace

std::optional<http::Response> OpsResponse(std::string_view method, std::string_view path,
                                          const std::vector<std::string>& metrics_paths,
                                          const ServerMetrics& metrics, const Readiness& ready) {
  std::optional<http::Response> r;
  if (std::find(metrics_paths.begin(), metrics_paths.end(), path) != metrics_paths.end()) {
    r = Text(200, std::string(metrics::kContentType), metrics.Render());
  } else if (path == "/_maxiofs/health/live") {
    r = Text(200, "application/json", "{\"status\":\"ok\"}\n");
  } else if (path == "/_maxiofs/health/ready") {
    r = ready.Check().ok() ? Text(200, "application/json", "{\"status\":\"ok\"}\n")
                           : Text(503, "application/json", "{\"status\":\"unavailable\"}\n");
  } else {
    return std::nullopt;
  }
  if (method == "HEAD") {
    r->head = true;
    r->content_length = r->body.size();
    r->body.clear();
  } else if (method != "GET") {
    r = Text(405, "text/plain; charset=utf-8", "method not allowed\n");
    r->AddHeader("Allow", "GET, HEAD");
  }
  return r;
}

http::StartedRequest MetricsService::Start(const http::HttpRequest& request,
                                           std::chrono::system_clock::time_point /*now*/) {
  http::StartedRequest started;
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  auto r = OpsResponse(request.method, path, paths_, metrics_, ready_);
  started.operation = path.starts_with("/_maxiofs/health/") ? "Health" : "Metrics";
  started.response = r ? std::move(*r) : Text(404, "text/plain; charset=utf-8", "not found\n");
  if (request.has_body()) started.response.close = true;  // never read bodies here
  return started;
}

http::Response MetricsService::ProtocolErrorResponse(http::ProtocolError /*error*/,
                                                     std::string message,
                                                     const http::HttpRequest& /*request*/) const {
  http::Response r = Text(400, "text/plain; charset=utf-8", std::move(message) + "\n");
  r.close = true;
  return r;
}

std::string MetricsService::LogTarget(const http::HttpRequest& request) const {
  return request.target.substr(0, request.target.find('?'));
}

}  // namespace maxiofs::app
