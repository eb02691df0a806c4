// Buckets: create, delete (only when no version, delete marker or upload remains), head, list,
// versioning state. A bucket's access settings (iam/bucket_access.h), CORS rules
// (cors/bucket_cors.h), usage counters and quota are created and removed in the same batch as
// the bucket.
#include "engine_impl.h"
#include "iam/acl_rules.h"
#include "key_codec.h"

#include <memory>

namespace maxiofs::engine {
namespace {

BucketInfo ToBucketInfo(std::string name, const BucketRecord& r) {
  return BucketInfo{std::move(name), r.created_ns, r.versioning, r.lock_enabled};
}

}  // namespace

Status EngineImpl::CreateBucket(const CreateBucketRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateBucketName(req.bucket));
  if (req.object_lock_enabled) MAXIOFS_RETURN_IF_ERROR(CheckObjectLockAllowed());
  std::optional<Acl> acl;  // a new bucket has no public-access block: any valid ACL goes
  if (!req.canned_acl.empty() && req.grants) {
    return Status::InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
  }
  if (!req.canned_acl.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(Acl canned, CannedAcl(req.canned_acl));
    acl = NormalizeAcl(std::move(canned));
  } else if (req.grants) {
    Acl grants = *req.grants;
    MAXIOFS_RETURN_IF_ERROR(ResolveEmailGrants(grants, options().iam.account_email));
    MAXIOFS_RETURN_IF_ERROR(ValidateAcl(grants));
    acl = NormalizeAcl(std::move(grants));
  }
  if (req.object_ownership == ObjectOwnership::kBucketOwnerEnforced && acl) {
    return Status::InvalidRequest(
               "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
        .WithSubCode(Status::SubCode::kAclConflictsWithOwnership);
  }
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  Status exists = CheckBucketExists(req.bucket);
  if (exists.ok()) {
    return Status::BucketAlreadyOwnedByYou("the bucket already exists and you own it");
  }
  if (!exists.IsNoSuchBucket()) return exists;
  BucketRecord r;
  r.created_ns = NowNs();
  if (req.object_lock_enabled) {
    r.lock_enabled = true;
    r.versioning = VersioningState::kEnabled;
  }
  leveldb::WriteBatch batch;
  batch.Put(BucketKey(req.bucket), EncodeBucketRecord(r));
  BucketAccess::StageNewBucket(req.bucket, acl, req.object_ownership, &batch);
  batch.Delete(LifecycleKey(req.bucket));
  batch.Delete(LifecycleCursorKey(req.bucket));
  BucketCors::StageNewBucket(req.bucket, &batch);
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  usage_.Reset(req.bucket, UsageFigures{}, BucketQuota{});
  bucket_access().AddBucket(req.bucket, std::move(acl), req.object_ownership);
  Publish(ChangeEvent::Kind::kBucketCreated, req.bucket);
  return Status::OK();
}

Status EngineImpl::DeleteBucket(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  const std::string versions = VersionBucketPrefix(bucket);
  it->Seek(versions);
  if (it->Valid() && View(it->key()).starts_with(versions)) {
    return Status::BucketNotEmpty("the bucket you tried to delete is not empty");
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan bucket"));
  // Incomplete multipart uploads do not keep a bucket (S3 deletes them with it). No upload can
  // start or gain a part while the bucket lock is held exclusively.
  MAXIOFS_RETURN_IF_ERROR(AbortBucketUploads(bucket));
  it.reset(db().NewIterator(leveldb::ReadOptions()));
  leveldb::WriteBatch batch;
  batch.Delete(BucketKey(bucket));
  batch.Delete(BucketMetaKey(bucket));
  BucketAccess::StageDeleteBucket(bucket, &batch);
  // The bucket's own settings and counters go with it (an empty bucket's counters sum to
  // zero, but a shard may hold a non-zero part of that sum).
  const std::string usage_prefix = UsageKeyPrefix(bucket);
  for (it->Seek(usage_prefix); it->Valid() && View(it->key()).starts_with(usage_prefix);
       it->Next()) {
    batch.Delete(it->key());
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan usage counters"));
  const std::string done_prefix = CompletedUploadBucketPrefix(bucket);
  for (it->Seek(done_prefix); it->Valid() && View(it->key()).starts_with(done_prefix); it->Next()) {
    batch.Delete(it->key());
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan completed uploads"));
  batch.Delete(QuotaKey(bucket));
  batch.Delete(LifecycleKey(bucket));
  batch.Delete(LifecycleCursorKey(bucket));
  BucketCors::StageDeleteBucket(bucket, &batch);
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  usage_.Forget(bucket);
  lifecycle_configs_.Erase(bucket);
  bucket_access().ForgetBucket(bucket);
  bucket_cors().ForgetBucket(bucket);
  bucket_logging().ForgetBucket(bucket);
  notifications().ForgetBucket(bucket);
  Publish(ChangeEvent::Kind::kBucketRemoved, bucket);
  return Status::OK();
}

Result<BucketInfo> EngineImpl::HeadBucket(std::string_view bucket) {
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  return ToBucketInfo(std::string(bucket), r);
}

Result<std::vector<BucketInfo>> EngineImpl::ListBuckets() {
  std::vector<BucketInfo> out;
  const std::string prefix = BucketKeyPrefix();
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, DecodeBucketRecord(View(it->value())));
    out.push_back(ToBucketInfo(it->key().ToString().substr(1), r));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "list buckets"));
  return out;
}

Status EngineImpl::PutBucketVersioning(std::string_view bucket, VersioningState state) {
  if (state == VersioningState::kUnversioned) {
    return Status::InvalidArgument("versioning can only be Enabled or Suspended");
  }
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  if (r.lock_enabled && state == VersioningState::kSuspended) {
    return Status::InvalidBucketState(
        "An Object Lock configuration is present on this bucket, so the versioning state cannot "
        "be changed.");
  }
  r.versioning = state;
  leveldb::WriteBatch batch;
  batch.Put(BucketKey(bucket), EncodeBucketRecord(r));
  return Commit(&batch);
}

}  // namespace maxiofs::engine
