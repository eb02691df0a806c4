// The versioning core: loading records and versions, and staging version changes into one
// WriteBatch under S3's rules (null versions, delete markers, object lock), with blob
// reference counts and usage counters applied at commit. Every path that adds or removes a
// version goes through StageNewVersion / StageRemoveVersion(s), which is where the usage
// deltas are counted.
#include "blob_intents.h"
#include "engine_impl.h"
#include "key_codec.h"

#include <algorithm>
#include <memory>

namespace maxiofs::engine {

Status CheckRemovable(const ObjectRecord& v, bool bypass_governance, int64_t now_ns) {
  if (v.delete_marker) return Status::OK();
  if (v.legal_hold) {
    return Status::ObjectLocked("the object version is under a legal hold");
  }
  if (v.retention.retain_until_ns > now_ns) {
    if (v.retention.mode == LockMode::kCompliance) {
      return Status::ObjectLocked("the object version is locked in COMPLIANCE mode");
    }
    if (v.retention.mode == LockMode::kGovernance && !bypass_governance) {
      return Status::ObjectLocked("the object version is locked in GOVERNANCE mode");
    }
  }
  return Status::OK();
}

Status CheckProtected(const ObjectRecord* cur, bool protect_locked) {
  if (!protect_locked || cur == nullptr) return Status::OK();
  return CheckRemovable(*cur, false, NowNs());
}

Result<BucketRecord> EngineImpl::LoadBucket(std::string_view bucket) {
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), BucketKey(bucket), &v);
  if (s.IsNotFound()) return Status::NoSuchBucket("the specified bucket does not exist");
  if (!s.ok()) return FromLevelDb(s, "read bucket");
  return DecodeBucketRecord(v);
}

Status EngineImpl::CheckBucketExists(std::string_view bucket) {
  return LoadBucket(bucket).status();
}

Result<std::optional<ObjectRecord>> EngineImpl::LoadObject(std::string_view bucket,
                                                           std::string_view key) {
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), ObjectKey(bucket, key), &v);
  if (s.IsNotFound()) return std::optional<ObjectRecord>();
  if (!s.ok()) return FromLevelDb(s, "read object");
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(v));
  return std::optional<ObjectRecord>(std::move(r));
}

Result<std::optional<ObjectRecord>> EngineImpl::LoadVersion(std::string_view bucket,
                                                            std::string_view key,
                                                            std::string_view version_id) {
  if (version_id.empty()) return LoadObject(bucket, key);
  std::string vkey;
  if (version_id == "null") {
    leveldb::Status s = db_->Get(leveldb::ReadOptions(), NullKey(bucket, key), &vkey);
    if (s.IsNotFound()) return std::optional<ObjectRecord>();
    if (!s.ok()) return FromLevelDb(s, "read null version index");
  } else {
    std::optional<std::string> parsed = VersionIdToVkey(version_id);
    if (!parsed) return Status::InvalidArgument("invalid version id specified");
    vkey = std::move(*parsed);
  }
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), VersionKey(bucket, key, vkey), &v);
  if (s.IsNotFound()) return std::optional<ObjectRecord>();
  if (!s.ok()) return FromLevelDb(s, "read version");
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(v));
  return std::optional<ObjectRecord>(std::move(r));
}

Result<ObjectRecord> EngineImpl::LoadLiveVersion(std::string_view bucket, std::string_view key,
                                                 std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v, LoadVersion(bucket, key, version_id));
  if (!v) {
    return version_id.empty() ? Status::NoSuchKey("the specified key does not exist")
                              : Status::NoSuchVersion("the specified version does not exist");
  }
  if (v->delete_marker) {
    return Status::MethodNotAllowed("the specified method is not allowed against a delete marker");
  }
  return std::move(*v);
}

Result<VersionState> EngineImpl::LoadVersionState(std::string_view bucket, std::string_view key,
                                                  bool with_null, std::string_view removed_vkey) {
  VersionState vs;
  const std::string prefix = VersionKeyPrefix(bucket, key);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  it->Seek(prefix);
  if (!removed_vkey.empty() && it->Valid() && View(it->key()).starts_with(prefix) &&
      View(it->key()).substr(prefix.size()) == removed_vkey) {
    it->Next();
  }
  if (it->Valid() && View(it->key()).starts_with(prefix)) {
    MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(View(it->value())));
    vs.latest = std::move(r);
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "read latest version"));
  if (with_null) {
    if (vs.latest && vs.latest->is_null) {
      vs.null_version = vs.latest;
    } else {
      MAXIOFS_ASSIGN_OR_RETURN(vs.null_version, LoadVersion(bucket, key, "null"));
      if (vs.null_version && !removed_vkey.empty() && vs.null_version->vkey == removed_vkey) {
        vs.null_version.reset();
      }
    }
  }
  return vs;
}

