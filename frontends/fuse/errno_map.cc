#include "errno_map.h"

#include <cerrno>

namespace maxiofs::fuse {

int ToErrno(const Status& status) {
  using Code = Status::Code;
  switch (status.code()) {
    case Code::kOk:
      return 0;
    case Code::kNoSuchBucket:
    case Code::kNoSuchKey:
    case Code::kNoSuchVersion:
    case Code::kNoSuchUpload:
    case Code::kNotFound:
      return ENOENT;
    case Code::kBucketNotEmpty:
      return ENOTEMPTY;
    case Code::kBucketAlreadyOwnedByYou:
    case Code::kBucketAlreadyExists:
      return EEXIST;
    case Code::kInvalidBucketName:
      return EINVAL;
    case Code::kInvalidKey:
      // Operations that create names check the key first and answer ENAMETOOLONG for the
      // 1,024-byte limit (Filesystem::KeyErrno); what reaches here is otherwise invalid.
      return EINVAL;
    case Code::kAccessDenied:
      return EACCES;
    case Code::kObjectLocked:
      // Object lock (issue 4): retention or legal hold refuses unlink/overwrite/truncate.
      return EPERM;
    case Code::kInvalidArgument:
    case Code::kInvalidRequest:
      return EINVAL;
    case Code::kInvalidRange:
      return EINVAL;
    case Code::kPreconditionFailed:
      return EEXIST;
    case Code::kNotModified:
      return EAGAIN;
    case Code::kBadDigest:
    case Code::kIncompleteBody:
      return EIO;
    case Code::kEntityTooLarge:
      return EFBIG;
    case Code::kNotImplemented:
      return ENOSYS;
    case Code::kMethodNotAllowed:  // a delete marker addressed by version
      return ENOENT;
    case Code::kEntityTooSmall:
    case Code::kInvalidPart:
    case Code::kInvalidPartOrder:
      return EINVAL;
    case Code::kInvalidBucketState:
      return EPERM;
    case Code::kNoSuchObjectLockConfiguration:
    case Code::kObjectLockConfigurationNotFound:
      return ENODATA;
    case Code::kNoSuchEntity:
    case Code::kNoSuchBucketPolicy:
    case Code::kNoSuchPublicAccessBlockConfiguration:
    case Code::kNoSuchCORSConfiguration:
      return ENOENT;
    case Code::kEntityAlreadyExists:
      return EEXIST;
    case Code::kDeleteConflict:
      return EBUSY;
    case Code::kMalformedPolicy:
    case Code::kInvalidTag:
      return EINVAL;
    case Code::kNoSuchTagSet:
    case Code::kOwnershipControlsNotFound:
      return ENODATA;
    case Code::kInvalidAccessKeyId:
    case Code::kExpiredToken:
      return EACCES;
    case Code::kStorageFull:
      return ENOSPC;
    case Code::kQuotaExceeded:
      return EDQUOT;
    case Code::kReadOnly:
      return EROFS;
    case Code::kBusy:
      return EBUSY;
    case Code::kWouldBlock:
      return EAGAIN;
    case Code::kUnavailable:  // the blob store is down: an I/O error to POSIX programs
      return EIO;
    case Code::kIOError:
    case Code::kCorruption:
    case Code::kInternal:
      return EIO;
  }
  return EIO;
}

}  // namespace maxiofs::fuse
