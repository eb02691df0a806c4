// Hard links: link groups of keys that are names of one file (the FUSE mount's link(2)).
//
// Records (key_codec.h): 'H' bucket key -> the key's link id; 'G' bucket link-id key -> "" for
// each name. The "linked" flag of a version record only tells readers that the key may be in a
// group (so unlinked keys cost no extra read); the 'H' record is the truth.
//
// Rules, all here and in the staging layer (versions.cc):
//  - Every new version of a key and every removal of its current version take the key out of
//    its group (StageNewVersion / StageRemoveVersion call StageLeaveLinkGroup). An S3 PUT,
//    copy, delete or multipart completion on one name therefore detaches that name only: S3
//    objects stay independent.
//  - Operations that keep a name in its group (writes with write_links, LinkObject, renames)
//    stage its membership again after that, in the same batch (a later entry of a batch wins).
//  - Both records of a name change only under that name's key stripe. A group's names are
//    read, all their stripes locked, and read again (LockLinkedNames): while the stripes are
//    held no name can join (LinkObject holds its source's stripe, a member) or leave.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

#include <algorithm>
#include <memory>

namespace maxiofs::engine {
namespace {

constexpr int kLockAttempts = 16;
static_assert(EngineImpl::kKeyStripes == 256, "LinkedNames::guard names the stripe count");

}  // namespace

Result<std::string> EngineImpl::LoadLinkId(std::string_view bucket, std::string_view key) {
  std::string v;
  leveldb::Status s = db().Get(leveldb::ReadOptions(), LinkOfKey(bucket, key), &v);
  if (s.IsNotFound()) return std::string();
  if (!s.ok()) return FromLevelDb(s, "read link group of key");
  return v;
}

Result<std::vector<std::string>> EngineImpl::LoadLinkNames(std::string_view bucket,
                                                           std::string_view link_id) {
  std::vector<std::string> names;
  const std::string prefix = LinkMemberPrefix(bucket, link_id);
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    if (names.size() > kMaxLinkCount) break;  // bounded whatever a damaged store holds
    names.emplace_back(View(it->key()).substr(prefix.size()));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "read link group"));
  return names;
}

Status EngineImpl::StageLeaveLinkGroup(std::string_view bucket, std::string_view key,
                                       leveldb::WriteBatch* batch) {
  MAXIOFS_ASSIGN_OR_RETURN(std::string link_id, LoadLinkId(bucket, key));
  if (link_id.empty()) return Status::OK();
  batch->Delete(LinkOfKey(bucket, key));
  batch->Delete(LinkMemberKey(bucket, link_id, key));
  return Status::OK();
}

void EngineImpl::StageJoinLinkGroup(std::string_view bucket, std::string_view key,
                                    std::string_view link_id, leveldb::WriteBatch* batch) {
  batch->Put(LinkOfKey(bucket, key), leveldb::Slice(link_id.data(), link_id.size()));
  batch->Put(LinkMemberKey(bucket, link_id, key), "");
}

Status EngineImpl::FillLinkInfo(std::string_view bucket, std::string_view key,
                                const ObjectRecord& rec, ObjectInfo* info) {
  if (!rec.linked) return Status::OK();
  MAXIOFS_ASSIGN_OR_RETURN(std::string link_id, LoadLinkId(bucket, key));
  if (link_id.empty()) return Status::OK();
  MAXIOFS_ASSIGN_OR_RETURN(std::vector<std::string> names, LoadLinkNames(bucket, link_id));
  info->link_count = static_cast<uint32_t>(std::max<size_t>(names.size(), 1));
  info->link_id = std::move(link_id);
  return Status::OK();
}

