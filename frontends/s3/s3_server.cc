// S3Server: the S3Service behind an http::Server. The service is built first and outlives the
// server, whose Stop() joins every thread that could call it.
#include "maxiofs/s3/s3_server.h"

#include "s3_service.h"

#include "maxiofs/http/server.h"

#include <cctype>
#include <string>

namespace maxiofs::s3 {

namespace {

std::string ToLower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

ServiceOptions MakeServiceOptions(const S3Options& o) {
  ServiceOptions s;
  s.region = o.region;
  s.access_key = o.access_key;
  s.secret_key = o.secret_key;
  for (const auto& d : o.virtual_host_domains) {
    std::string domain = ToLower(d);
    size_t colon = domain.rfind(':');
    if (colon != std::string::npos && domain.find(']') == std::string::npos) domain.resize(colon);
    if (!domain.empty()) s.router.virtual_host_domains.push_back(domain);
  }
  return s;
}

class S3ServerImpl final : public S3Server {
 public:
  S3ServerImpl(const S3Options& options, engine::Engine& engine)
      : service_(engine, MakeServiceOptions(options)) {}
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
    so.on_complete = options.on_complete;
    MAXIOFS_ASSIGN_OR_RETURN(server_, http::Server::Start(so, service_));
    return Status::OK();
  }

  uint16_t port() const override { return server_ ? server_->port() : 0; }
  void Stop() override {
    if (server_) server_->Stop();
  }

 private:
  S3Service service_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace

Result<std::unique_ptr<S3Server>> S3Server::Start(const S3Options& options,
                                                  engine::Engine& engine) {
  if (options.access_key.empty() || options.secret_key.empty()) {
    return Status::InvalidArgument("S3 access key and secret key must not be empty");
  }
  auto server = std::make_unique<S3ServerImpl>(options, engine);
  MAXIOFS_RETURN_IF_ERROR(server->Init(options));
  return std::unique_ptr<S3Server>(std::move(server));
}

}  // namespace maxiofs::s3
