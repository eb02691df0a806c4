#include "maxiofs/console/console_server.h"

#include "assets.h"
#include "console_service.h"
#include "session_secret.h"

#include "maxiofs/http/server.h"

namespace maxiofs::console {
namespace {

class ConsoleServerImpl final : public ConsoleServer {
 public:
  ConsoleServerImpl(const ConsoleOptions& options, ConsoleHooks hooks)
      : options_(options), hooks_(std::move(hooks)) {}

  Status Init(engine::Engine& engine) {
    auto secret = LoadSessionSecret(options_.session_secret, options_.data_dir);
    if (!secret.has_value()) return secret.error();
    service_ = std::make_unique<ConsoleService>(engine, options_, hooks_, std::move(secret).value(),
                                                EmbeddedAssets());
    http::ServerOptions server_options;
    server_options.name = "console";
    server_options.listen = options_.listen;
    server_options.io_threads = options_.io_threads;
    server_options.worker_threads = options_.worker_threads;
    server_options.tls = options_.tls;
    if (hooks_.on_complete || options_.on_complete) {
      server_options.on_complete = [this](const http::RequestRecord& r) {
        if (hooks_.on_complete) hooks_.on_complete(r.status, r.latency, r.bytes_in, r.bytes_out);
        if (options_.on_complete) options_.on_complete(r);
      };
    }
    auto server = http::Server::Start(server_options, *service_);
    if (!server.has_value()) return server.error();
    server_ = std::move(server).value();
    return Status::OK();
  }

  ~ConsoleServerImpl() override { Stop(); }

  uint16_t port() const override { return server_->port(); }
  void Stop() override {
    if (server_) server_->Stop();
  }
  Status ReloadTls() override { return server_ ? server_->ReloadTls() : Status::OK(); }

 private:
  const ConsoleOptions options_;
  const ConsoleHooks hooks_;
  std::unique_ptr<ConsoleService> service_;
  std::unique_ptr<http::Server> server_;  // stopped before service_ goes away
};

}  // namespace

Result<std::unique_ptr<ConsoleServer>> ConsoleServer::Start(const ConsoleOptions& options,
                                                            engine::Engine& engine,
                                                            ConsoleHooks hooks) {
  auto server = std::make_unique<ConsoleServerImpl>(options, std::move(hooks));
  if (Status st = server->Init(engine); !st.ok()) return st;
  return std::unique_ptr<ConsoleServer>(std::move(server));
}

}  // namespace maxiofs::console