Result<LinkedNames> EngineImpl::LockLinkedNames(std::string_view bucket, std::string_view key,
                                                std::string_view extra) {
  for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
    LinkedNames out;
    MAXIOFS_ASSIGN_OR_RETURN(out.link_id, LoadLinkId(bucket, key));
    if (!out.link_id.empty()) {
      MAXIOFS_ASSIGN_OR_RETURN(out.names, LoadLinkNames(bucket, out.link_id));
    }
    if (std::find(out.names.begin(), out.names.end(), key) == out.names.end()) {
      out.names.emplace_back(key);
    }
    std::vector<size_t> stripes;
    for (const std::string& n : out.names) stripes.push_back(KeyStripe(bucket, n));
    if (!extra.empty()) stripes.push_back(KeyStripe(bucket, extra));
    out.guard = std::make_unique<StripeGuard<kKeyStripes>>(key_locks(), std::move(stripes));
    // Stable now unless a name joined or left between the reads and the locking.
    MAXIOFS_ASSIGN_OR_RETURN(std::string again, LoadLinkId(bucket, key));
    if (again != out.link_id) continue;
    if (again.empty()) return out;
    MAXIOFS_ASSIGN_OR_RETURN(std::vector<std::string> names, LoadLinkNames(bucket, again));
    bool covered = true;
    for (const std::string& n : names) {
      covered = covered && std::find(out.names.begin(), out.names.end(), n) != out.names.end();
    }
    if (!covered) continue;
    out.names = std::move(names);
    if (std::find(out.names.begin(), out.names.end(), key) == out.names.end()) {
      out.names.emplace_back(key);  // a flag without membership: the key alone
    }
    return out;
  }
  return Status::Busy("the link group kept changing while it was being locked");
}

Result<ObjectInfo> EngineImpl::LinkObject(const LinkObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.src_key));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.dst_key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(LinkedNames group,
                           LockLinkedNames(req.bucket, req.src_key, req.dst_key));
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> src, LoadObject(req.bucket, req.src_key));
  if (!src) return Status::NoSuchKey("the link source does not exist");
  const bool with_null = b.versioning != VersioningState::kEnabled;
  MAXIOFS_ASSIGN_OR_RETURN(VersionState dst_vs,
                           LoadVersionState(req.bucket, req.dst_key, with_null));
  if (req.src_key == req.dst_key || dst_vs.current()) {
    return Status::PreconditionFailed("the link target exists");
  }
  if (group.names.size() >= kMaxLinkCount) {
    return Status::InvalidRequest("too many links to one object")
        .WithSubCode(Status::SubCode::kTooManyLinks);
  }
  leveldb::WriteBatch batch;
  RefChanges refs;
  std::string link_id = group.link_id;
  if (link_id.empty()) {
    // The first link: the source becomes a name of a new group (its record is only flagged,
    // not versioned: it is the same object).
    link_id = backends::NewBlobId();
    if (!src->linked) {
      src->linked = true;
      const std::string encoded = EncodeObjectRecord(*src);
      batch.Put(VersionKey(req.bucket, req.src_key, src->vkey), encoded);
      batch.Put(ObjectKey(req.bucket, req.src_key), encoded);
    }
    StageJoinLinkGroup(req.bucket, req.src_key, link_id, &batch);
  }
  ObjectRecord rec;
  rec.size = src->size;
  rec.etag = src->etag;
  rec.storage = src->storage;
  rec.data_id = src->data_id;
  rec.parts = src->parts;
  rec.checksum = src->checksum;
  rec.seal = src->seal;
  rec.meta = src->meta;
  rec.acl = src->acl;
  rec.tags = src->tags;
  rec.linked = true;
  MAXIOFS_RETURN_IF_ERROR(ApplyLockSettings(b, {}, &rec));
  MAXIOFS_RETURN_IF_ERROR(StageShareData(*src, &rec, &batch, &refs));
  MAXIOFS_RETURN_IF_ERROR(StageNewVersion(b, req.bucket, req.dst_key, dst_vs, &rec, &batch, &refs));
  StageJoinLinkGroup(req.bucket, req.dst_key, link_id, &batch);
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs, req.durable));
  Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, req.src_key);
  Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, req.dst_key);
  ObjectInfo info = ToObjectInfo(req.bucket, req.dst_key, rec);
  info.link_count = static_cast<uint32_t>(group.names.size() + 1);
  info.link_id = std::move(link_id);
  return info;
}

}  // namespace maxiofs::engine
