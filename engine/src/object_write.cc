// PUT and UploadPart: a writer that keeps small bodies in memory (inline objects) and spills
// larger ones to a blob, computing the MD5 and the requested checksum as bytes arrive; Commit
// verifies and publishes atomically. Parts always go to a blob.
#include "object_write.h"

#include "checksums.h"
#include "engine_impl.h"
#include "file_chunks.h"
#include "key_codec.h"
#include "parts_md5.h"
#include "preconditions.h"
#include "space_reserve.h"

#include <memory>
#include <optional>

namespace maxiofs::engine {

BodyWriter::BodyWriter(EngineImpl& engine, BodySpec spec)
    : engine_(engine), spec_(std::move(spec)) {
  auto new_md5 = [&batcher = engine.md5_batcher()] { return NewBatchedMd5(batcher); };
  if (spec_.etag_part_size > 0) {
    md5_ = std::make_unique<PartsMd5>(spec_.etag_part_size, new_md5);
  } else {
    md5_ = new_md5();
  }
  if (spec_.checksum_algorithm != ChecksumAlgorithm::kNone) {
    checksum_ = NewChecksum(spec_.checksum_algorithm);
  }
  if (spec_.seal.active()) {
    sealer_ = std::make_unique<Sealer>(spec_.seal.info, spec_.seal.data_key, spec_.seal.compress,
                                       [this](std::string_view s) { return Store(s); });
  }
}

BodyWriter::~BodyWriter() {
  if (!blob_ || !intent_) return;
  // Never handed over: an abandoned body, or one whose publish failed.
  const std::string id = blob_->id();
  blob_.reset();  // removes what the writer has not published
  if (blob_commit_tried_) {
    // The store may hold it anyway (a remote PUT that timed out after the data arrived).
    engine_.DeleteUnreferencedBlob(id).IgnoreError();  // on failure the intent stays
  } else {
    engine_.DropIntent(id);
  }
}

Status BodyWriter::TakeBlob(std::unique_ptr<backends::BlobWriter> w) {
  blob_ = std::move(w);
  Status s = engine_.RecordUploadIntent(blob_->id(), spec_.durable);
  if (!s.ok()) {
    blob_.reset();
    return error_ = s;
  }
  intent_ = true;
  return Status::OK();
}

Status BodyWriter::Append(std::span<const char> data) {
  if (!error_.ok()) return error_;
  if (committed_) return Status::Internal("append after commit");
  if (size_ + data.size() > engine_.options().max_object_size) {
    return error_ = Status::EntityTooLarge("the object exceeds the maximum allowed size");
  }
  if (spec_.expected_size && size_ + data.size() > *spec_.expected_size) {
    return error_ = Status::IncompleteBody("the body is longer than its declared length");
  }
  if (spec_.quota_room && size_ + data.size() > *spec_.quota_room) {
    return error_ = Status::QuotaExceeded(
               "bucket quota exceeded: the body is larger than the room left");
  }
  md5_->Update(data);
  if (checksum_) checksum_->Update(data);
  size_ += data.size();
  if (sealer_) {
    Status s = sealer_->Append(data);
    if (!s.ok()) error_ = s;
    return s;
  }
  return Store(std::string_view(data.data(), data.size()));
}

Status BodyWriter::Store(std::string_view data) {
  if (!blob_ && spec_.allow_inline && size_ <= engine_.options().inline_threshold) {
    buffer_.append(data.data(), data.size());
    return Status::OK();
  }
  if (!blob_) {
    auto w = engine_.blobs().Create();
    if (!w.has_value()) return error_ = w.error();
    MAXIOFS_RETURN_IF_ERROR(TakeBlob(std::move(w).value()));
    if (!buffer_.empty()) {
      Status s = blob_->Append(buffer_);
      if (!s.ok()) return error_ = s;
      std::string().swap(buffer_);
    }
  }
  Status s = blob_->Append(std::span<const char>(data.data(), data.size()));
  if (!s.ok()) error_ = s;
  return s;
}

Result<bool> BodyWriter::AppendFile(int fd, uint64_t size,
                                    std::vector<std::unique_ptr<ContentMd5>> md5s) {
  if (!error_.ok()) return error_;
  if (committed_) return Status::Internal("append after commit");
  // Stored as is: the blob holds exactly the body's bytes (not sealed: no encryption or
  // compression applies).
  if (spec_.quota_room && size_ + size > *spec_.quota_room) {
    return error_ = Status::QuotaExceeded(
               "bucket quota exceeded: the file is larger than the room left");
  }
  const bool whole_blob = !sealer_ && size_ == 0 && !blob_ && buffer_.empty() && size > 0 &&
                          size <= engine_.options().max_object_size &&
                          (!spec_.allow_inline || size > engine_.options().inline_threshold) &&
                          (!spec_.expected_size || *spec_.expected_size == size);
  if (whole_blob) {
    auto adopted = engine_.blobs().Adopt(fd, size);
    if (adopted.has_value()) {
      // The caller's digests stand for the bytes only when they split exactly this file as the
      // ETag does and no Content-MD5 is to be verified (that check must see the bytes).
      if (!md5s.empty() && !spec_.expected_md5) {
        given_md5_ = DigestFromKept(md5s, size, spec_.etag_part_size);
      }
      // The digests still need every byte: read back (from the page cache, usually).
      if (!given_md5_ || checksum_) {
        Status s = ForEachFileChunk(fd, size, [&](std::span<const char> d) {
          if (!given_md5_) md5_->Update(d);
          if (checksum_) checksum_->Update(d);
          return Status::OK();
        });
        if (!s.ok()) return error_ = s;
      }
      MAXIOFS_RETURN_IF_ERROR(TakeBlob(std::move(adopted).value()));
      size_ = size;
      return true;
    }
    if (adopted.error().code() != Status::Code::kNotImplemented) return error_ = adopted.error();
  }
  Status s = ForEachFileChunk(fd, size, [this](std::span<const char> d) { return Append(d); });
  if (!s.ok()) return error_ = s;  // a partial copy must never commit
  return false;
}

void BodyWriter::SetExpectedChecksum(const Checksum& c) {
  if (!checksum_ && c.algorithm != ChecksumAlgorithm::kNone) {
    if (size_ > 0) {
      error_ = Status::InvalidArgument("checksum algorithm set after data was written");
      return;
    }
    checksum_ = NewChecksum(c.algorithm);
    spec_.checksum_algorithm = c.algorithm;
  } else if (c.algorithm != spec_.checksum_algorithm) {
    error_ = Status::InvalidArgument("trailing checksum algorithm differs from the declared one");
    return;
  }
  spec_.expected_checksum = c.value;
}

Result<BodyWriter::Finished> BodyWriter::Finish() {
  if (!error_.ok()) return error_;
  if (committed_) return Status::Internal("object committed twice");
  committed_ = true;
  if (spec_.expected_size && *spec_.expected_size != size_) {
    return Status::IncompleteBody("the body is shorter than its declared length");
  }
  Finished f;
  if (sealer_) {
    MAXIOFS_ASSIGN_OR_RETURN(f.seal, sealer_->Finish());
    MAXIOFS_RETURN_IF_ERROR(error_);
  }
  f.size = size_;
  f.md5 = given_md5_ ? *given_md5_ : md5_->Final();
  if (spec_.etag_part_size > 0) f.etag_parts = PartCount(size_, spec_.etag_part_size);
  if (spec_.expected_md5 && *spec_.expected_md5 != f.md5) {
    return Status::BadDigest("the Content-MD5 you specified did not match what we received");
  }
  if (checksum_) {
    f.checksum.algorithm = spec_.checksum_algorithm;
    f.checksum_raw = checksum_->Final();
    f.checksum.value = Base64Encode(f.checksum_raw);
    if (spec_.expected_checksum && *spec_.expected_checksum != f.checksum.value) {
      return Status::BadDigest("the checksum you specified did not match what we received");
    }
  }
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckWritable());
  // A full disk answers StorageFull here, before anything is committed, while there is still
  // room for the deletions that free space (space_reserve.h).
  MAXIOFS_RETURN_IF_ERROR(CheckMetadataSpace(engine_.options().data_dir + "/meta",
                                             engine_.options().metadata.write_buffer_bytes,
                                             blob_ ? 0 : size_));
  if (!blob_ && !spec_.allow_inline) {
    // Empty part: still a blob, so parts are uniform.
    auto w = engine_.blobs().Create();
    if (!w.has_value()) return w.error();
    MAXIOFS_RETURN_IF_ERROR(TakeBlob(std::move(w).value()));
  }
  if (blob_) {
    blob_commit_tried_ = true;
    Status s = blob_->Commit(engine_.options().sync);
    if (!s.ok()) {
      if (s.IsIOError()) engine_.EnterReadOnly(s);
      return s;
    }
    f.blob_id = blob_->id();
    intent_ = false;  // handed over with the blob id
  } else {
    f.inline_data = std::move(buffer_);
  }
  return f;
}

