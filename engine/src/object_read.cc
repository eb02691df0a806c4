// GET and HEAD. Lock-free: read the record, then its data; if a concurrent overwrite removed
// the data in between, read the record again.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"
#include "sealed_reader.h"

#include "maxiofs/common/no_wait.h"

#include <algorithm>
#include <memory>

namespace maxiofs::engine {
namespace {

constexpr int kReadRetries = 16;
// Most part files a GetObject opens inside a NoWaitScope: each open may look up a directory
// entry on disk, so an object of more parts is opened where waiting is allowed.
constexpr size_t kNoWaitMaxParts = 8;

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

// Reads a byte range across one or more blobs laid end to end (a single blob, or the parts of a
// multipart object). The first blob is opened up front (so a concurrent delete is detected
// before any byte is sent); later ones when the read reaches them. Once opened, a blob stays
// readable even if deleted.
class BlobsReader final : public ObjectReader {
 public:
  BlobsReader(ObjectInfo info, backends::BlobStore& store, std::vector<PartRef> parts,
              ResolvedRange r, bool is_range)
      : info_(std::move(info)),
        store_(store),
        parts_(std::move(parts)),
        range_(r),
        is_range_(is_range) {}

  // Opens every part the range touches now, so that data removed by a concurrent overwrite is
  // noticed (NotFound) before the caller commits to an answer.
  Status OpenAll() {
    uint64_t start = 0;
    readers_.resize(parts_.size());
    for (size_t i = 0; i < parts_.size(); ++i) {
      uint64_t end = start + parts_[i].size;
      if (end > range_.offset && start < range_.offset + range_.length) {
        // The part of the range in this blob: a remote store starts fetching it now.
        const uint64_t from = std::max(range_.offset, start);
        const uint64_t to = std::min(range_.offset + range_.length, end);
        MAXIOFS_ASSIGN_OR_RETURN(readers_[i],
                                 store_.OpenRange(parts_[i].blob_id, from - start, to - from));
        if (readers_[i]->size() != parts_[i].size) {
          return Status::Corruption("blob has the wrong size");
        }
      }
      start = end;
    }
    return Status::OK();
  }

  const ObjectInfo& info() const override { return info_; }
  uint64_t offset() const override { return range_.offset; }
  uint64_t length() const override { return range_.length; }
  bool is_range() const override { return is_range_; }
  Result<size_t> Read(std::span<char> out) override {
    uint64_t left = range_.length - pos_;
    if (left == 0 || out.empty()) return size_t{0};
    uint64_t abs = range_.offset + pos_;
    // Find the part holding `abs`.
    uint64_t start = 0;
    size_t i = 0;
    while (i < parts_.size() && start + parts_[i].size <= abs) start += parts_[i++].size;
    if (i == parts_.size() || !readers_[i]) return Status::Corruption("read past the parts");
    size_t want =
        static_cast<size_t>(std::min<uint64_t>({left, out.size(), start + parts_[i].size - abs}));
    MAXIOFS_ASSIGN_OR_RETURN(size_t n, readers_[i]->ReadAt(abs - start, out.first(want)));
    if (n == 0) return Status::Corruption("blob is shorter than its object record says");
    pos_ += n;
    return n;
  }

