// The JSON shapes of the console's IAM and bucket-access API: engine values out, request
// documents in. Parsers return InvalidArgument with a message naming the member at fault.
//
// Thread-safety: pure functions.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/iam.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::console {

// {name, arn, userId, createdAt, enabled, hasPassword, groups[], policies[]}
nlohmann::json UserJson(const engine::UserInfo& user);
// {accessKey, user, status: Active|Inactive, createdAt, lastUsed (RFC 3339 or null)}, plus
// secretKey when the engine gave one (only CreateAccessKey does).
nlohmann::json AccessKeyJson(const engine::AccessKeyInfo& key);
// {name, arn, groupId, createdAt, members[], policies[]}
nlohmann::json GroupJson(const engine::GroupInfo& group);
// {name, arn, policyId, description, createdAt, updatedAt, attachments}, plus the document
// when `with_document`.
nlohmann::json PolicyJson(const engine::ManagedPolicyInfo& policy, bool with_document);

// "Active" / "Inactive" (as IAM spells them); nullopt for anything else.
std::optional<engine::AccessKeyStatus> ParseAccessKeyStatus(std::string_view text);
std::string_view AccessKeyStatusName(engine::AccessKeyStatus status);

// {blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets}; each member
// optional (false) but a boolean when present.
Result<engine::PublicAccessBlock> ParsePublicAccessBlock(const nlohmann::json& doc);
nlohmann::json PublicAccessBlockJson(const engine::PublicAccessBlock& cfg);

// A policy document in a request: the member `name` as a string (kept as typed, so the
// editor's formatting survives) or as a JSON object (serialized). InvalidArgument when
// missing, empty or of another type.
Result<std::string> PolicyDocument(const nlohmann::json& doc, const char* name);

// POST /policies/validate {document, kind: identity|bucket, bucket?}.
struct ValidateRequest {
  std::string document;
  bool resource_policy = false;  // kind "bucket"
  std::string bucket;
};
Result<ValidateRequest> ParseValidateRequest(const nlohmann::json& doc);

}  // namespace maxiofs::console
