// GET and HEAD. Lock-free: read the record, then its data; if a concurrent overwrite removed
// the data in between, read the record again.
#include "engine_impl.h"
#include "preconditions.h"

#include <memory>

namespace maxiofs::engine {
namespace {

constexpr int kReadRetries = 16;

class InlineReader final : public ObjectReader {
 public:
  InlineReader(ObjectInfo info, std::string data, ResolvedRange r, bool is_range)
      : info_(std::move(info)), data_(std::move(data)), range_(r), is_range_(is_range) {}
  const ObjectInfo& info() const override { return info_; }
  uint64_t offset() const override { return range_.offset; }
  uint64_t length() const override { return range_.length; }
  bool is_range() const override { return is_range_; }
  Result<size_t> Read(std::span<char> out) override {
    uint64_t left = range_.length - pos_;
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, out.size()));
    data_.copy(out.data(), n, range_.offset + pos_);
    pos_ += n;
    return n;
  }

 private:
  ObjectInfo info_;
  std::string data_;
  ResolvedRange range_;
  bool is_range_;
  uint64_t pos_ = 0;
};

class BlobObjectReader final : public ObjectReader {
 public:
  BlobObjectReader(ObjectInfo info, std::unique_ptr<backends::BlobReader> blob, ResolvedRange r,
                   bool is_range)
      : info_(std::move(info)), blob_(std::move(blob)), range_(r), is_range_(is_range) {}
  const ObjectInfo& info() const override { return info_; }
  uint64_t offset() const override { return range_.offset; }
  uint64_t length() const override { return range_.length; }
  bool is_range() const override { return is_range_; }
  Result<size_t> Read(std::span<char> out) override {
    uint64_t left = range_.length - pos_;
    if (left == 0 || out.empty()) return size_t{0};
    size_t want = static_cast<size_t>(std::min<uint64_t>(left, out.size()));
    MAXIOFS_ASSIGN_OR_RETURN(size_t n, blob_->ReadAt(range_.offset + pos_, out.first(want)));
    if (n == 0) return Status::Corruption("blob is shorter than its object record says");
    pos_ += n;
    return n;
  }

 private:
  ObjectInfo info_;
  std::unique_ptr<backends::BlobReader> blob_;
  ResolvedRange range_;
  bool is_range_;
  uint64_t pos_ = 0;
};

}  // namespace

Result<ObjectInfo> EngineImpl::HeadObject(const HeadObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> rec, LoadObject(req.bucket, req.key));
  if (!rec) {
    MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
    return Status::NoSuchKey("the specified key does not exist");
  }
  MAXIOFS_RETURN_IF_ERROR(
      CheckReadPreconditions(req.preconditions, rec->etag, rec->last_modified_ns));
  return ToObjectInfo(req.bucket, req.key, *rec);
}

Result<std::unique_ptr<ObjectReader>> EngineImpl::GetObject(const GetObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  for (int attempt = 0; attempt < kReadRetries; ++attempt) {
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> rec, LoadObject(req.bucket, req.key));
    if (!rec) {
      MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
      return Status::NoSuchKey("the specified key does not exist");
    }
    MAXIOFS_RETURN_IF_ERROR(
        CheckReadPreconditions(req.preconditions, rec->etag, rec->last_modified_ns));
    ResolvedRange range{0, rec->size};
    if (req.range) MAXIOFS_RETURN_IF_ERROR(ResolveRange(*req.range, rec->size, &range));
    const bool is_range = req.range.has_value();
    if (rec->storage == StorageKind::kInline) {
      Result<std::string> data = LoadInline(rec->data_id);
      if (!data.has_value()) {
        if (data.error().IsNotFound()) continue;  // overwritten meanwhile: read again
        return data.error();
      }
      if (data->size() != rec->size) return Status::Corruption("inline data has the wrong size");
      return std::unique_ptr<ObjectReader>(std::make_unique<InlineReader>(
          ToObjectInfo(req.bucket, req.key, *rec), std::move(data).value(), range, is_range));
    }
    Result<std::unique_ptr<backends::BlobReader>> blob = blobs().Open(rec->data_id);
    if (!blob.has_value()) {
      if (blob.error().IsNotFound()) continue;
      return blob.error();
    }
    if ((*blob)->size() != rec->size) return Status::Corruption("blob has the wrong size");
    return std::unique_ptr<ObjectReader>(std::make_unique<BlobObjectReader>(
        ToObjectInfo(req.bucket, req.key, *rec), std::move(blob).value(), range, is_range));
  }
  return Status::Internal("object kept changing while it was being opened; try again");
}

}  // namespace maxiofs::engine
