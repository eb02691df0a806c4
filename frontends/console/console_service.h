// ConsoleService: the console's http::Service. For one request head it serves an embedded
// asset, or authenticates an API call (session cookie, then CSRF token and Origin for
// state-changing methods) and hands it to ConsoleApi. Every response gets the request id and
// the security headers; a session past half its life gets a renewed cookie.
//
// Thread-safety: safe for concurrent use; Start runs on worker threads.
#pragma once

#include "api.h"
#include "assets.h"
#include "sessions.h"

#include "maxiofs/console/console_server.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/http/service.h"

#include <span>

namespace maxiofs::console {

class ConsoleService final : public http::Service {
 public:
  // `options`, `hooks` and `engine` must outlive the service; `session_key` is the HMAC key.
  ConsoleService(engine::Engine& engine, const ConsoleOptions& options, const ConsoleHooks& hooks,
                 std::string session_key, std::span<const Asset> assets);

  http::StartedRequest Start(const http::HttpRequest& request,
                             std::chrono::system_clock::time_point now) override;
  http::Response ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                       const http::HttpRequest& request) const override;
  std::string LogTarget(const http::HttpRequest& request) const override;
  // X-Request-Id and the security headers every console response carries.
  void DecorateResponse(const http::HttpRequest& request, http::HeaderList& headers) const override;

 private:
  http::StartedRequest StartApi(const http::HttpRequest& request, const Target& target,
                                int64_t now_s);

  const ConsoleOptions& options_;
  std::span<const Asset> assets_;
  Sessions sessions_;
  LoginLimiter limiter_;
  ConsoleApi api_;
};

}  // namespace maxiofs::console
