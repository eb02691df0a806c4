#include "bucket_cors.h"

#include "../engine_impl.h"
#include "../key_codec.h"
#include "cors_codec.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace maxiofs::engine {

BucketCors::BucketCors(leveldb::DB* db, EngineImpl& engine,
                       std::shared_ptr<const CompiledCors> server_default)
    : db_(db), engine_(engine), server_default_(std::move(server_default)) {}

Status BucketCors::Load() {
  std::map<std::string, std::shared_ptr<const CompiledCors>, std::less<>> all;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  const std::string prefix = AccessKeyPrefix(kAccessCorsKind);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string bucket = it->key().ToString().substr(prefix.size());
    std::string ignored;
    leveldb::Status exists = db_->Get(leveldb::ReadOptions(), BucketKey(bucket), &ignored);
    if (exists.IsNotFound()) continue;  // cannot happen (deleted with the bucket); ignore
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(exists, "load cors"));
    auto config = DecodeCorsConfiguration(View(it->value()));
    if (!config.has_value()) {
      return Status::Corruption("the stored CORS rules of bucket " + bucket + " are damaged");
    }
    auto compiled = CompiledCors::Compile(std::move(*config));
    if (!compiled.has_value()) {
      return Status::Corruption("the stored CORS rules of bucket " + bucket +
                                " are no longer valid: " + compiled.error().ToString());
    }
    all.emplace(bucket, std::move(*compiled));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "load cors"));
  std::unique_lock<std::shared_mutex> l(mu_);
  rules_ = std::move(all);
  return Status::OK();
}

std::shared_ptr<const CompiledCors> BucketCors::Find(std::string_view bucket) const {
  std::shared_lock<std::shared_mutex> l(mu_);
  auto it = rules_.find(bucket);
  return it == rules_.end() ? nullptr : it->second;
}

Status BucketCors::Put(std::string_view bucket, const CorsConfiguration& config) {
  MAXIOFS_ASSIGN_OR_RETURN(std::shared_ptr<const CompiledCors> compiled,
                           CompiledCors::Compile(config));
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(write_mu_);
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  leveldb::WriteBatch batch;
  batch.Put(AccessKey(kAccessCorsKind, bucket), EncodeCorsConfiguration(config));
  MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(&batch, RefChanges{}));
  std::unique_lock<std::shared_mutex> l(mu_);
  rules_[std::string(bucket)] = std::move(compiled);
  return Status::OK();
}

Result<CorsConfiguration> BucketCors::Get(std::string_view bucket) {
  std::shared_ptr<const CompiledCors> rules = Find(bucket);
  if (rules) return rules->config();
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  return Status::Error(Status::Code::kNoSuchCORSConfiguration,
                       "The CORS configuration does not exist");
}

Status BucketCors::Delete(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(write_mu_);
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  if (!Find(bucket)) return Status::OK();  // S3: deleting no rules succeeds (204)
  leveldb::WriteBatch batch;
  batch.Delete(AccessKey(kAccessCorsKind, bucket));
  MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(&batch, RefChanges{}));
  std::unique_lock<std::shared_mutex> l(mu_);
  rules_.erase(std::string(bucket));
  return Status::OK();
}

CorsMatch BucketCors::Match(const CorsRequest& req) const {
  std::shared_ptr<const CompiledCors> rules;
  if (!req.bucket.empty()) rules = Find(req.bucket);
  if (!rules) rules = server_default_;
  if (!rules) return CorsMatch{};
  return rules->Match(req);
}

void BucketCors::StageNewBucket(std::string_view bucket, leveldb::WriteBatch* batch) {
  batch->Delete(AccessKey(kAccessCorsKind, bucket));
}

void BucketCors::StageDeleteBucket(std::string_view bucket, leveldb::WriteBatch* batch) {
  batch->Delete(AccessKey(kAccessCorsKind, bucket));
}

void BucketCors::ForgetBucket(std::string_view bucket) {
  std::lock_guard<std::mutex> wl(write_mu_);
  std::unique_lock<std::shared_mutex> l(mu_);
  rules_.erase(std::string(bucket));
}

}  // namespace maxiofs::engine
