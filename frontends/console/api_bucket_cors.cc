// A bucket's CORS rules, edited in the bucket settings page (cors_json.h has the shape):
//
//   GET    buckets/{b}/cors           {configured, rules[]} (no rules: configured false)
//   PUT    buckets/{b}/cors {rules}   replaces them; the engine's message names a bad rule
//   DELETE buckets/{b}/cors           removes them
//
// Authorized as S3's GetBucketCors / PutBucketCors / DeleteBucketCors (s3:GetBucketCORS,
// s3:PutBucketCORS).
#include "api.h"
#include "cors_json.h"

namespace maxiofs::console {

http::StartedRequest ConsoleApi::BucketCors(const ApiCall& call, const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetBucketCors, bucket); !st.ok()) {
      return Started(StatusError(st));
    }
    auto config = engine_.GetBucketCors(bucket);
    if (!config.has_value() && config.error().code() != Status::Code::kNoSuchCORSConfiguration) {
      return Started(StatusError(config.error()));
    }
    nlohmann::json j = CorsRulesJson(config.has_value() ? *config : engine::CorsConfiguration{});
    j["configured"] = config.has_value();
    return Started(JsonResponse(200, j));
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kDeleteBucketCors, bucket);
    if (st.ok()) st = engine_.DeleteBucketCors(bucket);
    if (!st.ok()) return Started(StatusError(st));
    nlohmann::json j = CorsRulesJson(engine::CorsConfiguration{});
    j["configured"] = false;
    return Started(JsonResponse(200, j));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutBucketCors";
  started.body = JsonBody([this, caller, bucket](const nlohmann::json& doc) {
    auto config = ParseCorsRules(doc);
    if (!config.has_value()) return StatusError(config.error());
    if (Status st = Authorize(caller, Op::kPutBucketCors, bucket); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.PutBucketCors(bucket, *config); !st.ok()) return StatusError(st);
    nlohmann::json j = CorsRulesJson(*config);
    j["configured"] = true;
    return JsonResponse(200, j);
  });
  return started;
}

}  // namespace maxiofs::console
