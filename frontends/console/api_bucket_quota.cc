// A bucket's quota (hard limits, after MinIO's `mc quota`), shown with its usage on the bucket
// settings page. This is also the quota admin call of a running server (docs/quotas.md).
//
//   GET    buckets/{b}/quota                        {bucket, maxBytes, maxObjects, usage{...}}
//   PUT    buckets/{b}/quota {maxBytes?, maxObjects?}   (a missing member or 0: no limit)
//   DELETE buckets/{b}/quota
#include "api.h"

namespace maxiofs::console {
namespace {

// A non-negative whole number member (absent: 0). nullopt when it is of another type.
std::optional<uint64_t> Limit(const nlohmann::json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) return uint64_t{0};
  if (!it->is_number_unsigned()) return std::nullopt;
  return it->get<uint64_t>();
}

}  // namespace

nlohmann::json UsageJson(const engine::BucketUsage& u) {
  return {{"objects", u.objects},
          {"bytes", u.bytes},
          {"versions", u.versions},
          {"versionBytes", u.version_bytes},
          {"deleteMarkers", u.delete_markers},
          {"uploads", u.uploads},
          {"parts", u.parts},
          {"partBytes", u.part_bytes},
          {"storedBytes", u.version_stored_bytes + u.part_stored_bytes},
          // What the quota limits count: every version and part, and every version.
          {"quotaBytes", u.version_bytes + u.part_bytes},
          {"quotaObjects", u.versions}};
}

nlohmann::json QuotaJson(const std::string& bucket, const engine::BucketQuota& q,
                         const engine::BucketUsage& u) {
  return {{"bucket", bucket},
          {"maxBytes", q.max_bytes},
          {"maxObjects", q.max_objects},
          {"usage", UsageJson(u)}};
}

http::StartedRequest ConsoleApi::BucketQuota(const ApiCall& call, const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  auto answer = [this, bucket]() {
    auto q = engine_.GetBucketQuota(bucket);
    if (!q.has_value()) return StatusError(q.error());
    auto u = engine_.GetBucketUsage(bucket);
    if (!u.has_value()) return StatusError(u.error());
    return JsonResponse(200, QuotaJson(bucket, *q, *u));
  };
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetBucketQuota, bucket); !st.ok()) {
      return Started(StatusError(st));
    }
    return Started(answer());
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kPutBucketQuota, bucket);
    if (st.ok()) st = engine_.PutBucketQuota(bucket, {});
    if (!st.ok()) return Started(StatusError(st));
    return Started(answer());
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutBucketQuota";
  started.body = JsonBody([this, caller, bucket, answer](const nlohmann::json& doc) {
    auto max_bytes = Limit(doc, "maxBytes");
    auto max_objects = Limit(doc, "maxObjects");
    if (!max_bytes || !max_objects) {
      return JsonError(400, "InvalidArgument",
                       "maxBytes and maxObjects must be whole numbers (0 or absent: no limit).");
    }
    if (Status st = Authorize(caller, Op::kPutBucketQuota, bucket); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.PutBucketQuota(bucket, {*max_bytes, *max_objects}); !st.ok()) {
      return StatusError(st);
    }
    return answer();
  });
  return started;
}

}  // namespace maxiofs::console
