// HttpClient: outgoing HTTP/1.1 over libcurl (Debian's libcurl4-openssl-dev) for the remote
// blob stores and the S3 client: pooled keep-alive connections, TLS with the system's CA store
// or a given CA file, a connect timeout, a whole-request timeout for exchanges held in memory
// and a stall timeout for streamed bodies. Beast-free, so the clients stay out of the
// translation units that expand Beast's templates.
//
// Errors: a transport failure (refused or reset connection, timeout, TLS failure) is
// Unavailable with libcurl's message; an HTTP error status is a response like any other (the
// caller decides). Retries are the caller's (the S3 client retries; see s3_client.h).
//
// Thread-safety: HttpClient is safe for concurrent use. A ResponseStream is not thread-safe:
// one owner at a time; it may outlive nothing but the client that opened it.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::httpc {

struct HttpClientOptions {
  // PEM file of the CA certificates to trust for https; empty: the system's store.
  std::string ca_file;
  // Connecting (TCP and TLS handshake), in ms. Default 5000.
  uint32_t connect_timeout_ms = 5000;
  // A whole exchange made with Send (head and body), in ms. Default 30000.
  uint32_t request_timeout_ms = 30000;
  // A transfer (either direction) that moves no byte for this long fails, in seconds; this is
  // what bounds a streamed body. Default 30.
  uint32_t stall_timeout_s = 30;
  // Idle connections kept for reuse (per client). Default 64.
  size_t max_idle_connections = 64;
};

// The body of a request: bytes in memory, or a range of an open file (read with pread). It is
// borrowed: the bytes (or the file, unchanged) must stay valid until the call returns.
struct RequestBody {
  std::string_view bytes;
  int fd = -1;  // >= 0: send `length` bytes of this file from `offset`
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t size() const { return fd >= 0 ? length : bytes.size(); }
};

struct Request {
  std::string method;  // "GET", "PUT", "POST", "DELETE", "HEAD"
  std::string url;     // absolute, already percent-encoded: scheme://host[:port]/path[?query]
  std::vector<std::pair<std::string, std::string>> headers;
  RequestBody body;
};

using Headers = std::vector<std::pair<std::string, std::string>>;  // names lower-case

// The value of header `name` (lower-case), "" when absent.
std::string_view FindHeader(const Headers& headers, std::string_view name);

struct Response {
  int status = 0;
  Headers headers;
  std::string body;
};

// A response whose body is read in pieces, as it arrives (at most about 1 MiB is buffered).
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  virtual int status() const = 0;
  virtual const Headers& headers() const = 0;
  // Reads up to out.size() bytes of the body; 0 at its end. Unavailable when the transfer
  // fails (the stream is then dead).
  virtual Result<size_t> Read(std::span<char> out) = 0;

 protected:
  ResponseStream() = default;
};

class HttpClient {
 public:
  // InvalidArgument when the CA file cannot be read.
  static Result<std::unique_ptr<HttpClient>> Make(const HttpClientOptions& options);
  virtual ~HttpClient() = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `req` and reads the whole response. A body longer than `max_body` bytes fails the
  // call (Unavailable, as if cut off); a HEAD response has none.
  virtual Result<Response> Send(const Request& req, size_t max_body = 1 << 20) = 0;
  // Sends `req` and returns once the response head has arrived; its body is read from the
  // stream (dropping the stream early closes the connection).
  virtual Result<std::unique_ptr<ResponseStream>> Open(const Request& req) = 0;

 protected:
  HttpClient() = default;
};

}  // namespace maxiofs::httpc
