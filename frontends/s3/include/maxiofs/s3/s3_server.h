// S3Server: the S3 HTTP API over an Engine. The only header of frontends/s3 that anything
// outside it (app/) may include.
//
// Thread-safety: Start and Stop are called from the owning thread (app/); the server runs its
// own network threads and a bounded engine worker pool.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/http/server.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace maxiofs::s3 {

struct S3Options {
  // "host:port" or ":port" (all interfaces). Port 0 picks a free port (see S3Server::port()).
  std::string listen = ":8080";
  // The root access key (whom anonymous requests act as under anonymous_as_root). Credentials
  // themselves (root's included) are the engine's (EngineOptions::iam, Engine::iam()).
  std::string access_key = "maxioadmin";
  // The account's DisplayName in Owner elements and ACLs (auth.account_display_name); empty:
  // left out, as AWS does. The owner's ID is always engine::kCanonicalUserId.
  std::string owner_display_name = "maxiofs";
  std::string region = "us-east-1";
  // Base domains for virtual-host-style addressing: a Host of "<bucket>.<domain>" addresses
  // <bucket>. Empty: path-style only.
  std::vector<std::string> virtual_host_domains;
  // Network threads; 0 = min(cores, 4).
  unsigned io_threads = 0;
  // Threads running engine calls (disk I/O); bounded so slow disks never block the network.
  // Requests that write use engine_threads (many, for group commit); GET and HEAD use
  // read_threads (few, fewer context switches). See http::ServerOptions.
  unsigned engine_threads = 16;
  unsigned read_threads = 4;
  // Most connections open at once; further ones are closed at accept.
  unsigned max_connections = 4096;
  // Seconds a connection may be idle or a request header may take to arrive.
  unsigned idle_timeout_s = 60;
  // Called for every finished request (network thread; must not block). May be empty.
  std::function<void(const http::RequestRecord&)> on_complete;
  // Accept SSE-C requests over plain HTTP (storage.encryption.allow_insecure_sse_c).
  bool allow_insecure_sse_c = false;
  // Serve requests that carry no credentials as root (auth.enabled: false). Signed requests
  // are still verified and act as their signer. Default false: anonymous requests get only
  // what bucket policies and ACLs grant everyone.
  bool anonymous_as_root = false;
  // Set: HTTPS only on this port (see http::TlsOptions).
  std::optional<http::TlsOptions> tls;
  // Answers requests for the reserved /_maxiofs/ paths before the S3 API does (app/ serves
  // metrics and its own readiness there): a response, or nullopt to let the S3 API answer.
  // Called on worker threads for every request whose path starts with /_maxiofs/; no
  // authentication is done for such answers. May be empty.
  std::function<std::optional<http::Response>(const http::HttpRequest&)> reserved_paths;
  // Called when a request head has been read, before it is served (for in-flight counts;
  // on_complete follows for the same request_id), on a worker thread or, for a read answered
  // without waiting, a network thread; must not block. It may be called twice for one
  // request_id (a read first tried without waiting, then redone on the pool). May be empty.
  std::function<void(const http::HttpRequest&)> on_start;
};

class S3Server {
 public:
  // Binds and starts serving; returns once the socket listens. Busy when the address is in
  // use, InvalidArgument for a malformed address. `engine` must outlive the server.
  static Result<std::unique_ptr<S3Server>> Start(const S3Options& options, engine::Engine& engine);
  virtual ~S3Server() = default;
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  // The bound TCP port.
  virtual uint16_t port() const = 0;
  // Graceful stop: stops accepting, lets in-flight requests finish (bounded wait), closes
  // idle connections, joins every thread. Idempotent.
  virtual void Stop() = 0;
  // Re-reads the TLS certificate and key for new connections (http::Server::ReloadTls).
  virtual Status ReloadTls() = 0;

 protected:
  S3Server() = default;
};

}  // namespace maxiofs::s3
