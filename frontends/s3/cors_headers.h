// CORS in the S3 API: the preflight answer (OPTIONS, unauthenticated, as S3) and the
// Access-Control-* headers of actual cross-origin requests (errors included). Which rule
// answers is the engine's decision (Engine::MatchCors); this file only translates the request
// into a CorsRequest and the CorsMatch into headers. Beast-free; thread-safe.
#pragma once

#include "http_types.h"
#include "router.h"

#include "maxiofs/engine/engine.h"

#include <string_view>

namespace maxiofs::s3 {

// The answer to a preflight (route.op == kCorsPreflight):
//  - 400 BadRequest without an Origin or an Access-Control-Request-Method header, or with a
//    method CORS rules cannot allow;
//  - 403 AccessForbidden "CORSResponse: CORS is not enabled for this bucket." when neither the
//    bucket nor the server has rules, "CORSResponse: This CORS request is not allowed. ..."
//    when no rule matches;
//  - 200 with Access-Control-Allow-Origin/-Methods/-Headers/-Expose-Headers/-Max-Age/
//    -Allow-Credentials and Vary when one does.
Response CorsPreflightResponse(engine::Engine& engine, const HttpRequest& request,
                               const Route& route);

// Appends the Access-Control-* and Vary headers an actual request's response carries: nothing
// when it has no Origin header (or is a preflight or a health check); Vary alone when the
// bucket has rules but none matches. Reads only memory (Engine::MatchCors).
void AddActualCorsHeaders(engine::Engine& engine, const HttpRequest& request, const Route& route,
                          HeaderList& headers);

}  // namespace maxiofs::s3
