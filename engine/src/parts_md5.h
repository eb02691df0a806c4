// Parts ETags (object_stream.h): the digest of a stream hashed part by part, the check of part
// MD5s a caller kept, and the ETag text (shared with CompleteMultipartUpload).
#pragma once

#include "checksums.h"

#include "maxiofs/engine/object_stream.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

// The ETag text of the raw 16-byte `md5`: its hex, followed by "-<parts>" when `parts` > 0
// (then `md5` is the MD5 of the parts' MD5s).
std::string EtagText(std::string_view md5, uint64_t parts);

// How many parts of `part_size` (> 0) bytes `size` bytes make; at least one.
uint64_t PartCount(uint64_t size, uint64_t part_size);

// The part size of the parts ETag for a PUT of `size` declared bytes (nullopt: not declared)
// that asked for one, or 0 when the object gets its plain MD5 (too small, no declared size,
// or a Content-MD5 to verify).
uint64_t EtagPartSizeFor(bool parts_etag, const std::optional<uint64_t>& size,
                         bool has_expected_md5);

// A Digest of a stream cut in parts of `part_size` (> 0) bytes, each hashed by a Digest from
// `new_md5`: Final gives the MD5 of the parts' MD5s (raw 16 bytes), and parts() how many.
// Not thread-safe.
class PartsMd5 final : public Digest {
 public:
  PartsMd5(uint64_t part_size, std::function<std::unique_ptr<Digest>()> new_md5);
  void Update(std::span<const char> data) override;
  std::string Final() override;
  // Parts so far (at least one: no bytes are one empty part).
  uint64_t parts() const { return PartCount(size_, part_size_); }

 private:
  const uint64_t part_size_;
  const std::function<std::unique_ptr<Digest>()> new_md5_;
  std::unique_ptr<Digest> part_;  // the part being hashed
  uint64_t in_part_ = 0;          // bytes in part_
  uint64_t size_ = 0;
  std::string md5s_;  // raw MD5s of the finished parts
};

// The raw 16-byte digest behind the ETag of `size` bytes from the MD5s a caller kept
// (ObjectWriter::AppendFileWithMd5s): the MD5 itself when `part_size` is 0, else the MD5 of
// the parts' MD5s. nullopt unless `md5s` split exactly `size` bytes that way. Consumes them.
std::optional<std::string> DigestFromKept(std::vector<std::unique_ptr<ContentMd5>>& md5s,
                                          uint64_t size, uint64_t part_size);

}  // namespace maxiofs::engine
