// Binding a data dir to its blob store, so that a data dir is never opened against another
// data dir's blobs: the start-up sweep deletes every blob its own metadata does not reference,
// so two data dirs sharing one blob directory would delete each other's data.
//
//   store-key := 'F' "store" -> store-id [" pending"]
//   store-id  := 32 lower-case hex characters (random), also kept as the blob store's label
//
// Binding order: the store-key is written (" pending") before the label and completed after
// it, so a crash in between is finished on the next open instead of being taken for a foreign
// store. A store without labels (BlobStore::ReadLabel NotImplemented) is not bound.
#include "checksums.h"
#include "engine_impl.h"
#include "key_codec.h"

#include <spdlog/spdlog.h>

namespace maxiofs::engine {
namespace {

constexpr std::string_view kPendingSuffix = " pending";

}  // namespace

Status EngineImpl::BindBlobStore() {
  auto label = blobs_->ReadLabel();
  if (!label.has_value()) {
    if (label.error().code() == Status::Code::kNotImplemented) return Status::OK();
    return label.error();
  }
  leveldb::WriteOptions wo;
  wo.sync = true;
  auto put = [&](const std::string& value) {
    leveldb::Status s = db_->Put(wo, std::string(kStoreKey), value);
    return s.ok() ? Status::OK() : FromLevelDb(s, "write store id");
  };
  const std::string where = BlobLocation();

  std::string stored;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), std::string(kStoreKey), &stored);
  if (!s.ok() && !s.IsNotFound()) return FromLevelDb(s, "read store id");
  if (s.IsNotFound()) {
    // A new data dir, or one from before stores were bound.
    if (!label->empty()) {
      return Status::InvalidArgument("the blob store " + where +
                                     " belongs to another data dir (store " + *label +
                                     "); give each data dir its own storage.root");
    }
    const std::string id = HexEncode(RandomBytes(16));
    MAXIOFS_RETURN_IF_ERROR(put(id + std::string(kPendingSuffix)));
    MAXIOFS_RETURN_IF_ERROR(blobs_->WriteLabel(id));
    return put(id);
  }

  const bool pending = stored.ends_with(kPendingSuffix);
  const std::string id = pending ? stored.substr(0, stored.size() - kPendingSuffix.size()) : stored;
  if (*label == id) return pending ? put(id) : Status::OK();
  if (!label->empty()) {
    return Status::InvalidArgument(
        "the blob store " + where + " belongs to another data dir (store " + *label +
        ", this data dir's is " + id + "); point storage.root at this data dir's blobs");
  }
  // An unlabelled store: take it when nothing of this data dir can be in another one.
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  it->Seek(std::string(1, kRefTag));
  const bool has_blobs = it->Valid() && !it->key().empty() && it->key()[0] == kRefTag;
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan blob references"));
  if (has_blobs && !pending) {
    return Status::InvalidArgument(
        "the blob store " + where + " holds none of this data dir's blobs (store " + id +
        "); point storage.root at the directory that holds them (its STORE file names " + id + ")");
  }
  MAXIOFS_RETURN_IF_ERROR(blobs_->WriteLabel(id));
  return put(id);
}

std::string EngineImpl::BlobLocation() const {
  return options_.blob_dir.empty() ? options_.data_dir + "/objects" : options_.blob_dir;
}

}  // namespace maxiofs::engine
