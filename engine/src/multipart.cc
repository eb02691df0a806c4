// Multipart uploads. Each part is a blob with its own reference; completion turns the upload
// into an object version whose record lists the part blobs (a manifest): no data is copied, so
// completing any size of upload is one metadata batch, atomic like every other change.
#include "checksums.h"
#include "completed_uploads.h"
#include "engine_impl.h"
#include "key_codec.h"
#include "listing_walk.h"
#include "object_write.h"
#include "parts_md5.h"
#include "preconditions.h"

#include <map>
#include <memory>

namespace maxiofs::engine {
namespace {

constexpr uint32_t kMaxPartNumber = 10000;

Status ValidatePartNumber(uint32_t n) {
  if (n < 1 || n > kMaxPartNumber) {
    return Status::InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  }
  return Status::OK();
}

Result<UploadRecord> LoadUpload(leveldb::DB& db, std::string_view bucket, std::string_view key,
                                std::string_view upload_id) {
  if (!IsValidUploadId(upload_id)) {
    return Status::NoSuchUpload("the specified multipart upload does not exist");
  }
  std::string v;
  leveldb::Status s = db.Get(leveldb::ReadOptions(), UploadKey(bucket, key, upload_id), &v);
  if (s.IsNotFound()) return Status::NoSuchUpload("the specified multipart upload does not exist");
  if (!s.ok()) return FromLevelDb(s, "read upload");
  return DecodeUploadRecord(v);
}

// Every part record of an upload, by part number.
Result<std::map<uint32_t, PartRecord>> LoadParts(leveldb::DB& db, std::string_view upload_id) {
  std::map<uint32_t, PartRecord> parts;
  const std::string prefix = PartKeyPrefix(upload_id);
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    std::string_view tail = View(it->key()).substr(prefix.size());
    if (tail.size() != 4) return Status::Corruption("malformed part key");
    uint32_t n = 0;
    for (char c : tail) n = (n << 8) | static_cast<uint8_t>(c);
    MAXIOFS_ASSIGN_OR_RETURN(PartRecord p, DecodePartRecord(View(it->value())));
    parts.emplace(n, std::move(p));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "list parts"));
  return parts;
}

// Bytes a part takes on disk (after compression and encryption).
uint64_t PartStoredSize(const PartRecord& p) {
  return p.seal.sealed() ? p.seal.stored_size : p.size;
}

PartInfo ToPartInfo(uint32_t n, const PartRecord& p) {
  return PartInfo{n, p.size, p.etag, p.last_modified_ns, p.checksum, EncryptionOf(p.seal)};
}

UploadInfo ToUploadInfo(std::string_view key, std::string_view id, const UploadRecord& r) {
  return UploadInfo{std::string(key),     std::string(id),      r.initiated_ns, r.meta,
                    r.checksum_algorithm, EncryptionOf(r.seal), r.checksum_type};
}

// The early quota check of part `n` of an upload (EngineImpl::CheckQuotaRoom).
Result<std::optional<uint64_t>> PartQuotaRoom(EngineImpl& e, std::string_view bucket,
                                              std::string_view upload_id, uint32_t n,
                                              std::optional<uint64_t> size) {
  std::optional<BucketQuota> q = e.usage_table().Quota(bucket);
  if (!q || q->max_bytes == 0) return std::optional<uint64_t>();
  EngineImpl::QuotaProbe probe{size, /*adds_version=*/false};
  std::string old;
  leveldb::Status ls = e.db().Get(leveldb::ReadOptions(), PartKey(upload_id, n), &old);
  if (ls.ok()) {
    MAXIOFS_ASSIGN_OR_RETURN(PartRecord prev, DecodePartRecord(old));
    probe.freed_bytes = prev.size;
  } else if (!ls.IsNotFound()) {
    return FromLevelDb(ls, "read part");
  }
  return e.CheckQuotaRoom(bucket, probe);
}

