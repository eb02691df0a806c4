#include "iam_api/iam_query.h"

#include "auth/auth.h"
#include "auth/crypto.h"
#include "authz_map.h"
#include "iam_api/iam_actions.h"
#include "iam_api/iam_xml.h"
#include "request_auth.h"

#include <optional>

namespace maxiofs::s3 {

namespace {

using iam_api::IamError;
using iam_api::IamErrorResponse;
using iam_api::kIamXmlns;

class IamQueryBody final : public http::RequestBody {
 public:
  IamQueryBody(engine::Engine& engine, const ServiceOptions& options, HttpRequest request,
               Route route, std::chrono::system_clock::time_point now)
      : engine_(engine),
        options_(options),
        request_(std::move(request)),
        route_(std::move(route)),
        now_(now) {}

  std::optional<Response> Feed(std::string_view raw) override {
    if (raw.size() > kMaxIamQueryBody - body_.size()) return TooLarge();
    body_.append(raw);
    return std::nullopt;
  }

  Response Finish() override {
    AuthRequest ar = MakeAuthRequest(request_, route_, now_, options_.region);
    ar.allow_iam_sts = true;
    const std::string body_sha256 = auth::Sha256Hex(body_);
    ar.payload_sha256 = body_sha256;
    const int64_t now_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now_.time_since_epoch()).count();
    auto authenticated = AuthenticateWithEngine(ar, engine_);
    if (!authenticated.has_value()) return Error(iam_api::IamErrorFromS3(authenticated.error()));
    const AuthResult& signed_by = authenticated.value().auth;
    const std::optional<engine::Credential>& credential = authenticated.value().credential;
    if (signed_by.anonymous || !credential) {
      return Error(
          IamError{"MissingAuthenticationToken", 403, "Request is missing Authentication Token"});
    }
    if (signed_by.payload_mode != PayloadMode::kUnsigned &&
        signed_by.payload_mode != PayloadMode::kSignedSha256) {
      return Error(iam_api::InvalidInput("An IAM/STS request body cannot be aws-chunked."));
    }
    if (signed_by.expected_sha256.size() == 64 &&
        !auth::ConstantTimeEquals(signed_by.expected_sha256, body_sha256)) {
      return Error(IamError{"SignatureDoesNotMatch", 403,
                            "The request body does not match its x-amz-content-sha256."});
    }

    auto form = ParseQuery(body_);
    if (!form) return Error(iam_api::InvalidInput("The form body is not validly encoded."));
    iam_api::IamCall call;
    call.iam = &engine_.iam();
    call.caller = credential->principal;
    call.params = std::move(*form);
    call.now_ns = now_ns;
    call.request_id = request_.request_id;
    // Query-string parameters join the form, as AWS's query protocol allows.
    for (const QueryParam& p : route_.query) {
      if (!p.name.starts_with("X-Amz-")) call.params.push_back(p);
    }
    std::string action;
    for (const QueryParam& p : call.params) {
      if (p.name == "Action") {
        action = p.value;
        break;
      }
    }
    const std::string_view service = iam_api::ServiceOfAction(action);
    if (!service.empty() && service != signed_by.service) {
      return Error(IamError{"InvalidAction", 400,
                            "The action " + action + " is not valid for the service \"" +
                                signed_by.service + "\" named in the credential scope."});
    }
    call.context = RequestConditions(request_, route_, signed_by);
    return iam_api::RunIamAction(call);
  }

 private:
  Response Error(const IamError& e) const {
    return IamErrorResponse(e, kIamXmlns, request_.request_id);
  }
  Response TooLarge() const {
    Response r = Error(iam_api::InvalidInput("The request body is larger than " +
                                             std::to_string(kMaxIamQueryBody) + " bytes."));
    r.close = true;
    return r;
  }

  engine::Engine& engine_;
  const ServiceOptions& options_;
  HttpRequest request_;
  Route route_;
  std::chrono::system_clock::time_point now_;
  std::string body_;
};

}  // namespace

http::StartedRequest StartIamQuery(engine::Engine& engine, const ServiceOptions& options,
                                   const HttpRequest& request, const Route& route,
                                   std::chrono::system_clock::time_point now) {
  http::StartedRequest out;
  out.operation = "IamQuery";
  auto body = std::make_unique<IamQueryBody>(engine, options, request, route, now);
  if (request.content_length && *request.content_length > kMaxIamQueryBody) {
    out.response =
        IamErrorResponse(iam_api::InvalidInput("The request body is larger than " +
                                               std::to_string(kMaxIamQueryBody) + " bytes."),
                         kIamXmlns, request.request_id);
    out.response.close = true;
    return out;
  }
  if (!request.has_body()) {
    out.response = body->Finish();
    out.accepted_empty_body = true;
    return out;
  }
  out.body = std::move(body);
  return out;
}

}  // namespace maxiofs::s3
