// The Op -> IAM action table (see iam_actions.h). The S3 names follow AWS's "Actions,
// resources and condition keys for Amazon S3"; the IAM ones AWS's IAM API (enable/disable is
// iam:UpdateUser, a managed policy's new document iam:CreatePolicyVersion).
#include "iam_actions.h"

namespace maxiofs::console {
namespace {

struct Entry {
  std::string_view action;
  OpResource resource;
};

Entry EntryOf(Op op) {
  using R = OpResource;
  switch (op) {
    case Op::kListBuckets:
      return {"s3:ListAllMyBuckets", R::kNone};
    case Op::kCreateBucket:
      return {"s3:CreateBucket", R::kBucket};
    case Op::kHeadBucket:
      return {"s3:ListBucket", R::kBucket};
    case Op::kDeleteBucket:
      return {"s3:DeleteBucket", R::kBucket};
    case Op::kPutBucketVersioning:
      return {"s3:PutBucketVersioning", R::kBucket};
    case Op::kGetBucketObjectLock:
      return {"s3:GetBucketObjectLockConfiguration", R::kBucket};
    case Op::kPutBucketObjectLock:
      return {"s3:PutBucketObjectLockConfiguration", R::kBucket};
    case Op::kGetBucketPolicy:
      return {"s3:GetBucketPolicy", R::kBucket};
    case Op::kPutBucketPolicy:
      return {"s3:PutBucketPolicy", R::kBucket};
    case Op::kDeleteBucketPolicy:
      return {"s3:DeleteBucketPolicy", R::kBucket};
    case Op::kGetBucketPolicyStatus:
      return {"s3:GetBucketPolicyStatus", R::kBucket};
    case Op::kGetPublicAccessBlock:
      return {"s3:GetBucketPublicAccessBlock", R::kBucket};
    case Op::kPutPublicAccessBlock:
      return {"s3:PutBucketPublicAccessBlock", R::kBucket};
    case Op::kDeletePublicAccessBlock:
      return {"s3:PutBucketPublicAccessBlock", R::kBucket};
    case Op::kGetBucketQuota:
      return {"maxiofs:GetBucketQuota", R::kBucket};
    case Op::kPutBucketQuota:
      return {"maxiofs:PutBucketQuota", R::kBucket};
    case Op::kGetBucketLifecycle:
      return {"s3:GetLifecycleConfiguration", R::kBucket};
    case Op::kPutBucketLifecycle:
      return {"s3:PutLifecycleConfiguration", R::kBucket};
    case Op::kGetBucketCors:
      return {"s3:GetBucketCORS", R::kBucket};
    case Op::kPutBucketCors:
    case Op::kDeleteBucketCors:  // as S3: DeleteBucketCors needs the Put action
      return {"s3:PutBucketCORS", R::kBucket};
    case Op::kGetBucketTagging:
      return {"s3:GetBucketTagging", R::kBucket};
    case Op::kGetBucketLogging:
      return {"s3:GetBucketLogging", R::kBucket};
    case Op::kPutBucketTagging:
      return {"s3:PutBucketTagging", R::kBucket};
    case Op::kListObjects:
      return {"s3:ListBucket", R::kBucket};
    case Op::kListVersions:
      return {"s3:ListBucketVersions", R::kBucket};
    case Op::kGetObject:
      return {"s3:GetObject", R::kObject};
    case Op::kGetObjectVersion:
      return {"s3:GetObjectVersion", R::kObject};
    case Op::kPutObject:
      return {"s3:PutObject", R::kObject};
    case Op::kDeleteObject:
      return {"s3:DeleteObject", R::kObject};
    case Op::kDeleteObjectVersion:
      return {"s3:DeleteObjectVersion", R::kObject};
    case Op::kAbortMultipart:
      return {"s3:AbortMultipartUpload", R::kObject};
    case Op::kPutRetention:
      return {"s3:PutObjectRetention", R::kObject};
    case Op::kBypassGovernance:
      return {"s3:BypassGovernanceRetention", R::kObject};
    case Op::kPutLegalHold:
      return {"s3:PutObjectLegalHold", R::kObject};
    case Op::kGetObjectTagging:
      return {"s3:GetObjectTagging", R::kObject};
    case Op::kGetObjectVersionTagging:
      return {"s3:GetObjectVersionTagging", R::kObject};
    case Op::kPutObjectTagging:
      return {"s3:PutObjectTagging", R::kObject};
    case Op::kPutObjectVersionTagging:
      return {"s3:PutObjectVersionTagging", R::kObject};
    case Op::kDeleteObjectTagging:
      return {"s3:DeleteObjectTagging", R::kObject};
    case Op::kDeleteObjectVersionTagging:
      return {"s3:DeleteObjectVersionTagging", R::kObject};
    case Op::kListUsers:
      return {"iam:ListUsers", R::kUser};
    case Op::kCreateUser:
      return {"iam:CreateUser", R::kUser};
    case Op::kGetUser:
      return {"iam:GetUser", R::kUser};
    case Op::kUpdateUser:
      return {"iam:UpdateUser", R::kUser};
    case Op::kDeleteUser:
      return {"iam:DeleteUser", R::kUser};
    case Op::kListAccessKeys:
      return {"iam:ListAccessKeys", R::kUser};
    case Op::kCreateAccessKey:
      return {"iam:CreateAccessKey", R::kUser};
    case Op::kUpdateAccessKey:
      return {"iam:UpdateAccessKey", R::kUser};
    case Op::kDeleteAccessKey:
      return {"iam:DeleteAccessKey", R::kUser};
    case Op::kCreateLoginProfile:
      return {"iam:CreateLoginProfile", R::kUser};
    case Op::kUpdateLoginProfile:
      return {"iam:UpdateLoginProfile", R::kUser};
    case Op::kDeleteLoginProfile:
      return {"iam:DeleteLoginProfile", R::kUser};
    case Op::kListGroups:
      return {"iam:ListGroups", R::kGroup};
    case Op::kCreateGroup:
      return {"iam:CreateGroup", R::kGroup};
    case Op::kGetGroup:
      return {"iam:GetGroup", R::kGroup};
    case Op::kDeleteGroup:
      return {"iam:DeleteGroup", R::kGroup};
    case Op::kAddUserToGroup:
      return {"iam:AddUserToGroup", R::kGroup};
    case Op::kRemoveUserFromGroup:
      return {"iam:RemoveUserFromGroup", R::kGroup};
    case Op::kListPolicies:
      return {"iam:ListPolicies", R::kPolicy};
    case Op::kCreatePolicy:
      return {"iam:CreatePolicy", R::kPolicy};
    case Op::kGetPolicy:
      return {"iam:GetPolicy", R::kPolicy};
    case Op::kUpdatePolicy:
      return {"iam:CreatePolicyVersion", R::kPolicy};
    case Op::kDeletePolicy:
      return {"iam:DeletePolicy", R::kPolicy};
    case Op::kAttachUserPolicy:
      return {"iam:AttachUserPolicy", R::kUser};
    case Op::kDetachUserPolicy:
      return {"iam:DetachUserPolicy", R::kUser};
    case Op::kAttachGroupPolicy:
      return {"iam:AttachGroupPolicy", R::kGroup};
    case Op::kDetachGroupPolicy:
      return {"iam:DetachGroupPolicy", R::kGroup};
    case Op::kGetServerConfig:
      return {"maxiofs:GetServerConfig", R::kNone};
  }
  return {"", R::kNone};  // unreachable: the switch is exhaustive (-Werror=switch)
}

}  // namespace

std::string_view IamAction(Op op) { return EntryOf(op).action; }
OpResource ResourceOf(Op op) { return EntryOf(op).resource; }

}  // namespace maxiofs::console