// Stores a finished part body as part `n`, replacing an earlier upload of that number.
Result<PartInfo> CommitPart(EngineImpl& e, std::string_view bucket, std::string_view key,
                            std::string_view upload_id, uint32_t n, BodyWriter& body) {
  MAXIOFS_ASSIGN_OR_RETURN(BodyWriter::Finished f, body.Finish());
  PartRecord rec{f.size, HexEncode(f.md5), NowNs(), f.blob_id, f.checksum, f.seal};
  Status s = [&]() -> Status {
    std::shared_lock<std::shared_mutex> bl(e.BucketLock(bucket));
    std::lock_guard<std::mutex> kl(e.key_locks()[e.KeyStripe(bucket, key)]);
    MAXIOFS_RETURN_IF_ERROR(LoadUpload(e.db(), bucket, key, upload_id).status());
    leveldb::WriteBatch batch;
    RefChanges refs;
    const uint8_t shard = e.UsageShard(bucket, key);
    refs.AddNew(rec.blob_id);
    refs.usage.CountPart(bucket, shard, rec.size, PartStoredSize(rec), +1);
    std::string old;
    leveldb::Status ls = e.db().Get(leveldb::ReadOptions(), PartKey(upload_id, n), &old);
    if (ls.ok()) {
      MAXIOFS_ASSIGN_OR_RETURN(PartRecord prev, DecodePartRecord(old));
      refs.Add(prev.blob_id, -1);
      refs.usage.CountPart(bucket, shard, prev.size, PartStoredSize(prev), -1);
    } else if (!ls.IsNotFound()) {
      return FromLevelDb(ls, "read part");
    }
    batch.Put(PartKey(upload_id, n), EncodePartRecord(rec));
    return e.CommitWithRefs(&batch, refs);
  }();
  if (!s.ok()) {
    body.DiscardPublishedBlob();
    return s;
  }
  return ToPartInfo(n, rec);
}

class PartWriter final : public ObjectWriter {
 public:
  PartWriter(EngineImpl& e, UploadPartRequest req, BodySpec spec)
      : e_(e), req_(std::move(req)), body_(e, std::move(spec)) {}
  Status Append(std::span<const char> data) override { return body_.Append(data); }
  Result<bool> AppendFile(int fd, uint64_t size) override { return body_.AppendFile(fd, size); }
  Result<bool> AppendFileWithMd5s(int fd, uint64_t size,
                                  std::vector<std::unique_ptr<ContentMd5>> md5s) override {
    return body_.AppendFile(fd, size, std::move(md5s));
  }
  void SetExpectedChecksum(const Checksum& c) override { body_.SetExpectedChecksum(c); }
  uint64_t size() const override { return body_.size(); }
  Result<ObjectInfo> Commit() override {
    MAXIOFS_ASSIGN_OR_RETURN(
        PartInfo p, CommitPart(e_, req_.bucket, req_.key, req_.upload_id, req_.part_number, body_));
    ObjectInfo info;
    info.bucket = req_.bucket;
    info.key = req_.key;
    info.size = p.size;
    info.etag = p.etag;
    info.last_modified_ns = p.last_modified_ns;
    info.checksum = p.checksum;
    info.storage = p.storage;
    return info;
  }

 private:
  EngineImpl& e_;
  UploadPartRequest req_;
  BodyWriter body_;
};

// The answer to a CompleteMultipartUpload of an upload that is no longer pending: the first
// completion's result when this upload was completed recently with the same parts (S3 answers a
// retry so) and the version it made still exists; NoSuchUpload otherwise. Changes nothing.
// REQUIRES: the key's stripe is held (so the record and the version are read consistently).
Result<ObjectInfo> RepeatedCompletion(EngineImpl& e, const CompleteMultipartRequest& req) {
  const Status none = Status::NoSuchUpload("the specified multipart upload does not exist");
  if (!IsValidUploadId(req.upload_id)) return none;
  std::string v;
  leveldb::Status ls = e.db().Get(leveldb::ReadOptions(),
                                  CompletedUploadKey(req.bucket, req.key, req.upload_id), &v);
  if (ls.IsNotFound()) return none;
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(ls, "read completed upload"));
  MAXIOFS_ASSIGN_OR_RETURN(CompletedUpload done, DecodeCompletedUpload(v));
  // The same list of parts gives the same ETag; another list is not a retry of this one.
  std::string md5s;
  for (const CompletedPart& cp : req.parts) {
    std::optional<std::string> raw = HexDecode(cp.etag);
    if (!raw || raw->size() != 16) return none;
    md5s += *raw;
  }
  auto md5 = NewMd5();
  md5->Update(md5s);
  if (EtagText(md5->Final(), req.parts.size()) != done.etag) return none;
  ls = e.db().Get(leveldb::ReadOptions(), VersionKey(req.bucket, req.key, done.vkey), &v);
  if (ls.IsNotFound()) return none;
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(ls, "read version"));
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord rec, DecodeObjectRecord(v));
  if (rec.delete_marker || rec.etag != done.etag) return none;
  ObjectInfo info = ToObjectInfo(req.bucket, req.key, rec);
  info.expiration = e.ExpirationOf(req.bucket, req.key, rec);
  return info;
}

