// The Beast-free vocabulary between the HTTP server (frontends/http) and the services behind it
// (the S3 API, the console): a parsed request head (HttpRequest) and a response (Response) whose
// body is either a small string or a streamed BodySource. Services and their tests use only
// these types; no Beast or Asio header is needed to implement a service.
#pragma once

#include "maxiofs/common/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::http {

// Header fields: lower-case names, values as received; a name may repeat.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One request's head, as the session parsed it. Owns its strings.
struct HttpRequest {
  std::string method;  // "GET", "PUT", ... (upper-case as received)
  std::string target;  // request-target as received: percent-encoded path and query
  HeaderList headers;
  std::string remote;      // "ip:port" of the peer, for logs
  std::string request_id;  // unique per server run (16 upper-case hex digits)
  // Body framing as HTTP declared it: Content-Length when present; chunked when
  // Transfer-Encoding: chunked (then content_length is unset).
  std::optional<uint64_t> content_length;
  bool chunked = false;
  // The connection is TLS (https). Services use it for rules such as SSE-C requiring TLS.
  bool tls = false;

  // The first value of header `name` (lower-case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // How many times header `name` (lower-case) occurs.
  int HeaderCount(std::string_view name) const;
  // True when the request has a body to read (a length > 0 or chunked).
  bool has_body() const { return chunked || (content_length && *content_length > 0); }
};

// A streamed response body (e.g. an object being read). Called from worker pool threads, one
// call at a time. Not thread-safe. Destroyed on a worker pool thread (it may close files).
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Fills `out` with the next bytes; returns how many, 0 at the end.
  virtual Result<size_t> Read(std::span<char> out) = 0;
  // True when Read honours a NoWaitScope (maxiofs/common/no_wait.h): inside one it answers
  // WouldBlock instead of waiting for the disk, and a refused Read changes nothing. The server
  // then reads such a source on the network thread first and uses the pool only when a read
  // would wait. Default false: always read on the pool.
  virtual bool reads_without_waiting() const { return false; }
};

struct Response {
  int status = 200;
  HeaderList headers;  // names as they should appear on the wire
  // The body when `source` is null. Sent with Content-Length: body.size() unless
  // `content_length` is set (HEAD).
  std::string body;
  // A streamed body of exactly *content_length bytes.
  std::unique_ptr<BodySource> source;
  // The Content-Length to announce; unset: body.size() (no header for 204 and 304).
  std::optional<uint64_t> content_length;
  // HEAD: send the header section only, still announcing content_length.
  bool head = false;
  // Close the connection after this response.
  bool close = false;

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace maxiofs::http
