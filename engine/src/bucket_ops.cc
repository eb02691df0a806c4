// Buckets: create, delete (only when empty), head, list.
#include "engine_impl.h"
#include "key_codec.h"

#include <memory>

namespace maxiofs::engine {

Status EngineImpl::CreateBucket(const CreateBucketRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateBucketName(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  Status exists = CheckBucketExists(req.bucket);
  if (exists.ok()) {
    return Status::BucketAlreadyOwnedByYou("the bucket already exists and you own it");
  }
  if (!exists.IsNoSuchBucket()) return exists;
  leveldb::WriteBatch batch;
  batch.Put(BucketKey(req.bucket), EncodeBucketRecord(BucketRecord{NowNs()}));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  Publish(ChangeEvent::Kind::kBucketCreated, req.bucket);
  return Status::OK();
}

Status EngineImpl::DeleteBucket(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  const std::string prefix = ObjectKeyPrefix(bucket);
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  it->Seek(prefix);
  if (it->Valid() && it->key().starts_with(prefix)) {
    return Status::BucketNotEmpty("the bucket you tried to delete is not empty");
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan bucket"));
  leveldb::WriteBatch batch;
  batch.Delete(BucketKey(bucket));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  Publish(ChangeEvent::Kind::kBucketRemoved, bucket);
  return Status::OK();
}

Result<BucketInfo> EngineImpl::HeadBucket(std::string_view bucket) {
  std::string v;
  leveldb::Status s = db().Get(leveldb::ReadOptions(), BucketKey(bucket), &v);
  if (s.IsNotFound()) return Status::NoSuchBucket("the specified bucket does not exist");
  if (!s.ok()) return FromLevelDb(s, "read bucket");
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, DecodeBucketRecord(v));
  return BucketInfo{std::string(bucket), r.created_ns};
}

Result<std::vector<BucketInfo>> EngineImpl::ListBuckets() {
  std::vector<BucketInfo> out;
  const std::string prefix = BucketKeyPrefix();
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, DecodeBucketRecord(View(it->value())));
    out.push_back(BucketInfo{it->key().ToString().substr(1), r.created_ns});
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "list buckets"));
  return out;
}

}  // namespace maxiofs::engine
