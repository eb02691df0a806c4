// Authorization of S3 requests: which IAM action(s) on which resource each S3 operation needs,
// and the request-derived condition keys. The decision itself is the engine's
// (Iam::Authorize); this file only asks the right questions. Pure; thread-safe.
#pragma once

#include "auth/auth.h"
#include "http_types.h"
#include "router.h"

#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/types.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3 {

// Where an operation's action applies.
enum class AuthzScope : uint8_t {
  kNone,       // needs no authorization (health checks; 501 answers that touch nothing)
  kService,    // no resource (s3:ListAllMyBuckets)
  kBucket,     // arn:aws:s3:::bucket
  kObject,     // arn:aws:s3:::bucket/key
  kInHandler,  // asked by the handler, per item (DeleteObjects per key; the IAM/STS API per
               // action)
};

// One row of the table: the action, and the one asked instead when the request names a
// version (versionId query parameter); "" when versions make no difference.
struct OpAuthz {
  AuthzScope scope = AuthzScope::kNone;
  std::string_view action;
  std::string_view version_action;
};

// The row of `op`. Every S3Op has one (authz_map_test checks).
OpAuthz AuthzFor(S3Op op);

using ConditionContext = std::map<std::string, std::vector<std::string>>;

// The condition keys a request carries: aws:SourceIp, aws:SecureTransport, aws:UserAgent,
// aws:Referer, s3:signatureversion and s3:authType (authenticated requests), s3:x-amz-acl,
// s3:x-amz-server-side-encryption, s3:object-lock-mode/-retain-until-date/-legal-hold,
// s3:VersionId, for listings s3:prefix, s3:delimiter, s3:max-keys, and for writes with
// x-amz-tagging s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys. A key is present only
// when the request has it.
ConditionContext RequestConditions(const HttpRequest& request, const Route& route,
                                   const AuthResult& auth);

// s3:RequestObjectTag/<key> (each tag's value) and s3:RequestObjectTagKeys (every key; present
// and empty for an empty set) of a request that sets `tags`.
void AddRequestTagConditions(const engine::TagSet& tags, ConditionContext& c);

// The IP address of "ip:port" (IPv4 "1.2.3.4:5", IPv6 "::1:5" or "[::1]:5"); "" when empty.
std::string RemoteIp(std::string_view remote);

// The questions to ask Authorize before the operation runs: the row's action, then the
// extras the request's headers imply (CopyObject/UploadPartCopy: s3:GetObject[Version] on the
// source; x-amz-acl / x-amz-grant-*: s3:PutObjectAcl or s3:PutBucketAcl; x-amz-tagging:
// s3:PutObjectTagging; lock headers:
// s3:PutObjectRetention / s3:PutObjectLegalHold; x-amz-bypass-governance-retention:
// s3:BypassGovernanceRetention; object-lock-enabled CreateBucket:
// s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning). Each copies `base`
// (principal and context). Empty for kNone and kInHandler. A malformed x-amz-copy-source adds
// no question (the handler refuses it).
std::vector<engine::AuthzRequest> AuthzRequestsFor(const Route& route, const HttpRequest& request,
                                                   const engine::AuthzRequest& base);

}  // namespace maxiofs::s3
