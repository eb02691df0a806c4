// The one mapping of errors to S3's language: S3ErrorCode -> <Code> string and HTTP status, and
// engine Status::Code -> S3ErrorCode. Exhaustive switches (-Werror=switch): a new code anywhere
// fails the build until it is mapped here.
//
// Decisions (documented in frontends/s3/README.md):
//  - kObjectLocked answers AccessDenied 403, as S3 does for lock violations.
//  - kQuotaExceeded answers 403 QuotaExceeded, as MinIO does for its hard bucket quotas (S3 has
//    no quotas; clients that know MinIO already handle this code, and 403 is not retried).
//  - kStorageFull answers 507 InsufficientStorage. S3 has no such code; 503 would make every
//    SDK retry a request that cannot succeed until an operator frees space.
//  - kReadOnly (engine stopped writes after an fsync failure), kBusy and kWouldBlock answer 503
//    ServiceUnavailable; so does kUnavailable (the blob store is down after retries), or 503
//    SlowDown when the store was throttling us (SubCode kThrottled).
//  - kInvalidKey answers InvalidArgument; the handlers check the 1024-byte limit themselves and
//    answer KeyTooLongError before calling the engine, so no message text is ever inspected.
//  - IOError, Corruption, Internal and NotFound (a non-S3 thing) answer 500 InternalError with a
//    generic message; the detail goes to the log only.
#include "s3_error.h"

#include <spdlog/spdlog.h>

