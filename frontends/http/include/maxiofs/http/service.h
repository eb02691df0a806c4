// Service: what the HTTP server (server.h) serves. A service turns one request head into a
// response, or into a RequestBody that takes the request body chunk by chunk and then gives
// the response. Beast-free: the S3 API and the console implement it without network code.
//
// Thread-safety: every method may be called from several worker pool threads at once.
#pragma once

#include "maxiofs/http/types.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::http {

// Takes one request body as it arrives. Called on worker pool threads, one call at a time;
// destroyed on a worker pool thread. Destroying it before Finish abandons the request: it must
// then leave no trace (no partial object).
class RequestBody {
 public:
  virtual ~RequestBody() = default;
  // The next raw body bytes (bounded chunks, at most 1 MiB). Returns a
  // response when the request must end now: the server sends it and reads no more.
  virtual std::optional<Response> Feed(std::string_view raw) = 0;
  // The whole body was fed: the final response.
  virtual Response Finish() = 0;
};

struct StartedRequest {
  Response response;                  // the answer when body is null
  std::unique_ptr<RequestBody> body;  // non-null: stream the request body into it, then Finish
  std::string user;                   // authenticated identity (for logs and metrics), or empty
  std::string operation;              // e.g. "PutObject" (for logs and metrics)
  // The service accepted an empty body (e.g. a zero-length PUT): a client that sent
  // "Expect: 100-continue" gets "100 Continue" before `response`, as S3 answers (botocore 1.29
  // otherwise misreads the next response on the kept-alive connection). A request whose body
  // is empty (Content-Length: 0) gets it before any answer, errors included.
  bool accepted_empty_body = false;
};

// Failures the server detects itself, before or outside the service.
enum class ProtocolError {
  kHeaderTooLarge,    // header section over the limit, or too many fields
  kMalformedRequest,  // the request head could not be parsed
  kIncompleteBody,    // the body framing is broken
  kInternal,          // the service threw, or a streamed body failed before anything was sent
};

class Service {
 public:
  virtual ~Service() = default;

  // Runs on a worker pool thread (it may block on disk).
  virtual StartedRequest Start(const HttpRequest& request,
                               std::chrono::system_clock::time_point now) = 0;
  // For GET and HEAD: runs first, on a network thread, inside a NoWaitScope
  // (maxiofs/common/no_wait.h). Returns what Start would for the requests the service chooses
  // to answer this way, or nullopt to have Start run on the read pool. When the scope reports
  // that a read would have waited, the server discards the answer and calls Start on the
  // pool, so an answer must have had no effect beyond itself. Default: nullopt.
  virtual std::optional<StartedRequest> TryStartWithoutWaiting(
      const HttpRequest& request, std::chrono::system_clock::time_point now) {
    (void)request;
    (void)now;
    return std::nullopt;
  }
  // The response for a protocol failure, in the service's own error language.
  virtual Response ProtocolErrorResponse(ProtocolError error, std::string message,
                                         const HttpRequest& request) const = 0;
  // The request target as it may appear in logs (no credentials).
  virtual std::string LogTarget(const HttpRequest& request) const = 0;
  // Adds headers every response of this service carries (e.g. a request-id header); called
  // for every response, including protocol errors, on the network thread. Must not block.
  virtual void DecorateResponse(const HttpRequest& request, HeaderList& headers) const {
    (void)request;
    (void)headers;
  }
};

}  // namespace maxiofs::http