// Drops every completion record past the retention (those of keys never completed again).
// Takes no key lock: an old record is never rewritten (upload ids are unique), and a retry
// racing this sweep finds the record or does not, both correct past the retention.
Status ForgetStaleCompletions(EngineImpl& e, int64_t now_ns) {
  leveldb::WriteBatch batch;
  size_t stale = 0;
  const std::string prefix(1, kCompletedUploadTag);
  std::unique_ptr<leveldb::Iterator> it(e.db().NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    Result<CompletedUpload> c = DecodeCompletedUpload(View(it->value()));
    if (!c.has_value() || now_ns - c->completed_ns > kCompletedUploadRetentionNs) {
      batch.Delete(it->key());
      ++stale;
    }
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan completed uploads"));
  if (stale == 0) return Status::OK();
  return e.CommitWithRefs(&batch, RefChanges{});
}

}  // namespace

// The upload's checksum type: the one asked for, or S3's default for the algorithm.
Result<ChecksumType> ResolveChecksumType(const CreateMultipartRequest& req) {
  const ChecksumAlgorithm alg = req.checksum_algorithm;
  if (!req.checksum_type) {
    return alg == ChecksumAlgorithm::kCRC64NVME ? ChecksumType::kFullObject
                                                : ChecksumType::kComposite;
  }
  if (alg == ChecksumAlgorithm::kNone) {
    return Status::InvalidRequest(
        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm "
        "header.");
  }
  if (*req.checksum_type == ChecksumType::kFullObject && !IsCrc(alg)) {
    return Status::InvalidRequest(
        "The FULL_OBJECT checksum type cannot be used with the SHA1 or SHA256 checksum "
        "algorithm.");
  }
  if (*req.checksum_type == ChecksumType::kComposite && alg == ChecksumAlgorithm::kCRC64NVME) {
    return Status::InvalidRequest(
        "The COMPOSITE checksum type cannot be used with the CRC64NVME checksum algorithm.");
  }
  return *req.checksum_type;
}

Result<UploadInfo> EngineImpl::CreateMultipartUpload(const CreateMultipartRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_ASSIGN_OR_RETURN(ChecksumType checksum_type, ResolveChecksumType(req));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  if (!req.lock.empty() && !b.lock_enabled) {
    return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  }
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectTags(req.tags));
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<Acl> acl, bucket_access().ResolveRequestAcl(
                                                       req.bucket, req.canned_acl, req.grants));
  MAXIOFS_ASSIGN_OR_RETURN(SealInfo tmpl, NewUploadTemplate(req.encryption, b));
  UploadRecord rec{NowNs(),        req.meta, req.checksum_algorithm, req.lock, std::move(tmpl),
                   std::move(acl), req.tags};
  rec.checksum_type = checksum_type;
  const std::string id = MakeUploadId(rec.initiated_ns);
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, req.key)]);  // its shard
  leveldb::WriteBatch batch;
  batch.Put(UploadKey(req.bucket, req.key, id), EncodeUploadRecord(rec));
  RefChanges refs;
  refs.usage.CountUpload(req.bucket, UsageShard(req.bucket, req.key), +1);
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs));
  return ToUploadInfo(req.key, id, rec);
}

