// CopyObject: a new record that shares the source's blob (reference count + 1) or duplicates
// its inline bytes. No blob data is copied.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

namespace maxiofs::engine {

Result<ObjectInfo> EngineImpl::CopyObject(const CopyObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.src_key));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.dst_key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  const bool same = req.src_bucket == req.dst_bucket && req.src_key == req.dst_key;
  if (same && !req.replace_metadata) {
    return Status::InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without "
        "changing the object's metadata, storage class, website redirect location or encryption "
        "attributes.");
  }
  // Bucket locks (shared) in stripe order; the same stripe is locked once.
  std::shared_mutex* b1 = &BucketLock(req.src_bucket);
  std::shared_mutex* b2 = &BucketLock(req.dst_bucket);
  if (b2 < b1) std::swap(b1, b2);
  std::shared_lock<std::shared_mutex> bl1(*b1);
  std::shared_lock<std::shared_mutex> bl2;
  if (b2 != b1) bl2 = std::shared_lock<std::shared_mutex>(*b2);
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.src_bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.dst_bucket));
  StripeGuard<kKeyStripes> key_guard(key_locks(), {KeyStripe(req.src_bucket, req.src_key),
                                                   KeyStripe(req.dst_bucket, req.dst_key)});

  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> src,
                           LoadObject(req.src_bucket, req.src_key));
  if (!src) return Status::NoSuchKey("the specified copy source key does not exist");
  MAXIOFS_RETURN_IF_ERROR(
      CheckCopySourcePreconditions(req.source_preconditions, src->etag, src->last_modified_ns));
  std::optional<ObjectRecord> old;
  if (same) {
    old = src;
  } else {
    MAXIOFS_ASSIGN_OR_RETURN(old, LoadObject(req.dst_bucket, req.dst_key));
  }
  MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
      req.dest_preconditions, old ? std::optional<std::string>(old->etag) : std::nullopt));

  std::vector<size_t> stripes;
  if (src->storage == StorageKind::kBlob) stripes.push_back(BlobStripe(src->data_id));
  if (old && old->storage == StorageKind::kBlob) stripes.push_back(BlobStripe(old->data_id));
  StripeGuard<kBlobStripes> blob_guard(blob_locks(), std::move(stripes));

  ObjectRecord rec = *src;
  if (req.replace_metadata) rec.meta = req.meta;
  rec.version_id = "null";
  leveldb::WriteBatch batch;
  std::vector<std::string> unreferenced;
  // Release the destination's old data first so a copy onto itself keeps the count right.
  if (old) MAXIOFS_RETURN_IF_ERROR(DropData(*old, &batch, &unreferenced));
  if (src->storage == StorageKind::kBlob) {
    std::string v;
    leveldb::Status s = db().Get(leveldb::ReadOptions(), RefKey(src->data_id), &v);
    if (!s.ok()) return FromLevelDb(s, "read blob reference count");
    MAXIOFS_ASSIGN_OR_RETURN(uint64_t n, DecodeRefCount(v));
    if (same) {
      // The old reference (dropped above) is the new one: net zero.
      std::erase(unreferenced, src->data_id);
      batch.Put(RefKey(src->data_id), EncodeRefCount(n));
    } else {
      batch.Put(RefKey(src->data_id), EncodeRefCount(n + 1));
    }
  } else if (!src->data_id.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(std::string data, LoadInline(src->data_id));
    rec.data_id = backends::NewBlobId();
    batch.Put(InlineKey(rec.data_id), data);
  }
  rec.last_modified_ns = NowNs();
  batch.Put(ObjectKey(req.dst_bucket, req.dst_key), EncodeObjectRecord(rec));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  DeleteUnreferenced(unreferenced);
  Publish(ChangeEvent::Kind::kObjectWritten, req.dst_bucket, req.dst_key);
  return ToObjectInfo(req.dst_bucket, req.dst_key, rec);
}

}  // namespace maxiofs::engine
