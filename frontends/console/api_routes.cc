// The API's route table: method and path segments to a ConsoleApi method.
//
//   POST   auth/login | auth/logout          GET auth/me
//   GET    system/info | system/stats | system/config
//   GET    buckets                            POST buckets
//   GET    buckets/{b}                        DELETE buckets/{b}
//   PUT    buckets/{b}/versioning | buckets/{b}/object-lock
//   GET    buckets/{b}/objects?prefix&delimiter&startAfter&limit
//   GET    buckets/{b}/object?key&versionId   DELETE buckets/{b}/object?key&versionId
//   POST   buckets/{b}/delete | folders | rename | restore | share
//   PUT    buckets/{b}/upload?key             GET buckets/{b}/download?key&versionId&inline
//   POST   buckets/{b}/multipart?key          DELETE buckets/{b}/multipart?key&uploadId
//   PUT    buckets/{b}/multipart/part?key&uploadId&partNumber
//   POST   buckets/{b}/multipart/complete?key&uploadId
//   GET    buckets/{b}/versions?key           PUT buckets/{b}/retention | legal-hold
//   GET|PUT|DELETE buckets/{b}/policy | buckets/{b}/public-access-block | buckets/{b}/quota |
//                  buckets/{b}/lifecycle | buckets/{b}/cors | buckets/{b}/tags |
//                  buckets/{b}/object-tags?key&versionId
//   users/... groups/... policies/...         (see api_iam_users/groups/policies.cc)
#include "api.h"

namespace maxiofs::console {

ConsoleApi::ConsoleApi(engine::Engine& engine, const ConsoleOptions& options,
                       const ConsoleHooks& hooks, Sessions& sessions, LoginLimiter& limiter)
    : engine_(engine), options_(options), hooks_(hooks), sessions_(sessions), limiter_(limiter) {}

http::StartedRequest ConsoleApi::Dispatch(const ApiCall& call) {
  const std::string& method = call.http.method;
  const auto& s = call.segments;
  const bool get = method == "GET";
  const bool put = method == "PUT";
  const bool post = method == "POST";
  const bool del = method == "DELETE";
  auto not_found = [] { return Started(JsonError(404, "NoSuchRoute", "No such API route.")); };
  auto bad_method = [] {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  };

  if (s.size() == 2 && s[0] == "auth") {
    if (s[1] == "login") return post ? Login(call) : bad_method();
    if (s[1] == "logout") return post ? Logout(call) : bad_method();
    if (s[1] == "me") return get ? Me(call) : bad_method();
    return not_found();
  }
  if (s.size() == 2 && s[0] == "system") {
    if (!get) return bad_method();
    if (s[1] == "info") return Started(Info(call));
    if (s[1] == "stats") return Started(Stats(call));
    if (s[1] == "config") return Started(Config(call));
    return not_found();
  }
  if (!s.empty() && s[0] == "users") return DispatchUsers(call);
  if (!s.empty() && s[0] == "groups") return DispatchGroups(call);
  if (!s.empty() && s[0] == "policies") return DispatchPolicies(call);
  if (s.empty() || s[0] != "buckets") return not_found();
  if (s.size() == 1) {
    if (get) return Started(ListBuckets(call));
    if (post) return CreateBucket(call);
    return bad_method();
  }
  const std::string& bucket = s[1];
  if (s.size() == 2) {
    if (get) return Started(GetBucket(call, bucket));
    if (del) return Started(DeleteBucket(call, bucket));
    return bad_method();
  }
  const std::string& what = s[2];
  if (s.size() == 3) {
    if (what == "versioning") return put ? PutVersioning(call, bucket) : bad_method();
    if (what == "object-lock") return put ? PutObjectLock(call, bucket) : bad_method();
    if (what == "objects") return get ? Started(ListObjects(call, bucket)) : bad_method();
    if (what == "object") {
      if (get) return Started(ObjectDetails(call, bucket));
      if (del) return Started(DeleteObject(call, bucket));
      return bad_method();
    }
    if (what == "delete") return post ? DeleteMany(call, bucket) : bad_method();
    if (what == "folders") return post ? CreateFolder(call, bucket) : bad_method();
    if (what == "rename") return post ? Rename(call, bucket) : bad_method();
    if (what == "restore") return post ? Restore(call, bucket) : bad_method();
    if (what == "share") return post ? Share(call, bucket) : bad_method();
    if (what == "upload") return put ? Upload(call, bucket) : bad_method();
    if (what == "download") return get ? Started(Download(call, bucket)) : bad_method();
    if (what == "versions") return get ? Started(ListVersions(call, bucket)) : bad_method();
    if (what == "retention") return put ? PutRetention(call, bucket) : bad_method();
    if (what == "legal-hold") return put ? PutLegalHold(call, bucket) : bad_method();
    if (what == "policy") return BucketPolicy(call, bucket);
    if (what == "public-access-block") return BucketPublicAccess(call, bucket);
    if (what == "quota") return BucketQuota(call, bucket);
    if (what == "lifecycle") return BucketLifecycle(call, bucket);
    if (what == "cors") return BucketCors(call, bucket);
    if (what == "tags") return BucketTags(call, bucket);
    if (what == "object-tags") return ObjectTags(call, bucket);
    if (what == "multipart") {
      if (post) return Started(CreateMultipart(call, bucket));
      if (del) return Started(AbortMultipart(call, bucket));
      return bad_method();
    }
    return not_found();
  }
  if (s.size() == 4 && what == "multipart") {
    if (s[3] == "part") return put ? UploadPart(call, bucket) : bad_method();
    if (s[3] == "complete") return post ? CompleteMultipart(call, bucket) : bad_method();
  }
  return not_found();
}

}  // namespace maxiofs::console
