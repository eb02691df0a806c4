#include "iam_actions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace maxiofs::console {
namespace {

TEST(IamActionsTest, ConsoleOpsUseTheActionsOfTheS3AndIamApis) {
  EXPECT_EQ(IamAction(Op::kListBuckets), "s3:ListAllMyBuckets");
  EXPECT_EQ(IamAction(Op::kCreateBucket), "s3:CreateBucket");
  EXPECT_EQ(IamAction(Op::kHeadBucket), "s3:ListBucket");
  EXPECT_EQ(IamAction(Op::kListObjects), "s3:ListBucket");
  EXPECT_EQ(IamAction(Op::kGetObject), "s3:GetObject");
  EXPECT_EQ(IamAction(Op::kPutObject), "s3:PutObject");
  EXPECT_EQ(IamAction(Op::kDeleteObject), "s3:DeleteObject");
  EXPECT_EQ(IamAction(Op::kDeleteObjectVersion), "s3:DeleteObjectVersion");
  EXPECT_EQ(IamAction(Op::kPutBucketVersioning), "s3:PutBucketVersioning");
  EXPECT_EQ(IamAction(Op::kPutBucketPolicy), "s3:PutBucketPolicy");
  EXPECT_EQ(IamAction(Op::kPutPublicAccessBlock), "s3:PutBucketPublicAccessBlock");
  EXPECT_EQ(IamAction(Op::kCreateUser), "iam:CreateUser");
  EXPECT_EQ(IamAction(Op::kUpdateUser), "iam:UpdateUser");
  EXPECT_EQ(IamAction(Op::kUpdatePolicy), "iam:CreatePolicyVersion");
  EXPECT_EQ(IamAction(Op::kCreateLoginProfile), "iam:CreateLoginProfile");
  EXPECT_EQ(IamAction(Op::kPutObjectTagging), "s3:PutObjectTagging");
  EXPECT_EQ(IamAction(Op::kDeleteObjectVersionTagging), "s3:DeleteObjectVersionTagging");
  EXPECT_EQ(IamAction(Op::kPutBucketTagging), "s3:PutBucketTagging");
  EXPECT_EQ(ResourceOf(Op::kGetObjectTagging), OpResource::kObject);
  EXPECT_EQ(ResourceOf(Op::kGetBucketTagging), OpResource::kBucket);
}

TEST(IamActionsTest, EveryOpHasAServicePrefixedActionAndAResource) {
  for (int i = 0; i <= static_cast<int>(Op::kGetServerConfig); ++i) {
    const Op op = static_cast<Op>(i);
    const std::string action(IamAction(op));
    ASSERT_FALSE(action.empty()) << i;
    const std::string service = action.substr(0, action.find(':'));
    EXPECT_TRUE(service == "s3" || service == "iam" || service == "maxiofs") << action;
    EXPECT_NE(action.find(':'), std::string::npos) << action;
    const OpResource r = ResourceOf(op);
    if (service == "iam") {
      EXPECT_TRUE(r == OpResource::kUser || r == OpResource::kGroup || r == OpResource::kPolicy)
          << action;
    } else if (service == "s3" && op != Op::kListBuckets) {
      EXPECT_TRUE(r == OpResource::kBucket || r == OpResource::kObject) << action;
    }
  }
}

TEST(IamActionsTest, ObjectOpsNameTheObjectAndBucketOpsTheBucket) {
  EXPECT_EQ(ResourceOf(Op::kListBuckets), OpResource::kNone);
  EXPECT_EQ(ResourceOf(Op::kListObjects), OpResource::kBucket);
  EXPECT_EQ(ResourceOf(Op::kGetObject), OpResource::kObject);
  EXPECT_EQ(ResourceOf(Op::kPutLegalHold), OpResource::kObject);
  EXPECT_EQ(ResourceOf(Op::kAttachUserPolicy), OpResource::kUser);
  EXPECT_EQ(ResourceOf(Op::kAttachGroupPolicy), OpResource::kGroup);
  EXPECT_EQ(ResourceOf(Op::kAddUserToGroup), OpResource::kGroup);
  EXPECT_EQ(ResourceOf(Op::kGetPolicy), OpResource::kPolicy);
}

}  // namespace
}  // namespace maxiofs::console
