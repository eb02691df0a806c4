#include "cors_headers.h"

#include "headers.h"
#include "responses.h"

#include <string>

namespace maxiofs::s3 {
namespace {

constexpr std::string_view kPreflightVary =
    "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

bool IsCorsMethod(std::string_view m) {
  return m == "GET" || m == "PUT" || m == "POST" || m == "DELETE" || m == "HEAD";
}

// The headers of a matching rule's answer.
void AddMatchHeaders(const engine::CorsMatch& m, std::string_view origin, HeaderList& headers) {
  headers.emplace_back("Access-Control-Allow-Origin", m.any_origin ? "*" : std::string(origin));
  headers.emplace_back("Access-Control-Allow-Methods", m.allow_methods);
  if (!m.any_origin) headers.emplace_back("Access-Control-Allow-Credentials", "true");
  if (!m.expose_headers.empty()) {
    headers.emplace_back("Access-Control-Expose-Headers", m.expose_headers);
  }
  if (m.max_age_seconds) {
    headers.emplace_back("Access-Control-Max-Age", std::to_string(*m.max_age_seconds));
  }
}

Response Refuse(S3ErrorCode code, std::string message, const HttpRequest& request,
                const Route& route) {
  Response r = MakeErrorResponse(S3Error{code, std::move(message)}, route.Resource(),
                                 request.request_id, false);
  r.AddHeader("Vary", std::string(kPreflightVary));
  return r;
}

}  // namespace

Response CorsPreflightResponse(engine::Engine& engine, const HttpRequest& request,
                               const Route& route) {
  auto origin = request.Header("origin");
  if (!origin || TrimOws(*origin).empty()) {
    return Refuse(S3ErrorCode::kBadRequest,
                  "Insufficient information. Origin request header needed.", request, route);
  }
  auto method = request.Header("access-control-request-method");
  if (!method || TrimOws(*method).empty()) {
    return Refuse(S3ErrorCode::kBadRequest,
                  "Insufficient information. Access-Control-Request-Method header needed.", request,
                  route);
  }
  std::string_view m = TrimOws(*method);
  if (!IsCorsMethod(m)) {
    return Refuse(S3ErrorCode::kBadRequest,
                  "Invalid Access-Control-Request-Method: " + std::string(m), request, route);
  }
  engine::CorsRequest q;
  q.bucket = route.bucket;
  q.origin = TrimOws(*origin);
  q.method = m;
  q.request_headers = request.Header("access-control-request-headers").value_or("");
  q.preflight = true;
  engine::CorsMatch match = engine.MatchCors(q);
  if (!match.configured) {
    return Refuse(S3ErrorCode::kAccessForbidden,
                  "CORSResponse: CORS is not enabled for this bucket.", request, route);
  }
  if (!match.matched) {
    return Refuse(S3ErrorCode::kAccessForbidden,
                  "CORSResponse: This CORS request is not allowed. This is usually because the "
                  "evalution of Origin, request method / Access-Control-Request-Method or "
                  "Access-Control-Request-Headers are not whitelisted by the resource's CORS "
                  "spec.",
                  request, route);
  }
  Response r;
  AddMatchHeaders(match, q.origin, r.headers);
  if (!match.allow_headers.empty()) {
    r.AddHeader("Access-Control-Allow-Headers", match.allow_headers);
  }
  r.AddHeader("Vary", std::string(kPreflightVary));
  return r;
}

void AddActualCorsHeaders(engine::Engine& engine, const HttpRequest& request, const Route& route,
                          HeaderList& headers) {
  if (route.op == S3Op::kCorsPreflight || route.op == S3Op::kHealthLive ||
      route.op == S3Op::kHealthReady) {
    return;
  }
  auto origin = request.Header("origin");
  if (!origin) return;
  std::string_view o = TrimOws(*origin);
  if (o.empty()) return;
  engine::CorsRequest q;
  q.bucket = route.bucket;
  q.origin = o;
  // As S3 (and Ceph's tests) do: a request that names Access-Control-Request-Method is matched
  // for that method.
  auto asked = request.Header("access-control-request-method");
  q.method = asked ? TrimOws(*asked) : std::string_view(request.method);
  engine::CorsMatch match = engine.MatchCors(q);
  if (!match.configured) return;
  if (match.matched) AddMatchHeaders(match, o, headers);
  headers.emplace_back("Vary", std::string(kPreflightVary));
}

}  // namespace maxiofs::s3
