// Helpers shared by the API handler files: query access, the JSON request body, and the JSON
// shapes of engine values.
#include "api.h"

namespace maxiofs::console {
namespace {

class JsonBodyImpl final : public http::RequestBody {
 public:
  explicit JsonBodyImpl(std::function<http::Response(const nlohmann::json&)> handler)
      : handler_(std::move(handler)) {}

  std::optional<http::Response> Feed(std::string_view raw) override {
    if (text_.size() + raw.size() > kMaxJsonBody) {
      return JsonError(413, "EntityTooLarge", "The JSON document is over 1 MiB.");
    }
    text_.append(raw);
    return std::nullopt;
  }

  http::Response Finish() override {
    auto doc = nlohmann::json::parse(text_, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      return JsonError(400, "MalformedJSON", "The request body is not a JSON object.");
    }
    try {
      return handler_(doc);
    } catch (const nlohmann::json::exception&) {
      // A member of the wrong type (value<T>() / get<T>() on a mismatched type).
      return JsonError(400, "InvalidArgument", "A member of the JSON document has the wrong type.");
    }
  }

 private:
  std::function<http::Response(const nlohmann::json&)> handler_;
  std::string text_;
};

}  // namespace

std::string ApiCall::Query(const std::string& name, std::string fallback) const {
  auto it = target.query.find(name);
  return it == target.query.end() ? fallback : it->second;
}

std::unique_ptr<http::RequestBody> JsonBody(
    std::function<http::Response(const nlohmann::json&)> handler) {
  return std::make_unique<JsonBodyImpl>(std::move(handler));
}

std::optional<std::string> JsonString(const nlohmann::json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

http::StartedRequest Started(http::Response response) {
  http::StartedRequest started;
  started.response = std::move(response);
  return started;
}

std::string LockModeName(engine::LockMode mode) {
  switch (mode) {
    case engine::LockMode::kNone:
      return "NONE";
    case engine::LockMode::kGovernance:
      return "GOVERNANCE";
    case engine::LockMode::kCompliance:
      return "COMPLIANCE";
  }
  return "NONE";
}

std::optional<engine::LockMode> ParseLockMode(std::string_view name) {
  if (name == "NONE" || name.empty()) return engine::LockMode::kNone;
  if (name == "GOVERNANCE") return engine::LockMode::kGovernance;
  if (name == "COMPLIANCE") return engine::LockMode::kCompliance;
  return std::nullopt;
}

std::string VersioningName(engine::VersioningState state) {
  switch (state) {
    case engine::VersioningState::kUnversioned:
      return "Unversioned";
    case engine::VersioningState::kEnabled:
      return "Enabled";
    case engine::VersioningState::kSuspended:
      return "Suspended";
  }
  return "Unversioned";
}

nlohmann::json ObjectJson(const engine::ObjectInfo& info) {
  nlohmann::json j = {
      {"key", info.key},
      {"versionId", info.version_id},
      {"deleteMarker", info.delete_marker},
      {"isLatest", info.is_latest},
      {"size", info.size},
      {"etag", info.etag},
      {"lastModified", Rfc3339FromNs(info.last_modified_ns)},
  };
  if (info.retention.mode != engine::LockMode::kNone) {
    j["retention"] = {{"mode", LockModeName(info.retention.mode)},
                      {"retainUntil", Rfc3339FromNs(info.retention.retain_until_ns)}};
  }
  if (info.legal_hold) j["legalHold"] = true;
  return j;
}

}  // namespace maxiofs::console
