// DeleteObject: removes the record and its data in one batch; a missing key is not an error.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

namespace maxiofs::engine {

Result<DeleteObjectResult> EngineImpl::DeleteObject(const DeleteObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, req.key)]);
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> old, LoadObject(req.bucket, req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
      req.preconditions, old ? std::optional<std::string>(old->etag) : std::nullopt));
  if (!old) return DeleteObjectResult{false};
  std::vector<size_t> stripes;
  if (old->storage == StorageKind::kBlob) stripes.push_back(BlobStripe(old->data_id));
  StripeGuard<kBlobStripes> blob_guard(blob_locks(), std::move(stripes));
  leveldb::WriteBatch batch;
  std::vector<std::string> unreferenced;
  MAXIOFS_RETURN_IF_ERROR(DropData(*old, &batch, &unreferenced));
  batch.Delete(ObjectKey(req.bucket, req.key));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  DeleteUnreferenced(unreferenced);
  Publish(ChangeEvent::Kind::kObjectRemoved, req.bucket, req.key);
  return DeleteObjectResult{true};
}

}  // namespace maxiofs::engine
