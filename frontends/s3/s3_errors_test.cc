#include "s3_error.h"

#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

TEST(S3Errors, EveryCodeHasANameAndAStatus) {
  for (int i = 0; i <= static_cast<int>(S3ErrorCode::kInvalidTargetBucketForLogging); ++i) {
    auto code = static_cast<S3ErrorCode>(i);
    EXPECT_FALSE(S3ErrorCodeName(code).empty()) << i;
    int status = S3HttpStatus(code);
    EXPECT_GE(status, 300) << i;
    EXPECT_LT(status, 600) << i;
  }
}

TEST(S3Errors, KnownStatuses) {
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kNoSuchKey), 404);
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kInvalidRange), 416);
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kMissingContentLength), 411);
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kPreconditionFailed), 412);
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kNotImplemented), 501);
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kMethodNotAllowed), 405);
  EXPECT_EQ(S3ErrorCodeName(S3ErrorCode::kObjectLocked), "AccessDenied");
  EXPECT_EQ(S3ErrorCodeName(S3ErrorCode::kInvalidChecksum), "InvalidRequest");
  EXPECT_EQ(S3ErrorCodeName(S3ErrorCode::kInvalidToken), "InvalidToken");
  EXPECT_EQ(S3HttpStatus(S3ErrorCode::kInvalidToken), 400);
}

TEST(S3Errors, FromStatusMapsEveryEngineCode) {
  struct Case {
    Status::Code code;
    std::string_view name;
    int http;
  };
  const Case cases[] = {
      {Status::Code::kNoSuchBucket, "NoSuchBucket", 404},
      {Status::Code::kNoSuchKey, "NoSuchKey", 404},
      {Status::Code::kNoSuchVersion, "NoSuchVersion", 404},
      {Status::Code::kNoSuchUpload, "NoSuchUpload", 404},
      {Status::Code::kBucketNotEmpty, "BucketNotEmpty", 409},
      {Status::Code::kBucketAlreadyOwnedByYou, "BucketAlreadyOwnedByYou", 409},
      {Status::Code::kBucketAlreadyExists, "BucketAlreadyExists", 409},
      {Status::Code::kInvalidBucketName, "InvalidBucketName", 400},
      {Status::Code::kInvalidKey, "InvalidArgument", 400},
      {Status::Code::kAccessDenied, "AccessDenied", 403},
      {Status::Code::kObjectLocked, "AccessDenied", 403},
      {Status::Code::kInvalidArgument, "InvalidArgument", 400},
      {Status::Code::kInvalidRequest, "InvalidRequest", 400},
      {Status::Code::kInvalidRange, "InvalidRange", 416},
      {Status::Code::kPreconditionFailed, "PreconditionFailed", 412},
      {Status::Code::kNotModified, "NotModified", 304},
      {Status::Code::kBadDigest, "BadDigest", 400},
      {Status::Code::kEntityTooLarge, "EntityTooLarge", 400},
      {Status::Code::kIncompleteBody, "IncompleteBody", 400},
      {Status::Code::kNotImplemented, "NotImplemented", 501},
      {Status::Code::kStorageFull, "InsufficientStorage", 507},
      {Status::Code::kQuotaExceeded, "QuotaExceeded", 403},
      {Status::Code::kReadOnly, "ServiceUnavailable", 503},
      {Status::Code::kBusy, "ServiceUnavailable", 503},
      {Status::Code::kWouldBlock, "ServiceUnavailable", 503},
      {Status::Code::kNotFound, "InternalError", 500},
      {Status::Code::kIOError, "InternalError", 500},
      {Status::Code::kCorruption, "InternalError", 500},
      {Status::Code::kInternal, "InternalError", 500},
      {Status::Code::kMethodNotAllowed, "MethodNotAllowed", 405},
      {Status::Code::kEntityTooSmall, "EntityTooSmall", 400},
      {Status::Code::kInvalidPart, "InvalidPart", 400},
      {Status::Code::kInvalidPartOrder, "InvalidPartOrder", 400},
      {Status::Code::kInvalidBucketState, "InvalidBucketState", 409},
      {Status::Code::kNoSuchObjectLockConfiguration, "NoSuchObjectLockConfiguration", 404},
      {Status::Code::kObjectLockConfigurationNotFound, "ObjectLockConfigurationNotFoundError", 404},
      {Status::Code::kInvalidTag, "InvalidTag", 400},
      {Status::Code::kNoSuchTagSet, "NoSuchTagSet", 404},
      {Status::Code::kOwnershipControlsNotFound, "OwnershipControlsNotFoundError", 404},
  };
  for (const auto& c : cases) {
    S3Error e = FromStatus(Status::Error(c.code, "detail"));
    EXPECT_EQ(S3ErrorCodeName(e.code), c.name) << Status::CodeName(c.code);
    EXPECT_EQ(S3HttpStatus(e.code), c.http) << Status::CodeName(c.code);
  }
}

TEST(S3Errors, KeyTooLongIsDecidedBySubcode) {
  Status s = engine::ValidateObjectKey(std::string(1025, 'k'));
  EXPECT_EQ(S3ErrorCodeName(FromStatus(s).code), "KeyTooLongError");
  EXPECT_EQ(S3ErrorCodeName(FromStatus(engine::ValidateObjectKey("bad\xff")).code),
            "InvalidArgument");
}

TEST(S3Errors, InvalidStorageClassIsDecidedBySubcode) {
  Status s = Status::InvalidArgument("rule 'r': transitions are not supported")
                 .WithSubCode(Status::SubCode::kInvalidStorageClass);
  S3Error e = FromStatus(s);
  EXPECT_EQ(S3ErrorCodeName(e.code), "InvalidStorageClass");
  EXPECT_EQ(S3HttpStatus(e.code), 400);
  EXPECT_EQ(e.message, "rule 'r': transitions are not supported");
}

TEST(S3Errors, SubcodesPickTheS3Code) {
  S3Error e = FromStatus(Status::InvalidArgument("no such address")
                             .WithSubCode(Status::SubCode::kUnresolvableGrant, "a@b"));
  EXPECT_EQ(S3ErrorCodeName(e.code), "UnresolvableGrantByEmailAddress");
  EXPECT_EQ(S3HttpStatus(e.code), 400);
  e = FromStatus(Status::InvalidRequest("off").WithSubCode(Status::SubCode::kAclNotSupported));
  EXPECT_EQ(S3ErrorCodeName(e.code), "AccessControlListNotSupported");
  e = FromStatus(
      Status::InvalidRequest("acl").WithSubCode(Status::SubCode::kAclConflictsWithOwnership));
  EXPECT_EQ(S3ErrorCodeName(e.code), "InvalidBucketAclWithObjectOwnership");
}

TEST(S3Errors, InternalDetailsAreNotLeaked) {
  S3Error e = FromStatus(Status::IOError("open /var/lib/secret/path: EIO"));
  EXPECT_EQ(e.message.find("/var/lib"), std::string::npos);
}

}  // namespace
}  // namespace maxiofs::s3
