#include "console_service.h"

#include "crypto_util.h"

namespace maxiofs::console {
namespace {

constexpr std::string_view kApiPrefix = "/api/v1/";

// Adds `extra` headers (a renewed session cookie) to the responses a request body produces.
class ExtraHeadersBody final : public http::RequestBody {
 public:
  ExtraHeadersBody(std::unique_ptr<http::RequestBody> inner, http::HeaderList extra)
      : inner_(std::move(inner)), extra_(std::move(extra)) {}

  std::optional<http::Response> Feed(std::string_view raw) override {
    auto r = inner_->Feed(raw);
    if (r) Apply(*r);
    return r;
  }
  http::Response Finish() override {
    http::Response r = inner_->Finish();
    Apply(r);
    return r;
  }

 private:
  void Apply(http::Response& r) const {
    for (const auto& h : extra_) r.headers.push_back(h);
  }
  std::unique_ptr<http::RequestBody> inner_;
  http::HeaderList extra_;
};

std::vector<std::string> SplitSegments(std::string_view rest) {
  std::vector<std::string> out;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    out.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (!out.empty() && out.back().empty()) out.pop_back();  // a trailing slash
  return out;
}

// A request from another origin (a page elsewhere posting to the console) is refused even
// before the CSRF token is checked. Browsers send Origin on every cross-origin POST/PUT/DELETE.
bool SameOrigin(const http::HttpRequest& request) {
  auto origin = request.Header("origin");
  if (!origin) return true;
  auto host = request.Header("host");
  if (!host) return false;
  const size_t scheme = origin->find("://");
  if (scheme == std::string_view::npos) return false;
  return origin->substr(scheme + 3) == *host;
}

}  // namespace

ConsoleService::ConsoleService(engine::Engine& engine, const ConsoleOptions& options,
                               const ConsoleHooks& hooks, std::string session_key,
                               std::span<const Asset> assets)
    : options_(options),
      assets_(assets),
      sessions_(std::move(session_key), static_cast<int64_t>(options.session_ttl_s)),
      limiter_(options.login_attempts_per_minute),
      api_(engine, options, hooks, sessions_, limiter_) {}

http::StartedRequest ConsoleService::Start(const http::HttpRequest& request,
                                           std::chrono::system_clock::time_point now) {
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  http::StartedRequest started;
  http::HeaderList extra;
  auto target = ParseTarget(request.target);
  if (!target) {
    started.response = JsonError(400, "InvalidURI", "The request target is not a valid path.");
  } else if (target->path.starts_with("/api/") || target->path == "/api") {
    started = StartApi(request, *target, now_s);
  } else if (request.method != "GET" && request.method != "HEAD") {
    started.response = JsonError(405, "MethodNotAllowed", "Only GET and HEAD serve the app.");
    started.response.AddHeader("Allow", "GET, HEAD");
  } else if (const Asset* asset = FindAsset(assets_, target->path)) {
    started.operation = "Asset";
    started.response = AssetResponse(*asset, request, request.method == "HEAD");
  } else {
    started.response.status = 404;
    started.response.AddHeader("Content-Type", "text/plain; charset=utf-8");
    started.response.body = "Not found\n";
  }
  if (started.body) {
    // Headers StartApi wants on the final response travel in started.response.headers.
    for (const auto& h : started.response.headers) {
      if (h.first == "Set-Cookie") extra.push_back(h);
    }
    if (!extra.empty()) {
      started.body = std::make_unique<ExtraHeadersBody>(std::move(started.body), std::move(extra));
    }
  }
  return started;
}

http::StartedRequest ConsoleService::StartApi(const http::HttpRequest& request,
                                              const Target& target, int64_t now_s) {
  if (!target.path.starts_with(kApiPrefix)) {
    return Started(JsonError(404, "NoSuchRoute", "The API lives under /api/v1/."));
  }
  ApiCall call{
      request, target, SplitSegments(std::string_view(target.path).substr(kApiPrefix.size())),
      nullptr, now_s,  Caller{}};
  const bool safe_method = request.method == "GET" || request.method == "HEAD";
  if (!safe_method && !SameOrigin(request)) {
    return Started(JsonError(403, "CrossOriginRequest", "Cross-origin requests are refused."));
  }
  if (call.segments.size() == 2 && call.segments[0] == "auth" && call.segments[1] == "login") {
    return api_.Dispatch(call);
  }
  const auto cookie = GetCookie(request, "maxiofs_session");
  if (!cookie) {
    return Started(JsonError(401, "Unauthenticated", "Log in first."));
  }
  auto claims = sessions_.Verify(*cookie, now_s);
  if (!claims.has_value()) {
    http::Response r = JsonError(401, "Unauthenticated", claims.error().message());
    r.AddHeader("Set-Cookie", SetCookie("maxiofs_session", "", 0, true, request.tls));
    return Started(std::move(r));
  }
  // Who the session is, checked again on every call: a disabled or deleted user is out at once.
  auto caller = api_.SessionCaller(*claims, request);
  if (!caller.has_value()) {
    if (caller.error().code() != Status::Code::kAccessDenied) {
      return Started(StatusError(caller.error()));
    }
    http::Response r = JsonError(401, "Unauthenticated", caller.error().message());
    r.AddHeader("Set-Cookie", SetCookie("maxiofs_session", "", 0, true, request.tls));
    return Started(std::move(r));
  }
  call.caller = std::move(caller).value();
  if (!safe_method) {
    auto token = request.Header("x-csrf-token");
    if (!token || !ConstantTimeEquals(*token, claims->csrf)) {
      return Started(JsonError(403, "InvalidCsrfToken",
                               "State-changing calls need the session's X-CSRF-Token header."));
    }
  }
  call.session = &*claims;
  http::StartedRequest started = api_.Dispatch(call);
  started.user = claims->subject;
  const bool logging_out = call.segments.size() == 2 && call.segments[1] == "logout";
  if (!logging_out && sessions_.ShouldRenew(*claims, now_s)) {
    SessionClaims renewed = *claims;
    renewed.issued_at = now_s;
    renewed.expires_at = now_s + sessions_.ttl_s();
    started.response.AddHeader("Set-Cookie", api_.SessionCookie(renewed, request.tls));
  }
  return started;
}

http::Response ConsoleService::ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                                     const http::HttpRequest& request) const {
  int status = 400;
  std::string_view code = "BadRequest";
  switch (error) {
    case http::ProtocolError::kHeaderTooLarge:
      status = 431;
      code = "HeaderTooLarge";
      break;
    case http::ProtocolError::kMalformedRequest:
      code = "MalformedRequest";
      break;
    case http::ProtocolError::kIncompleteBody:
      code = "IncompleteBody";
      break;
    case http::ProtocolError::kInternal:
      status = 500;
      code = "InternalError";
      break;
  }
  (void)request;
  http::Response r = JsonError(status, code, message);
  r.close = true;
  return r;
}

void ConsoleService::DecorateResponse(const http::HttpRequest& request,
                                      http::HeaderList& headers) const {
  headers.emplace_back("X-Request-Id", request.request_id);
  headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
  for (const auto& [name, value] : headers) {
    if (name == "X-Content-Type-Options") return;
  }
  headers.emplace_back("X-Content-Type-Options", "nosniff");
}

std::string ConsoleService::LogTarget(const http::HttpRequest& request) const {
  return request.target;
}

}  // namespace maxiofs::console
