// ConsoleServer: the web console on its own port — the single-page app embedded in the
// binary and its JSON API under /api/v1, calling the engine's public API. The only header of
// frontends/console that app/ includes.
//
// Thread-safety: Start and Stop are called from the owning thread (app/); the server runs its
// own network threads and worker pool.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/console/request_stats.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/http/server.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maxiofs::console {

// One row of the effective configuration shown on the settings page. The caller masks
// secrets before handing them over.
struct ConfigEntry {
  std::string key;    // "server.listen"
  std::string value;  // "<hidden>" for secrets
};

struct ConsoleOptions {
  // "host:port" or ":port" (all interfaces). Port 0 picks a free port (see port()).
  std::string listen = ":8081";
  // Root credentials (the same as the engine's IamOptions): a login with this access key as
  // user name and the secret key as password is root. IAM users log in with their console
  // password, checked by the engine. REQUIRES: non-empty.
  std::string access_key;
  std::string secret_key;
  // HMAC key for session tokens. Empty: read <data_dir>/console.secret, creating it (0600,
  // 32 random bytes) on first start, so sessions survive restarts.
  std::string session_secret;
  // Check the login's credentials. Default true. false (auth.enabled: false, loopback servers
  // only): any login, whatever its user and password, opens a root session.
  bool login_required = true;
  // Lifetime of a session token, seconds. A token past half its life is renewed by the next
  // API call, so an active user stays logged in; an idle one is logged out after this.
  uint64_t session_ttl_s = 3600;
  // Failed logins allowed per client address per minute before 429.
  unsigned login_attempts_per_minute = 5;
  // The engine's data directory: disk free space and the persisted session secret.
  std::string data_dir;
  // For presigned share links: the S3 API's region and port, and an optional public base URL
  // ("https://s3.example.com"). Empty: the console request's host name with s3_port.
  std::string region = "us-east-1";
  uint16_t s3_port = 8080;
  std::string s3_public_url;
  // Shown on the dashboard and the about page.
  std::string version;
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
  std::vector<ConfigEntry> config;
  // Network threads (0 = min(cores, 4)) and worker threads for engine calls.
  unsigned io_threads = 0;
  unsigned worker_threads = 8;
  // Set: HTTPS only on this port (see http::TlsOptions); session cookies are then Secure.
  std::optional<http::TlsOptions> tls;
  // Every finished console request, for metrics and the access log (network thread; must not
  // block). May be empty.
  std::function<void(const http::RequestRecord&)> on_complete;
};

// What the console reads from the rest of the process. Every member may be empty.
struct ConsoleHooks {
  // Request statistics of the whole server (S3 and console) for the dashboard.
  std::function<StatsSnapshot(uint32_t step_s)> stats;
  // Called for every finished console request (app/ feeds RequestStats with it).
  std::function<void(int status, std::chrono::microseconds latency, uint64_t bytes_in,
                     uint64_t bytes_out)>
      on_complete;
};

class ConsoleServer {
 public:
  // Binds and starts serving; returns once the socket listens. Busy when the address is in
  // use, InvalidArgument for a malformed address, IOError when the session secret cannot be
  // read or created. `engine` must outlive the server.
  static Result<std::unique_ptr<ConsoleServer>> Start(const ConsoleOptions& options,
                                                      engine::Engine& engine, ConsoleHooks hooks);
  virtual ~ConsoleServer() = default;
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // The bound TCP port.
  virtual uint16_t port() const = 0;
  // Graceful stop; idempotent.
  virtual void Stop() = 0;
  // Re-reads the TLS certificate and key for new connections (http::Server::ReloadTls).
  virtual Status ReloadTls() = 0;

 protected:
  ConsoleServer() = default;
};

}  // namespace maxiofs::console
