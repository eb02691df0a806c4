#include "iam_json.h"

#include "http_util.h"

namespace maxiofs::console {

nlohmann::json UserJson(const engine::UserInfo& user) {
  return {{"name", user.name},       {"arn", user.arn},
          {"userId", user.user_id},  {"createdAt", Rfc3339FromNs(user.created_ns)},
          {"enabled", user.enabled}, {"hasPassword", user.has_console_password},
          {"groups", user.groups},   {"policies", user.attached_policies}};
}

nlohmann::json AccessKeyJson(const engine::AccessKeyInfo& key) {
  nlohmann::json j = {
      {"accessKey", key.access_key},
      {"user", key.user},
      {"status", AccessKeyStatusName(key.status)},
      {"createdAt", Rfc3339FromNs(key.created_ns)},
      {"lastUsed", key.last_used_ns == 0 ? nlohmann::json(nullptr)
                                         : nlohmann::json(Rfc3339FromNs(key.last_used_ns))}};
  if (!key.secret_key.empty()) j["secretKey"] = key.secret_key;
  return j;
}

nlohmann::json GroupJson(const engine::GroupInfo& group) {
  return {{"name", group.name},        {"arn", group.arn},
          {"groupId", group.group_id}, {"createdAt", Rfc3339FromNs(group.created_ns)},
          {"members", group.members},  {"policies", group.attached_policies}};
}

nlohmann::json PolicyJson(const engine::ManagedPolicyInfo& policy, bool with_document) {
  nlohmann::json j = {{"name", policy.name},
                      {"arn", policy.arn},
                      {"policyId", policy.policy_id},
                      {"description", policy.description},
                      {"createdAt", Rfc3339FromNs(policy.created_ns)},
                      {"updatedAt", Rfc3339FromNs(policy.updated_ns)},
                      {"attachments", policy.attachment_count}};
  if (with_document) j["document"] = policy.document;
  return j;
}

std::optional<engine::AccessKeyStatus> ParseAccessKeyStatus(std::string_view text) {
  if (text == "Active") return engine::AccessKeyStatus::kActive;
  if (text == "Inactive") return engine::AccessKeyStatus::kInactive;
  return std::nullopt;
}

std::string_view AccessKeyStatusName(engine::AccessKeyStatus status) {
  switch (status) {
    case engine::AccessKeyStatus::kActive:
      return "Active";
    case engine::AccessKeyStatus::kInactive:
      return "Inactive";
  }
  return "Inactive";
}

Result<engine::PublicAccessBlock> ParsePublicAccessBlock(const nlohmann::json& doc) {
  engine::PublicAccessBlock cfg;
  const std::pair<const char*, bool*> members[] = {
      {"blockPublicAcls", &cfg.block_public_acls},
      {"ignorePublicAcls", &cfg.ignore_public_acls},
      {"blockPublicPolicy", &cfg.block_public_policy},
      {"restrictPublicBuckets", &cfg.restrict_public_buckets},
  };
  for (const auto& [name, field] : members) {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_boolean())
      return Status::InvalidArgument(std::string(name) + " must be true or false");
    *field = it->get<bool>();
  }
  return cfg;
}

nlohmann::json PublicAccessBlockJson(const engine::PublicAccessBlock& cfg) {
  return {{"blockPublicAcls", cfg.block_public_acls},
          {"ignorePublicAcls", cfg.ignore_public_acls},
          {"blockPublicPolicy", cfg.block_public_policy},
          {"restrictPublicBuckets", cfg.restrict_public_buckets}};
}

Result<std::string> PolicyDocument(const nlohmann::json& doc, const char* name) {
  auto it = doc.find(name);
  std::string text;
  if (it != doc.end() && it->is_string()) {
    text = it->get<std::string>();
  } else if (it != doc.end() && it->is_object()) {
    text = it->dump(2);
  } else {
    return Status::InvalidArgument(std::string(name) +
                                   " is required: the policy as JSON text or as an object");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument(std::string(name) + " is empty");
  }
  return text;
}

Result<ValidateRequest> ParseValidateRequest(const nlohmann::json& doc) {
  ValidateRequest req;
  auto document = PolicyDocument(doc, "document");
  if (!document.has_value()) return document.error();
  req.document = std::move(document).value();
  std::string kind = "identity";
  if (auto it = doc.find("kind"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) return Status::InvalidArgument("kind must be identity or bucket");
    kind = it->get<std::string>();
  }
  if (kind == "bucket") {
    req.resource_policy = true;
  } else if (kind != "identity") {
    return Status::InvalidArgument("kind must be identity or bucket");
  }
  if (auto it = doc.find("bucket"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) return Status::InvalidArgument("bucket must be a string");
    req.bucket = it->get<std::string>();
  }
  if (!req.resource_policy && !req.bucket.empty()) {
    return Status::InvalidArgument("bucket is only for kind bucket");
  }
  return req;
}

}  // namespace maxiofs::console
