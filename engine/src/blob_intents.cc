// Blob intents (blob_intents.h): recording them, and settling them at start-up and later.
#include "blob_intents.h"

#include "engine_impl.h"
#include "key_codec.h"

#include <spdlog/spdlog.h>

#include <vector>

namespace maxiofs::engine {

namespace {

constexpr size_t kIntentSize = 9;

std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}

// A store that no longer holds the blob has done what was asked of it.
bool Settled(const Status& s) { return s.ok() || s.code() == Status::Code::kNotFound; }

}  // namespace

std::string EncodeIntent(const BlobIntent& intent) {
  std::string out(kIntentSize, '\0');
  out[0] = static_cast<char>(intent.kind);
  const uint64_t ns = static_cast<uint64_t>(intent.since_ns);
  for (int i = 0; i < 8; ++i) out[1 + i] = static_cast<char>((ns >> (8 * i)) & 0xff);
  return out;
}

Result<BlobIntent> DecodeIntent(std::string_view in) {
  if (in.size() != kIntentSize || (in[0] != static_cast<char>(IntentKind::kUpload) &&
                                   in[0] != static_cast<char>(IntentKind::kDelete))) {
    return Status::Corruption("malformed blob intent record");
  }
  uint64_t ns = 0;
  for (int i = 0; i < 8; ++i) ns |= uint64_t{static_cast<unsigned char>(in[1 + i])} << (8 * i);
  return BlobIntent{static_cast<IntentKind>(in[0]), static_cast<int64_t>(ns)};
}

namespace {

// Writes a batch of intent changes without a sync. A failed write may have left part of its
// record in LevelDB's log, and LevelDB goes on appending after it: at recovery the reader drops
// the rest of that log block, and with it later writes that were acknowledged as durable. So a
// failure stops all writes, as a failed commit does.
void WriteUnsynced(leveldb::DB& db, EngineImpl& engine, leveldb::WriteBatch* batch) {
  leveldb::Status s = db.Write(leveldb::WriteOptions(), batch);
  if (!s.ok()) engine.EnterReadOnly(FromLevelDb(s, "write blob intents"));
}

}  // namespace

Status EngineImpl::RecordUploadIntent(const std::string& blob_id, bool durable) {
  leveldb::WriteBatch batch;
  batch.Put(IntentKey(blob_id), EncodeIntent({IntentKind::kUpload, NowNs()}));
  return Commit(&batch, durable);
}

void EngineImpl::DropIntent(const std::string& blob_id) {
  // Unsynced: should the delete be lost, the next start-up settles the intent again (deleting
  // a blob that is already gone succeeds).
  leveldb::WriteBatch batch;
  batch.Delete(IntentKey(blob_id));
  WriteUnsynced(*db_, *this, &batch);
}

Status EngineImpl::DeleteUnreferencedBlob(const std::string& blob_id) {
  // A read-only engine saw a commit fail, and a failed commit may still be in the metadata
  // log (the write reached the file, its sync failed): the blob it references may be live
  // after a restart. So the blob stays with its intent, which the next start-up settles
  // against the metadata it finds.
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  Status s = blobs_->Discard(blob_id);
  if (!Settled(s)) return s;
  DropIntent(blob_id);
  return Status::OK();
}

void EngineImpl::DeleteUnreferencedBlobs(const std::vector<std::string>& blob_ids) {
  // Unsynced, as DropIntent: a lost delete of an intent is settled again at start-up. A blob
  // the store failed to delete keeps its intent.
  leveldb::WriteBatch batch;
  size_t settled = 0;
  for (const std::string& id : blob_ids) {
    if (!Settled(blobs_->Discard(id))) continue;
    batch.Delete(IntentKey(id));
    ++settled;
  }
  if (settled > 0) WriteUnsynced(*db_, *this, &batch);
}