 private:
  ObjectInfo info_;
  backends::BlobStore& store_;
  std::vector<PartRef> parts_;
  std::vector<std::unique_ptr<backends::BlobReader>> readers_;
  ResolvedRange range_;
  bool is_range_;
  uint64_t pos_ = 0;
};

// Resolves the record a GET/HEAD addresses, with S3's answers for delete markers.
Result<ObjectRecord> FindReadable(EngineImpl& e, std::string_view bucket, std::string_view key,
                                  std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> rec, e.LoadVersion(bucket, key, version_id));
  if (!version_id.empty()) {
    if (!rec) {
      MAXIOFS_RETURN_IF_ERROR(e.CheckBucketExists(bucket));
      return Status::NoSuchVersion("the specified version does not exist");
    }
    if (rec->delete_marker) {
      return Status::MethodNotAllowed("the specified method is not allowed against a delete marker")
          .WithSubCode(Status::SubCode::kDeleteMarker, rec->version_id());
    }
    return std::move(*rec);
  }
  if (rec) return std::move(*rec);
  MAXIOFS_RETURN_IF_ERROR(e.CheckBucketExists(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(VersionState vs, e.LoadVersionState(bucket, key, false));
  Status missing = Status::NoSuchKey("the specified key does not exist");
  if (vs.latest && vs.latest->delete_marker) {
    return missing.WithSubCode(Status::SubCode::kDeleteMarker, vs.latest->version_id());
  }
  return missing;
}

// The byte range of part `n` (1-based); a non-multipart object has exactly one part.
Status PartRange(const ObjectRecord& r, uint32_t n, ResolvedRange* out) {
  if (r.storage != StorageKind::kMultipart) {
    if (n != 1) return Status::InvalidRange("the requested part number is not satisfiable");
    *out = {0, r.size};
    return Status::OK();
  }
  if (n == 0 || n > r.parts.size()) {
    return Status::InvalidRange("the requested part number is not satisfiable");
  }
  uint64_t start = 0;
  for (uint32_t i = 0; i + 1 < n; ++i) start += r.parts[i].size;
  *out = {start, r.parts[n - 1].size};
  return Status::OK();
}

// A read of part `n` (1-based, checked by PartRange) shows that part's checksum, as S3 does.
void ShowPartChecksum(const ObjectRecord& r, uint32_t n, ObjectInfo* info) {
  if (r.storage == StorageKind::kMultipart && !r.parts[n - 1].checksum.empty()) {
    info->checksum.value = r.parts[n - 1].checksum;
  }
}

bool AnySealed(const ObjectRecord& r) {
  if (r.storage != StorageKind::kMultipart) return r.seal.sealed();
  for (const auto& p : r.parts) {
    if (p.seal.sealed()) return true;
  }
  return false;
}

}  // namespace

Result<ObjectInfo> EngineImpl::HeadObject(const HeadObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord rec,
                           FindReadable(*this, req.bucket, req.key, req.version_id));
  MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(KeySeal(rec), req.customer_key));
  MAXIOFS_RETURN_IF_ERROR(
      CheckReadPreconditions(req.preconditions, rec.etag, rec.last_modified_ns));
  ObjectInfo info = ToObjectInfo(req.bucket, req.key, rec);
  if (req.version_id.empty()) {
    info.expiration = ExpirationOf(req.bucket, req.key, rec);
    MAXIOFS_RETURN_IF_ERROR(FillLinkInfo(req.bucket, req.key, rec, &info));
  }
  if (req.part_number > 0) {
    ResolvedRange r;
    MAXIOFS_RETURN_IF_ERROR(PartRange(rec, req.part_number, &r));
    ShowPartChecksum(rec, req.part_number, &info);
  }
  return info;
}

