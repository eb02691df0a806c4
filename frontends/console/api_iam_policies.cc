// Managed policies (list, create, details with the document, new document, delete) and the
// editor's validation, which asks the engine's own parser without storing anything.
//
//   GET    policies                      POST   policies {name, document, description?}
//   GET    policies/{p}                  PUT    policies/{p} {document}
//   DELETE policies/{p}                  POST   policies/validate {document, kind, bucket?}
#include "api.h"
#include "iam_json.h"

namespace maxiofs::console {

http::StartedRequest ConsoleApi::DispatchPolicies(const ApiCall& call) {
  const auto& s = call.segments;
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  auto bad_method = [] {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  };
  if (s.size() == 1) {
    if (method == "GET") {
      if (Status st = Authorize(caller, Op::kListPolicies, "*"); !st.ok()) {
        return Started(StatusError(st));
      }
      auto policies = engine_.iam().ListPolicies();
      if (!policies.has_value()) return Started(StatusError(policies.error()));
      nlohmann::json list = nlohmann::json::array();
      for (const auto& p : *policies) list.push_back(PolicyJson(p, /*with_document=*/false));
      return Started(JsonResponse(200, {{"policies", list}}));
    }
    if (method != "POST") return bad_method();
    http::StartedRequest started;
    started.operation = "CreatePolicy";
    started.body = JsonBody([this, caller](const nlohmann::json& doc) {
      auto name = JsonString(doc, "name");
      if (!name || name->empty()) return JsonError(400, "InvalidArgument", "name is required.");
      auto document = PolicyDocument(doc, "document");
      if (!document.has_value()) return StatusError(document.error());
      if (Status st = Authorize(caller, Op::kCreatePolicy, *name); !st.ok()) return StatusError(st);
      auto policy =
          engine_.iam().CreatePolicy(*name, *document, JsonString(doc, "description").value_or(""));
      if (!policy.has_value()) return StatusError(policy.error());
      return JsonResponse(201, PolicyJson(*policy, /*with_document=*/true));
    });
    return started;
  }
  if (s.size() != 2) return Started(JsonError(404, "NoSuchRoute", "No such API route."));
  const std::string& name = s[1];
  // POST policies/validate; a policy named "validate" is still reached with GET/PUT/DELETE.
  if (method == "POST" && name == "validate") return ValidatePolicy(call);
  if (method == "GET") {
    if (Status st = Authorize(caller, Op::kGetPolicy, name); !st.ok()) {
      return Started(StatusError(st));
    }
    auto policy = engine_.iam().GetPolicy(name);
    if (!policy.has_value()) return Started(StatusError(policy.error()));
    return Started(JsonResponse(200, PolicyJson(*policy, /*with_document=*/true)));
  }
  if (method == "DELETE") {
    Status st = Authorize(caller, Op::kDeletePolicy, name);
    if (st.ok()) st = engine_.iam().DeletePolicy(name);
    if (!st.ok()) return Started(StatusError(st));
    return Started(JsonResponse(200, {{"deleted", name}}));
  }
  if (method != "PUT") return bad_method();
  http::StartedRequest started;
  started.operation = "UpdatePolicy";
  started.body = JsonBody([this, caller, name](const nlohmann::json& doc) {
    auto document = PolicyDocument(doc, "document");
    if (!document.has_value()) return StatusError(document.error());
    if (Status st = Authorize(caller, Op::kUpdatePolicy, name); !st.ok()) return StatusError(st);
    if (Status st = engine_.iam().UpdatePolicy(name, *document); !st.ok()) return StatusError(st);
    auto policy = engine_.iam().GetPolicy(name);
    if (!policy.has_value()) return StatusError(policy.error());
    return JsonResponse(200, PolicyJson(*policy, /*with_document=*/true));
  });
  return started;
}

// Validation only reads its input (no IAM action guards it): any session may ask. A document
// that does not validate is a normal answer (200, valid false), not an error.
http::StartedRequest ConsoleApi::ValidatePolicy(const ApiCall&) {
  http::StartedRequest started;
  started.operation = "ValidatePolicy";
  started.body = JsonBody([this](const nlohmann::json& doc) {
    auto req = ParseValidateRequest(doc);
    if (!req.has_value()) return StatusError(req.error());
    Status st = engine_.iam().ValidatePolicy(req->document, req->resource_policy, req->bucket);
    if (!st.ok() && st.code() != Status::Code::kMalformedPolicy) return StatusError(st);
    return JsonResponse(200, {{"valid", st.ok()}, {"message", st.ok() ? "" : st.message()}});
  });
  return started;
}

}  // namespace maxiofs::console
