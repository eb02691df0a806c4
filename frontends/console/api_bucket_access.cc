// A bucket's policy and public-access block, edited in the bucket settings page.
//
//   GET    buckets/{b}/policy                 {document, public?}; 404 NoSuchBucketPolicy
//   PUT    buckets/{b}/policy {document}      DELETE buckets/{b}/policy
//   GET    buckets/{b}/public-access-block    {configured, blockPublicAcls, ...}
//   PUT    buckets/{b}/public-access-block {blockPublicAcls?, ...}
//   DELETE buckets/{b}/public-access-block
#include "api.h"
#include "iam_json.h"

namespace maxiofs::console {

http::StartedRequest ConsoleApi::BucketPolicy(const ApiCall& call, const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetBucketPolicy, bucket); !st.ok()) {
      return Started(StatusError(st));
    }
    auto document = engine_.iam().GetBucketPolicy(bucket);
    if (!document.has_value()) return Started(StatusError(document.error()));
    nlohmann::json j = {{"bucket", bucket}, {"document", *document}};
    // Whether it is public, for those who may ask.
    if (Authorize(caller, Op::kGetBucketPolicyStatus, bucket).ok()) {
      if (auto is_public = engine_.iam().GetBucketPolicyStatus(bucket); is_public.has_value()) {
        j["public"] = *is_public;
      }
    }
    return Started(JsonResponse(200, j));
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kDeleteBucketPolicy, bucket);
    if (st.ok()) st = engine_.iam().DeleteBucketPolicy(bucket);
    if (!st.ok()) return Started(StatusError(st));
    return Started(JsonResponse(200, {{"deleted", true}}));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutBucketPolicy";
  started.body = JsonBody([this, caller, bucket](const nlohmann::json& doc) {
    auto document = PolicyDocument(doc, "document");
    if (!document.has_value()) return StatusError(document.error());
    if (Status st = Authorize(caller, Op::kPutBucketPolicy, bucket); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.iam().PutBucketPolicy(bucket, *document); !st.ok()) {
      return StatusError(st);
    }
    nlohmann::json j = {{"bucket", bucket}, {"document", *document}};
    if (auto is_public = engine_.iam().GetBucketPolicyStatus(bucket); is_public.has_value()) {
      j["public"] = *is_public;
    }
    return JsonResponse(200, j);
  });
  return started;
}

http::StartedRequest ConsoleApi::BucketPublicAccess(const ApiCall& call,
                                                    const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetPublicAccessBlock, bucket); !st.ok()) {
      return Started(StatusError(st));
    }
    auto cfg = engine_.iam().GetPublicAccessBlock(bucket);
    // Never set: everything off, as S3 treats a bucket without the configuration.
    if (!cfg.has_value() &&
        cfg.error().code() != Status::Code::kNoSuchPublicAccessBlockConfiguration) {
      return Started(StatusError(cfg.error()));
    }
    nlohmann::json j = PublicAccessBlockJson(cfg.has_value() ? *cfg : engine::PublicAccessBlock{});
    j["configured"] = cfg.has_value();
    return Started(JsonResponse(200, j));
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kDeletePublicAccessBlock, bucket);
    if (st.ok()) st = engine_.iam().DeletePublicAccessBlock(bucket);
    if (!st.ok()) return Started(StatusError(st));
    nlohmann::json j = PublicAccessBlockJson(engine::PublicAccessBlock{});
    j["configured"] = false;
    return Started(JsonResponse(200, j));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutPublicAccessBlock";
  started.body = JsonBody([this, caller, bucket](const nlohmann::json& doc) {
    auto cfg = ParsePublicAccessBlock(doc);
    if (!cfg.has_value()) return StatusError(cfg.error());
    if (Status st = Authorize(caller, Op::kPutPublicAccessBlock, bucket); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.iam().PutPublicAccessBlock(bucket, *cfg); !st.ok()) {
      return StatusError(st);
    }
    nlohmann::json j = PublicAccessBlockJson(*cfg);
    j["configured"] = true;
    return JsonResponse(200, j);
  });
  return started;
}

}  // namespace maxiofs::console