Result<std::unique_ptr<ObjectWriter>> EngineImpl::BeginUploadPart(const UploadPartRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(ValidatePartNumber(req.part_number));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(UploadRecord up, LoadUpload(db(), req.bucket, req.key, req.upload_id));
  if (req.expected_md5 && req.expected_md5->size() != 16) {
    return Status::InvalidArgument("Content-MD5 must be 16 bytes");
  }
  MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(up.seal, req.customer_key));
  MAXIOFS_ASSIGN_OR_RETURN(SealPlan plan, NewSealPlan(RequestFor(up.seal, req.customer_key), {},
                                                      req.key, up.meta, req.expected_size));
  BodySpec spec{
      req.expected_size, req.expected_md5, req.checksum_algorithm, req.expected_checksum, false,
      std::move(plan)};
  // A part adds bytes, not a version; one replacing a part of the same number frees its size.
  MAXIOFS_ASSIGN_OR_RETURN(spec.quota_room, PartQuotaRoom(*this, req.bucket, req.upload_id,
                                                          req.part_number, req.expected_size));
  if (spec.checksum_algorithm == ChecksumAlgorithm::kNone) {
    spec.checksum_algorithm = up.checksum_algorithm;
  } else if (up.checksum_algorithm != ChecksumAlgorithm::kNone &&
             spec.checksum_algorithm != up.checksum_algorithm) {
    return Status::InvalidRequest("the part's checksum algorithm differs from the upload's");
  }
  return std::unique_ptr<ObjectWriter>(std::make_unique<PartWriter>(*this, req, std::move(spec)));
}

Result<PartInfo> EngineImpl::UploadPartCopy(const UploadPartCopyRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(ValidatePartNumber(req.part_number));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  MAXIOFS_ASSIGN_OR_RETURN(UploadRecord up, LoadUpload(db(), req.bucket, req.key, req.upload_id));
  MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(up.seal, req.customer_key));
  if (req.src_range) {
    // S3: the range must lie inside the source (no clamping as for GET).
    MAXIOFS_ASSIGN_OR_RETURN(ObjectInfo head, HeadObject([&] {
                               HeadObjectRequest h;
                               h.bucket = req.src_bucket;
                               h.key = req.src_key;
                               h.version_id = req.src_version_id;
                               h.customer_key = req.src_customer_key;
                               return h;
                             }()));
    if (req.src_range->kind != RangeSpec::Kind::kFromTo ||
        req.src_range->last < req.src_range->first || req.src_range->last >= head.size) {
      return Status::InvalidArgument("Range specified is not valid for source object of size: " +
                                     std::to_string(head.size));
    }
  }
  GetObjectRequest g;
  g.bucket = req.src_bucket;
  g.key = req.src_key;
  g.version_id = req.src_version_id;
  g.range = req.src_range;
  g.customer_key = req.src_customer_key;
  Result<std::unique_ptr<ObjectReader>> src = GetObject(g);
  if (!src.has_value()) {
    if (src.error().code() == Status::Code::kMethodNotAllowed) {
      return Status::InvalidRequest("the copy source is a delete marker");
    }
    return src.error();
  }
  const ObjectInfo& si = (*src)->info();
  MAXIOFS_RETURN_IF_ERROR(
      CheckCopySourcePreconditions(req.source_preconditions, si.etag, si.last_modified_ns));
  MAXIOFS_ASSIGN_OR_RETURN(SealPlan plan, NewSealPlan(RequestFor(up.seal, req.customer_key), {},
                                                      req.key, up.meta, (*src)->length()));
  BodySpec spec{(*src)->length(), std::nullopt, up.checksum_algorithm,
                std::nullopt,     false,        std::move(plan)};
  MAXIOFS_ASSIGN_OR_RETURN(spec.quota_room, PartQuotaRoom(*this, req.bucket, req.upload_id,
                                                          req.part_number, (*src)->length()));
  BodyWriter body(*this, std::move(spec));
  std::string buf(1 << 20, '\0');
  for (;;) {
    MAXIOFS_ASSIGN_OR_RETURN(size_t n, (*src)->Read(buf));
    if (n == 0) break;
    MAXIOFS_RETURN_IF_ERROR(body.Append(std::string_view(buf.data(), n)));
  }
  return CommitPart(*this, req.bucket, req.key, req.upload_id, req.part_number, body);
}

