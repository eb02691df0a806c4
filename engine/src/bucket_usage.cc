// Bucket usage and quotas: the counters kept by every change (usage_counters.h) read from
// memory, checked against a scan of the records, rebuilt for data dirs written before them;
// quota settings and the early quota check of writes.
#include "engine_impl.h"
#include "key_codec.h"
#include "record_codec.h"

#include <spdlog/spdlog.h>

#include <memory>

namespace maxiofs::engine {

namespace {

// Calls fn(key, value) for every record under `prefix` in `snapshot` (null: the current state).
template <class Fn>
Status ScanPrefix(leveldb::DB& db, const leveldb::Snapshot* snapshot, const std::string& prefix,
                  Fn&& fn) {
  leveldb::ReadOptions ro;
  ro.snapshot = snapshot;
  ro.fill_cache = false;  // a full scan must not evict the hot working set
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(ro));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    MAXIOFS_RETURN_IF_ERROR(fn(View(it->key()), View(it->value())));
  }
  return FromLevelDb(it->status(), "scan bucket usage");
}

std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}

}  // namespace

Result<UsageFigures> EngineImpl::ScanUsage(std::string_view bucket,
                                           const leveldb::Snapshot* snapshot) {
  leveldb::DB& d = db();
  UsageFigures u;
  MAXIOFS_RETURN_IF_ERROR(ScanPrefix(
      d, snapshot, ObjectKeyPrefix(bucket), [&](std::string_view, std::string_view v) -> Status {
        MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(v));
        if (r.delete_marker) return Status::OK();
        ++u.objects;
        u.bytes += static_cast<int64_t>(r.size);
        u.stored_bytes += static_cast<int64_t>(StoredSize(r));
        return Status::OK();
      }));
  MAXIOFS_RETURN_IF_ERROR(
      ScanPrefix(d, snapshot, VersionBucketPrefix(bucket),
                 [&](std::string_view, std::string_view v) -> Status {
                   MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(v));
                   if (r.delete_marker) {
                     ++u.delete_markers;
                   } else {
                     ++u.versions;
                     u.version_bytes += static_cast<int64_t>(r.size);
                     u.version_stored_bytes += static_cast<int64_t>(StoredSize(r));
                   }
                   return Status::OK();
                 }));
  const std::string uploads = UploadBucketPrefix(bucket);
  MAXIOFS_RETURN_IF_ERROR(
      ScanPrefix(d, snapshot, uploads, [&](std::string_view k, std::string_view) -> Status {
        ++u.uploads;
        std::string_view key, id;
        if (!SplitUploadTail(k.substr(uploads.size()), &key, &id)) {
          return Status::Corruption("malformed upload key");
        }
        return ScanPrefix(d, snapshot, PartKeyPrefix(id),
                          [&](std::string_view, std::string_view pv) -> Status {
                            MAXIOFS_ASSIGN_OR_RETURN(PartRecord p, DecodePartRecord(pv));
                            ++u.parts;
                            u.part_bytes += static_cast<int64_t>(p.size);
                            u.part_stored_bytes +=
                                static_cast<int64_t>(p.seal.sealed() ? p.seal.stored_size : p.size);
                            return Status::OK();
                          });
      }));
  return u;
}

Status EngineImpl::LoadUsage(bool rebuild) {
  leveldb::DB& d = db();
  std::vector<std::string> buckets;
  MAXIOFS_RETURN_IF_ERROR(ScanPrefix(d, nullptr, BucketKeyPrefix(),
                                     [&](std::string_view k, std::string_view) -> Status {
                                       buckets.emplace_back(k.substr(1));
                                       return Status::OK();
                                     }));
  if (rebuild) {
    // A data dir from before the counters: count each bucket once, and write the counters
    // with the new format marker in one batch (a crash before it redoes the scan).
    leveldb::WriteBatch batch;
    for (const std::string& b : buckets) {
      MAXIOFS_ASSIGN_OR_RETURN(UsageFigures f, ScanUsage(b, nullptr));
      if (!f.zero()) batch.Put(UsageKey(b, 0), EncodeUsageShard(f));
    }
    batch.Put(std::string(kFormatKey), std::string(kFormatVersion));
    MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
    Log()->info("built usage counters of {} buckets from a scan (data format {})", buckets.size(),
                kFormatVersion);
  }
  for (const std::string& b : buckets) {
    UsageFigures total;
    MAXIOFS_RETURN_IF_ERROR(ScanPrefix(
        d, nullptr, UsageKeyPrefix(b), [&](std::string_view, std::string_view v) -> Status {
          MAXIOFS_ASSIGN_OR_RETURN(UsageFigures f, DecodeUsageShard(v));
          total.Add(f);
          return Status::OK();
        }));
    BucketQuota quota;
    std::string qv;
    leveldb::Status s = d.Get(leveldb::ReadOptions(), QuotaKey(b), &qv);
    if (s.ok()) {
      MAXIOFS_ASSIGN_OR_RETURN(quota, DecodeQuota(qv));
    } else if (!s.IsNotFound()) {
      return FromLevelDb(s, "read bucket quota");
    }
    usage_.Reset(b, total, quota);
  }
  return Status::OK();
}

