// S3Service: the S3 API as an http::Service. For one request head it routes, authenticates
// (except health checks), and starts the handler; the HTTP server then streams the body (if
// any) through the returned RequestBody and sends the Response.
//
// Thread-safety: safe for concurrent use; Start runs on engine pool threads (it may block on
// disk). The Engine must outlive the service.
#pragma once

#include "access_log/bucket_log_recorder.h"
#include "auth/signing_key_cache.h"
#include "handlers/handler.h"
#include "http_types.h"
#include "request_body.h"
#include "router.h"

#include "maxiofs/engine/engine.h"

#include <chrono>
#include <memory>
#include <string>

namespace maxiofs::s3 {

using http::StartedRequest;

class S3Service final : public http::Service {
 public:
  S3Service(engine::Engine& engine, ServiceOptions options);
  S3Service(const S3Service&) = delete;
  S3Service& operator=(const S3Service&) = delete;

  // StartedRequest::user is the authenticated access key.
  StartedRequest Start(const HttpRequest& request,
                       std::chrono::system_clock::time_point now) override;
  // GetObject and HeadObject only (the object reads whose data is often cached; nothing they
  // do writes): Start. Every other request: nullopt.
  std::optional<StartedRequest> TryStartWithoutWaiting(
      const HttpRequest& request, std::chrono::system_clock::time_point now) override;
  // S3's XML error for the failure (RequestHeaderSectionTooLarge, InvalidRequest,
  // IncompleteBody, InternalError).
  Response ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                 const HttpRequest& request) const override;
  // The request target safe for logs: the path, plus the query unless it carries credentials
  // (presigned URLs), so signatures never reach a log.
  std::string LogTarget(const HttpRequest& request) const override;
  // x-amz-request-id and x-amz-id-2.
  void DecorateResponse(const HttpRequest& request, HeaderList& headers) const override;

  const ServiceOptions& options() const { return options_; }

  // The server finished a request (ServerOptions::on_complete): the server access log record
  // of a request on a logged bucket goes to the engine. Never blocks.
  void OnComplete(const http::RequestRecord& record) { bucket_logs_.Complete(record); }

 private:
  // Start after routing: auth, authorization, dispatch (no CORS headers yet). Fills `facts`
  // once the request is authenticated.
  StartedRequest StartRouted(const HttpRequest& request, const Route& route,
                             std::chrono::system_clock::time_point now, RequestFacts& facts);

  engine::Engine& engine_;
  ServiceOptions options_;
  auth::SigningKeyCache signing_keys_;
  BucketLogRecorder bucket_logs_{engine_};
};

}  // namespace maxiofs::s3
