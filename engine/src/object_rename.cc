// Renames (for the FUSE mount): the destination gets a new version that shares the source's
// data, and the source is deleted as DeleteObject would (removed in an unversioned bucket, a
// delete marker otherwise), all in one batch. No byte of data is copied. A prefix rename (a
// directory) does this for every current object under the prefix in one batch. A name of a
// link group hands its membership to its new name (object_links.cc). For bucket notifications a
// rename is ObjectCreated:Copy of the destination then the source's removal.
#include "engine_impl.h"
#include "key_codec.h"

#include <memory>

namespace maxiofs::engine {
namespace {

// Stages "move the current object `src` of src_key to dst_key".
Status StageMove(EngineImpl& e, const BucketRecord& b, std::string_view bucket,
                 std::string_view src_key, const VersionState& src_vs, std::string_view dst_key,
                 const VersionState& dst_vs, leveldb::WriteBatch* batch, RefChanges* refs,
                 ObjectRecord* moved) {
  const ObjectRecord& src = *src_vs.current();
  std::string link_id;
  if (src.linked) {
    MAXIOFS_ASSIGN_OR_RETURN(link_id, e.LoadLinkId(bucket, src_key));
  }
  ObjectRecord rec;
  rec.size = src.size;
  rec.etag = src.etag;
  rec.storage = src.storage;
  rec.data_id = src.data_id;
  rec.parts = src.parts;
  rec.checksum = src.checksum;
  rec.seal = src.seal;
  rec.meta = src.meta;
  rec.acl = src.acl;  // a rename moves the object, its ACL and tags with it
  rec.tags = src.tags;
  rec.linked = !link_id.empty();
  MAXIOFS_RETURN_IF_ERROR(e.StageShareData(src, &rec, batch, refs));
  MAXIOFS_RETURN_IF_ERROR(e.StageNewVersion(b, bucket, dst_key, dst_vs, &rec, batch, refs));
  if (!link_id.empty()) e.StageJoinLinkGroup(bucket, dst_key, link_id, batch);
  // For bucket notifications a rename is what a client's move is in S3: a copy, then a delete.
  refs->events.push_back(EventDraft{"ObjectCreated:Copy",
                                    std::string(bucket),
                                    std::string(dst_key),
                                    true,
                                    rec.size,
                                    rec.etag,
                                    rec.version_id(),
                                    {}});
  if (b.versioning == VersioningState::kUnversioned) {
    MAXIOFS_RETURN_IF_ERROR(e.StageRemoveVersion(bucket, src_key, src, false, batch, refs));
    refs->events.push_back(EventDraft{"ObjectRemoved:Delete",
                                      std::string(bucket),
                                      std::string(src_key),
                                      false,
                                      0,
                                      "",
                                      src.version_id(),
                                      {}});
  } else {
    ObjectRecord marker;
    marker.delete_marker = true;
    MAXIOFS_RETURN_IF_ERROR(e.StageNewVersion(b, bucket, src_key, src_vs, &marker, batch, refs));
    refs->events.push_back(EventDraft{"ObjectRemoved:DeleteMarkerCreated",
                                      std::string(bucket),
                                      std::string(src_key),
                                      false,
                                      0,
                                      "",
                                      marker.version_id(),
                                      {}});
  }
  *moved = std::move(rec);
  return Status::OK();
}

}  // namespace

Result<ObjectInfo> EngineImpl::RenameObject(const RenameObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.src_key));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.dst_key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  StripeGuard<kKeyStripes> key_guard(
      key_locks(), {KeyStripe(req.bucket, req.src_key), KeyStripe(req.bucket, req.dst_key)});
  const bool with_null = b.versioning != VersioningState::kEnabled;
  MAXIOFS_ASSIGN_OR_RETURN(VersionState src_vs,
                           LoadVersionState(req.bucket, req.src_key, with_null));
  if (!src_vs.current()) return Status::NoSuchKey("the rename source does not exist");
  if (req.src_key == req.dst_key) return ToObjectInfo(req.bucket, req.dst_key, *src_vs.current());
  MAXIOFS_ASSIGN_OR_RETURN(VersionState dst_vs,
                           LoadVersionState(req.bucket, req.dst_key, with_null));
  if (dst_vs.current() && req.no_replace) {
    return Status::PreconditionFailed("the rename target exists");
  }
  if (src_vs.current()->linked && dst_vs.current() && dst_vs.current()->linked) {
    // Two names of one file: rename(2) does nothing.
    MAXIOFS_ASSIGN_OR_RETURN(std::string src_link, LoadLinkId(req.bucket, req.src_key));
    MAXIOFS_ASSIGN_OR_RETURN(std::string dst_link, LoadLinkId(req.bucket, req.dst_key));
    if (!src_link.empty() && src_link == dst_link) {
      return ToObjectInfo(req.bucket, req.dst_key, *dst_vs.current());
    }
  }
  MAXIOFS_RETURN_IF_ERROR(CheckProtected(src_vs.current(), req.protect_locked));
  MAXIOFS_RETURN_IF_ERROR(CheckProtected(dst_vs.current(), req.protect_locked));
  leveldb::WriteBatch batch;
  RefChanges refs;
  ObjectRecord moved;
  MAXIOFS_RETURN_IF_ERROR(StageMove(*this, b, req.bucket, req.src_key, src_vs, req.dst_key, dst_vs,
                                    &batch, &refs, &moved));
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs, req.durable));
  Publish(ChangeEvent::Kind::kObjectRemoved, req.bucket, req.src_key);
  Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, req.dst_key);
  return ToObjectInfo(req.bucket, req.dst_key, moved);
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
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  const std::string base = ObjectKeyPrefix(req.bucket);
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  it->Seek(base + req.dst_prefix);
  if (it->Valid() && View(it->key()).starts_with(base + req.dst_prefix)) {
    return Status::PreconditionFailed("the rename target prefix is not empty");
  }
  std::vector<std::string> keys;
  const std::string src = base + req.src_prefix;
  for (it->Seek(src); it->Valid() && View(it->key()).starts_with(src); it->Next()) {
    if (keys.size() >= req.max_keys) {
      return Status::EntityTooLarge("too many objects under the prefix to rename at once");
    }
    keys.emplace_back(View(it->key()).substr(base.size()));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan rename source"));
  if (keys.empty()) return uint64_t{0};
  const bool with_null = b.versioning != VersioningState::kEnabled;
  leveldb::WriteBatch batch;
  RefChanges refs;
  std::vector<std::string> new_keys;
  for (const auto& key : keys) {
    std::string new_key = req.dst_prefix + key.substr(req.src_prefix.size());
    MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(new_key));
    MAXIOFS_ASSIGN_OR_RETURN(VersionState src_vs, LoadVersionState(req.bucket, key, with_null));
    MAXIOFS_RETURN_IF_ERROR(CheckProtected(src_vs.current(), req.protect_locked));
    MAXIOFS_ASSIGN_OR_RETURN(VersionState dst_vs, LoadVersionState(req.bucket, new_key, with_null));
    ObjectRecord moved;
    MAXIOFS_RETURN_IF_ERROR(
        StageMove(*this, b, req.bucket, key, src_vs, new_key, dst_vs, &batch, &refs, &moved));
    new_keys.push_back(std::move(new_key));
  }
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs, req.durable));
  for (size_t i = 0; i < keys.size(); ++i) {
    Publish(ChangeEvent::Kind::kObjectRemoved, req.bucket, keys[i]);
    Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, new_keys[i]);
  }
  return static_cast<uint64_t>(keys.size());
}

}  // namespace maxiofs::engine
