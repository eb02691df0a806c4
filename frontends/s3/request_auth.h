// Authentication of requests on the S3 port against the engine's credentials: one path for
// the S3 API (s3_service.cc) and the IAM/STS query API (iam_api/iam_query.cc).
#pragma once

#include "auth/auth.h"
#include "http_types.h"
#include "router.h"
#include "s3_error.h"

#include "maxiofs/engine/engine.h"

#include <chrono>
#include <optional>
#include <string_view>

namespace maxiofs::s3 {

// The AuthRequest for a routed request (the virtual-host bucket included). It points into
// `request` and `route`, which must outlive it.
AuthRequest MakeAuthRequest(const HttpRequest& request, const Route& route,
                            std::chrono::system_clock::time_point now, std::string_view region);

struct Authenticated {
  AuthResult auth;
  std::optional<engine::Credential> credential;  // set exactly when !auth.anonymous
};

// Verifies the request's signature with the engine's credentials (Iam::LookupCredential at
// ar.now) and, for a signed request, its session token (InvalidToken when a temporary
// credential comes without its token or a long-term one with a token). Thread-safe.
S3Result<Authenticated> AuthenticateWithEngine(const AuthRequest& ar, engine::Engine& engine);

}  // namespace maxiofs::s3
