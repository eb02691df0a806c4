// The console's one table from what it does to the IAM action that must be allowed for it:
// the same action the S3 API (or AWS's IAM API) checks for the same operation, so one policy
// governs a user whichever way they come in. Handlers name an Op; Authorize (api_authz.cc)
// asks Iam::Authorize for IamAction(op) on the op's resource.
//
// Thread-safety: pure functions over a constant table.
#pragma once

#include <cstdint>
#include <string_view>

namespace maxiofs::console {

enum class Op : uint8_t {
  // Buckets and their settings (resource: the bucket; none for kListBuckets).
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kPutBucketVersioning,
  kGetBucketObjectLock,
  kPutBucketObjectLock,
  kGetBucketPolicy,
  kPutBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketPolicyStatus,
  kGetPublicAccessBlock,
  kPutPublicAccessBlock,
  kDeletePublicAccessBlock,
  kGetBucketQuota,      // not an AWS action: maxiofs:GetBucketQuota
  kPutBucketQuota,      // maxiofs:PutBucketQuota (set and clear)
  kGetBucketLifecycle,  // s3:GetLifecycleConfiguration
  kPutBucketLifecycle,  // s3:PutLifecycleConfiguration (set and delete, as in AWS)
  kGetBucketCors,
  kPutBucketCors,
  kDeleteBucketCors,
  kGetBucketTagging,
  kPutBucketTagging,  // set and delete, as in AWS
  kGetBucketLogging,  // s3:GetBucketLogging (the bucket page shows where logs go)
  // Listings (resource: the bucket; s3:prefix etc. in the context).
  kListObjects,
  kListVersions,
  // Objects (resource: bucket/key).
  kGetObject,
  kGetObjectVersion,
  kPutObject,
  kDeleteObject,
  kDeleteObjectVersion,
  kAbortMultipart,
  kPutRetention,
  kBypassGovernance,
  kPutLegalHold,
  kGetObjectTagging,
  kGetObjectVersionTagging,
  kPutObjectTagging,
  kPutObjectVersionTagging,
  kDeleteObjectTagging,
  kDeleteObjectVersionTagging,
  // IAM (resource: the user, group or policy ARN; "...:user/*" etc. for listings).
  kListUsers,
  kCreateUser,
  kGetUser,
  kUpdateUser,  // enable / disable
  kDeleteUser,
  kListAccessKeys,
  kCreateAccessKey,
  kUpdateAccessKey,
  kDeleteAccessKey,
  kCreateLoginProfile,
  kUpdateLoginProfile,
  kDeleteLoginProfile,
  kListGroups,
  kCreateGroup,
  kGetGroup,
  kDeleteGroup,
  kAddUserToGroup,
  kRemoveUserFromGroup,
  kListPolicies,
  kCreatePolicy,
  kGetPolicy,
  kUpdatePolicy,
  kDeletePolicy,
  kAttachUserPolicy,
  kDetachUserPolicy,
  kAttachGroupPolicy,
  kDetachGroupPolicy,
  // The server's effective configuration (settings page); not an AWS action.
  kGetServerConfig,
};

// What an Op's resource is.
enum class OpResource : uint8_t {
  kNone,    // s3:ListAllMyBuckets, the server configuration
  kBucket,  // arn:aws:s3:::bucket
  kObject,  // arn:aws:s3:::bucket/key
  kUser,    // arn:aws:iam::<acct>:user/<name>
  kGroup,   // arn:aws:iam::<acct>:group/<name>
  kPolicy,  // arn:aws:iam::<acct>:policy/<name>
};

// "s3:PutObject", "iam:CreateUser", ... Every Op has one (exhaustive switch).
std::string_view IamAction(Op op);
OpResource ResourceOf(Op op);

}  // namespace maxiofs::console
