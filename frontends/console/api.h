// ConsoleApi: the JSON API under /api/v1, one method per route, each translating a request
// into engine calls (so the engine's rules apply: object lock, versioning) and the answer
// into JSON. Routing, authentication and CSRF checks happen before (console_service.cc); a
// method here is only reached by an authenticated session.
//
// Thread-safety: safe for concurrent use; methods run on the server's worker threads.
#pragma once

#include "http_util.h"
#include "iam_actions.h"
#include "sessions.h"

#include "maxiofs/console/console_server.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/http/service.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace maxiofs::console {

// Who is calling, and the request facts policies may test (aws:SourceIp, aws:SecureTransport,
// aws:UserAgent). Small enough to copy into a body handler.
struct Caller {
  engine::Principal principal;
  std::map<std::string, std::vector<std::string>> context;
};

// One API call as the handlers see it.
struct ApiCall {
  const http::HttpRequest& http;
  const Target& target;
  std::vector<std::string> segments;  // path after /api/v1/, split on '/'
  const SessionClaims* session;       // null only for login
  int64_t now_s = 0;
  Caller caller;  // the session's principal (set with `session`)

  // The query parameter `name`, or `fallback`.
  std::string Query(const std::string& name, std::string fallback = {}) const;
};

// A RequestBody that collects a JSON document (at most kMaxJsonBody bytes) and hands it to
// `handler` once complete; 400 for a document that does not parse, 413 past the limit.
constexpr size_t kMaxJsonBody = 1 << 20;
std::unique_ptr<http::RequestBody> JsonBody(
    std::function<http::Response(const nlohmann::json&)> handler);

// Reads typed members of a JSON request document; each returns nullopt (and the caller
// answers 400) when the member is missing or of the wrong type.
std::optional<std::string> JsonString(const nlohmann::json& doc, const char* name);

class ConsoleApi {
 public:
  ConsoleApi(engine::Engine& engine, const ConsoleOptions& options, const ConsoleHooks& hooks,
             Sessions& sessions, LoginLimiter& limiter);

  // Routes an authenticated (or login) call. Unknown routes: 404 JSON.
  http::StartedRequest Dispatch(const ApiCall& call);

  // --- authorization (api_authz.cc)
  // The caller behind a verified session: root while the session's key is still the config's
  // root key; an IAM user while it exists, is enabled and has a console password. AccessDenied
  // otherwise, so a disabled or deleted user's session stops working at its next call.
  Result<Caller> SessionCaller(const SessionClaims& claims, const http::HttpRequest& request);
  // OK when the caller may do `op`; the engine's AccessDenied (403) otherwise. `name` is the
  // bucket for S3 ops and the user/group/policy name for IAM ops ("*" for listings); `key`
  // the object key for object ops. `extra` adds condition keys (s3:prefix, ...).
  Status Authorize(const Caller& caller, Op op, std::string_view name = {},
                   std::string_view key = {},
                   const std::map<std::string, std::vector<std::string>>& extra = {});

  // --- auth (api_auth.cc)
  http::StartedRequest Login(const ApiCall& call);
  http::StartedRequest Logout(const ApiCall& call);
  http::StartedRequest Me(const ApiCall& call);
  // {user, kind, csrfToken, expiresAt, permissions{iam, config}} of a session.
  nlohmann::json SessionJson(const SessionClaims& claims, const Caller& caller);
  // Set-Cookie values for a session (also used to renew one).
  std::string SessionCookie(const SessionClaims& claims, bool secure) const;

  // --- system (api_system.cc)
  http::Response Info(const ApiCall& call);
  http::Response Stats(const ApiCall& call);
  http::Response Config(const ApiCall& call);

  // --- buckets (api_buckets.cc)
  http::Response ListBuckets(const ApiCall& call);
  http::StartedRequest CreateBucket(const ApiCall& call);
  http::Response GetBucket(const ApiCall& call, const std::string& bucket);
  http::Response DeleteBucket(const ApiCall& call, const std::string& bucket);
  http::StartedRequest PutVersioning(const ApiCall& call, const std::string& bucket);
  http::StartedRequest PutObjectLock(const ApiCall& call, const std::string& bucket);

