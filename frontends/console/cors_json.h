// The JSON shape of a bucket's CORS rules in the console API (the S3 CORSConfiguration with the
// console's camelCase names):
//   {"rules": [{"id": "web", "allowedMethods": ["GET"], "allowedOrigins": ["https://a.example"],
//               "allowedHeaders": ["*"], "exposeHeaders": ["ETag"], "maxAgeSeconds": 600}]}
// id, allowedHeaders, exposeHeaders and maxAgeSeconds are optional (null = absent). Whether the
// rules are valid is the engine's decision (Engine::PutBucketCors); this only reads the shape.
//
// Thread-safety: pure functions.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/cors.h"

#include <nlohmann/json.hpp>

namespace maxiofs::console {

nlohmann::json CorsRulesJson(const engine::CorsConfiguration& config);
// InvalidArgument naming the member at fault ("rules[2].allowedMethods must be a list of
// strings") when the document is not of that shape.
Result<engine::CorsConfiguration> ParseCorsRules(const nlohmann::json& doc);

}  // namespace maxiofs::console
