// PUT: a writer that keeps small bodies in memory (inline objects) and spills larger ones to a
// blob, computing the MD5 and the requested checksum as bytes arrive; Commit verifies and
// publishes atomically.
#include "checksums.h"
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

#include <memory>
#include <optional>

namespace maxiofs::engine {
namespace {

class ObjectWriterImpl final : public ObjectWriter {
 public:
  ObjectWriterImpl(EngineImpl& engine, PutObjectRequest req)
      : engine_(engine), req_(std::move(req)), md5_(NewMd5()) {
    if (req_.checksum_algorithm != ChecksumAlgorithm::kNone) {
      checksum_ = NewChecksum(req_.checksum_algorithm);
    }
  }

  Status Append(std::span<const char> data) override {
    if (!error_.ok()) return error_;
    if (committed_) return Status::Internal("append after commit");
    if (size_ + data.size() > engine_.options().max_object_size) {
      return error_ = Status::EntityTooLarge("the object exceeds the maximum allowed size");
    }
    if (req_.expected_size && size_ + data.size() > *req_.expected_size) {
      return error_ = Status::IncompleteBody("the body is longer than its declared length");
    }
    md5_->Update(data);
    if (checksum_) checksum_->Update(data);
    size_ += data.size();
    if (!blob_ && size_ <= engine_.options().inline_threshold) {
      buffer_.append(data.data(), data.size());
      return Status::OK();
    }
    if (!blob_) {
      auto w = engine_.blobs().Create();
      if (!w.has_value()) return error_ = w.error();
      blob_ = std::move(w).value();
      if (!buffer_.empty()) {
        Status s = blob_->Append(buffer_);
        if (!s.ok()) return error_ = s;
        std::string().swap(buffer_);
      }
    }
    Status s = blob_->Append(data);
    if (!s.ok()) error_ = s;
    return s;
  }

  void SetExpectedChecksum(const Checksum& c) override {
    if (!checksum_ && c.algorithm != ChecksumAlgorithm::kNone) {
      if (size_ > 0) {
        // Too late to hash what was already appended.
        error_ = Status::InvalidArgument("checksum algorithm set after data was written");
        return;
      }
      checksum_ = NewChecksum(c.algorithm);
      req_.checksum_algorithm = c.algorithm;
    } else if (c.algorithm != req_.checksum_algorithm) {
      error_ = Status::InvalidArgument("trailing checksum algorithm differs from the declared one");
      return;
    }
    req_.expected_checksum = c.value;
  }

  uint64_t size() const override { return size_; }

  Result<ObjectInfo> Commit() override {
    if (!error_.ok()) return error_;
    if (committed_) return Status::Internal("object committed twice");
    committed_ = true;
    if (req_.expected_size && *req_.expected_size != size_) {
      return Status::IncompleteBody("the body is shorter than its declared length");
    }
    ObjectRecord rec;
    rec.size = size_;
    std::string md5 = md5_->Final();
    if (req_.expected_md5 && *req_.expected_md5 != md5) {
      return Status::BadDigest("the Content-MD5 you specified did not match what we received");
    }
    rec.etag = HexEncode(md5);
    if (checksum_) {
      rec.checksum.algorithm = req_.checksum_algorithm;
      rec.checksum.value = Base64Encode(checksum_->Final());
      if (req_.expected_checksum && *req_.expected_checksum != rec.checksum.value) {
        return Status::BadDigest("the checksum you specified did not match what we received");
      }
    }
    rec.meta = req_.meta;
    rec.version_id = "null";
    MAXIOFS_RETURN_IF_ERROR(engine_.CheckWritable());

    leveldb::WriteBatch batch;
    std::vector<std::string> involved_blobs;
    if (blob_) {
      Status s = blob_->Commit(engine_.options().sync);
      if (!s.ok()) {
        if (s.IsIOError()) engine_.EnterReadOnly(s);
        return s;
      }
      rec.storage = StorageKind::kBlob;
      rec.data_id = blob_->id();
      batch.Put(RefKey(rec.data_id), EncodeRefCount(1));
    } else {
      rec.storage = StorageKind::kInline;
      if (size_ > 0) {
        rec.data_id = backends::NewBlobId();
        batch.Put(InlineKey(rec.data_id), buffer_);
      }
    }

    Result<ObjectInfo> out = CommitRecord(rec, &batch);
    if (!out.has_value() && blob_) {
      // The blob was published but is referenced by nothing: remove it now (or by the sweep).
      engine_.blobs().Delete(blob_->id()).IgnoreError();  // best effort; the sweep retries
    }
    return out;
  }

 private:
  Result<ObjectInfo> CommitRecord(ObjectRecord& rec, leveldb::WriteBatch* batch) {
    std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(req_.bucket));
    MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(req_.bucket));
    std::lock_guard<std::mutex> kl(engine_.key_locks()[engine_.KeyStripe(req_.bucket, req_.key)]);
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> old,
                             engine_.LoadObject(req_.bucket, req_.key));
    MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
        req_.preconditions, old ? std::optional<std::string>(old->etag) : std::nullopt));
    std::vector<size_t> stripes;
    if (old && old->storage == StorageKind::kBlob)
      stripes.push_back(engine_.BlobStripe(old->data_id));
    StripeGuard<EngineImpl::kBlobStripes> blob_guard(engine_.blob_locks(), std::move(stripes));
    std::vector<std::string> unreferenced;
    if (old) MAXIOFS_RETURN_IF_ERROR(engine_.DropData(*old, batch, &unreferenced));
    rec.last_modified_ns = NowNs();
    batch->Put(ObjectKey(req_.bucket, req_.key), EncodeObjectRecord(rec));
    MAXIOFS_RETURN_IF_ERROR(engine_.Commit(batch));
    engine_.DeleteUnreferenced(unreferenced);
    engine_.Publish(ChangeEvent::Kind::kObjectWritten, req_.bucket, req_.key);
    return ToObjectInfo(req_.bucket, req_.key, rec);
  }

  EngineImpl& engine_;
  PutObjectRequest req_;
  std::unique_ptr<Digest> md5_;
  std::unique_ptr<Digest> checksum_;
  std::string buffer_;  // the body while it fits inline
  std::unique_ptr<backends::BlobWriter> blob_;
  uint64_t size_ = 0;
  bool committed_ = false;
  Status error_;
};

}  // namespace

Result<std::unique_ptr<ObjectWriter>> EngineImpl::BeginPut(const PutObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  if (req.expected_size && *req.expected_size > options().max_object_size) {
    return Status::EntityTooLarge("your proposed upload exceeds the maximum allowed object size");
  }
  if (req.expected_md5 && req.expected_md5->size() != 16) {
    return Status::InvalidArgument("Content-MD5 must be 16 bytes");
  }
  // Fail early (before the body is sent) when a precondition already fails; Commit checks
  // again atomically.
  if (!req.preconditions.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> cur, LoadObject(req.bucket, req.key));
    MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
        req.preconditions, cur ? std::optional<std::string>(cur->etag) : std::nullopt));
  }
  return std::unique_ptr<ObjectWriter>(std::make_unique<ObjectWriterImpl>(*this, req));
}

}  // namespace maxiofs::engine
