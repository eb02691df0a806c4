// Object lock: the bucket configuration, and retention and legal hold of single versions.
// The rules for removing locked versions live in CheckRemovable (versions.cc).
#include "engine_impl.h"
#include "key_codec.h"

namespace maxiofs::engine {
namespace {

Status ValidateDefault(const DefaultRetention& d) {
  if (d.mode == LockMode::kNone) {
    if (d.days || d.years) return Status::InvalidArgument("a default retention needs a mode");
    return Status::OK();
  }
  if ((d.days == 0) == (d.years == 0)) {
    return Status::InvalidArgument("a default retention needs exactly one of Days or Years");
  }
  if (d.days > 36500 || d.years > 100) {
    return Status::InvalidArgument("the default retention period is too long");
  }
  return Status::OK();
}

// The version a lock operation addresses: NoSuchKey / NoSuchVersion when absent.
Result<ObjectRecord> LoadAddressedVersion(EngineImpl& e, std::string_view bucket,
                                          std::string_view key, std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v, e.LoadVersion(bucket, key, version_id));
  if (!v) {
    return version_id.empty() ? Status::NoSuchKey("the specified key does not exist")
                              : Status::NoSuchVersion("the specified version does not exist");
  }
  return std::move(*v);
}

}  // namespace

Status EngineImpl::CheckObjectLockAllowed() const {
  if (options_.object_lock_enabled) return Status::OK();
  return Status::InvalidRequest(
      "Object Lock cannot be enabled for a bucket on this server (storage.object_lock.enabled "
      "is false)");
}

Status EngineImpl::PutObjectLockConfiguration(std::string_view bucket,
                                              const ObjectLockConfig& cfg) {
  if (!cfg.enabled) return Status::InvalidArgument("ObjectLockEnabled must be Enabled");
  MAXIOFS_RETURN_IF_ERROR(ValidateDefault(cfg.default_retention));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  if (!r.lock_enabled) MAXIOFS_RETURN_IF_ERROR(CheckObjectLockAllowed());
  if (r.versioning != VersioningState::kEnabled) {
    return Status::InvalidBucketState(
        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  }
  r.lock_enabled = true;
  r.default_retention = cfg.default_retention;
  leveldb::WriteBatch batch;
  batch.Put(BucketKey(bucket), EncodeBucketRecord(r));
  return Commit(&batch);
}

Result<ObjectLockConfig> EngineImpl::GetObjectLockConfiguration(std::string_view bucket) {
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  if (!r.lock_enabled) {
    return Status::Error(Status::Code::kObjectLockConfigurationNotFound,
                         "Object Lock configuration does not exist for this bucket");
  }
  return ObjectLockConfig{true, r.default_retention};
}

Status EngineImpl::PutObjectRetention(const PutRetentionRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  if (!b.lock_enabled) return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, req.key)]);
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v,
                           LoadAddressedVersion(*this, req.bucket, req.key, req.version_id));
  if (v->delete_marker) return Status::MethodNotAllowed("a delete marker has no retention");
  const int64_t now = NowNs();
  const Retention& old = v->retention;
  const Retention& neu = req.retention;
  if (neu.mode != LockMode::kNone && neu.retain_until_ns <= now) {
    return Status::InvalidArgument("the retain until date must be in the future");
  }
  const bool active = old.mode != LockMode::kNone && old.retain_until_ns > now;
  if (active) {
    // Any change but an extension in the same mode touches the retention itself: COMPLIANCE
    // refuses it; GOVERNANCE allows it with the bypass (S3 counts a switch to COMPLIANCE too).
    const bool weaker = neu.mode == LockMode::kNone || neu.retain_until_ns < old.retain_until_ns ||
                        neu.mode != old.mode;
    if (weaker) {
      if (old.mode == LockMode::kCompliance) {
        return Status::ObjectLocked("a COMPLIANCE retention can only be extended");
      }
      if (!req.bypass_governance) {
        return Status::ObjectLocked(
            "shortening, removing or changing the mode of a GOVERNANCE retention needs "
            "x-amz-bypass-governance-retention");
      }
    }
  }
  v->retention = neu.mode == LockMode::kNone ? Retention{} : neu;
  MAXIOFS_RETURN_IF_ERROR(RewriteVersion(req.bucket, req.key, *v));
  Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, req.key);
  return Status::OK();
}

Result<Retention> EngineImpl::GetObjectRetention(std::string_view bucket, std::string_view key,
                                                 std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(bucket));
  if (!b.lock_enabled) return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v,
                           LoadAddressedVersion(*this, bucket, key, version_id));
  if (v->retention.mode == LockMode::kNone) {
    return Status::Error(Status::Code::kNoSuchObjectLockConfiguration,
                         "The specified object does not have a ObjectLock configuration");
  }
  return v->retention;
}

Status EngineImpl::PutObjectLegalHold(std::string_view bucket, std::string_view key,
                                      std::string_view version_id, bool on) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(bucket));
  if (!b.lock_enabled) return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(bucket, key)]);
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v,
                           LoadAddressedVersion(*this, bucket, key, version_id));
  if (v->delete_marker) return Status::MethodNotAllowed("a delete marker has no legal hold");
  v->legal_hold = on;
  MAXIOFS_RETURN_IF_ERROR(RewriteVersion(bucket, key, *v));
  Publish(ChangeEvent::Kind::kObjectWritten, bucket, key);
  return Status::OK();
}

Result<bool> EngineImpl::GetObjectLegalHold(std::string_view bucket, std::string_view key,
                                            std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(bucket));
  if (!b.lock_enabled) return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v,
                           LoadAddressedVersion(*this, bucket, key, version_id));
  return v->legal_hold;
}

}  // namespace maxiofs::engine
