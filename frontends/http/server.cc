// Server: owns the io_context and its threads, the worker pool, the connection registry and the
// listener. Construction order = dependency order; Stop() and the destructor tear down in
// reverse.
#include "maxiofs/http/server.h"

#include "connection_registry.h"
#include "listener.h"
#include "server_shared.h"
#include "tls_context.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <thread>
#include <vector>

namespace maxiofs::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// How long Stop() lets in-flight requests finish before cutting connections.
constexpr std::chrono::seconds kStopGrace{10};

Result<tcp::endpoint> ParseListen(std::string_view listen, asio::io_context& ioc) {
  size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("listen address must be host:port or :port: " +
                                   std::string(listen));
  }
  std::string_view host = listen.substr(0, colon);
  std::string_view port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
      port > 65535) {
    return Status::InvalidArgument("bad port in listen address: " + std::string(listen));
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return tcp::endpoint(tcp::v4(), static_cast<uint16_t>(port));
  boost::system::error_code aec;
  auto addr = asio::ip::make_address(std::string(host), aec);
  if (!aec) return tcp::endpoint(addr, static_cast<uint16_t>(port));
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(std::string(host), std::string(port_text), aec);
  if (aec || results.empty()) {
    return Status::InvalidArgument("cannot resolve listen host " + std::string(host) + ": " +
                                   aec.message());
  }
  return results.begin()->endpoint();
}

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, Service& service)
      : pool_(std::make_unique<asio::thread_pool>(std::max(1u, options.worker_threads))),
        read_pool_(std::make_unique<asio::thread_pool>(std::max(1u, options.read_threads))),
        log_(spdlog::get(options.name) ? spdlog::get(options.name) : spdlog::default_logger()),
        shared_{options.name,       service, *pool_, *read_pool_,
                registry_,          log_,    ids_,   MakeLimits(options),
                options.on_complete},
        options_(options) {}

  ~ServerImpl() override { Stop(); }

  Status Init() {
    unsigned n = options_.io_threads;
    if (n == 0) n = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    // One io_context per network thread (concurrency hint 1): a connection's handlers all run
    // on its thread, and the threads never hand work to each other.
    std::vector<asio::io_context*> contexts;
    for (unsigned i = 0; i < n; ++i) {
      iocs_.push_back(std::make_unique<asio::io_context>(1));
      contexts.push_back(iocs_.back().get());
    }
    auto endpoint = ParseListen(options_.listen, *iocs_.front());
    if (!endpoint.has_value()) return endpoint.error();
    if (options_.tls) {
      MAXIOFS_ASSIGN_OR_RETURN(tls_, TlsContextHolder::Create(*options_.tls));
      shared_.tls = tls_.get();  // before the listener: every session sees it
    }
    listener_ = std::make_shared<Listener>(std::move(contexts), shared_);
    MAXIOFS_RETURN_IF_ERROR(listener_->Open(*endpoint));
    port_ = listener_->port();
    listener_->Run();
    for (auto& ioc : iocs_) {
      work_.push_back(asio::make_work_guard(*ioc));
      threads_.emplace_back([this, ioc = ioc.get()] { RunLoop(*ioc); });
    }
    log_->info("{} listening on {} (port {}, {} io threads, {} worker + {} read threads{})",
               options_.name, options_.listen, port_, n, std::max(1u, options_.worker_threads),
               std::max(1u, options_.read_threads),
               tls_ ? ", TLS " + options_.tls->min_version + "+" : std::string());
    return Status::OK();
  }

  uint16_t port() const override { return port_; }

  Status ReloadTls() override {
    if (!tls_) return Status::OK();
    MAXIOFS_RETURN_IF_ERROR(tls_->Reload());
    log_->info("{} TLS certificate reloaded from {}", options_.name, options_.tls->cert_file);
    return Status::OK();
  }

  void Stop() override {
    if (stopped_.exchange(true)) return;
    if (listener_) listener_->Stop();
    registry_.StopAll();
    if (!registry_.WaitEmpty(kStopGrace)) {
      log_->warn("{} stop: {} connections still busy after {}s; closing them", options_.name,
                 registry_.size(), kStopGrace.count());
    }
    work_.clear();
    for (auto& ioc : iocs_) ioc->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    pool_->join();
    read_pool_->join();
    // Destroying the io_contexts destroys pending handlers and with them the last sessions
    // (and their readers/writers) while the service is still alive.
    listener_.reset();
    iocs_.clear();
  }

 private:
  static ServerLimits MakeLimits(const ServerOptions& o) {
    ServerLimits l;
    l.io_timeout = std::chrono::seconds(std::max(1u, o.idle_timeout_s));
    l.max_connections = std::max(1u, o.max_connections);
    l.body_chunk_budget = o.body_chunk_budget;
    return l;
  }

  void RunLoop(asio::io_context& ioc) {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        log_->error("{} network thread: unexpected exception: {}", options_.name, e.what());
      }
    }
  }

  // Members in dependency order; see Stop() for the teardown order.
  ConnectionRegistry registry_;
  RequestIdGenerator ids_;
  std::vector<std::unique_ptr<asio::io_context>> iocs_;  // one per network thread
  std::unique_ptr<asio::thread_pool> pool_;
  std::unique_ptr<asio::thread_pool> read_pool_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<TlsContextHolder> tls_;  // set by Init when TLS is on; outlives the sessions
  ServerShared shared_;
  ServerOptions options_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopped_{false};
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Service& service) {
  auto server = std::make_unique<ServerImpl>(options, service);
  Status st = server->Init();
  if (!st.ok()) {
    server->Stop();
    return st;
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace maxiofs::http