void BodyWriter::DiscardPublishedBlob() {
  // Published but referenced by nothing: remove it now (on failure its upload intent stays,
  // and the next start-up removes it).
  if (blob_) engine_.DeleteUnreferencedBlob(blob_->id()).IgnoreError();
}

namespace {

class ObjectWriterImpl final : public ObjectWriter {
 public:
  ObjectWriterImpl(EngineImpl& engine, PutObjectRequest req, SealPlan plan, std::optional<Acl> acl,
                   std::optional<uint64_t> quota_room)
      : engine_(engine),
        req_(std::move(req)),
        body_(engine, BodySpec{req_.expected_size, req_.expected_md5, req_.checksum_algorithm,
                               req_.expected_checksum, true, std::move(plan),
                               EtagPartSizeFor(req_.parts_etag, req_.expected_size,
                                               req_.expected_md5.has_value()),
                               quota_room, req_.durable}),
        acl_(std::move(acl)) {}

  Status Append(std::span<const char> data) override { return body_.Append(data); }
  Result<bool> AppendFile(int fd, uint64_t size) override { return body_.AppendFile(fd, size); }
  Result<bool> AppendFileWithMd5s(int fd, uint64_t size,
                                  std::vector<std::unique_ptr<ContentMd5>> md5s) override {
    return body_.AppendFile(fd, size, std::move(md5s));
  }
  void SetExpectedChecksum(const Checksum& c) override { body_.SetExpectedChecksum(c); }
  uint64_t size() const override { return body_.size(); }

