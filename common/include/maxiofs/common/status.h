// Status: the outcome of an operation, as a value. Modelled on leveldb::Status.
//
// An OK status costs one null pointer; an error carries a typed Code and a message. Codes are
// S3-meaningful because S3 is the richest error language MaxIOFS speaks; every front end maps
// them exactly once (S3 XML, errno, JSON). Never classify an error by its message text.
//
// Thread-safety: a Status is a value; distinct objects may be used concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace maxiofs {

class [[nodiscard]] Status {
 public:
  // Adding a code requires updating every front end's exhaustive mapping (-Werror=switch).
  enum class Code : uint8_t {
    kOk = 0,
    kNoSuchBucket,
    kNoSuchKey,
    kNoSuchVersion,
    kNoSuchUpload,
    kBucketNotEmpty,
    kBucketAlreadyOwnedByYou,
    kBucketAlreadyExists,
    kInvalidBucketName,
    kInvalidKey,  // key empty, too long, invalid UTF-8 or containing NUL
    kAccessDenied,
    kObjectLocked,
    kInvalidArgument,
    kInvalidRequest,  // a request that is well-formed but not allowed (e.g. copy onto itself)
    kInvalidRange,
    kPreconditionFailed,
    kNotModified,
    kBadDigest,  // a client-supplied digest or checksum did not match the data
    kEntityTooLarge,
    kIncompleteBody,
    kNotImplemented,
    kMethodNotAllowed,  // e.g. GET of a delete marker by version id
    kEntityTooSmall,    // a multipart part under the minimum size
    kInvalidPart,
    kInvalidPartOrder,
    kInvalidBucketState,               // e.g. suspending versioning on an object-lock bucket
    kNoSuchObjectLockConfiguration,    // an object version without retention
    kObjectLockConfigurationNotFound,  // a bucket without object lock
    // Identity and access (engine/include/maxiofs/engine/iam.h).
    kNoSuchEntity,         // an IAM user, group, policy or access key that does not exist
    kEntityAlreadyExists,  // an IAM user, group or policy name already taken
    kDeleteConflict,       // an IAM entity still in use (keys, members, attachments)
    kMalformedPolicy,      // a policy document that is not valid; the message says why
    kNoSuchBucketPolicy,   // a bucket without a bucket policy
    kNoSuchPublicAccessBlockConfiguration,
    // Tagging.
    kInvalidTag,    // a tag set S3 refuses (too many, too long, duplicate or reserved keys)
    kNoSuchTagSet,  // a bucket without tags
    kNoSuchCORSConfiguration,    // a bucket without CORS rules of its own
    kOwnershipControlsNotFound,  // a bucket without ownership controls
    kInvalidAccessKeyId,         // an access key that is unknown, inactive or of a disabled user
    kExpiredToken,               // temporary credentials past their expiry
    kStorageFull,
    kQuotaExceeded,  // a bucket quota (BucketQuota) would be passed; nothing was stored
    kReadOnly,       // the engine stopped accepting writes after a failed fsync
    kBusy,           // a resource (data dir, mountpoint) is held by someone else
    kWouldBlock,     // a read inside a NoWaitScope would have waited for the disk (no_wait.h)
    // The blob store (a remote service) is unreachable, failing or throttling after retries;
    // nothing was changed and the same request may succeed later.
    kUnavailable,
    kNotFound,  // a non-S3 thing (file, config) was not found
    kIOError,
    kCorruption,
    kInternal,
  };

  // Finer distinctions a front end needs (RocksDB-style); kNone for most errors.
  enum class SubCode : uint8_t {
    kNone = 0,
    kDeleteMarker,         // NoSuchKey / MethodNotAllowed because the version is a delete marker
    kKeyTooLong,           // InvalidKey because the key is over 1024 bytes
    kInvalidStorageClass,  // InvalidArgument: a storage class this server does not have
    kThrottled,            // Unavailable because the remote store asked us to slow down
    // InvalidArgument: an ACL grant to an e-mail address no account has.
    kUnresolvableGrant,
    kTooManyLinks,  // InvalidRequest because a link group would pass its most names
    // InvalidRequest: an ACL other than private on a bucket whose ACLs are off
    // (BucketOwnerEnforced).
    kAclNotSupported,
    // InvalidRequest: BucketOwnerEnforced asked for while the bucket ACL is not private.
    kAclConflictsWithOwnership,
    // InvalidArgument: a logging target bucket that cannot take logs (missing, default
    // retention, a policy that does not let the logging service write).
    kInvalidTargetBucketForLogging,
  };

