// Tagging. Object tags are a field of the version record (record_codec.h, format 5), so a
// write stores them in its own batch and each version keeps its own. Bucket tags are the
// bucket's 'X' 't' value (key_codec.h), written under the bucket lock so they cannot outlive
// a concurrent DeleteBucket (which clears every 'X' kind in its batch).
#include "engine_impl.h"
#include "key_codec.h"

namespace maxiofs::engine {

Result<ObjectTagging> EngineImpl::GetObjectTagging(const ObjectTaggingRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord v, LoadLiveVersion(req.bucket, req.key, req.version_id));
  return ObjectTagging{v.version_id(), std::move(v.tags)};
}

Result<std::string> EngineImpl::PutObjectTagging(const PutObjectTaggingRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectTags(req.tags));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, req.key)]);
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord v, LoadLiveVersion(req.bucket, req.key, req.version_id));
  const bool changed = v.tags != req.tags;
  if (!changed && !notifications().HasRules(req.bucket)) return v.version_id();
  v.tags = req.tags;
  leveldb::WriteBatch batch;
  RefChanges refs;
  if (changed) {
    const std::string encoded = EncodeObjectRecord(v);
    batch.Put(VersionKey(req.bucket, req.key, v.vkey), encoded);
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> cur, LoadObject(req.bucket, req.key));
    if (cur && cur->vkey == v.vkey) batch.Put(ObjectKey(req.bucket, req.key), encoded);
  }
  // Every call is an event, as in S3, whether the set changed or not.
  refs.events.push_back(EventDraft{req.delete_event ? "ObjectTagging:Delete" : "ObjectTagging:Put",
                                   req.bucket, req.key, true, v.size, v.etag, v.version_id(),
                                   req.origin});
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs));
  return v.version_id();
}

Result<std::string> EngineImpl::DeleteObjectTagging(const ObjectTaggingRequest& req) {
  PutObjectTaggingRequest put;
  put.bucket = req.bucket;
  put.key = req.key;
  put.version_id = req.version_id;
  put.origin = req.origin;
  put.delete_event = true;
  return PutObjectTagging(put);
}

Result<TagSet> EngineImpl::LoadObjectTags(std::string_view bucket, std::string_view key,
                                          std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord v, LoadLiveVersion(bucket, key, version_id));
  return std::move(v.tags);
}

Status EngineImpl::PutBucketTagging(std::string_view bucket, const TagSet& tags) {
  MAXIOFS_RETURN_IF_ERROR(ValidateBucketTags(tags));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  leveldb::WriteBatch batch;
  if (tags.empty()) {
    batch.Delete(AccessKey(kBucketTagsKind, bucket));
  } else {
    batch.Put(AccessKey(kBucketTagsKind, bucket), EncodeTags(tags));
  }
  return Commit(&batch);
}

Result<TagSet> EngineImpl::GetBucketTagging(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  std::string value;
  leveldb::Status s = db().Get(leveldb::ReadOptions(), AccessKey(kBucketTagsKind, bucket), &value);
  if (s.IsNotFound())
    return Status::Error(Status::Code::kNoSuchTagSet, "The TagSet does not exist");
  if (!s.ok()) return FromLevelDb(s, "read bucket tags");
  return DecodeTags(value);
}

Status EngineImpl::DeleteBucketTagging(std::string_view bucket) {
  return PutBucketTagging(bucket, TagSet{});
}

}  // namespace maxiofs::engine
