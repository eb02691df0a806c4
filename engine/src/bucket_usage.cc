// GetBucketUsage: counts a bucket's objects, versions and uploads from one LevelDB snapshot.
#include "engine_impl.h"
#include "key_codec.h"
#include "record_codec.h"

namespace maxiofs::engine {

namespace {

// Calls fn(value) for every record under `prefix` in `snapshot`.
template <class Fn>
Status ScanPrefix(leveldb::DB& db, const leveldb::Snapshot* snapshot, const std::string& prefix,
                  Fn&& fn) {
  leveldb::ReadOptions ro;
  ro.snapshot = snapshot;
  ro.fill_cache = false;  // a full scan must not evict the hot working set
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(ro));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    MAXIOFS_RETURN_IF_ERROR(fn(View(it->value())));
  }
  return FromLevelDb(it->status(), "scan bucket usage");
}

}  // namespace

Result<BucketUsage> EngineImpl::GetBucketUsage(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  leveldb::DB& d = db();
  const leveldb::Snapshot* snapshot = d.GetSnapshot();
  struct Release {
    leveldb::DB& d;
    const leveldb::Snapshot* s;
    ~Release() { d.ReleaseSnapshot(s); }
  } release{d, snapshot};

  BucketUsage u;
  MAXIOFS_RETURN_IF_ERROR(
      ScanPrefix(d, snapshot, ObjectKeyPrefix(bucket), [&](std::string_view v) -> Status {
        MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(v));
        if (r.delete_marker) return Status::OK();
        ++u.objects;
        u.bytes += r.size;
        return Status::OK();
      }));
  MAXIOFS_RETURN_IF_ERROR(
      ScanPrefix(d, snapshot, VersionBucketPrefix(bucket), [&](std::string_view v) -> Status {
        MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(v));
        if (r.delete_marker) {
          ++u.delete_markers;
        } else {
          ++u.versions;
          u.version_bytes += r.size;
        }
        return Status::OK();
      }));
  MAXIOFS_RETURN_IF_ERROR(
      ScanPrefix(d, snapshot, UploadBucketPrefix(bucket), [&](std::string_view) -> Status {
        ++u.uploads;
        return Status::OK();
      }));
  return u;
}

}  // namespace maxiofs::engine