Result<BucketUsage> EngineImpl::GetBucketUsage(std::string_view bucket) {
  if (std::optional<BucketUsage> u = usage_.Get(bucket)) return *u;
  return Status::NoSuchBucket("the specified bucket does not exist");
}

Result<UsageVerification> EngineImpl::VerifyBucketUsage(std::string_view bucket, bool repair) {
  if (repair) MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  // Exclusive: no write of the bucket runs between the scan and the counters it is compared
  // with (or the repair that replaces them).
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  UsageVerification out;
  MAXIOFS_ASSIGN_OR_RETURN(out.counters, GetBucketUsage(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(UsageFigures scanned, ScanUsage(bucket, nullptr));
  out.scanned = ToBucketUsage(scanned);
  if (!repair || out.matches()) return out;
  leveldb::WriteBatch batch;
  MAXIOFS_RETURN_IF_ERROR(ScanPrefix(db(), nullptr, UsageKeyPrefix(bucket),
                                     [&](std::string_view k, std::string_view) -> Status {
                                       batch.Delete(leveldb::Slice(k.data(), k.size()));
                                       return Status::OK();
                                     }));
  if (!scanned.zero()) batch.Put(UsageKey(bucket, 0), EncodeUsageShard(scanned));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  usage_.Reset(bucket, scanned, usage_.Quota(bucket).value_or(BucketQuota{}));
  Log()->warn("usage counters of bucket {} were repaired from a scan", bucket);
  out.repaired = true;
  return out;
}

Status EngineImpl::PutBucketQuota(std::string_view bucket, const BucketQuota& quota) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  // Exclusive, like the other bucket settings: the record and the table change together.
  std::unique_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  leveldb::WriteBatch batch;
  if (quota.empty()) {
    batch.Delete(QuotaKey(bucket));
  } else {
    batch.Put(QuotaKey(bucket), EncodeQuota(quota));
  }
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  usage_.SetQuota(bucket, quota);
  return Status::OK();
}

Result<BucketQuota> EngineImpl::GetBucketQuota(std::string_view bucket) {
  if (std::optional<BucketQuota> q = usage_.Quota(bucket)) return *q;
  return Status::NoSuchBucket("the specified bucket does not exist");
}

Result<std::optional<uint64_t>> EngineImpl::CheckQuotaRoom(std::string_view bucket,
                                                           const QuotaProbe& probe) const {
  const UsageTable::Room room = usage_.RoomLeft(bucket);
  if (probe.adds_version && room.versions && *room.versions + (probe.frees_version ? 1 : 0) < 1) {
    return Status::QuotaExceeded("bucket quota exceeded: its object limit is reached");
  }
  if (!room.bytes) return std::optional<uint64_t>();
  const std::optional<uint64_t>& size = probe.size;
  const int64_t bytes = *room.bytes + static_cast<int64_t>(probe.freed_bytes);
  if (size && *size > 0 && (bytes < 0 || *size > static_cast<uint64_t>(bytes))) {
    return Status::QuotaExceeded("bucket quota exceeded: " + std::to_string(bytes < 0 ? 0 : bytes) +
                                 " more bytes fit under its limit");
  }
  return std::optional<uint64_t>(bytes < 0 ? 0 : static_cast<uint64_t>(bytes));
}

}  // namespace maxiofs::engine