Result<IntentSweep> EngineImpl::SettleIntents(bool uploads_too) {
  // Collect first: the settling writes must not run under the iterator.
  std::vector<std::pair<std::string, BlobIntent>> intents;
  {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    const std::string prefix = IntentKeyPrefix();
    for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
      MAXIOFS_ASSIGN_OR_RETURN(BlobIntent intent, DecodeIntent(View(it->value())));
      if (intent.kind == IntentKind::kUpload && !uploads_too) continue;
      intents.emplace_back(std::string(View(it->key()).substr(prefix.size())), intent);
    }
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan blob intents"));
  }
  IntentSweep out;
  Status first_error;
  for (const auto& [id, intent] : intents) {
    if (intent.kind == IntentKind::kUpload) {
      // A blob whose commit went through has a reference count (the intent went in the same
      // batch, so this only happens if that batch was written by an older build).
      std::string v;
      leveldb::Status ls = db_->Get(leveldb::ReadOptions(), RefKey(id), &v);
      if (ls.ok()) {
        DropIntent(id);
        continue;
      }
      if (!ls.IsNotFound()) return FromLevelDb(ls, "read blob reference count");
    }
    Status s = DeleteUnreferencedBlob(id);
    if (s.ok()) {
      ++(intent.kind == IntentKind::kUpload ? out.abandoned_uploads : out.deletions);
    } else {
      ++out.still_owed;
      if (first_error.ok()) first_error = s;
    }
  }
  if (!first_error.ok()) {
    Log()->warn("blob store deletions still owed={} first_error={}", out.still_owed,
                first_error.ToString());
  }
  return out;
}

Status EngineImpl::SweepWholeStore() {
  uint64_t orphans = 0;
  Status err;
  Status s = blobs_->ForEach([&](const backends::BlobId& id) {
    std::string value;
    leveldb::Status ls = db_->Get(leveldb::ReadOptions(), RefKey(id), &value);
    if (ls.IsNotFound()) {
      leveldb::Status is = db_->Get(leveldb::ReadOptions(), IntentKey(id), &value);
      if (is.ok()) return;  // settled through its intent
      Status d = blobs_->Delete(id);
      if (d.ok())
        ++orphans;
      else if (err.ok())
        err = d;
    } else if (!ls.ok() && err.ok()) {
      err = FromLevelDb(ls, "sweep");
    }
  });
  MAXIOFS_RETURN_IF_ERROR(s);
  MAXIOFS_RETURN_IF_ERROR(err);
  leveldb::WriteBatch batch;
  batch.Put(std::string(kIntentsKey), "1");
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  Log()->info(
      "one-time sweep of the whole blob store (data dir from before blob intents) "
      "removed orphan_blobs={}",
      orphans);
  return Status::OK();
}

Status EngineImpl::SweepAtOpen() {
  MAXIOFS_ASSIGN_OR_RETURN(uint64_t tmp_removed, blobs_->RemoveUnfinished());
  MAXIOFS_ASSIGN_OR_RETURN(IntentSweep swept, SettleIntents(/*uploads_too=*/true));
  if (tmp_removed || swept.abandoned_uploads || swept.deletions) {
    Log()->info("startup sweep removed tmp_files={} abandoned_uploads={} owed_deletions={}",
                tmp_removed, swept.abandoned_uploads, swept.deletions);
  }
  std::string marker;
  leveldb::Status ls = db_->Get(leveldb::ReadOptions(), std::string(kIntentsKey), &marker);
  if (ls.ok()) return Status::OK();
  if (!ls.IsNotFound()) return FromLevelDb(ls, "read intents marker");
  // A data dir written before intents existed may hold orphans that no intent names: list the
  // store once. A new data dir has none.
  if (!new_data_dir_) return SweepWholeStore();
  leveldb::WriteBatch batch;
  batch.Put(std::string(kIntentsKey), "1");
  return Commit(&batch);
}

Result<uint64_t> EngineImpl::RetryOwedDeletions() {
  MAXIOFS_ASSIGN_OR_RETURN(IntentSweep swept, SettleIntents(/*uploads_too=*/false));
  return swept.deletions;
}

}  // namespace maxiofs::engine