Result<ObjectInfo> EngineImpl::CompleteMultipartUpload(const CompleteMultipartRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  if (req.parts.empty()) {
    return Status::InvalidArgument("You must specify at least one part");
  }
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(req.bucket, req.key)]);
  Result<UploadRecord> loaded = LoadUpload(db(), req.bucket, req.key, req.upload_id);
  if (!loaded.has_value() && loaded.error().code() == Status::Code::kNoSuchUpload) {
    return RepeatedCompletion(*this, req);
  }
  MAXIOFS_ASSIGN_OR_RETURN(UploadRecord up, std::move(loaded));
  MAXIOFS_ASSIGN_OR_RETURN(auto stored, LoadParts(db(), req.upload_id));
  for (size_t i = 1; i < req.parts.size(); ++i) {
    if (req.parts[i].part_number <= req.parts[i - 1].part_number) {
      return Status::InvalidPartOrder(
          "The list of parts was not in ascending order. Parts must be ordered by part number.");
    }
  }
  ObjectRecord rec;
  rec.storage = StorageKind::kMultipart;
  rec.meta = up.meta;
  rec.acl = up.acl;
  rec.tags = up.tags;
  rec.seal.mode = up.seal.mode;
  if (up.seal.mode == Sse::kKms) {
    rec.seal.key_id = up.seal.key_id;
    rec.seal.kms_context = up.seal.kms_context;
  }
  if (req.expected_checksum && req.expected_checksum->algorithm != up.checksum_algorithm) {
    return Status::InvalidRequest(
        up.checksum_algorithm == ChecksumAlgorithm::kNone
            ? "The upload was created without a checksum algorithm."
            : "The checksum's algorithm is not the upload's checksum algorithm.");
  }
  const bool full_object = up.checksum_algorithm != ChecksumAlgorithm::kNone &&
                           up.checksum_type == ChecksumType::kFullObject;
  std::string md5s, sums;
  if (full_object)
    sums.assign(up.checksum_algorithm == ChecksumAlgorithm::kCRC64NVME ? 8 : 4, '\0');
  for (size_t i = 0; i < req.parts.size(); ++i) {
    const CompletedPart& cp = req.parts[i];
    auto it = stored.find(cp.part_number);
    if (it == stored.end() || it->second.etag != cp.etag) {
      return Status::InvalidPart(
          "One or more of the specified parts could not be found. The part may not have been "
          "uploaded, or the specified entity tag may not match the part's entity tag.");
    }
    const PartRecord& p = it->second;
    if (i + 1 < req.parts.size() && p.size < options().min_part_size) {
      return Status::EntityTooSmall(
          "Your proposed upload is smaller than the minimum allowed size");
    }
    rec.parts.push_back(PartRef{
        p.blob_id, p.size, p.seal,
        up.checksum_algorithm != ChecksumAlgorithm::kNone ? p.checksum.value : std::string()});
    rec.size += p.size;
    std::optional<std::string> raw = HexDecode(p.etag);
    if (!raw) return Status::Corruption("part ETag is not hex");
    md5s += *raw;
    if (up.checksum_algorithm != ChecksumAlgorithm::kNone) {
      std::optional<std::string> c = Base64Decode(p.checksum.value);
      if (!c || p.checksum.algorithm != up.checksum_algorithm) {
        return Status::InvalidPart("a part has no checksum of the upload's algorithm");
      }
      if (!full_object) {
        sums += *c;
      } else if (std::optional<std::string> whole =
                     CombineCrc(up.checksum_algorithm, sums, *c, p.size)) {
        sums = std::move(*whole);  // the CRC of the parts so far
      } else {
        return Status::Corruption("a part's CRC has the wrong length");
      }
    }
  }
  auto md5 = NewMd5();
  md5->Update(md5s);
  rec.etag = EtagText(md5->Final(), req.parts.size());
  if (full_object) {
    rec.checksum = {up.checksum_algorithm, Base64Encode(sums)};
  } else if (up.checksum_algorithm != ChecksumAlgorithm::kNone) {
    auto h = NewChecksum(up.checksum_algorithm);
    h->Update(sums);
    rec.checksum = {up.checksum_algorithm,
                    Base64Encode(h->Final()) + "-" + std::to_string(req.parts.size())};
  }
  if (req.expected_checksum) {
    const std::string& want = req.expected_checksum->value;
    const std::string& have = rec.checksum.value;
    const bool same =
        want == have || (!full_object && have.starts_with(want) && have[want.size()] == '-');
    if (!same) {
      return Status::BadDigest("the checksum you specified did not match the calculated one");
    }
  }
  MAXIOFS_RETURN_IF_ERROR(ApplyLockSettings(b, up.lock, &rec));
  MAXIOFS_ASSIGN_OR_RETURN(
      VersionState vs,
      LoadVersionState(req.bucket, req.key, b.versioning != VersioningState::kEnabled));
  const ObjectRecord* cur = vs.current();
  MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
      req.preconditions, cur ? std::optional<std::string>(cur->etag) : std::nullopt));
  leveldb::WriteBatch batch;
  RefChanges refs;
  const uint8_t shard = UsageShard(req.bucket, req.key);
  // Parts used keep their reference (now the version's); the others are released.
  std::map<uint32_t, bool> used;
  for (const auto& cp : req.parts) used[cp.part_number] = true;
  for (const auto& [n, p] : stored) {
    batch.Delete(PartKey(req.upload_id, n));
    if (!used.count(n)) refs.Add(p.blob_id, -1);
    refs.usage.CountPart(req.bucket, shard, p.size, PartStoredSize(p), -1);
  }
  batch.Delete(UploadKey(req.bucket, req.key, req.upload_id));
  refs.usage.CountUpload(req.bucket, shard, -1);
  MAXIOFS_RETURN_IF_ERROR(StageNewVersion(b, req.bucket, req.key, vs, &rec, &batch, &refs));
  // Remembered in the same batch, so a retry after a lost answer finds what was made.
  const int64_t now = NowNs();
  MAXIOFS_RETURN_IF_ERROR(StagePruneCompletedUploads(db(), req.bucket, req.key, now, &batch));
  batch.Put(CompletedUploadKey(req.bucket, req.key, req.upload_id),
            EncodeCompletedUpload(CompletedUpload{now, rec.vkey, rec.etag}));
  refs.events.push_back(EventDraft{"ObjectCreated:CompleteMultipartUpload", req.bucket, req.key,
                                   true, rec.size, rec.etag, rec.version_id(), req.origin});
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs));
  Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, req.key);
  ObjectInfo info = ToObjectInfo(req.bucket, req.key, rec);
  info.expiration = ExpirationOf(req.bucket, req.key, rec);
  return info;
}

