#include "sealed_reader.h"

#include <algorithm>
#include <cstring>

namespace maxiofs::engine {

struct SealedReader::Open {
  std::unique_ptr<backends::BlobReader> blob;
  std::unique_ptr<Opener> opener;  // null when the segment is stored as is
};

SealedReader::SealedReader(ObjectInfo info, backends::BlobStore& store,
                           std::vector<SealedSegment> segments, ResolvedRange range, bool is_range)
    : info_(std::move(info)),
      store_(store),
      segments_(std::move(segments)),
      range_(range),
      is_range_(is_range) {}

SealedReader::~SealedReader() = default;

Status SealedReader::OpenAll() {
  open_.resize(segments_.size());
  uint64_t start = 0;
  for (size_t i = 0; i < segments_.size(); ++i) {
    SealedSegment& seg = segments_[i];
    const uint64_t end = start + seg.size;
    const bool touched = end > range_.offset && start < range_.offset + range_.length;
    start = end;
    if (!touched) continue;
    auto o = std::make_unique<Open>();
    const uint64_t stored = seg.seal.sealed() ? seg.seal.stored_size : seg.size;
    Opener::ReadAt read_at;
    if (!seg.blob_id.empty()) {
      MAXIOFS_ASSIGN_OR_RETURN(o->blob, store_.Open(seg.blob_id));
      if (o->blob->size() != stored) return Status::Corruption("blob has the wrong size");
      backends::BlobReader* b = o->blob.get();
      read_at = [b](uint64_t off, std::span<char> out) { return b->ReadAt(off, out); };
    } else {
      if (seg.inline_data.size() != stored) {
        return Status::Corruption("inline data has the wrong size");
      }
      const std::string* d = &seg.inline_data;
      read_at = [d](uint64_t off, std::span<char> out) -> Result<size_t> {
        if (off >= d->size()) return size_t{0};
        size_t n = std::min<size_t>(out.size(), d->size() - off);
        std::memcpy(out.data(), d->data() + off, n);
        return n;
      };
    }
    if (seg.seal.sealed()) {
      o->opener = std::make_unique<Opener>(seg.seal, seg.data_key, seg.size, std::move(read_at));
      MAXIOFS_RETURN_IF_ERROR(o->opener->Validate());
    }
    open_[i] = std::move(o);
  }
  return Status::OK();
}

Result<size_t> SealedReader::Read(std::span<char> out) {
  const uint64_t left = range_.length - pos_;
  if (left == 0 || out.empty()) return size_t{0};
  const uint64_t abs = range_.offset + pos_;
  uint64_t start = 0;
  size_t i = 0;
  while (i < segments_.size() && start + segments_[i].size <= abs) start += segments_[i++].size;
  if (i == segments_.size() || !open_[i]) return Status::Corruption("read past the parts");
  const SealedSegment& seg = segments_[i];
  Open& o = *open_[i];
  const uint64_t in_seg = abs - start;
  size_t want = static_cast<size_t>(std::min<uint64_t>({left, out.size(), seg.size - in_seg}));
  size_t n = 0;
  if (o.opener) {
    const uint64_t cs = seg.seal.chunk_size;
    MAXIOFS_ASSIGN_OR_RETURN(std::string_view chunk, o.opener->Chunk(in_seg / cs));
    const uint64_t at = in_seg % cs;
    if (at >= chunk.size()) return Status::Corruption("sealed chunk shorter than expected");
    n = std::min<size_t>(want, chunk.size() - at);
    std::memcpy(out.data(), chunk.data() + at, n);
  } else if (o.blob) {
    MAXIOFS_ASSIGN_OR_RETURN(n, o.blob->ReadAt(in_seg, out.first(want)));
  } else {
    n = std::min<size_t>(want, seg.inline_data.size() - in_seg);
    std::memcpy(out.data(), seg.inline_data.data() + in_seg, n);
  }
  if (n == 0) return Status::Corruption("data is shorter than its object record says");
  pos_ += n;
  return n;
}

}  // namespace maxiofs::engine
