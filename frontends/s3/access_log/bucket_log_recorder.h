// BucketLogRecorder: makes the server access log records of requests on logged buckets
// (PutBucketLogging) and hands them to the engine, which buffers and delivers them
// (Engine::AppendAccessLog). A request is noted when it starts (what it asks), its answer when
// the service gives it (status, error code, version id, object size), and its record is
// finished when the server reports it complete (bytes sent, total time): one line per request.
// Requests on buckets without logging cost one in-memory lookup.
//
// Thread-safety: safe for concurrent use. One mutex guards the pending records; it is never
// held across anything but map operations. At most kMaxPending requests are pending at once
// (more are not logged), so memory stays bounded whatever clients do.
#pragma once

#include "access_log/log_record.h"
#include "auth/auth.h"
#include "http_types.h"
#include "router.h"

#include "maxiofs/engine/engine.h"
#include "maxiofs/http/server.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace maxiofs::s3 {

// What authentication learned about a request, for its record.
struct RequestFacts {
  std::string requester;  // canonical id (root), IAM ARN, or "" (anonymous)
  AuthScheme scheme = AuthScheme::kAnonymous;
};

class BucketLogRecorder {
 public:
  static constexpr size_t kMaxPending = 16384;

  // `engine` must outlive the recorder.
  explicit BucketLogRecorder(engine::Engine& engine) : engine_(engine) {}

  // True when requests on the route's bucket are logged (one in-memory lookup): only then
  // need the other calls be made.
  bool Wants(const Route& route) const {
    return !route.bucket.empty() && engine_.IsBucketLogged(route.bucket);
  }
  // Notes a request that was routed (and authenticated as `facts` say) when its bucket is
  // logged. Starting the same request id again replaces the note.
  void Begin(const HttpRequest& request, const Route& route, const RequestFacts& facts,
             std::string_view log_target, std::chrono::system_clock::time_point now);
  // The answer the service gave (or will give) the request.
  void Answered(std::string_view request_id, const Response& response);
  // The server finished the request: its record goes to the engine.
  void Complete(const http::RequestRecord& record);

  // Wraps a request body so its final answer is noted (Answered).
  std::unique_ptr<http::RequestBody> Watch(std::unique_ptr<http::RequestBody> body,
                                           std::string request_id);

 private:
  engine::Engine& engine_;
  std::mutex mu_;  // guards pending_; a leaf lock
  std::unordered_map<std::string, ServerAccessLogEntry> pending_;
  std::atomic<size_t> pending_count_{0};  // pending_.size(), read without the lock
};

}  // namespace maxiofs::s3