namespace maxiofs::s3 {

std::string_view S3ErrorCodeName(S3ErrorCode code) {
  switch (code) {
    case S3ErrorCode::kAccessDenied:
      return "AccessDenied";
    case S3ErrorCode::kAuthorizationHeaderMalformed:
      return "AuthorizationHeaderMalformed";
    case S3ErrorCode::kAuthorizationQueryParametersError:
      return "AuthorizationQueryParametersError";
    case S3ErrorCode::kBadDigest:
      return "BadDigest";
    case S3ErrorCode::kBucketAlreadyExists:
      return "BucketAlreadyExists";
    case S3ErrorCode::kBucketAlreadyOwnedByYou:
      return "BucketAlreadyOwnedByYou";
    case S3ErrorCode::kBucketNotEmpty:
      return "BucketNotEmpty";
    case S3ErrorCode::kEntityTooLarge:
      return "EntityTooLarge";
    case S3ErrorCode::kEntityTooSmall:
      return "EntityTooSmall";
    case S3ErrorCode::kExpiredToken:
      return "ExpiredToken";
    case S3ErrorCode::kIncompleteBody:
      return "IncompleteBody";
    case S3ErrorCode::kInternalError:
      return "InternalError";
    case S3ErrorCode::kInvalidAccessKeyId:
      return "InvalidAccessKeyId";
    case S3ErrorCode::kInvalidArgument:
      return "InvalidArgument";
    case S3ErrorCode::kInvalidBucketName:
      return "InvalidBucketName";
    case S3ErrorCode::kInvalidDigest:
      return "InvalidDigest";
    case S3ErrorCode::kInvalidObjectState:
      return "InvalidObjectState";
    case S3ErrorCode::kInvalidPart:
      return "InvalidPart";
    case S3ErrorCode::kInvalidPartOrder:
      return "InvalidPartOrder";
    case S3ErrorCode::kInvalidPartNumber:
      return "InvalidPartNumber";
    case S3ErrorCode::kInvalidRange:
      return "InvalidRange";
    case S3ErrorCode::kInvalidRequest:
      return "InvalidRequest";
    case S3ErrorCode::kInvalidStorageClass:
      return "InvalidStorageClass";
    case S3ErrorCode::kKeyTooLongError:
      return "KeyTooLongError";
    case S3ErrorCode::kMalformedXML:
      return "MalformedXML";
    case S3ErrorCode::kMetadataTooLarge:
      return "MetadataTooLarge";
    case S3ErrorCode::kMethodNotAllowed:
      return "MethodNotAllowed";
    case S3ErrorCode::kMissingContentLength:
      return "MissingContentLength";
    case S3ErrorCode::kMissingRequestBodyError:
      return "MissingRequestBodyError";
    case S3ErrorCode::kMissingSecurityHeader:
      return "MissingSecurityHeader";
    case S3ErrorCode::kNoSuchBucket:
      return "NoSuchBucket";
    case S3ErrorCode::kNoSuchKey:
      return "NoSuchKey";
    case S3ErrorCode::kNoSuchUpload:
      return "NoSuchUpload";
    case S3ErrorCode::kNoSuchVersion:
      return "NoSuchVersion";
    case S3ErrorCode::kNotImplemented:
      return "NotImplemented";
    case S3ErrorCode::kNotModified:
      return "NotModified";
    case S3ErrorCode::kObjectLocked:
      return "AccessDenied";
    case S3ErrorCode::kPreconditionFailed:
      return "PreconditionFailed";
    case S3ErrorCode::kRequestHeaderSectionTooLarge:
      return "RequestHeaderSectionTooLarge";
    case S3ErrorCode::kRequestTimeTooSkewed:
      return "RequestTimeTooSkewed";
    case S3ErrorCode::kRequestTimeout:
      return "RequestTimeout";
    case S3ErrorCode::kServiceUnavailable:
      return "ServiceUnavailable";
    case S3ErrorCode::kSignatureDoesNotMatch:
      return "SignatureDoesNotMatch";
    case S3ErrorCode::kSlowDown:
      return "SlowDown";
    case S3ErrorCode::kXAmzContentSHA256Mismatch:
      return "XAmzContentSHA256Mismatch";
    case S3ErrorCode::kInvalidChecksum:
      return "InvalidRequest";
    case S3ErrorCode::kReadOnly:
      return "ServiceUnavailable";
    case S3ErrorCode::kStorageFull:
      return "InsufficientStorage";
    case S3ErrorCode::kIllegalLocationConstraint:
      return "IllegalLocationConstraintException";
    case S3ErrorCode::kQuotaExceeded:
      return "QuotaExceeded";
    case S3ErrorCode::kNoSuchLifecycleConfiguration:
      return "NoSuchLifecycleConfiguration";
    case S3ErrorCode::kInvalidBucketState:
      return "InvalidBucketState";
    case S3ErrorCode::kNoSuchObjectLockConfiguration:
      return "NoSuchObjectLockConfiguration";
    case S3ErrorCode::kInvalidRetentionPeriod:
      return "InvalidRetentionPeriod";
    case S3ErrorCode::kObjectLockConfigurationNotFoundError:
      return "ObjectLockConfigurationNotFoundError";
    case S3ErrorCode::kInvalidEncryptionAlgorithmError:
      return "InvalidEncryptionAlgorithmError";
    case S3ErrorCode::kServerSideEncryptionConfigurationNotFoundError:
      return "ServerSideEncryptionConfigurationNotFoundError";
    case S3ErrorCode::kMalformedPolicy:
      return "MalformedPolicy";
    case S3ErrorCode::kNoSuchBucketPolicy:
      return "NoSuchBucketPolicy";
    case S3ErrorCode::kNoSuchPublicAccessBlockConfiguration:
      return "NoSuchPublicAccessBlockConfiguration";
    case S3ErrorCode::kInvalidTag:
      return "InvalidTag";
    case S3ErrorCode::kNoSuchTagSet:
      return "NoSuchTagSet";
    case S3ErrorCode::kUnresolvableGrantByEmailAddress:
      return "UnresolvableGrantByEmailAddress";
    case S3ErrorCode::kOwnershipControlsNotFoundError:
      return "OwnershipControlsNotFoundError";
    case S3ErrorCode::kAccessControlListNotSupported:
      return "AccessControlListNotSupported";
    case S3ErrorCode::kInvalidBucketAclWithObjectOwnership:
      return "InvalidBucketAclWithObjectOwnership";
    case S3ErrorCode::kInvalidTargetBucketForLogging:
      return "InvalidTargetBucketForLogging";
    case S3ErrorCode::kNoSuchEntity:
      return "NoSuchEntity";
    case S3ErrorCode::kEntityAlreadyExists:
      return "EntityAlreadyExists";
    case S3ErrorCode::kDeleteConflict:
      return "DeleteConflict";
    case S3ErrorCode::kInvalidToken:
      return "InvalidToken";
    case S3ErrorCode::kMalformedACLError:
      return "MalformedACLError";
    case S3ErrorCode::kNoSuchCORSConfiguration:
      return "NoSuchCORSConfiguration";
    case S3ErrorCode::kAccessForbidden:
      return "AccessForbidden";
    case S3ErrorCode::kBadRequest:
      return "BadRequest";
    case S3ErrorCode::kMaxPostPreDataLengthExceededError:
      return "MaxPostPreDataLengthExceededError";
    case S3ErrorCode::kIncorrectNumberOfFilesInPostRequest:
      return "IncorrectNumberOfFilesInPostRequest";
    case S3ErrorCode::kMalformedPOSTRequest:
      return "MalformedPOSTRequest";
    case S3ErrorCode::kInvalidPolicyDocument:
      return "InvalidPolicyDocument";
  }
  return "InternalError";
}

int S3HttpStatus(S3ErrorCode code) {
  switch (code) {
    case S3ErrorCode::kAccessDenied:
      return 403;
    case S3ErrorCode::kAuthorizationHeaderMalformed:
      return 400;
    case S3ErrorCode::kAuthorizationQueryParametersError:
      return 400;
    case S3ErrorCode::kBadDigest:
      return 400;
    case S3ErrorCode::kBucketAlreadyExists:
      return 409;
    case S3ErrorCode::kBucketAlreadyOwnedByYou:
      return 409;
    case S3ErrorCode::kBucketNotEmpty:
      return 409;
    case S3ErrorCode::kEntityTooLarge:
      return 400;
    case S3ErrorCode::kEntityTooSmall:
      return 400;
    case S3ErrorCode::kExpiredToken:
      return 400;
    case S3ErrorCode::kIncompleteBody:
      return 400;
    case S3ErrorCode::kInternalError:
      return 500;
    case S3ErrorCode::kInvalidAccessKeyId:
      return 403;
    case S3ErrorCode::kInvalidArgument:
      return 400;
    case S3ErrorCode::kInvalidBucketName:
      return 400;
    case S3ErrorCode::kInvalidDigest:
      return 400;
    case S3ErrorCode::kInvalidObjectState:
      return 403;
    case S3ErrorCode::kInvalidPart:
      return 400;
    case S3ErrorCode::kInvalidPartOrder:
      return 400;
    case S3ErrorCode::kInvalidPartNumber:
      return 400;  // S3 (and Ceph's s3-tests) answer 400 for a part past the last
    case S3ErrorCode::kInvalidRange:
      return 416;
    case S3ErrorCode::kInvalidRequest:
      return 400;
    case S3ErrorCode::kInvalidStorageClass:
      return 400;
    case S3ErrorCode::kKeyTooLongError:
      return 400;
    case S3ErrorCode::kMalformedXML:
      return 400;
    case S3ErrorCode::kMetadataTooLarge:
      return 400;
    case S3ErrorCode::kMethodNotAllowed:
      return 405;
    case S3ErrorCode::kMissingContentLength:
      return 411;
    case S3ErrorCode::kMissingRequestBodyError:
      return 400;
    case S3ErrorCode::kMissingSecurityHeader:
      return 400;
    case S3ErrorCode::kNoSuchBucket:
      return 404;
    case S3ErrorCode::kNoSuchKey:
      return 404;
    case S3ErrorCode::kNoSuchUpload:
      return 404;
    case S3ErrorCode::kNoSuchVersion:
      return 404;
    case S3ErrorCode::kNotImplemented:
      return 501;
    case S3ErrorCode::kNotModified:
      return 304;
    case S3ErrorCode::kObjectLocked:
      return 403;
    case S3ErrorCode::kPreconditionFailed:
      return 412;
    case S3ErrorCode::kRequestHeaderSectionTooLarge:
      return 400;
    case S3ErrorCode::kRequestTimeTooSkewed:
      return 403;
    case S3ErrorCode::kRequestTimeout:
      return 400;
    case S3ErrorCode::kServiceUnavailable:
      return 503;
    case S3ErrorCode::kSignatureDoesNotMatch:
      return 403;
    case S3ErrorCode::kSlowDown:
      return 503;
    case S3ErrorCode::kXAmzContentSHA256Mismatch:
      return 400;
    case S3ErrorCode::kInvalidChecksum:
      return 400;
    case S3ErrorCode::kReadOnly:
      return 503;
    case S3ErrorCode::kStorageFull:
      return 507;
    case S3ErrorCode::kIllegalLocationConstraint:
      return 400;
    case S3ErrorCode::kInvalidBucketState:
      return 409;
    case S3ErrorCode::kNoSuchObjectLockConfiguration:
      return 404;
    case S3ErrorCode::kInvalidRetentionPeriod:
      return 400;
    case S3ErrorCode::kObjectLockConfigurationNotFoundError:
      return 404;
    case S3ErrorCode::kInvalidEncryptionAlgorithmError:
      return 400;
    case S3ErrorCode::kServerSideEncryptionConfigurationNotFoundError:
      return 404;
    case S3ErrorCode::kMalformedPolicy:
    case S3ErrorCode::kInvalidToken:
    case S3ErrorCode::kMalformedACLError:
    case S3ErrorCode::kInvalidTag:
    case S3ErrorCode::kUnresolvableGrantByEmailAddress:
    case S3ErrorCode::kAccessControlListNotSupported:
    case S3ErrorCode::kInvalidBucketAclWithObjectOwnership:
    case S3ErrorCode::kInvalidTargetBucketForLogging:
      return 400;
    case S3ErrorCode::kOwnershipControlsNotFoundError:
      return 404;
    case S3ErrorCode::kNoSuchBucketPolicy:
    case S3ErrorCode::kNoSuchPublicAccessBlockConfiguration:
    case S3ErrorCode::kNoSuchTagSet:
    case S3ErrorCode::kNoSuchEntity:
    case S3ErrorCode::kNoSuchCORSConfiguration:
      return 404;
    case S3ErrorCode::kAccessForbidden:
      return 403;
    case S3ErrorCode::kBadRequest:
    case S3ErrorCode::kMaxPostPreDataLengthExceededError:
    case S3ErrorCode::kIncorrectNumberOfFilesInPostRequest:
    case S3ErrorCode::kMalformedPOSTRequest:
    case S3ErrorCode::kInvalidPolicyDocument:
      return 400;
    case S3ErrorCode::kEntityAlreadyExists:
    case S3ErrorCode::kDeleteConflict:
      return 409;
    case S3ErrorCode::kQuotaExceeded:
      return 403;
    case S3ErrorCode::kNoSuchLifecycleConfiguration:
      return 404;
  }
  return 500;
}

namespace {

// Server-side failures are logged here, once, where they are mapped: the client only sees a
// generic message, the operator sees the engine's detail.
void LogServerFailure(const Status& status) {
  auto log = spdlog::get("s3");
  if (!log) log = spdlog::default_logger();
  log->error("engine failure mapped to an S3 5xx: {}", status.ToString());
}

S3Error Make(S3ErrorCode code, const Status& status, std::string_view fallback) {
  std::string_view msg = status.message();
  return S3Error{code, std::string(msg.empty() ? fallback : msg)};
}

}  // namespace

S3Error FromStatus(const Status& status) {
  using C = Status::Code;
  switch (status.code()) {
    case C::kOk:
      return S3Error{S3ErrorCode::kInternalError, "internal error: success mapped as an error"};
    case C::kNoSuchBucket:
      return Make(S3ErrorCode::kNoSuchBucket, status, "The specified bucket does not exist");
    case C::kNoSuchKey:
      return Make(S3ErrorCode::kNoSuchKey, status, "The specified key does not exist.");
    case C::kNoSuchVersion:
      return Make(S3ErrorCode::kNoSuchVersion, status, "The specified version does not exist.");
    case C::kNoSuchUpload:
      return Make(S3ErrorCode::kNoSuchUpload, status,
                  "The specified multipart upload does not exist.");
    case C::kBucketNotEmpty:
      return Make(S3ErrorCode::kBucketNotEmpty, status,
                  "The bucket you tried to delete is not empty");
    case C::kBucketAlreadyOwnedByYou:
      return Make(S3ErrorCode::kBucketAlreadyOwnedByYou, status,
                  "Your previous request to create the named bucket succeeded and you already "
                  "own it.");
    case C::kBucketAlreadyExists:
      return Make(S3ErrorCode::kBucketAlreadyExists, status,
                  "The requested bucket name is not available.");
    case C::kInvalidBucketName:
      return Make(S3ErrorCode::kInvalidBucketName, status, "The specified bucket is not valid.");
    case C::kInvalidKey:
      if (status.subcode() == Status::SubCode::kKeyTooLong) {
        return Make(S3ErrorCode::kKeyTooLongError, status, "Your key is too long");
      }
      return Make(S3ErrorCode::kInvalidArgument, status, "The specified key is not valid.");
    case C::kAccessDenied:
      return Make(S3ErrorCode::kAccessDenied, status, "Access Denied");
    case C::kObjectLocked:
      return Make(S3ErrorCode::kObjectLocked, status,
                  "Access Denied because object protected by object lock.");
    case C::kInvalidArgument:
      if (status.subcode() == Status::SubCode::kInvalidStorageClass) {
        return Make(S3ErrorCode::kInvalidStorageClass, status,
                    "The storage class you specified is not valid");
      }
      if (status.subcode() == Status::SubCode::kUnresolvableGrant) {
        return Make(S3ErrorCode::kUnresolvableGrantByEmailAddress, status,
                    "The e-mail address you provided does not match any account on record.");
      }
      if (status.subcode() == Status::SubCode::kInvalidTargetBucketForLogging) {
        return Make(S3ErrorCode::kInvalidTargetBucketForLogging, status,
                    "The target bucket for logging is not valid");
      }
      return Make(S3ErrorCode::kInvalidArgument, status, "Invalid Argument");
    case C::kInvalidRequest:
      if (status.subcode() == Status::SubCode::kAclNotSupported) {
        return Make(S3ErrorCode::kAccessControlListNotSupported, status,
                    "The bucket does not allow ACLs");
      }
      if (status.subcode() == Status::SubCode::kAclConflictsWithOwnership) {
        return Make(S3ErrorCode::kInvalidBucketAclWithObjectOwnership, status,
                    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced "
                    "setting");
      }
      return Make(S3ErrorCode::kInvalidRequest, status, "Invalid Request");
    case C::kInvalidRange:
      return Make(S3ErrorCode::kInvalidRange, status, "The requested range is not satisfiable");
    case C::kPreconditionFailed:
      return Make(S3ErrorCode::kPreconditionFailed, status,
                  "At least one of the pre-conditions you specified did not hold");
    case C::kNotModified:
      return Make(S3ErrorCode::kNotModified, status, "Not Modified");
    case C::kBadDigest:
      return Make(S3ErrorCode::kBadDigest, status,
                  "The Content-MD5 or checksum you specified did not match what we received.");
    case C::kEntityTooLarge:
      return Make(S3ErrorCode::kEntityTooLarge, status,
                  "Your proposed upload exceeds the maximum allowed object size.");
    case C::kIncompleteBody:
      return Make(S3ErrorCode::kIncompleteBody, status,
                  "You did not provide the number of bytes specified by the Content-Length "
                  "HTTP header.");
    case C::kNotImplemented:
      return Make(S3ErrorCode::kNotImplemented, status,
                  "A header you provided implies functionality that is not implemented.");
    case C::kStorageFull:
      LogServerFailure(status);
      return Make(S3ErrorCode::kStorageFull, status, "The server's storage is full.");
    case C::kQuotaExceeded:
      return Make(S3ErrorCode::kQuotaExceeded, status, "Bucket quota exceeded");
    case C::kReadOnly:
      LogServerFailure(status);
      return S3Error{S3ErrorCode::kReadOnly,
                     "The server stopped accepting writes after a storage failure; it needs a "
                     "restart."};
    case C::kMethodNotAllowed:
      return Make(S3ErrorCode::kMethodNotAllowed, status,
                  "The specified method is not allowed against this resource.");
    case C::kEntityTooSmall:
      return Make(S3ErrorCode::kEntityTooSmall, status,
                  "Your proposed upload is smaller than the minimum allowed object size.");
    case C::kInvalidPart:
      return Make(S3ErrorCode::kInvalidPart, status,
                  "One or more of the specified parts could not be found.");
    case C::kInvalidPartOrder:
      return Make(S3ErrorCode::kInvalidPartOrder, status,
                  "The list of parts was not in ascending order.");
    case C::kInvalidBucketState:
      return Make(S3ErrorCode::kInvalidBucketState, status,
                  "The request is not valid with the current state of the bucket.");
    case C::kNoSuchObjectLockConfiguration:
      return Make(S3ErrorCode::kNoSuchObjectLockConfiguration, status,
                  "The specified object does not have a ObjectLock configuration");
    case C::kObjectLockConfigurationNotFound:
      return Make(S3ErrorCode::kObjectLockConfigurationNotFoundError, status,
                  "Object Lock configuration does not exist for this bucket");
    case C::kNoSuchEntity:
      return Make(S3ErrorCode::kNoSuchEntity, status, "The specified entity does not exist.");
    case C::kEntityAlreadyExists:
      return Make(S3ErrorCode::kEntityAlreadyExists, status, "The entity already exists.");
    case C::kDeleteConflict:
      return Make(S3ErrorCode::kDeleteConflict, status, "The entity is still in use.");
    case C::kMalformedPolicy:
      return Make(S3ErrorCode::kMalformedPolicy, status, "The policy is not valid.");
    case C::kNoSuchBucketPolicy:
      return Make(S3ErrorCode::kNoSuchBucketPolicy, status, "The bucket policy does not exist");
    case C::kNoSuchPublicAccessBlockConfiguration:
      return Make(S3ErrorCode::kNoSuchPublicAccessBlockConfiguration, status,
                  "The public access block configuration was not found");
    case C::kInvalidTag:
      return Make(S3ErrorCode::kInvalidTag, status, "The tag provided was not a valid tag.");
    case C::kNoSuchTagSet:
      return Make(S3ErrorCode::kNoSuchTagSet, status, "The TagSet does not exist");
    case C::kNoSuchCORSConfiguration:
      return Make(S3ErrorCode::kNoSuchCORSConfiguration, status,
                  "The CORS configuration does not exist");
    case C::kOwnershipControlsNotFound:
      return Make(S3ErrorCode::kOwnershipControlsNotFoundError, status,
                  "The bucket ownership controls were not found");
    case C::kInvalidAccessKeyId:
      return Make(S3ErrorCode::kInvalidAccessKeyId, status,
                  "The AWS Access Key Id you provided does not exist in our records.");
    case C::kExpiredToken:
      return Make(S3ErrorCode::kExpiredToken, status, "The provided token has expired.");
    case C::kBusy:
    case C::kWouldBlock:  // only inside a NoWaitScope, whose caller retries on the pool
      return S3Error{S3ErrorCode::kServiceUnavailable, "Please reduce your request rate."};
    case C::kUnavailable:
      LogServerFailure(status);
      if (status.subcode() == Status::SubCode::kThrottled) {
        return S3Error{S3ErrorCode::kSlowDown, "Please reduce your request rate."};
      }
      return S3Error{S3ErrorCode::kServiceUnavailable,
                     "The storage backend is unavailable. Please try again."};
    case C::kNotFound:
    case C::kIOError:
    case C::kCorruption:
    case C::kInternal:
      LogServerFailure(status);
      return S3Error{S3ErrorCode::kInternalError,
                     "We encountered an internal error. Please try again."};
  }
  return S3Error{S3ErrorCode::kInternalError, "We encountered an internal error."};
}

}  // namespace maxiofs::s3
