// S3Error: an error in the S3 API's own language (the <Code> of the XML error document and its
// HTTP status). Engine Status codes map here exactly once, in s3_errors.cc (FromStatus).
#pragma once

#include "maxiofs/common/status.h"

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace maxiofs::s3 {

enum class S3ErrorCode : uint8_t {
  kAccessDenied,
  kAuthorizationHeaderMalformed,
  kAuthorizationQueryParametersError,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kEntityTooLarge,
  kEntityTooSmall,
  kExpiredToken,
  kIncompleteBody,
  kInternalError,
  kInvalidAccessKeyId,
  kInvalidArgument,
  kInvalidBucketName,
  kInvalidDigest,
  kInvalidObjectState,
  kInvalidPart,
  kInvalidPartOrder,
  kInvalidPartNumber,  // 400: GET/HEAD ?partNumber beyond the object's parts
  kInvalidRange,
  kInvalidRequest,
  kInvalidStorageClass,
  kKeyTooLongError,
  kMalformedXML,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kMissingRequestBodyError,
  kMissingSecurityHeader,
  kNoSuchBucket,
  kNoSuchKey,
  kNoSuchUpload,
  kNoSuchVersion,
  kNotImplemented,
  kNotModified,   // 304; sent without a body
  kObjectLocked,  // S3 answers AccessDenied for lock violations; kept distinct for logging
  kPreconditionFailed,
  kRequestHeaderSectionTooLarge,
  kRequestTimeTooSkewed,
  kRequestTimeout,
  kServiceUnavailable,
  kSignatureDoesNotMatch,
  kSlowDown,
  kXAmzContentSHA256Mismatch,
  kInvalidChecksum,  // InvalidRequest-class: malformed x-amz-checksum-* value
  kReadOnly,         // engine stopped writes after an fsync failure: 503
  kStorageFull,      // disk full: 507 InsufficientStorage (not retried by SDKs; see s3_errors.cc)
  kIllegalLocationConstraint,
  kInvalidBucketState,
  kNoSuchObjectLockConfiguration,
  // 400: a default retention of zero or negative Days/Years.
  kInvalidRetentionPeriod,
  kObjectLockConfigurationNotFoundError,  // CreateBucket for a region other than the server's
  kInvalidEncryptionAlgorithmError,       // SSE-C with an algorithm other than AES256
  kServerSideEncryptionConfigurationNotFoundError,  // GetBucketEncryption without one
  kMalformedPolicy,                                 // 400: a bucket policy that is not valid
  kNoSuchBucketPolicy,                              // 404
  kNoSuchPublicAccessBlockConfiguration,            // 404
  kNoSuchEntity,         // 404: an IAM entity (user, key, group, policy) that does not exist
  kEntityAlreadyExists,  // 409: an IAM entity name already taken
  kDeleteConflict,       // 409: an IAM entity still in use
  kInvalidToken,         // 400: a session token missing, wrong, or sent with a long-term key
  kMalformedACLError,    // 400: an AccessControlPolicy document that is not valid
  kInvalidTag,           // 400: a tag set S3 refuses (count, lengths, duplicate keys)
  kNoSuchTagSet,         // 404: a bucket without tags
  kQuotaExceeded,        // 403: a bucket quota would be passed (MinIO's code and status)
  kNoSuchLifecycleConfiguration,  // 404: GetBucketLifecycleConfiguration without one
  kNoSuchCORSConfiguration,       // 404: a bucket without CORS rules
  kAccessForbidden,               // 403: a CORS preflight no rule allows ("CORSResponse: ...")
  kBadRequest,                    // 400: a CORS preflight without Origin or request method
  // POST Object (browser form uploads):
  kMaxPostPreDataLengthExceededError,    // 400: the fields before the file are too large
  kIncorrectNumberOfFilesInPostRequest,  // 400: no file field (or more than one)
  kMalformedPOSTRequest,                 // 400: the body is not well-formed multipart/form-data
  kInvalidPolicyDocument,            // 400: the POST policy is not valid JSON of the right shape
  kUnresolvableGrantByEmailAddress,  // 400: an ACL grant to an e-mail no account has
  kOwnershipControlsNotFoundError,   // 404: a bucket without ownership controls
  kAccessControlListNotSupported,    // 400: an ACL on a bucket whose ACLs are off
  kInvalidBucketAclWithObjectOwnership,  // 400: BucketOwnerEnforced with a non-private ACL
  kInvalidTargetBucketForLogging,        // 400: a logging target that cannot take logs
};

struct S3Error {
  S3ErrorCode code = S3ErrorCode::kInternalError;
  std::string message;
};

// The <Code> string, e.g. "NoSuchKey".
std::string_view S3ErrorCodeName(S3ErrorCode code);
// The HTTP status S3 answers with, e.g. 404.
int S3HttpStatus(S3ErrorCode code);
// The one mapping from engine Status to S3. REQUIRES: !status.ok().
S3Error FromStatus(const Status& status);

// A value or an S3Error (like Result<T>, for errors that only the S3 front end knows).
template <class T>
class [[nodiscard]] S3Result {
 public:
  S3Result(S3Error e) : v_(std::move(e)) {}  // NOLINT
  S3Result(T v) : v_(std::move(v)) {}        // NOLINT
  bool has_value() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const S3Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, S3Error> v_;
};

}  // namespace maxiofs::s3
