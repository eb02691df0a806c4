// DeleteObject with S3's versioning semantics:
//  - no version id, unversioned bucket: the null version is removed;
//  - no version id, versioning enabled: a delete marker becomes the newest version;
//  - no version id, versioning suspended: a null delete marker replaces the null version;
//  - a version id: exactly that version (or marker) is removed, subject to object lock.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

namespace maxiofs::engine {

Result<DeleteObjectResult> EngineImpl::DeleteObject(const DeleteObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, req.key)]);
  leveldb::WriteBatch batch;
  RefChanges refs;
  DeleteObjectResult out;
  if (!req.version_id.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v,
                             LoadVersion(req.bucket, req.key, req.version_id));
    if (!v) return out;  // S3 answers success for a version that does not exist
    MAXIOFS_RETURN_IF_ERROR(CheckDeleteConditions(req, &*v));
    MAXIOFS_RETURN_IF_ERROR(
        StageRemoveVersion(req.bucket, req.key, *v, req.bypass_governance, &batch, &refs));
    out = DeleteObjectResult{true, v->delete_marker, v->version_id()};
  } else {
    MAXIOFS_ASSIGN_OR_RETURN(
        VersionState vs,
        LoadVersionState(req.bucket, req.key, b.versioning != VersioningState::kEnabled));
    const ObjectRecord* cur = vs.current();
    MAXIOFS_RETURN_IF_ERROR(CheckProtected(cur, req.protect_locked));
    MAXIOFS_RETURN_IF_ERROR(CheckDeleteConditions(req, vs.latest ? &*vs.latest : nullptr));
    // A conditional delete of a key with no version at all does nothing (no delete marker).
    const bool conditional =
        !req.preconditions.if_match.empty() || req.if_match_last_modified_s || req.if_match_size;
    if (conditional && !vs.latest) return out;
    if (b.versioning == VersioningState::kUnversioned) {
      if (!vs.null_version) return out;
      MAXIOFS_RETURN_IF_ERROR(StageRemoveVersion(req.bucket, req.key, *vs.null_version,
                                                 req.bypass_governance, &batch, &refs));
      out.existed = true;
    } else {
      ObjectRecord marker;
      marker.delete_marker = true;
      MAXIOFS_RETURN_IF_ERROR(StageNewVersion(b, req.bucket, req.key, vs, &marker, &batch, &refs));
      out = DeleteObjectResult{cur != nullptr, true, marker.version_id()};
    }
  }
  // A marker made now is DeleteMarkerCreated; removing a version (or a marker) is Delete.
  const bool marker_made = req.version_id.empty() && out.delete_marker;
  refs.events.push_back(
      EventDraft{marker_made ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete",
                 req.bucket, req.key, false, 0, "", out.version_id, req.origin});
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs, req.durable));
  Publish(ChangeEvent::Kind::kObjectRemoved, req.bucket, req.key);
  return out;
}

}  // namespace maxiofs::engine
