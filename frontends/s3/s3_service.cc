#include "s3_service.h"

#include "authz_map.h"
#include "cors_headers.h"
#include "encoding.h"
#include "iam_api/iam_query.h"
#include "post/post_object.h"
#include "request_auth.h"
#include "responses.h"
#include "router.h"

#include <spdlog/spdlog.h>

#include <array>
#include <optional>

namespace maxiofs::s3 {

namespace {

// Headers that must appear at most once: a repeated one is ambiguous (which one was signed,
// which range is meant), so the request is refused.
constexpr std::array<std::string_view, 16> kSingletonHeaders = {"authorization",
                                                                "x-amz-content-sha256",
                                                                "x-amz-date",
                                                                "content-md5",
                                                                "range",
                                                                "x-amz-copy-source",
                                                                "host",
                                                                "content-type",
                                                                "if-match",
                                                                "if-none-match",
                                                                "if-modified-since",
                                                                "if-unmodified-since",
                                                                "x-amz-decoded-content-length",
                                                                "x-amz-trailer",
                                                                "x-amz-metadata-directive",
                                                                "x-amz-security-token"};

bool IsHead(const HttpRequest& request) { return request.method == "HEAD"; }

// The engine's reason for a denial goes to the log (the client only sees "Access Denied").
void LogDenied(const HttpRequest& request, const engine::AuthzRequest& question,
               const Status& status) {
  auto log = spdlog::get("s3");
  if (!log) log = spdlog::default_logger();
  log->debug("request_id={} denied {} on {}/{}: {}", request.request_id, question.action,
             question.bucket, question.key, status.ToString());
}

// S3 answers a caller who may list the bucket that a missing key is missing (404 NoSuchKey)
// instead of refusing the read (403): a listing would tell it as much. `denied` is a read of
// an object's current version that Authorize refused.
bool MayLearnKeyIsMissing(engine::Engine& engine, const engine::AuthzRequest& denied) {
  if (denied.action != "s3:GetObject" || denied.key.empty() || !denied.version_id.empty()) {
    return false;
  }
  engine::HeadObjectRequest head;
  head.bucket = denied.bucket;
  head.key = denied.key;
  auto found = engine.HeadObject(head);
  if (found.has_value() || !found.error().IsNoSuchKey()) return false;
  engine::AuthzRequest list = denied;
  list.action = "s3:ListBucket";
  list.key.clear();
  return engine.iam().Authorize(list).ok();
}

// S3 answers a request for a bucket that does not exist with 404 NoSuchBucket whoever asks (an
// anonymous caller included), since bucket names are a public namespace; only a bucket that
// exists hides behind 403. `denied` is a question Authorize refused.
bool BucketIsMissing(engine::Engine& engine, const engine::AuthzRequest& denied) {
  if (denied.bucket.empty() || denied.action == "s3:CreateBucket") return false;
  auto found = engine.HeadBucket(denied.bucket);
  return !found.has_value() && found.error().IsNoSuchBucket();
}

}  // namespace

S3Service::S3Service(engine::Engine& engine, ServiceOptions options)
    : engine_(engine), options_(std::move(options)) {}

std::string S3Service::LogTarget(const HttpRequest& request) const {
  std::string_view target = request.target;
  size_t q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string_view query = target.substr(q + 1);
  for (std::string_view secret : {"Signature", "X-Amz-Credential", "X-Amz-Security-Token",
                                  "AWSAccessKeyId", "x-amz-signature", "x-amz-credential"}) {
    if (query.find(secret) != std::string_view::npos) return std::string(target.substr(0, q));
  }
  return std::string(target);
}

Response S3Service::ProtocolErrorResponse(http::ProtocolError error, std::string message,
                                          const HttpRequest& request) const {
  S3ErrorCode code = S3ErrorCode::kInternalError;
  switch (error) {
    case http::ProtocolError::kHeaderTooLarge:
      code = S3ErrorCode::kRequestHeaderSectionTooLarge;
      break;
    case http::ProtocolError::kMalformedRequest:
      code = S3ErrorCode::kInvalidRequest;
      break;
    case http::ProtocolError::kIncompleteBody:
      code = S3ErrorCode::kIncompleteBody;
      break;
    case http::ProtocolError::kInternal:
      code = S3ErrorCode::kInternalError;
      break;
  }
  return MakeErrorResponse(S3Error{code, std::move(message)}, "/", request.request_id, false);
}

void S3Service::DecorateResponse(const HttpRequest& request, HeaderList& headers) const {
  if (request.request_id.empty()) return;
  headers.emplace_back("x-amz-request-id", request.request_id);
  headers.emplace_back("x-amz-id-2", Base64Encode("maxiofs/" + request.request_id));
}

std::optional<StartedRequest> S3Service::TryStartWithoutWaiting(
    const HttpRequest& request, std::chrono::system_clock::time_point now) {
  auto routed = RouteRequest(request, options_.router);
  if (!routed.has_value()) return std::nullopt;
  const S3Op op = routed.value().op;
  if (op != S3Op::kGetObject && op != S3Op::kHeadObject) return std::nullopt;
  return Start(request, now);
}

namespace {

// Adds `extra` headers to every response a request body gives (CORS headers of the request).
class DecoratedBody final : public http::RequestBody {
 public:
  DecoratedBody(std::unique_ptr<http::RequestBody> inner, HeaderList extra)
      : inner_(std::move(inner)), extra_(std::move(extra)) {}
  std::optional<Response> Feed(std::string_view raw) override {
    auto r = inner_->Feed(raw);
    if (r) Decorate(*r);
    return r;
  }
  Response Finish() override {
    Response r = inner_->Finish();
    Decorate(r);
    return r;
  }

