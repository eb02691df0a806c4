// Bucket and object tags, shown and edited on the bucket settings and object pages:
//
//   GET    buckets/{b}/tags                          {tags: [{key, value}]} (none: [])
//   PUT    buckets/{b}/tags {tags}                   replaces them ([] removes them)
//   DELETE buckets/{b}/tags                          removes them
//   GET    buckets/{b}/object-tags?key&versionId     {versionId, tags}
//   PUT    buckets/{b}/object-tags?key&versionId {tags}
//   DELETE buckets/{b}/object-tags?key&versionId
//
// The engine checks S3's limits (ValidateObjectTags / ValidateBucketTags: InvalidTag names the
// rule). Authorized as S3's Get/PutBucketTagging and Get/Put/DeleteObject(Version)Tagging; a
// put of object tags carries them as s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys, as
// over S3.
#include "api.h"

namespace maxiofs::console {
namespace {

nlohmann::json TagsJson(const engine::TagSet& tags) {
  nlohmann::json a = nlohmann::json::array();
  for (const engine::Tag& t : tags) a.push_back({{"key", t.key}, {"value", t.value}});
  return a;
}

// {tags: [{key, value}, ...]}: InvalidArgument for any other shape (the limits are the
// engine's).
Result<engine::TagSet> ParseTags(const nlohmann::json& doc) {
  auto it = doc.find("tags");
  if (it == doc.end() || !it->is_array()) {
    return Status::InvalidArgument("tags must be an array of {key, value}.");
  }
  if (it->size() > engine::kMaxBucketTags) {
    return Status::InvalidArgument("at most 50 tags.");
  }
  engine::TagSet tags;
  for (const nlohmann::json& t : *it) {
    if (!t.is_object()) return Status::InvalidArgument("each tag must be {key, value}.");
    auto k = t.find("key");
    auto v = t.find("value");
    if (k == t.end() || !k->is_string() || v == t.end() || !v->is_string()) {
      return Status::InvalidArgument("each tag must be {key, value} with string members.");
    }
    tags.push_back({k->get<std::string>(), v->get<std::string>()});
  }
  return tags;
}

}  // namespace

http::StartedRequest ConsoleApi::BucketTags(const ApiCall& call, const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetBucketTagging, bucket); !st.ok()) {
      return Started(StatusError(st));
    }
    auto tags = engine_.GetBucketTagging(bucket);
    if (!tags.has_value() && tags.error().code() != Status::Code::kNoSuchTagSet) {
      return Started(StatusError(tags.error()));
    }
    return Started(
        JsonResponse(200, {{"tags", TagsJson(tags.has_value() ? *tags : engine::TagSet{})}}));
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kPutBucketTagging, bucket);  // as S3: the Put action
    if (st.ok()) st = engine_.DeleteBucketTagging(bucket);
    if (!st.ok()) return Started(StatusError(st));
    return Started(JsonResponse(200, {{"tags", nlohmann::json::array()}}));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutBucketTagging";
  started.body = JsonBody([this, caller, bucket](const nlohmann::json& doc) {
    auto tags = ParseTags(doc);
    if (!tags.has_value()) return StatusError(tags.error());
    if (Status st = Authorize(caller, Op::kPutBucketTagging, bucket); !st.ok()) {
      return StatusError(st);
    }
    if (Status st = engine_.PutBucketTagging(bucket, *tags); !st.ok()) return StatusError(st);
    return JsonResponse(200, {{"tags", TagsJson(*tags)}});
  });
  return started;
}

http::StartedRequest ConsoleApi::ObjectTags(const ApiCall& call, const std::string& bucket) {
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  engine::ObjectTaggingRequest req{bucket, call.Query("key"), call.Query("versionId")};
  const bool version = !req.version_id.empty();
  if (method == "GET") {
    const Op op = version ? Op::kGetObjectVersionTagging : Op::kGetObjectTagging;
    if (Status st = Authorize(caller, op, bucket, req.key); !st.ok()) {
      return Started(StatusError(st));
    }
    auto got = engine_.GetObjectTagging(req);
    if (!got.has_value()) return Started(StatusError(got.error()));
    return Started(
        JsonResponse(200, {{"versionId", got->version_id}, {"tags", TagsJson(got->tags)}}));
  }
  if (method == "DELETE") {
    const Op op = version ? Op::kDeleteObjectVersionTagging : Op::kDeleteObjectTagging;
    if (Status st = Authorize(caller, op, bucket, req.key); !st.ok()) {
      return Started(StatusError(st));
    }
    auto done = engine_.DeleteObjectTagging(req);
    if (!done.has_value()) return Started(StatusError(done.error()));
    return Started(JsonResponse(200, {{"versionId", *done}, {"tags", nlohmann::json::array()}}));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "PutObjectTagging";
  started.body = JsonBody([this, caller, req, version](const nlohmann::json& doc) {
    auto tags = ParseTags(doc);
    if (!tags.has_value()) return StatusError(tags.error());
    std::map<std::string, std::vector<std::string>> extra;
    std::vector<std::string>& keys = extra["s3:RequestObjectTagKeys"];
    for (const engine::Tag& t : *tags) {
      extra["s3:RequestObjectTag/" + t.key] = {t.value};
      keys.push_back(t.key);
    }
    const Op op = version ? Op::kPutObjectVersionTagging : Op::kPutObjectTagging;
    if (Status st = Authorize(caller, op, req.bucket, req.key, extra); !st.ok()) {
      return StatusError(st);
    }
    auto put = engine_.PutObjectTagging({req.bucket, req.key, req.version_id, *tags});
    if (!put.has_value()) return StatusError(put.error());
    return JsonResponse(200, {{"versionId", *put}, {"tags", TagsJson(*tags)}});
  });
  return started;
}

}  // namespace maxiofs::console
