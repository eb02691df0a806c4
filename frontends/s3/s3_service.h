// S3Service: the Beast-free front door of the S3 API. For one request head it routes,
// authenticates (except health checks), and starts the handler; the session then streams the
// body (if any) through the returned RequestBody and sends the Response.
//
// Thread-safety: safe for concurrent use; Start runs on engine pool threads (it may block on
// disk). The Engine must outlive the service.
#pragma once

#include "handlers/handler.h"
#include "http_types.h"
#include "request_body.h"

#include "maxiofs/engine/engine.h"

#include <chrono>
#include <memory>
#include <string>

namespace maxiofs::s3 {

struct StartedRequest {
  Response response;                  // the answer when body is null
  std::unique_ptr<RequestBody> body;  // non-null: stream the request body into it, then Finish
  std::string access_key;             // authenticated access key (for the log), or empty
  std::string operation;              // e.g. "PutObject" (for the log)
  // The handler accepted an empty body (e.g. a zero-length PUT): a client that sent
  // "Expect: 100-continue" gets "100 Continue" before `response`, as S3 answers (botocore 1.29
  // otherwise misreads the next response on the kept-alive connection).
  bool accepted_empty_body = false;
};

class S3Service {
 public:
  S3Service(engine::Engine& engine, ServiceOptions options);
  S3Service(const S3Service&) = delete;
  S3Service& operator=(const S3Service&) = delete;

  StartedRequest Start(const HttpRequest& request, std::chrono::system_clock::time_point now) const;

  // The request target safe for logs: the path, plus the query unless it carries credentials
  // (presigned URLs), so signatures never reach a log.
  static std::string LogTarget(const HttpRequest& request);

  const ServiceOptions& options() const { return options_; }

 private:
  engine::Engine& engine_;
  ServiceOptions options_;
};

}  // namespace maxiofs::s3
