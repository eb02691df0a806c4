// Server: an HTTP/1.1 server for one Service on one listen address (Boost.Beast, after Beast's
// advanced server example). Keep-alive, Expect: 100-continue, chunked bodies, request and
// response bodies streamed in bounded chunks, header size/count limits, idle and I/O timeouts,
// a connection limit, and a bounded worker pool that runs every service call so slow disks
// never block the network threads. The only header of frontends/http that anything outside
// it includes, together with types.h and service.h.
//
// Thread-safety: Start and Stop are called from the owning thread; the server runs its own
// network threads and worker pool.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/http/service.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::http {

// One finished request, for access logs and metrics. The views are valid during the call only.
struct RequestRecord {
  std::string_view server;  // ServerOptions::name
  std::string_view request_id;
  std::string_view remote;     // "ip:port"
  std::string_view user;       // StartedRequest::user, or empty
  std::string_view operation;  // StartedRequest::operation, or empty
  std::string_view method;
  std::string_view target;               // Service::LogTarget
  int status = 0;                        // 0: no response could be sent (client gone, broken body)
  uint64_t bytes_in = 0;                 // request body bytes read
  uint64_t bytes_out = 0;                // response body bytes written
  std::chrono::microseconds latency{0};  // from the end of the request head to the last byte
  std::string_view note;                 // why the request ended abnormally, or empty
};

// HTTPS for a server: PEM files read at Start and again at each ReloadTls.
struct TlsOptions {
  std::string cert_file;  // certificate chain, server certificate first
  std::string key_file;   // private key, unencrypted
  // Lowest TLS version accepted, "1.2" or "1.3"; older versions are always refused.
  std::string min_version = "1.2";
};

struct ServerOptions {
  // Names the server in logs and records ("s3", "console"); its spdlog logger when registered.
  std::string name = "http";
  // "host:port", ":port" (all interfaces) or "[v6]:port". Port 0 picks a free port.
  std::string listen = ":8080";
  // Network threads; 0 = min(cores, 4).
  unsigned io_threads = 0;
  // Threads running service calls for requests that write (PUT, POST, DELETE, ...): many, so
  // that concurrent durable commits can share one fsync (LevelDB groups waiting writers).
  unsigned worker_threads = 16;
  // Threads running GET and HEAD requests (and streaming their bodies): few, since reads
  // rarely wait and every idle thread woken for a small request costs a context switch.
  unsigned read_threads = 4;
  // Most connections open at once; further ones are closed at accept.
  unsigned max_connections = 4096;
  // Seconds a connection may be idle, a request head may take, and each read or write may take.
  unsigned idle_timeout_s = 60;
  // Bytes that request bodies may hold at once in chunks larger than 256 KiB (up to 1 MiB each,
  // one trip to the pool per chunk); past it, further bodies use 256 KiB chunks. Bounds the
  // memory of many concurrent uploads.
  size_t body_chunk_budget = 256u * 1024 * 1024;
  // Called for every finished request (on a network thread; must not block). May be empty.
  std::function<void(const RequestRecord&)> on_complete;
  // Set: every connection is TLS (no plain HTTP on this port); HttpRequest::tls is true.
  std::optional<TlsOptions> tls;
};

class Server {
 public:
  // Binds and starts serving; returns once the socket listens. Busy when the address is in
  // use, InvalidArgument for a malformed address. `service` must outlive the server.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Service& service);
  virtual ~Server() = default;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound TCP port.
  virtual uint16_t port() const = 0;
  // Graceful stop: stops accepting, lets in-flight requests finish (bounded wait), closes idle
  // connections, joins every thread. Idempotent.
  virtual void Stop() = 0;
  // Re-reads the TLS certificate and key: connections accepted afterwards use them, open
  // ones keep theirs. On error (unreadable or mismatched files) the old ones stay in use and
  // the error is returned. OK and nothing done when the server has no TLS. Thread-safe.
  virtual Status ReloadTls() = 0;

 protected:
  Server() = default;
};

}  // namespace maxiofs::http