  Status() noexcept = default;
  Status(const Status& rhs) : rep_(rhs.rep_ ? std::make_unique<Rep>(*rhs.rep_) : nullptr) {}
  Status& operator=(const Status& rhs) {
    if (this != &rhs) rep_ = rhs.rep_ ? std::make_unique<Rep>(*rhs.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status Error(Code code, std::string_view msg) { return Status(code, msg); }
  static Status NoSuchBucket(std::string_view m) { return Status(Code::kNoSuchBucket, m); }
  static Status NoSuchKey(std::string_view m) { return Status(Code::kNoSuchKey, m); }
  static Status NoSuchVersion(std::string_view m) { return Status(Code::kNoSuchVersion, m); }
  static Status NoSuchUpload(std::string_view m) { return Status(Code::kNoSuchUpload, m); }
  static Status BucketNotEmpty(std::string_view m) { return Status(Code::kBucketNotEmpty, m); }
  static Status BucketAlreadyOwnedByYou(std::string_view m) {
    return Status(Code::kBucketAlreadyOwnedByYou, m);
  }
  static Status InvalidBucketName(std::string_view m) {
    return Status(Code::kInvalidBucketName, m);
  }
  static Status InvalidKey(std::string_view m) { return Status(Code::kInvalidKey, m); }
  static Status AccessDenied(std::string_view m) { return Status(Code::kAccessDenied, m); }
  static Status ObjectLocked(std::string_view m) { return Status(Code::kObjectLocked, m); }
  static Status InvalidArgument(std::string_view m) { return Status(Code::kInvalidArgument, m); }
  static Status InvalidRequest(std::string_view m) { return Status(Code::kInvalidRequest, m); }
  static Status InvalidRange(std::string_view m) { return Status(Code::kInvalidRange, m); }
  static Status PreconditionFailed(std::string_view m) {
    return Status(Code::kPreconditionFailed, m);
  }
  static Status NotModified(std::string_view m) { return Status(Code::kNotModified, m); }
  static Status BadDigest(std::string_view m) { return Status(Code::kBadDigest, m); }
  static Status EntityTooLarge(std::string_view m) { return Status(Code::kEntityTooLarge, m); }
  static Status IncompleteBody(std::string_view m) { return Status(Code::kIncompleteBody, m); }
  static Status NotImplemented(std::string_view m) { return Status(Code::kNotImplemented, m); }
  static Status MethodNotAllowed(std::string_view m) { return Status(Code::kMethodNotAllowed, m); }
  static Status EntityTooSmall(std::string_view m) { return Status(Code::kEntityTooSmall, m); }
  static Status InvalidPart(std::string_view m) { return Status(Code::kInvalidPart, m); }
  static Status InvalidPartOrder(std::string_view m) { return Status(Code::kInvalidPartOrder, m); }
  static Status InvalidBucketState(std::string_view m) {
    return Status(Code::kInvalidBucketState, m);
  }
  static Status StorageFull(std::string_view m) { return Status(Code::kStorageFull, m); }
  static Status QuotaExceeded(std::string_view m) { return Status(Code::kQuotaExceeded, m); }
  static Status ReadOnly(std::string_view m) { return Status(Code::kReadOnly, m); }
  static Status Busy(std::string_view m) { return Status(Code::kBusy, m); }
  static Status WouldBlock(std::string_view m) { return Status(Code::kWouldBlock, m); }
  static Status Unavailable(std::string_view m) { return Status(Code::kUnavailable, m); }
  static Status NotFound(std::string_view m) { return Status(Code::kNotFound, m); }
  static Status IOError(std::string_view m) { return Status(Code::kIOError, m); }
  static Status Corruption(std::string_view m) { return Status(Code::kCorruption, m); }
  static Status Internal(std::string_view m) { return Status(Code::kInternal, m); }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  SubCode subcode() const { return rep_ ? rep_->subcode : SubCode::kNone; }
  // A detail value for the front end (for kDeleteMarker: the marker's version id).
  std::string_view detail() const { return rep_ ? std::string_view(rep_->detail) : ""; }
  // A copy with a subcode and detail attached.
  Status WithSubCode(SubCode sc, std::string_view detail = {}) const {
    Status s = *this;
    if (s.rep_) {
      s.rep_->subcode = sc;
      s.rep_->detail = std::string(detail);
    }
    return s;
  }
  // The message without the code name; empty when OK.
  std::string_view message() const { return rep_ ? std::string_view(rep_->msg) : ""; }
  // "<CodeName>: <message>", or "OK". For logs, never for classification.
  std::string ToString() const {
    return ok() ? "OK" : std::string(CodeName(code())) + ": " + rep_->msg;
  }

  bool IsNoSuchBucket() const { return code() == Code::kNoSuchBucket; }
  bool IsNoSuchKey() const { return code() == Code::kNoSuchKey; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsWouldBlock() const { return code() == Code::kWouldBlock; }
  bool IsIOError() const { return code() == Code::kIOError; }
  bool IsCorruption() const { return code() == Code::kCorruption; }

  // Drops the status on purpose. Greppable; say why at the call site.
  void IgnoreError() const {}

  // A new Status with the same code and "context: message".
  Status WithContext(std::string_view context) const {
    if (ok()) return Status();
    Status s(rep_->code, std::string(context) + ": " + rep_->msg);
    s.rep_->subcode = rep_->subcode;
    s.rep_->detail = rep_->detail;
    return s;
  }

  static constexpr std::string_view CodeName(Code c) {
    switch (c) {
      case Code::kOk:
        return "OK";
      case Code::kNoSuchBucket:
        return "NoSuchBucket";
      case Code::kNoSuchKey:
        return "NoSuchKey";
      case Code::kNoSuchVersion:
        return "NoSuchVersion";
      case Code::kNoSuchUpload:
        return "NoSuchUpload";
      case Code::kBucketNotEmpty:
        return "BucketNotEmpty";
      case Code::kBucketAlreadyOwnedByYou:
        return "BucketAlreadyOwnedByYou";
      case Code::kBucketAlreadyExists:
        return "BucketAlreadyExists";
      case Code::kInvalidBucketName:
        return "InvalidBucketName";
      case Code::kInvalidKey:
        return "InvalidKey";
      case Code::kAccessDenied:
        return "AccessDenied";
      case Code::kObjectLocked:
        return "ObjectLocked";
      case Code::kInvalidArgument:
        return "InvalidArgument";
      case Code::kInvalidRequest:
        return "InvalidRequest";
      case Code::kInvalidRange:
        return "InvalidRange";
      case Code::kPreconditionFailed:
        return "PreconditionFailed";
      case Code::kNotModified:
        return "NotModified";
      case Code::kBadDigest:
        return "BadDigest";
      case Code::kEntityTooLarge:
        return "EntityTooLarge";
      case Code::kIncompleteBody:
        return "IncompleteBody";
      case Code::kNotImplemented:
        return "NotImplemented";
      case Code::kMethodNotAllowed:
        return "MethodNotAllowed";
      case Code::kEntityTooSmall:
        return "EntityTooSmall";
      case Code::kInvalidPart:
        return "InvalidPart";
      case Code::kInvalidPartOrder:
        return "InvalidPartOrder";
      case Code::kInvalidBucketState:
        return "InvalidBucketState";
      case Code::kNoSuchObjectLockConfiguration:
        return "NoSuchObjectLockConfiguration";
      case Code::kObjectLockConfigurationNotFound:
        return "ObjectLockConfigurationNotFoundError";
      case Code::kNoSuchEntity:
        return "NoSuchEntity";
      case Code::kEntityAlreadyExists:
        return "EntityAlreadyExists";
      case Code::kDeleteConflict:
        return "DeleteConflict";
      case Code::kMalformedPolicy:
        return "MalformedPolicy";
      case Code::kNoSuchBucketPolicy:
        return "NoSuchBucketPolicy";
      case Code::kNoSuchPublicAccessBlockConfiguration:
        return "NoSuchPublicAccessBlockConfiguration";
      case Code::kInvalidTag:
        return "InvalidTag";
      case Code::kNoSuchTagSet:
        return "NoSuchTagSet";
      case Code::kNoSuchCORSConfiguration:
        return "NoSuchCORSConfiguration";
      case Code::kOwnershipControlsNotFound:
        return "OwnershipControlsNotFound";
      case Code::kInvalidAccessKeyId:
        return "InvalidAccessKeyId";
      case Code::kExpiredToken:
        return "ExpiredToken";
      case Code::kStorageFull:
        return "StorageFull";
      case Code::kQuotaExceeded:
        return "QuotaExceeded";
      case Code::kReadOnly:
        return "ReadOnly";
      case Code::kBusy:
        return "Busy";
      case Code::kWouldBlock:
        return "WouldBlock";
      case Code::kUnavailable:
        return "Unavailable";
      case Code::kNotFound:
        return "NotFound";
      case Code::kIOError:
        return "IOError";
      case Code::kCorruption:
        return "Corruption";
      case Code::kInternal:
        return "Internal";
    }
    return "Unknown";
  }

 private:
  struct Rep {
    Code code;
    std::string msg;
    SubCode subcode = SubCode::kNone;
    std::string detail;
  };
  Status(Code code, std::string_view msg)
      : rep_(std::make_unique<Rep>(Rep{code, std::string(msg), SubCode::kNone, {}})) {}
  std::unique_ptr<Rep> rep_;
};

}  // namespace maxiofs
