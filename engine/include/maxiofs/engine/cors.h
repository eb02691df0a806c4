// Cross-origin resource sharing (CORS): a bucket's rules (S3's CORSConfiguration) and the one
// decision every front end asks for a browser's cross-origin request (Engine::MatchCors).
//
// Rules are evaluated in order; the first rule that matches the request's origin, method and
// (preflight) requested headers answers it. A bucket without rules of its own falls back to the
// server-wide default (EngineOptions::cors_allowed_origins). Matching and limits follow S3:
//  - AllowedOrigins and AllowedHeaders may hold one '*' each ("*", "https://*.example.com");
//    origins compare case-insensitively (ASCII), headers always case-insensitively.
//  - AllowedMethods are GET, PUT, POST, DELETE, HEAD (case-sensitive, as S3 spells them).
//  - ExposeHeaders never hold a wildcard; ID is at most 255 characters; at most 100 rules.
//
// Units: seconds. Thread-safety: plain values.
#pragma once

#include "maxiofs/common/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

inline constexpr size_t kMaxCorsRules = 100;
inline constexpr size_t kMaxCorsRuleIdLength = 255;
// Largest stored configuration: the sum of every string of every rule (bytes). S3 refuses
// CORS documents over 64 KiB; the strings of such a document stay under this.
inline constexpr size_t kMaxCorsConfigBytes = 64 * 1024;

struct CorsRule {
  std::string id;                            // optional; at most 255 characters
  std::vector<std::string> allowed_methods;  // at least one of GET PUT POST DELETE HEAD
  std::vector<std::string> allowed_origins;  // at least one
  std::vector<std::string> allowed_headers;  // matched against Access-Control-Request-Headers
  std::vector<std::string> expose_headers;   // sent as Access-Control-Expose-Headers
  std::optional<int32_t> max_age_seconds;    // sent as Access-Control-Max-Age; >= 0
  friend bool operator==(const CorsRule&, const CorsRule&) = default;
};

struct CorsConfiguration {
  std::vector<CorsRule> rules;  // 1..100
  friend bool operator==(const CorsConfiguration&, const CorsConfiguration&) = default;
};

// One cross-origin request as the browser sent it. The views must stay valid for the call.
struct CorsRequest {
  // "" for requests that name no bucket (ListBuckets, the IAM API): only the server-wide
  // default applies to them. A bucket that does not exist is treated as one without rules.
  std::string_view bucket;
  std::string_view origin;  // the Origin header
  // The method to match: a preflight's Access-Control-Request-Method; for an actual request
  // that header when it was sent, else the request's own method.
  std::string_view method;
  // Preflight: the Access-Control-Request-Headers value (a comma-separated list, "" for
  // none); every listed header must be allowed by the rule. Ignored for actual requests.
  std::string_view request_headers;
  bool preflight = false;
};

// The answer. Never an error: a request that matches nothing is answered without CORS headers
// (actual requests) or refused (preflights) by the front end.
struct CorsMatch {
  // The bucket has CORS rules (its own or the server-wide default): responses then vary by
  // Origin (Vary: Origin), matched or not.
  bool configured = false;
  bool matched = false;
  // When matched:
  bool any_origin = false;     // the matching AllowedOrigin is "*": answer Allow-Origin "*"
                               // (and no Allow-Credentials); else echo the request's origin
  std::string allow_methods;   // "GET, PUT": the rule's methods
  std::string allow_headers;   // preflight: the requested headers, lower-case, ", "-joined
  std::string expose_headers;  // "ETag, x-amz-request-id": the rule's ExposeHeaders
  std::optional<int32_t> max_age_seconds;
};

// OK, or InvalidRequest / InvalidArgument naming the rule (by number from 1 and ID) and what is
// wrong: no rules or over 100, a rule without methods or origins, an unknown method, a second
// '*' in an origin or header, a wildcard in an ExposeHeader, characters not allowed in an
// HTTP header, an ID over 255 characters, a negative MaxAgeSeconds, over kMaxCorsConfigBytes.
// Engine::PutBucketCors runs it; front ends may run it to check a document early.
Status ValidateCorsConfiguration(const CorsConfiguration& config);

}  // namespace maxiofs::engine
