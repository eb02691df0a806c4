// Bucket default encryption (Put/Get/DeleteBucketEncryption): kept in the bucket record and
// applied by seal_plan.cc to writes that ask for no encryption.
#include "engine_impl.h"
#include "key_codec.h"

namespace maxiofs::engine {

Status EngineImpl::PutBucketEncryption(std::string_view bucket, const BucketEncryption& enc) {
  if (enc.sse != Sse::kS3 && enc.sse != Sse::kKms) {
    return Status::InvalidArgument("the default encryption must be AES256 or aws:kms");
  }
  if (enc.sse == Sse::kS3 && !enc.kms_key_id.empty()) {
    return Status::InvalidArgument("a KMS key id is only valid with aws:kms");
  }
  if (keyring_.empty()) {
    return Status::InvalidRequest(
        "server-side encryption needs a master key: set storage.encryption.key");
  }
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  if (enc.sse == Sse::kKms && !enc.kms_key_id.empty()) {
    MAXIOFS_RETURN_IF_ERROR(LoadKmsKey(enc.kms_key_id).status());
  }
  r.default_sse = enc.sse;
  r.default_kms_key = enc.kms_key_id;
  r.bucket_key_enabled = enc.bucket_key_enabled;
  leveldb::WriteBatch batch;
  batch.Put(BucketKey(bucket), EncodeBucketRecord(r));
  return Commit(&batch);
}

Result<BucketEncryption> EngineImpl::GetBucketEncryption(std::string_view bucket) {
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  if (r.default_sse == Sse::kNone) {
    return Status::NotFound("The server side encryption configuration was not found");
  }
  return BucketEncryption{r.default_sse, r.default_kms_key, r.bucket_key_enabled};
}

Status EngineImpl::DeleteBucketEncryption(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord r, LoadBucket(bucket));
  r.default_sse = Sse::kNone;
  r.default_kms_key.clear();
  r.bucket_key_enabled = false;
  leveldb::WriteBatch batch;
  batch.Put(BucketKey(bucket), EncodeBucketRecord(r));
  return Commit(&batch);
}

}  // namespace maxiofs::engine
