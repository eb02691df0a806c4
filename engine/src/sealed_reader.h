// SealedReader: reads a byte range of an object whose data is sealed (compressed and/or
// encrypted, seal.h), in one piece (inline or a blob) or as multipart parts, each part with its
// own seal. Only the chunks the range touches are read and opened; one opened chunk is cached.
// Not thread-safe: one owner at a time.
#pragma once

#include "preconditions.h"
#include "seal.h"

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/object_stream.h"

#include <memory>
#include <string>
#include <vector>

namespace maxiofs::engine {

// One stretch of the object: a whole single-part object, or one part.
struct SealedSegment {
  uint64_t size = 0;  // plaintext bytes
  SealInfo seal;      // mode kNone and not compressed: stored as is
  std::string data_key;
  std::string blob_id;      // empty: the bytes are `inline_data`
  std::string inline_data;  // stored (sealed) bytes of an inline object
};

class SealedReader final : public ObjectReader {
 public:
  SealedReader(ObjectInfo info, backends::BlobStore& store, std::vector<SealedSegment> segments,
               ResolvedRange range, bool is_range);
  ~SealedReader() override;

  // Opens every segment the range touches and checks its stored size, so that data removed by a
  // concurrent overwrite is noticed (NotFound) before any byte is answered.
  Status OpenAll();

  const ObjectInfo& info() const override { return info_; }
  uint64_t offset() const override { return range_.offset; }
  uint64_t length() const override { return range_.length; }
  bool is_range() const override { return is_range_; }
  Result<size_t> Read(std::span<char> out) override;

 private:
  struct Open;
  ObjectInfo info_;
  backends::BlobStore& store_;
  std::vector<SealedSegment> segments_;
  std::vector<std::unique_ptr<Open>> open_;
  ResolvedRange range_;
  bool is_range_;
  uint64_t pos_ = 0;
};

}  // namespace maxiofs::engine
