// Renames: a record moves to a new key with its data id unchanged, so no byte of data is
// copied. A prefix rename (a directory) moves every record under the prefix in one batch.
#include "engine_impl.h"
#include "key_codec.h"

#include <memory>

namespace maxiofs::engine {

Result<ObjectInfo> EngineImpl::RenameObject(const RenameObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.src_key));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.dst_key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  StripeGuard<kKeyStripes> key_guard(
      key_locks(), {KeyStripe(req.bucket, req.src_key), KeyStripe(req.bucket, req.dst_key)});
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> src, LoadObject(req.bucket, req.src_key));
  if (!src) return Status::NoSuchKey("the rename source does not exist");
  if (req.src_key == req.dst_key) return ToObjectInfo(req.bucket, req.dst_key, *src);
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> old, LoadObject(req.bucket, req.dst_key));
  if (old && req.no_replace) return Status::PreconditionFailed("the rename target exists");
  std::vector<size_t> stripes;
  if (old && old->storage == StorageKind::kBlob) stripes.push_back(BlobStripe(old->data_id));
  StripeGuard<kBlobStripes> blob_guard(blob_locks(), std::move(stripes));
  leveldb::WriteBatch batch;
  std::vector<std::string> unreferenced;
  if (old) MAXIOFS_RETURN_IF_ERROR(DropData(*old, &batch, &unreferenced));
  batch.Delete(ObjectKey(req.bucket, req.src_key));
  batch.Put(ObjectKey(req.bucket, req.dst_key), EncodeObjectRecord(*src));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  DeleteUnreferenced(unreferenced);
  Publish(ChangeEvent::Kind::kObjectRemoved, req.bucket, req.src_key);
  Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, req.dst_key);
  return ToObjectInfo(req.bucket, req.dst_key, *src);
}

Result<uint64_t> EngineImpl::RenamePrefix(const RenamePrefixRequest& req) {
  if (req.src_prefix.empty() || req.dst_prefix.empty()) {
    return Status::InvalidArgument("rename prefixes must not be empty");
  }
  if (req.dst_prefix.starts_with(req.src_prefix)) {
    return Status::InvalidArgument("cannot move a prefix inside itself");
  }
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.src_prefix));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.dst_prefix));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  // Exclusive: no other writer of this bucket runs while the batch is built and committed.
  std::unique_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  const std::string base = ObjectKeyPrefix(req.bucket);
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  it->Seek(base + req.dst_prefix);
  if (it->Valid() && View(it->key()).starts_with(base + req.dst_prefix)) {
    return Status::PreconditionFailed("the rename target prefix is not empty");
  }
  leveldb::WriteBatch batch;
  std::vector<std::pair<std::string, std::string>> moved;  // (old key, new key)
  const std::string src = base + req.src_prefix;
  for (it->Seek(src); it->Valid() && View(it->key()).starts_with(src); it->Next()) {
    if (moved.size() >= req.max_keys) {
      return Status::EntityTooLarge("too many objects under the prefix to rename at once");
    }
    std::string old_key(View(it->key()).substr(base.size()));
    std::string new_key = req.dst_prefix + old_key.substr(req.src_prefix.size());
    MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(new_key));
    batch.Delete(it->key());
    batch.Put(ObjectKey(req.bucket, new_key), it->value());
    moved.emplace_back(std::move(old_key), std::move(new_key));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan rename source"));
  if (moved.empty()) return uint64_t{0};
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  for (const auto& [from, to] : moved) {
    Publish(ChangeEvent::Kind::kObjectRemoved, req.bucket, from);
    Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, to);
  }
  return static_cast<uint64_t>(moved.size());
}

}  // namespace maxiofs::engine