Result<std::unique_ptr<ObjectReader>> EngineImpl::GetObject(const GetObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  if (req.range && req.part_number > 0) {
    return Status::InvalidRequest("Range and partNumber cannot both be specified");
  }
  for (int attempt = 0; attempt < kReadRetries; ++attempt) {
    MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord rec,
                             FindReadable(*this, req.bucket, req.key, req.version_id));
    MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(KeySeal(rec), req.customer_key));
    MAXIOFS_RETURN_IF_ERROR(
        CheckReadPreconditions(req.preconditions, rec.etag, rec.last_modified_ns));
    if (NoWaitActive() && rec.parts.size() > kNoWaitMaxParts) {
      NoteWouldBlock();
      return Status::WouldBlock("an object of many parts is opened on a worker thread");
    }
    ResolvedRange range{0, rec.size};
    if (req.range) MAXIOFS_RETURN_IF_ERROR(ResolveRange(*req.range, rec.size, &range));
    if (req.part_number > 0) MAXIOFS_RETURN_IF_ERROR(PartRange(rec, req.part_number, &range));
    const bool is_range = req.range.has_value() || req.part_number > 0;
    ObjectInfo info = ToObjectInfo(req.bucket, req.key, rec);
    if (req.version_id.empty()) {
      info.expiration = ExpirationOf(req.bucket, req.key, rec);
      MAXIOFS_RETURN_IF_ERROR(FillLinkInfo(req.bucket, req.key, rec, &info));
    }
    if (req.part_number > 0) ShowPartChecksum(rec, req.part_number, &info);
    if (AnySealed(rec)) {
      std::vector<SealedSegment> segs;
      if (rec.storage == StorageKind::kMultipart) {
        for (const auto& p : rec.parts) segs.push_back({p.size, p.seal, "", p.blob_id, ""});
      } else {
        segs.push_back({rec.size, rec.seal, "", "", ""});
        if (rec.storage == StorageKind::kBlob) {
          segs[0].blob_id = rec.data_id;
        } else {
          Result<std::string> data = LoadInline(rec.data_id);
          if (!data.has_value()) {
            if (data.error().IsNotFound()) continue;  // overwritten meanwhile: read again
            return data.error();
          }
          segs[0].inline_data = std::move(data).value();
        }
      }
      // Data keys only for the segments the range touches (a range read of a large multipart
      // object unwraps one or two keys).
      uint64_t start = 0;
      for (auto& seg : segs) {
        const uint64_t end = start + seg.size;
        if (end > range.offset && start < range.offset + range.length && seg.seal.encrypted()) {
          MAXIOFS_ASSIGN_OR_RETURN(seg.data_key, OpenDataKey(seg.seal, req.customer_key));
        }
        start = end;
      }
      auto reader = std::make_unique<SealedReader>(std::move(info), blobs(), std::move(segs), range,
                                                   is_range);
      Status s = reader->OpenAll();
      if (s.IsNotFound()) continue;
      MAXIOFS_RETURN_IF_ERROR(s);
      return std::unique_ptr<ObjectReader>(std::move(reader));
    }
    if (rec.storage == StorageKind::kInline) {
      Result<std::string> data = LoadInline(rec.data_id);
      if (!data.has_value()) {
        if (data.error().IsNotFound()) continue;  // overwritten meanwhile: read again
        return data.error();
      }
      if (data->size() != rec.size) return Status::Corruption("inline data has the wrong size");
      return std::unique_ptr<ObjectReader>(std::make_unique<InlineReader>(
          std::move(info), std::move(data).value(), range, is_range));
    }
    std::vector<PartRef> parts = rec.storage == StorageKind::kBlob
                                     ? std::vector<PartRef>{PartRef{rec.data_id, rec.size, {}, {}}}
                                     : rec.parts;
    auto reader =
        std::make_unique<BlobsReader>(std::move(info), blobs(), std::move(parts), range, is_range);
    Status s = reader->OpenAll();
    if (s.IsNotFound()) continue;
    MAXIOFS_RETURN_IF_ERROR(s);
    return std::unique_ptr<ObjectReader>(std::move(reader));
  }
  return Status::Internal("object kept changing while it was being opened; try again");
}

Result<ObjectAttributes> EngineImpl::GetObjectAttributes(const GetObjectAttributesRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord rec,
                           FindReadable(*this, req.bucket, req.key, req.version_id));
  MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(KeySeal(rec), req.customer_key));
  ObjectAttributes out;
  out.info = ToObjectInfo(req.bucket, req.key, rec);
  if (rec.storage == StorageKind::kMultipart) {
    const uint32_t max_parts = std::min<uint32_t>(req.max_parts, 1000);
    for (size_t i = req.part_number_marker; i < rec.parts.size(); ++i) {
      if (out.parts.size() == max_parts) {
        out.truncated = true;
        break;
      }
      PartInfo p;
      p.part_number = static_cast<uint32_t>(i + 1);
      p.size = rec.parts[i].size;
      if (!rec.parts[i].checksum.empty()) {
        p.checksum = {rec.checksum.algorithm, rec.parts[i].checksum};
      }
      out.parts.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace maxiofs::engine
