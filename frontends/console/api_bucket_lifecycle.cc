// A bucket's lifecycle rules, edited on the bucket settings page. The JSON is the shape boto3
// and the aws cli use (lifecycle_json.h); the rules and their checks are the engine's.
//
//   GET    buckets/{b}/lifecycle            {"Rules": [...]}; 404 NoSuchLifecycleConfiguration
//   PUT    buckets/{b}/lifecycle {"Rules": [...]}    DELETE buckets/{b}/lifecycle
#include "api.h"
#include "lifecycle_json.h"

namespace maxiofs::console {

http::StartedRequest ConsoleApi::BucketLifecycle(const ApiCall& call, const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  auto not_found = [] {
    return JsonError(404, "NoSuchLifecycleConfiguration",
                     "The bucket has no lifecycle configuration.");
  };
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetBucketLifecycle, bucket); !st.ok()) {
      return Started(StatusError(st));
    }
    auto config = engine_.GetBucketLifecycle(bucket);
    if (!config.has_value()) {
      return Started(config.error().IsNotFound() ? not_found() : StatusError(config.error()));
    }
    return Started(JsonResponse(200, LifecycleToJson(*config)));
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kPutBucketLifecycle, bucket);
    if (st.ok()) st = engine_.DeleteBucketLifecycle(bucket);
    if (!st.ok()) return Started(StatusError(st));
    return Started(JsonResponse(200, {{"deleted", true}}));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutBucketLifecycle";
  started.body = JsonBody([this, caller, bucket](const nlohmann::json& doc) {
    auto config = LifecycleFromJson(doc);
    if (!config.has_value()) return StatusError(config.error());
    if (Status st = Authorize(caller, Op::kPutBucketLifecycle, bucket); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.PutBucketLifecycle(bucket, *config); !st.ok()) {
      return StatusError(st);
    }
    auto stored = engine_.GetBucketLifecycle(bucket);  // with the IDs given to rules without
    if (!stored.has_value()) return StatusError(stored.error());
    return JsonResponse(200, LifecycleToJson(*stored));
  });
  return started;
}

}  // namespace maxiofs::console
