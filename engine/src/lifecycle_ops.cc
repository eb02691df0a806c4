// Bucket lifecycle configurations (Put/Get/Delete), the x-amz-expiration of an object, and the
// engine's end of the lifecycle worker (lifecycle/lifecycle_worker.h).
#include "engine_impl.h"
#include "key_codec.h"
#include "lifecycle/lifecycle_codec.h"
#include "lifecycle/lifecycle_rules.h"
#include "lifecycle/lifecycle_worker.h"

#include <memory>

namespace maxiofs::engine {

Status EngineImpl::LoadLifecycleConfigs() {
  const std::string prefix(1, kLifecycleTag);
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    MAXIOFS_ASSIGN_OR_RETURN(LifecycleConfiguration c, lifecycle::DecodeConfig(View(it->value())));
    lifecycle_configs_.Set(View(it->key()).substr(1), std::move(c));
  }
  return FromLevelDb(it->status(), "load lifecycle configurations");
}

Status EngineImpl::PutBucketLifecycle(std::string_view bucket,
                                      const LifecycleConfiguration& config) {
  MAXIOFS_RETURN_IF_ERROR(lifecycle::Validate(config));
  LifecycleConfiguration stored = config;
  lifecycle::AssignMissingIds(&stored);
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  leveldb::WriteBatch batch;
  batch.Put(LifecycleKey(bucket), lifecycle::EncodeConfig(stored));
  // New rules start a new pass over the bucket.
  batch.Delete(LifecycleCursorKey(bucket));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  lifecycle_configs_.Set(bucket, std::move(stored));
  return Status::OK();
}

Result<LifecycleConfiguration> EngineImpl::GetBucketLifecycle(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  std::shared_ptr<const LifecycleConfiguration> c = lifecycle_configs_.Get(bucket);
  if (!c) return Status::NotFound("The lifecycle configuration does not exist");
  return *c;
}

Status EngineImpl::DeleteBucketLifecycle(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  leveldb::WriteBatch batch;
  batch.Delete(LifecycleKey(bucket));
  batch.Delete(LifecycleCursorKey(bucket));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  lifecycle_configs_.Erase(bucket);
  return Status::OK();
}

Result<uint64_t> EngineImpl::RunLifecycle() { return lifecycle_worker_->RunPass(NowNs()); }

LifecycleStats EngineImpl::GetLifecycleStats() { return lifecycle_worker_->Stats(); }

void EngineImpl::SubscribeLifecycle(LifecycleListener* listener) {
  lifecycle_worker_->Subscribe(listener);
}

void EngineImpl::UnsubscribeLifecycle(LifecycleListener* listener) {
  lifecycle_worker_->Unsubscribe(listener);
}

std::optional<ObjectExpiration> EngineImpl::ExpirationOf(std::string_view bucket,
                                                         std::string_view key,
                                                         const ObjectRecord& current) const {
  if (current.delete_marker) return std::nullopt;
  std::shared_ptr<const LifecycleConfiguration> c = lifecycle_configs_.Get(bucket);
  if (!c) return std::nullopt;
  const int64_t day_ns =
      static_cast<int64_t>(std::max<uint32_t>(options().lifecycle.day_seconds, 1)) * 1000000000LL;
  return lifecycle::CurrentExpiration(*c, key, current.size,
                                      current.tags.empty() ? nullptr : &current.tags,
                                      current.last_modified_ns, day_ns);
}

}  // namespace maxiofs::engine