Result<std::string> EngineImpl::LoadInline(const std::string& data_id) {
  if (data_id.empty()) return std::string();
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), InlineKey(data_id), &v);
  if (!s.ok()) return FromLevelDb(s, "read inline data");
  return v;
}

void EngineImpl::StageDropData(const ObjectRecord& r, leveldb::WriteBatch* batch,
                               RefChanges* refs) {
  if (r.delete_marker) return;
  switch (r.storage) {
    case StorageKind::kInline:
      if (!r.data_id.empty()) batch->Delete(InlineKey(r.data_id));
      break;
    case StorageKind::kBlob:
      refs->Add(r.data_id, -1);
      break;
    case StorageKind::kMultipart:
      for (const auto& p : r.parts) refs->Add(p.blob_id, -1);
      break;
  }
}

Status EngineImpl::StageShareData(const ObjectRecord& src, ObjectRecord* dst,
                                  leveldb::WriteBatch* batch, RefChanges* refs) {
  switch (src.storage) {
    case StorageKind::kInline:
      if (!src.data_id.empty()) {
        MAXIOFS_ASSIGN_OR_RETURN(std::string data, LoadInline(src.data_id));
        dst->data_id = backends::NewBlobId();
        batch->Put(InlineKey(dst->data_id), data);
      }
      break;
    case StorageKind::kBlob:
      refs->Add(src.data_id, +1);
      break;
    case StorageKind::kMultipart:
      for (const auto& p : src.parts) refs->Add(p.blob_id, +1);
      break;
  }
  return Status::OK();
}

Status EngineImpl::ApplyLockSettings(const BucketRecord& b, const LockRequest& lock,
                                     ObjectRecord* rec) {
  if (!lock.empty() && !b.lock_enabled) {
    return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  }
  const int64_t now = NowNs();
  if (lock.retention && lock.retention->mode != LockMode::kNone) {
    if (lock.retention->retain_until_ns <= now) {
      return Status::InvalidArgument("the retain until date must be in the future");
    }
    rec->retention = *lock.retention;
  } else if (b.lock_enabled && b.default_retention.mode != LockMode::kNone) {
    constexpr int64_t kDay = 86400LL * 1000000000LL;
    int64_t span = b.default_retention.days ? b.default_retention.days * kDay
                                            : b.default_retention.years * 365 * kDay;
    rec->retention = Retention{b.default_retention.mode, now + span};
  }
  if (lock.legal_hold) rec->legal_hold = *lock.legal_hold;
  return Status::OK();
}

Status EngineImpl::StageNewVersion(const BucketRecord& b, std::string_view bucket,
                                   std::string_view key, const VersionState& vs, ObjectRecord* rec,
                                   leveldb::WriteBatch* batch, RefChanges* refs) {
  int64_t now = NowNs();
  // A new version takes the key out of its link group; callers that keep it there (writes
  // through every name, links, renames) stage its membership again afterwards.
  if (vs.latest && vs.latest->linked) {
    MAXIOFS_RETURN_IF_ERROR(StageLeaveLinkGroup(bucket, key, batch));
  }
  // Versions of a key must sort strictly newest first even if the clock steps back.
  int64_t ts = now;
  if (vs.latest) ts = std::max(ts, VkeyTime(vs.latest->vkey) + 1);
  rec->vkey = MakeVkey(ts);
  rec->last_modified_ns = now;
  const uint8_t shard = UsageShard(bucket, key);
  if (b.versioning == VersioningState::kEnabled) {
    rec->is_null = false;
  } else {
    rec->is_null = true;
    if (vs.null_version) {
      MAXIOFS_RETURN_IF_ERROR(CheckRemovable(*vs.null_version, false, now));
      StageDropData(*vs.null_version, batch, refs);
      batch->Delete(VersionKey(bucket, key, vs.null_version->vkey));
      refs->usage.CountVersion(bucket, shard, *vs.null_version, -1);
    }
    batch->Put(NullKey(bucket, key), rec->vkey);
  }
  refs->usage.CountVersion(bucket, shard, *rec, +1);
  refs->usage.CountCurrent(bucket, shard, vs.latest ? &*vs.latest : nullptr, rec);
  const std::string encoded = EncodeObjectRecord(*rec);
  batch->Put(VersionKey(bucket, key, rec->vkey), encoded);
  if (rec->delete_marker) {
    batch->Delete(ObjectKey(bucket, key));
  } else {
    batch->Put(ObjectKey(bucket, key), encoded);
  }
  return Status::OK();
}

