// A bucket's own metadata ('D' bucket): name/value pairs a front end keeps with the bucket (the
// FUSE mount: the bucket directory's mode, owner and times). S3 never shows them.
#include "engine_impl.h"
#include "key_codec.h"

namespace maxiofs::engine {
namespace {

using UserMeta = std::vector<std::pair<std::string, std::string>>;

Result<UserMeta> LoadBucketMeta(leveldb::DB& db, std::string_view bucket) {
  std::string v;
  leveldb::Status s = db.Get(leveldb::ReadOptions(), BucketMetaKey(bucket), &v);
  if (s.IsNotFound()) return UserMeta();
  if (!s.ok()) return FromLevelDb(s, "read bucket metadata");
  return DecodeUserMetaList(v);
}

}  // namespace

Result<UserMeta> EngineImpl::GetBucketMetadata(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  return LoadBucketMeta(db(), bucket);
}

Status EngineImpl::UpdateBucketMetadata(const UpdateBucketMetadataRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateMetadataChanges(req.changes));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  // The stripe of the empty key (never an object key) serializes changes of one bucket's
  // metadata without blocking its objects.
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, "")]);
  MAXIOFS_ASSIGN_OR_RETURN(UserMeta user, LoadBucketMeta(db(), req.bucket));
  UserMeta before = user;
  MAXIOFS_RETURN_IF_ERROR(ApplyMetadataChanges(req.changes, true, &user));
  if (user == before) return Status::OK();
  leveldb::WriteBatch batch;
  if (user.empty()) {
    batch.Delete(BucketMetaKey(req.bucket));
  } else {
    batch.Put(BucketMetaKey(req.bucket), EncodeUserMetaList(user));
  }
  return Commit(&batch, req.durable);
}

}  // namespace maxiofs::engine