 private:
  void Decorate(Response& r) const {
    r.headers.insert(r.headers.end(), extra_.begin(), extra_.end());
  }
  std::unique_ptr<http::RequestBody> inner_;
  HeaderList extra_;
};

}  // namespace

StartedRequest S3Service::Start(const HttpRequest& request,
                                std::chrono::system_clock::time_point now) {
  auto routed = RouteRequest(request, options_.router);
  if (!routed.has_value()) {
    StartedRequest out;
    std::string raw_path(std::string_view(request.target).substr(0, request.target.find('?')));
    out.response = MakeErrorResponse(routed.error(), raw_path, request.request_id, IsHead(request));
    return out;
  }
  const Route& route = routed.value();
  RequestFacts facts;
  StartedRequest out = StartRouted(request, route, now, facts);
  // Server access logging (PutBucketLogging): note the request and its answer.
  if (bucket_logs_.Wants(route)) {
    bucket_logs_.Begin(request, route, facts, LogTarget(request), now);
    if (out.body) {
      out.body = bucket_logs_.Watch(std::move(out.body), request.request_id);
    } else {
      bucket_logs_.Answered(request.request_id, out.response);
    }
  }
  // CORS headers of an actual cross-origin request go on every answer, errors included.
  HeaderList cors;
  AddActualCorsHeaders(engine_, request, route, cors);
  if (!cors.empty()) {
    if (out.body) {
      out.body = std::make_unique<DecoratedBody>(std::move(out.body), std::move(cors));
    } else {
      out.response.headers.insert(out.response.headers.end(), cors.begin(), cors.end());
    }
  }
  return out;
}

StartedRequest S3Service::StartRouted(const HttpRequest& request, const Route& route,
                                      std::chrono::system_clock::time_point now,
                                      RequestFacts& facts) {
  StartedRequest out;
  const bool head = IsHead(request);
  auto fail = [&](const S3Error& e, std::string_view resource) {
    out.response = MakeErrorResponse(e, resource, request.request_id, head);
    return std::move(out);
  };
  out.operation = std::string(S3OpName(route.op));
  std::string resource = route.Resource();

  for (std::string_view name : kSingletonHeaders) {
    if (request.HeaderCount(name) > 1) {
      return fail(S3Error{S3ErrorCode::kInvalidArgument,
                          "The header " + std::string(name) + " may appear only once."},
                  resource);
    }
  }

  if (route.op == S3Op::kIamQuery) {
    return StartIamQuery(engine_, options_, request, route, now);
  }
  if (route.op == S3Op::kCorsPreflight) {
    out.response = CorsPreflightResponse(engine_, request, route);
    return out;
  }
  if (route.op == S3Op::kPostObject) {  // authenticated by its form's policy, in the body
    return StartPostObject(engine_, options_, request, route, now);
  }

  AuthResult auth;
  engine::AuthzRequest authz;
  if (route.op != S3Op::kHealthLive && route.op != S3Op::kHealthReady) {
    AuthRequest ar = MakeAuthRequest(request, route, now, options_.region);
    ar.signing_keys = &signing_keys_;
    auto authenticated = AuthenticateWithEngine(ar, engine_);
    if (!authenticated.has_value()) return fail(authenticated.error(), resource);
    auth = std::move(authenticated.value().auth);
    if (authenticated.value().credential) {
      authz.principal = authenticated.value().credential->principal;
    } else if (options_.anonymous_as_root) {
      // auth.enabled: false: no credentials means root.
      const int64_t now_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
      auto root = engine_.iam().LookupCredential(options_.access_key, now_ns);
      if (root.has_value() && engine::IsUnrestricted(root->principal)) {
        authz.principal = root->principal;
        auth.access_key = options_.access_key;
      }
    }
    out.user = auth.access_key;
    facts.scheme = auth.scheme;
    switch (authz.principal.kind) {
      case engine::PrincipalKind::kAnonymous:
        break;
      case engine::PrincipalKind::kRoot:
        facts.requester = std::string(engine::kCanonicalUserId);
        break;
      case engine::PrincipalKind::kUser:
      case engine::PrincipalKind::kSession:
        facts.requester = authz.principal.arn;
        break;
    }
    // Condition values cost a few allocations per request: only for callers who can be refused.
    if (!engine_.iam().CannotBeRefused(authz.principal, route.bucket)) {
      authz.context = RequestConditions(request, route, auth);
    }
    for (const engine::AuthzRequest& question : AuthzRequestsFor(route, request, authz)) {
      Status allowed = engine_.iam().Authorize(question);
      if (!allowed.ok()) {
        LogDenied(request, question, allowed);
        if (BucketIsMissing(engine_, question)) {
          return fail(S3Error{S3ErrorCode::kNoSuchBucket, "The specified bucket does not exist"},
                      resource);
        }
        if (MayLearnKeyIsMissing(engine_, question)) {
          return fail(S3Error{S3ErrorCode::kNoSuchKey, "The specified key does not exist."},
                      resource);
        }
        return fail(S3Error{S3ErrorCode::kAccessDenied, "Access Denied"}, resource);
      }
    }
  }

  RequestContext ctx{engine_,         options_,          request,         route,
                     auth.access_key, auth.payload_mode, std::move(authz)};
  HandlerOutcome outcome = Dispatch(ctx);
  if (!outcome.has_value()) return fail(outcome.error(), resource);
  HandlerResult& result = outcome.value();
  if (!result.consumer) {
    out.response = std::move(result.response);
    if (head && !out.response.head) {
      out.response.head = true;
      if (!out.response.content_length) out.response.content_length = out.response.body.size();
      out.response.body.clear();
      out.response.source.reset();
    }
    return out;
  }
  out.body =
      std::make_unique<RequestBody>(std::move(result.consumer), auth, resource, request.request_id);
  if (!request.has_body()) {
    out.response = out.body->Finish();
    out.body.reset();
    out.accepted_empty_body = true;
  }
  return out;
}

}  // namespace maxiofs::s3