  Result<ObjectInfo> Commit() override {
    MAXIOFS_ASSIGN_OR_RETURN(BodyWriter::Finished f, body_.Finish());
    ObjectRecord rec;
    rec.seal = f.seal;
    rec.size = f.size;
    rec.etag = EtagText(f.md5, f.etag_parts);
    rec.checksum = f.checksum;
    rec.meta = req_.meta;
    rec.acl = acl_;
    rec.tags = req_.tags;
    leveldb::WriteBatch batch;
    RefChanges refs;
    if (!f.blob_id.empty()) {
      rec.storage = StorageKind::kBlob;
      rec.data_id = f.blob_id;
      refs.AddNew(rec.data_id);
    } else if (f.size > 0) {
      rec.storage = StorageKind::kInline;
      rec.data_id = backends::NewBlobId();
      batch.Put(InlineKey(rec.data_id), f.inline_data);
    }
    Result<ObjectInfo> out = CommitVersion(rec, f.inline_data, &batch, refs);
    if (!out.has_value()) body_.DiscardPublishedBlob();
    return out;
  }

 private:
  // `inline_data`: the bytes of an inline `rec`, for the other names of a link group.
  Result<ObjectInfo> CommitVersion(ObjectRecord& rec, std::string_view inline_data,
                                   leveldb::WriteBatch* batch, const RefChanges& refs) {
    std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(req_.bucket));
    MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, engine_.LoadBucket(req_.bucket));
    MAXIOFS_RETURN_IF_ERROR(engine_.ApplyLockSettings(b, req_.lock, &rec));
    LinkedNames names;
    if (req_.write_links) {
      MAXIOFS_ASSIGN_OR_RETURN(names, engine_.LockLinkedNames(req_.bucket, req_.key, {}));
    } else {
      names.names.push_back(req_.key);
      names.guard = std::make_unique<StripeGuard<EngineImpl::kKeyStripes>>(
          engine_.key_locks(), std::vector<size_t>{engine_.KeyStripe(req_.bucket, req_.key)});
    }
    const bool with_null = b.versioning != VersioningState::kEnabled;
    MAXIOFS_ASSIGN_OR_RETURN(VersionState vs,
                             engine_.LoadVersionState(req_.bucket, req_.key, with_null));
    const ObjectRecord* cur = vs.current();
    MAXIOFS_RETURN_IF_ERROR(CheckProtected(cur, req_.protect_locked));
    MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
        req_.preconditions, cur ? std::optional<std::string>(cur->etag) : std::nullopt));
    RefChanges all = refs;
    if (!req_.replace_version_id.empty() && b.versioning == VersioningState::kEnabled &&
        vs.latest && !vs.latest->delete_marker &&
        vs.latest->version_id() == req_.replace_version_id &&
        CheckRemovable(*vs.latest, false, NowNs()).ok()) {
      // The placeholder goes; the new version follows what came before it. Staged over the
      // versions as they are without the placeholder, so the usage counters count its removal
      // and the new version's arrival once each.
      const std::string placeholder = vs.latest->vkey;
      MAXIOFS_RETURN_IF_ERROR(
          engine_.StageRemoveVersion(req_.bucket, req_.key, *vs.latest, false, batch, &all));
      MAXIOFS_ASSIGN_OR_RETURN(
          vs, engine_.LoadVersionState(req_.bucket, req_.key, with_null, placeholder));
    }
    const bool linked = !names.link_id.empty();
    rec.linked = linked;
    // The other names of the key's link group get the same content as new versions of their
    // own (blobs shared, inline bytes copied), in the same batch.
    std::vector<std::string> others;
    for (const std::string& name : names.names) {
      if (name == req_.key) continue;
      MAXIOFS_ASSIGN_OR_RETURN(VersionState ovs,
                               engine_.LoadVersionState(req_.bucket, name, with_null));
      if (!ovs.current()) continue;  // cannot be a name without a current version
      MAXIOFS_RETURN_IF_ERROR(CheckProtected(ovs.current(), req_.protect_locked));
      ObjectRecord copy = rec;
      if (copy.storage == StorageKind::kInline && !copy.data_id.empty()) {
        copy.data_id = backends::NewBlobId();
        batch->Put(InlineKey(copy.data_id), leveldb::Slice(inline_data.data(), inline_data.size()));
      } else if (copy.storage == StorageKind::kBlob) {
        all.Add(copy.data_id, +1);
      }
      MAXIOFS_RETURN_IF_ERROR(
          engine_.StageNewVersion(b, req_.bucket, name, ovs, &copy, batch, &all));
      engine_.StageJoinLinkGroup(req_.bucket, name, names.link_id, batch);
      others.push_back(name);
    }
    MAXIOFS_RETURN_IF_ERROR(
        engine_.StageNewVersion(b, req_.bucket, req_.key, vs, &rec, batch, &all));
    if (linked) engine_.StageJoinLinkGroup(req_.bucket, req_.key, names.link_id, batch);
    const char* event = req_.created_by == PutObjectRequest::CreatedBy::kPost ? "ObjectCreated:Post"
                        : req_.created_by == PutObjectRequest::CreatedBy::kCopy
                            ? "ObjectCreated:Copy"
                            : "ObjectCreated:Put";
    for (const std::string& name : names.names) {
      all.events.push_back(EventDraft{event, req_.bucket, name, true, rec.size, rec.etag,
                                      rec.version_id(), req_.origin});
    }
    MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(batch, all, req_.durable));
    engine_.Publish(ChangeEvent::Kind::kObjectWritten, req_.bucket, req_.key);
    for (const std::string& name : others) {
      engine_.Publish(ChangeEvent::Kind::kObjectWritten, req_.bucket, name);
    }
    ObjectInfo info = ToObjectInfo(req_.bucket, req_.key, rec);
    if (linked) {
      info.link_count = static_cast<uint32_t>(others.size() + 1);
      info.link_id = names.link_id;
    }
    info.expiration = engine_.ExpirationOf(req_.bucket, req_.key, rec);
    return info;
  }

  EngineImpl& engine_;
  PutObjectRequest req_;
  BodyWriter body_;
  std::optional<Acl> acl_;  // from req_.canned_acl, resolved by BeginPut
};

}  // namespace