Status EngineImpl::AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(bucket, key)]);
  MAXIOFS_RETURN_IF_ERROR(LoadUpload(db(), bucket, key, upload_id).status());
  MAXIOFS_ASSIGN_OR_RETURN(auto stored, LoadParts(db(), upload_id));
  leveldb::WriteBatch batch;
  RefChanges refs;
  const uint8_t shard = UsageShard(bucket, key);
  for (const auto& [n, p] : stored) {
    batch.Delete(PartKey(upload_id, n));
    refs.Add(p.blob_id, -1);
    refs.usage.CountPart(bucket, shard, p.size, PartStoredSize(p), -1);
  }
  batch.Delete(UploadKey(bucket, key, upload_id));
  refs.usage.CountUpload(bucket, shard, -1);
  return CommitWithRefs(&batch, refs);
}

Status EngineImpl::AbortBucketUploads(std::string_view bucket) {
  // Records deleted per batch: bounds the batch however many uploads and parts there are.
  constexpr size_t kMaxDeletesPerBatch = 4096;
  const std::string prefix = UploadBucketPrefix(bucket);
  for (;;) {
    leveldb::WriteBatch batch;
    RefChanges refs;
    size_t deletes = 0;
    std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
    for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
      if (deletes >= kMaxDeletesPerBatch) break;
      std::string_view key, id;
      if (!SplitUploadTail(View(it->key()).substr(prefix.size()), &key, &id)) {
        return Status::Corruption("malformed upload key");
      }
      MAXIOFS_ASSIGN_OR_RETURN(auto stored, LoadParts(db(), id));
      const uint8_t shard = UsageShard(bucket, key);
      for (const auto& [n, p] : stored) {
        batch.Delete(PartKey(id, n));
        refs.Add(p.blob_id, -1);
        refs.usage.CountPart(bucket, shard, p.size, PartStoredSize(p), -1);
      }
      batch.Delete(it->key());
      refs.usage.CountUpload(bucket, shard, -1);
      deletes += stored.size() + 1;
    }
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan uploads"));
    if (deletes == 0) return Status::OK();
    MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs));
  }
}

