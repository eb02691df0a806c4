// S3Server: the S3Service behind an http::Server. The service is built first and outlives the
// server, whose Stop() joins every thread that could call it.
#include "maxiofs/s3/s3_server.h"

#include "s3_service.h"

#include "maxiofs/http/server.h"

#include <cctype>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace maxiofs::s3 {

namespace {

std::string ToLower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

ServiceOptions MakeServiceOptions(const S3Options& o) {
  ServiceOptions s;
  s.allow_insecure_sse_c = o.allow_insecure_sse_c;
  s.anonymous_as_root = o.anonymous_as_root;
  s.region = o.region;
  s.access_key = o.access_key;
  s.owner_display_name = o.owner_display_name;
  for (const auto& d : o.virtual_host_domains) {
    std::string domain = ToLower(d);
    size_t colon = domain.rfind(':');
    if (colon != std::string::npos && domain.find(']') == std::string::npos) domain.resize(colon);
    if (!domain.empty()) s.router.virtual_host_domains.push_back(domain);
  }
  return s;
}

// The S3 service with the reserved /_maxiofs/ paths answered first by S3Options::reserved_paths.
class ReservedPathsService final : public http::Service {
 public:
  ReservedPathsService(http::Service& s3,
                       std::function<std::optional<http::Response>(const http::HttpRequest&)> f,
                       std::function<void(const http::HttpRequest&)> on_start)
      : s3_(s3), reserved_(std::move(f)), on_start_(std::move(on_start)) {}

  http::StartedRequest Start(const http::HttpRequest& request,
                             std::chrono::system_clock::time_point now) override {
    if (on_start_) on_start_(request);
    if (reserved_ && std::string_view(request.target).starts_with("/_maxiofs/")) {
      if (auto response = reserved_(request)) {
        http::StartedRequest started;
        started.response = std::move(*response);
        started.operation = "Reserved";
        if (request.has_body()) started.response.close = true;  // the body is never read
        return started;
      }
    }
    return s3_.Start(request, now);
  }
  std::optional<http::StartedRequest> TryStartWithoutWaiting(
      const http::HttpRequest& request, std::chrono::system_clock::time_point now) override {
    if (std::string_view(request.target).starts_with("/_maxiofs/")) return std::nullopt;
    auto started = s3_.TryStartWithoutWaiting(request, now);
    // on_start may run again for the same request if the server then redoes it on the pool
    // (S3Options::on_start says so).
    if (started && on_start_) on_start_(request);
    return started;
  }
  http::Response ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                       const http::HttpRequest& request) const override {
    return s3_.ProtocolErrorResponse(error, std::move(message), request);
  }
  std::string LogTarget(const http::HttpRequest& request) const override {
    return s3_.LogTarget(request);
  }
  void DecorateResponse(const http::HttpRequest& request,
                        http::HeaderList& headers) const override {
    s3_.DecorateResponse(request, headers);
  }

 private:
  http::Service& s3_;
  const std::function<std::optional<http::Response>(const http::HttpRequest&)> reserved_;
  const std::function<void(const http::HttpRequest&)> on_start_;
};

class S3ServerImpl final : public S3Server {
 public:
  S3ServerImpl(const S3Options& options, engine::Engine& engine)
      : service_(engine, MakeServiceOptions(options)),
        front_(service_, options.reserved_paths, options.on_start) {}
  ~S3ServerImpl() override { Stop(); }

  Status Init(const S3Options& options) {
    http::ServerOptions so;
    so.name = "s3";
    so.listen = options.listen;
    so.io_threads = options.io_threads;
    so.worker_threads = options.engine_threads;
    so.read_threads = options.read_threads;
    so.max_connections = options.max_connections;
    so.idle_timeout_s = options.idle_timeout_s;
    so.on_complete = [this, next = options.on_complete](const http::RequestRecord& r) {
      service_.OnComplete(r);
      if (next) next(r);
    };
    so.tls = options.tls;
    MAXIOFS_ASSIGN_OR_RETURN(server_, http::Server::Start(so, front_));
    return Status::OK();
  }

  uint16_t port() const override { return server_ ? server_->port() : 0; }
  void Stop() override {
    if (server_) server_->Stop();
  }
  Status ReloadTls() override { return server_ ? server_->ReloadTls() : Status::OK(); }

 private:
  S3Service service_;
  ReservedPathsService front_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace

Result<std::unique_ptr<S3Server>> S3Server::Start(const S3Options& options,
                                                  engine::Engine& engine) {
  auto server = std::make_unique<S3ServerImpl>(options, engine);
  MAXIOFS_RETURN_IF_ERROR(server->Init(options));
  return std::unique_ptr<S3Server>(std::move(server));
}

}  // namespace maxiofs::s3