std::unique_ptr<ContentMd5> EngineImpl::NewContentMd5() {
  return std::make_unique<ContentMd5Impl>(NewBatchedMd5(md5_batcher()));
}

Result<std::unique_ptr<ObjectWriter>> EngineImpl::BeginPut(const PutObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, LoadBucket(req.bucket));
  if (req.expected_size && *req.expected_size > options().max_object_size) {
    return Status::EntityTooLarge("your proposed upload exceeds the maximum allowed object size");
  }
  if (req.expected_md5 && req.expected_md5->size() != 16) {
    return Status::InvalidArgument("Content-MD5 must be 16 bytes");
  }
  if (!req.lock.empty() && !b.lock_enabled) {
    return Status::InvalidRequest("Bucket is missing Object Lock Configuration");
  }
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectTags(req.tags));
  // Fail early (before the body is sent) when a precondition already fails or the body cannot
  // fit the bucket's quota; Commit checks again atomically.
  if (!req.preconditions.empty() || req.protect_locked) {
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> cur, LoadObject(req.bucket, req.key));
    MAXIOFS_RETURN_IF_ERROR(CheckProtected(cur ? &*cur : nullptr, req.protect_locked));
    MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
        req.preconditions, cur ? std::optional<std::string>(cur->etag) : std::nullopt));
  }
  std::optional<uint64_t> quota_room;
  if (std::optional<BucketQuota> q = usage_.Quota(req.bucket); q && !q->empty()) {
    // In an unversioned or suspended bucket the write replaces the null version for good.
    std::optional<ObjectRecord> replaced;
    if (b.versioning != VersioningState::kEnabled) {
      MAXIOFS_ASSIGN_OR_RETURN(replaced, LoadVersion(req.bucket, req.key, "null"));
    }
    QuotaProbe probe{req.expected_size};
    if (replaced && !replaced->delete_marker) {
      probe.freed_bytes = replaced->size;
      probe.frees_version = true;
    }
    MAXIOFS_ASSIGN_OR_RETURN(quota_room, CheckQuotaRoom(req.bucket, probe));
  }
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<Acl> acl, bucket_access().ResolveRequestAcl(
                                                       req.bucket, req.canned_acl, req.grants));
  MAXIOFS_ASSIGN_OR_RETURN(SealPlan plan,
                           NewSealPlan(req.encryption, b, req.key, req.meta, req.expected_size));
  return std::unique_ptr<ObjectWriter>(
      std::make_unique<ObjectWriterImpl>(*this, req, std::move(plan), std::move(acl), quota_room));
}

}  // namespace maxiofs::engine