  // --- objects (api_objects.cc)
  http::Response ListObjects(const ApiCall& call, const std::string& bucket);
  http::Response ObjectDetails(const ApiCall& call, const std::string& bucket);
  http::Response DeleteObject(const ApiCall& call, const std::string& bucket);
  http::StartedRequest DeleteMany(const ApiCall& call, const std::string& bucket);
  http::StartedRequest CreateFolder(const ApiCall& call, const std::string& bucket);
  http::StartedRequest Rename(const ApiCall& call, const std::string& bucket);
  Status AuthorizeMove(const Caller& caller, const std::string& bucket, const std::string& from,
                       const std::string& to);
  Status AuthorizeFolderMove(const Caller& caller, const std::string& bucket,
                             const std::string& from, const std::string& to);

  // --- data transfer (api_transfer.cc)
  http::StartedRequest Upload(const ApiCall& call, const std::string& bucket);
  http::Response Download(const ApiCall& call, const std::string& bucket);
  http::Response CreateMultipart(const ApiCall& call, const std::string& bucket);
  http::StartedRequest UploadPart(const ApiCall& call, const std::string& bucket);
  http::StartedRequest CompleteMultipart(const ApiCall& call, const std::string& bucket);
  http::Response AbortMultipart(const ApiCall& call, const std::string& bucket);

  // --- versions and object lock (api_versions.cc)
  http::Response ListVersions(const ApiCall& call, const std::string& bucket);
  http::StartedRequest Restore(const ApiCall& call, const std::string& bucket);
  http::StartedRequest PutRetention(const ApiCall& call, const std::string& bucket);
  http::StartedRequest PutLegalHold(const ApiCall& call, const std::string& bucket);
  http::StartedRequest Share(const ApiCall& call, const std::string& bucket);

  // --- bucket policy and public-access block (api_bucket_access.cc)
  http::StartedRequest BucketPolicy(const ApiCall& call, const std::string& bucket);
  http::StartedRequest BucketPublicAccess(const ApiCall& call, const std::string& bucket);
  // --- bucket CORS rules (api_bucket_cors.cc)
  http::StartedRequest BucketCors(const ApiCall& call, const std::string& bucket);
  // --- bucket and object tags (api_tags.cc)
  http::StartedRequest BucketTags(const ApiCall& call, const std::string& bucket);
  http::StartedRequest ObjectTags(const ApiCall& call, const std::string& bucket);

  // --- bucket quota (api_bucket_quota.cc)
  http::StartedRequest BucketQuota(const ApiCall& call, const std::string& bucket);

  // --- bucket lifecycle rules (api_bucket_lifecycle.cc)
  http::StartedRequest BucketLifecycle(const ApiCall& call, const std::string& bucket);

  // --- IAM: each routes the calls under its first path segment
  http::StartedRequest DispatchUsers(const ApiCall& call);     // users/... (api_iam_users.cc)
  http::StartedRequest DispatchGroups(const ApiCall& call);    // groups/... (api_iam_groups.cc)
  http::StartedRequest DispatchPolicies(const ApiCall& call);  // policies/... (api_iam_policies.cc)

 private:
  http::Response DeleteUser(const ApiCall& call, const std::string& user);
  http::StartedRequest AccessKeys(const ApiCall& call, const std::string& user);
  http::StartedRequest SetPassword(const ApiCall& call, const std::string& user);
  http::StartedRequest ValidatePolicy(const ApiCall& call);
  // The long-term credential a user's share links are signed with: one of the user's active
  // access keys. InvalidRequest when the user has none.
  Result<engine::Credential> SigningCredential(const std::string& user, int64_t now_s);

  engine::Engine& engine_;
  const ConsoleOptions& options_;
  const ConsoleHooks& hooks_;
  Sessions& sessions_;
  LoginLimiter& limiter_;
};

// Helpers shared by the handler files.
http::StartedRequest Started(http::Response response);
nlohmann::json ObjectJson(const engine::ObjectInfo& info);
std::string LockModeName(engine::LockMode mode);
std::optional<engine::LockMode> ParseLockMode(std::string_view name);
std::string VersioningName(engine::VersioningState state);
// A bucket's usage counters, and its quota with them (api_bucket_quota.cc).
nlohmann::json UsageJson(const engine::BucketUsage& u);
nlohmann::json QuotaJson(const std::string& bucket, const engine::BucketQuota& q,
                         const engine::BucketUsage& u);

}  // namespace maxiofs::console