Status EngineImpl::StageRemoveVersion(std::string_view bucket, std::string_view key,
                                      const ObjectRecord& v, bool bypass_governance,
                                      leveldb::WriteBatch* batch, RefChanges* refs) {
  MAXIOFS_RETURN_IF_ERROR(CheckRemovable(v, bypass_governance, NowNs()));
  const uint8_t shard = UsageShard(bucket, key);
  StageDropData(v, batch, refs);
  batch->Delete(VersionKey(bucket, key, v.vkey));
  if (v.is_null) batch->Delete(NullKey(bucket, key));
  refs->usage.CountVersion(bucket, shard, v, -1);
  // If `v` is the newest version, the next one becomes current.
  const std::string prefix = VersionKeyPrefix(bucket, key);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  it->Seek(prefix);
  if (!it->Valid() || !View(it->key()).starts_with(prefix)) {
    return FromLevelDb(it->status(), "scan versions");
  }
  if (View(it->key()).substr(prefix.size()) != v.vkey) return Status::OK();  // not the newest
  // Removing the current version takes the key out of its link group.
  if (v.linked) MAXIOFS_RETURN_IF_ERROR(StageLeaveLinkGroup(bucket, key, batch));
  it->Next();
  if (it->Valid() && View(it->key()).starts_with(prefix)) {
    MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord next, DecodeObjectRecord(View(it->value())));
    refs->usage.CountCurrent(bucket, shard, &v, &next);
    if (next.delete_marker) {
      batch->Delete(ObjectKey(bucket, key));
    } else {
      batch->Put(ObjectKey(bucket, key), it->value());
    }
  } else {
    refs->usage.CountCurrent(bucket, shard, &v, nullptr);
    batch->Delete(ObjectKey(bucket, key));
  }
  return FromLevelDb(it->status(), "scan versions");
}

Status EngineImpl::StageRemoveVersions(std::string_view bucket, std::string_view key,
                                       const std::vector<const ObjectRecord*>& remove,
                                       leveldb::WriteBatch* batch, RefChanges* refs) {
  if (remove.empty()) return Status::OK();
  const int64_t now = NowNs();
  for (const ObjectRecord* v : remove) MAXIOFS_RETURN_IF_ERROR(CheckRemovable(*v, false, now));
  const uint8_t shard = UsageShard(bucket, key);
  std::vector<std::string_view> gone;
  gone.reserve(remove.size());
  for (const ObjectRecord* v : remove) {
    StageDropData(*v, batch, refs);
    batch->Delete(VersionKey(bucket, key, v->vkey));
    if (v->is_null) batch->Delete(NullKey(bucket, key));
    refs->usage.CountVersion(bucket, shard, *v, -1);
    gone.push_back(v->vkey);
  }
  // The current object is the newest version that stays; it changes only when the newest of
  // all is removed.
  const std::string prefix = VersionKeyPrefix(bucket, key);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  it->Seek(prefix);
  if (!it->Valid() || !View(it->key()).starts_with(prefix)) {
    return FromLevelDb(it->status(), "scan versions");
  }
  const std::string_view newest = View(it->key()).substr(prefix.size());
  auto is_gone = [&](std::string_view vkey) {
    return std::find(gone.begin(), gone.end(), vkey) != gone.end();
  };
  if (!is_gone(newest)) return FromLevelDb(it->status(), "scan versions");
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord old_latest, DecodeObjectRecord(View(it->value())));
  // Removing the current version takes the key out of its link group.
  if (old_latest.linked) MAXIOFS_RETURN_IF_ERROR(StageLeaveLinkGroup(bucket, key, batch));
  for (it->Next(); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    if (is_gone(View(it->key()).substr(prefix.size()))) continue;
    MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord next, DecodeObjectRecord(View(it->value())));
    refs->usage.CountCurrent(bucket, shard, &old_latest, &next);
    if (next.delete_marker) {
      batch->Delete(ObjectKey(bucket, key));
    } else {
      batch->Put(ObjectKey(bucket, key), it->value());
    }
    return FromLevelDb(it->status(), "scan versions");
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan versions"));
  refs->usage.CountCurrent(bucket, shard, &old_latest, nullptr);
  batch->Delete(ObjectKey(bucket, key));
  return Status::OK();
}

