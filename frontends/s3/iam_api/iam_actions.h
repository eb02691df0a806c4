// The IAM and STS query APIs on the S3 port: one function per Action, each authorizing the
// caller (iam:<Action> / sts:<Action> on the user/group/policy ARN, through the engine's
// Authorize) and calling Engine::iam(). Beast-free; unit-tested with a real engine.
//
// Supported: CreateUser GetUser ListUsers DeleteUser CreateAccessKey ListAccessKeys
// UpdateAccessKey DeleteAccessKey GetAccessKeyLastUsed CreateGroup GetGroup ListGroups
// DeleteGroup AddUserToGroup RemoveUserFromGroup ListGroupsForUser CreatePolicy GetPolicy
// GetPolicyVersion ListPolicies DeletePolicy CreatePolicyVersion AttachUserPolicy
// DetachUserPolicy ListAttachedUserPolicies AttachGroupPolicy DetachGroupPolicy
// ListAttachedGroupPolicies CreateLoginProfile UpdateLoginProfile DeleteLoginProfile; STS
// AssumeRole GetSessionToken GetCallerIdentity. Others: InvalidAction 400.
#pragma once

#include "authz_map.h"
#include "encoding.h"
#include "http_types.h"

#include "maxiofs/engine/iam.h"

#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3::iam_api {

// One decoded call.
struct IamCall {
  engine::Iam* iam = nullptr;
  engine::Principal caller;
  ConditionContext context;        // the request's condition keys (aws:SourceIp, ...)
  std::vector<QueryParam> params;  // the form: Action, Version, and the action's parameters
  int64_t now_ns = 0;
  std::string request_id;
};

// "iam" or "sts" for a supported action, "" otherwise.
std::string_view ServiceOfAction(std::string_view action);

// Runs call.params' Action. The IAM/STS response document, or its error document
// (MissingParameter, InvalidAction, InvalidInput, AccessDenied, NoSuchEntity, ...).
Response RunIamAction(const IamCall& call);

// arn:aws:iam::000000000000:policy/<name> -> <name>; "" when `arn` is not a policy of the
// account.
std::string PolicyNameFromArn(std::string_view arn);

}  // namespace maxiofs::s3::iam_api