Result<ListUploadsResult> EngineImpl::ListMultipartUploads(const ListUploadsRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  ListUploadsResult out;
  const uint32_t max = std::min<uint32_t>(req.max_uploads, 1000);
  if (max == 0) return out;
  const std::string base = UploadBucketPrefix(req.bucket);
  std::string seek = base + req.prefix;
  std::string skip_exact;
  if (!req.key_marker.empty()) {
    std::string after = req.upload_id_marker.empty()
                            ? base + req.key_marker + '\x01'
                            : UploadKey(req.bucket, req.key_marker, req.upload_id_marker);
    if (!req.upload_id_marker.empty()) skip_exact = after;
    seek = std::max(seek, after);
  }
  uint32_t count = 0;
  Status decode_error;
  ListingWalk w;
  w.base = base;
  w.prefix = req.prefix;
  w.delimiter = req.delimiter;
  w.cp_floor = req.key_marker;
  w.key_of = [](std::string_view tail, std::string_view* key) {
    std::string_view id;
    return SplitUploadTail(tail, key, &id);
  };
  w.on_prefix = [&](std::string cp) {
    if (count == max) return !(out.truncated = true);
    out.next_key_marker = cp;
    out.next_upload_id_marker.clear();
    out.common_prefixes.push_back(std::move(cp));
    ++count;
    return true;
  };
  w.on_entry = [&](std::string_view key, leveldb::Iterator* it) {
    if (View(it->key()) == skip_exact) return true;
    if (count == max) return !(out.truncated = true);
    std::string_view id = View(it->key()).substr(base.size() + key.size() + 1);
    Result<UploadRecord> r = DecodeUploadRecord(View(it->value()));
    if (!r.has_value()) {
      decode_error = r.error();
      return false;
    }
    out.uploads.push_back(ToUploadInfo(key, id, *r));
    out.next_key_marker.assign(key);
    out.next_upload_id_marker.assign(id);
    ++count;
    return true;
  };
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
  it->Seek(seek);
  MAXIOFS_RETURN_IF_ERROR(WalkListing(it.get(), w));
  MAXIOFS_RETURN_IF_ERROR(decode_error);
  if (!out.truncated) {
    out.next_key_marker.clear();
    out.next_upload_id_marker.clear();
  }
  return out;
}

Result<ListPartsResult> EngineImpl::ListParts(const ListPartsRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  MAXIOFS_ASSIGN_OR_RETURN(UploadRecord up, LoadUpload(db(), req.bucket, req.key, req.upload_id));
  ListPartsResult out;
  out.upload = ToUploadInfo(req.key, req.upload_id, up);
  const uint32_t max = std::min<uint32_t>(req.max_parts, 1000);
  MAXIOFS_ASSIGN_OR_RETURN(auto stored, LoadParts(db(), req.upload_id));
  for (auto it = stored.upper_bound(req.part_number_marker); it != stored.end(); ++it) {
    if (out.parts.size() == max) {
      out.truncated = true;
      break;
    }
    out.parts.push_back(ToPartInfo(it->first, it->second));
    out.next_part_number_marker = it->first;
  }
  if (!out.truncated) out.next_part_number_marker = 0;
  return out;
}

Result<uint64_t> EngineImpl::AbortUploadsInitiatedBefore(int64_t cutoff_ns) {
  struct Victim {
    std::string bucket, key, id;
  };
  std::vector<Victim> victims;
  {
    const std::string prefix(1, kUploadTag);
    std::unique_ptr<leveldb::Iterator> it(db().NewIterator(leveldb::ReadOptions()));
    for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
      std::string_view rest = View(it->key()).substr(1);
      size_t nul = rest.find('\0');
      if (nul == std::string_view::npos) return Status::Corruption("malformed upload key");
      std::string_view key, id;
      if (!SplitUploadTail(rest.substr(nul + 1), &key, &id)) {
        return Status::Corruption("malformed upload key");
      }
      MAXIOFS_ASSIGN_OR_RETURN(UploadRecord r, DecodeUploadRecord(View(it->value())));
      if (r.initiated_ns < cutoff_ns) {
        victims.push_back({std::string(rest.substr(0, nul)), std::string(key), std::string(id)});
      }
    }
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan uploads"));
  }
  MAXIOFS_RETURN_IF_ERROR(ForgetStaleCompletions(*this, NowNs()));
  uint64_t n = 0;
  for (const auto& v : victims) {
    Status s = AbortMultipartUpload(v.bucket, v.key, v.id);
    if (s.ok())
      ++n;
    else if (s.code() != Status::Code::kNoSuchUpload)
      return s;
  }
  return n;
}

}  // namespace maxiofs::engine