Status EngineImpl::CommitWithRefs(leveldb::WriteBatch* batch, const RefChanges& refs, bool durable,
                                  std::vector<std::string>* unreferenced_out) {
  // Quotas first: a refused write stages nothing. The reservations hold the growth of this
  // write against concurrent writers' checks until the counters include it.
  std::vector<std::unique_ptr<UsageTable::Reservation>> reservations;
  std::vector<std::pair<std::string_view, UsageFigures>> totals;
  for (const auto& [bucket, change] : refs.usage.buckets) {
    MAXIOFS_ASSIGN_OR_RETURN(auto r, usage_.Admit(bucket, change));
    reservations.push_back(std::move(r));
    totals.emplace_back(bucket, change.Total());
    // The writer holds the stripe of each shard it changes (or the bucket exclusively), so
    // nobody else reads or writes these shard records until the batch is committed.
    for (const auto& [shard, delta] : change.shards) {
      if (delta.zero()) continue;
      const std::string k = UsageKey(bucket, shard);
      std::string v;
      UsageFigures f;
      leveldb::Status s = db_->Get(leveldb::ReadOptions(), k, &v);
      if (s.ok()) {
        MAXIOFS_ASSIGN_OR_RETURN(f, DecodeUsageShard(v));
      } else if (!s.IsNotFound()) {
        return FromLevelDb(s, "read usage counters");
      }
      f.Add(delta);
      if (f.zero()) {
        batch->Delete(k);
      } else {
        batch->Put(k, EncodeUsageShard(f));
      }
    }
  }
  std::vector<size_t> stripes;
  for (const auto& [id, d] : refs.delta) {
    if (d != 0) stripes.push_back(BlobStripe(id));
  }
  std::vector<std::string> unreferenced;
  for (const std::string& id : refs.published) batch->Delete(IntentKey(id));
  std::vector<Notifications::Staged> events;
  if (notify_) notify_->Stage(refs.events, batch, &events);
  {
    StripeGuard<kBlobStripes> guard(blob_locks_, std::move(stripes));
    for (const auto& [id, d] : refs.delta) {
      if (d == 0) continue;
      std::string v;
      uint64_t n = 0;
      leveldb::Status s = db_->Get(leveldb::ReadOptions(), RefKey(id), &v);
      if (s.ok()) {
        MAXIOFS_ASSIGN_OR_RETURN(n, DecodeRefCount(v));
      } else if (!s.IsNotFound()) {
        return FromLevelDb(s, "read blob reference count");
      }
      int64_t after = static_cast<int64_t>(n) + d;
      if (after < 0) return Status::Corruption("blob reference count would go negative: " + id);
      if (after == 0) {
        batch->Delete(RefKey(id));
        batch->Put(IntentKey(id), EncodeIntent({IntentKind::kDelete, NowNs()}));
        unreferenced.push_back(id);
      } else {
        batch->Put(RefKey(id), EncodeRefCount(static_cast<uint64_t>(after)));
      }
    }
    MAXIOFS_RETURN_IF_ERROR(Commit(batch, durable));
  }
  if (!events.empty()) notify_->Committed(events);
  for (const auto& [bucket, delta] : totals) usage_.Apply(bucket, delta);
  if (unreferenced_out != nullptr) {
    unreferenced_out->insert(unreferenced_out->end(), unreferenced.begin(), unreferenced.end());
  } else {
    DeleteUnreferencedBlobs(unreferenced);
  }
  return Status::OK();
}

Status EngineImpl::RewriteVersion(std::string_view bucket, std::string_view key,
                                  const ObjectRecord& v) {
  leveldb::WriteBatch batch;
  const std::string encoded = EncodeObjectRecord(v);
  batch.Put(VersionKey(bucket, key, v.vkey), encoded);
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> cur, LoadObject(bucket, key));
  if (cur && cur->vkey == v.vkey) batch.Put(ObjectKey(bucket, key), encoded);
  return Commit(&batch);
}

}  // namespace maxiofs::engine
