// BodyWriter: the shared part of PUT and UploadPart. Streams a body into memory (inline) or a
// blob, hashing as it goes; Finish verifies the declared size and digests and publishes the
// blob durably. Not thread-safe: one owner at a time.
#pragma once

#include "checksums.h"
#include "engine_impl.h"
#include "seal.h"

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/result.h"
#include "maxiofs/engine/types.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace maxiofs::engine {

class EngineImpl;

struct BodySpec {
  std::optional<uint64_t> expected_size;
  std::optional<std::string> expected_md5;  // raw 16 bytes
  ChecksumAlgorithm checksum_algorithm = ChecksumAlgorithm::kNone;
  std::optional<std::string> expected_checksum;  // base64
  bool allow_inline = true;                      // false: always a blob (multipart parts)
  SealPlan seal;                                 // how to store the bytes (inactive: as they come)
  uint64_t etag_part_size = 0;  // > 0: a parts ETag, parts of this size (EtagPartSizeFor)
  // The bucket's quota leaves room for a body of this size at most (EngineImpl::CheckQuotaRoom):
  // a longer one fails with QuotaExceeded as soon as it is longer, so no more of it is stored.
  std::optional<uint64_t> quota_room = std::nullopt;
  bool durable = true;  // false: the blob's upload intent is recorded without a sync
};

class BodyWriter {
 public:
  BodyWriter(EngineImpl& engine, BodySpec spec);
  ~BodyWriter();
  BodyWriter(const BodyWriter&) = delete;
  BodyWriter& operator=(const BodyWriter&) = delete;

  Status Append(std::span<const char> data);
  // ObjectWriter::AppendFile: takes the file as the blob when the body is empty so far, the
  // file is blob-sized and the bytes are stored as they are; otherwise copies it.
  // ObjectWriter::AppendFileWithMd5s when `md5s` is not empty: a taken file's ETag then comes
  // from `md5s` (when they may be trusted, see there) instead of a read-back.
  Result<bool> AppendFile(int fd, uint64_t size,
                          std::vector<std::unique_ptr<ContentMd5>> md5s = {});
  void SetExpectedChecksum(const Checksum& c);
  uint64_t size() const { return size_; }

  struct Finished {
    uint64_t size = 0;
    std::string md5;          // raw 16 bytes: of the body, or of its parts' MD5s (etag_parts > 0)
    uint64_t etag_parts = 0;  // > 0: the ETag is a parts ETag of this many parts
    Checksum checksum;
    std::string checksum_raw;  // raw digest bytes, for composite checksums
    std::string blob_id;       // set when the body is in a (now published) blob
    std::string inline_data;   // otherwise the body (as stored: sealed when sealing)
    SealInfo seal;             // how the stored bytes are sealed (mode kNone: plain)
  };
  // Verifies and publishes. Call once. A published blob still has its upload intent: the
  // caller commits it with RefChanges::AddNew (which drops the intent in the same batch), or
  // after a metadata failure calls DiscardPublishedBlob.
  Result<Finished> Finish();
  void DiscardPublishedBlob();

 private:
  // Stores bytes as they are to be kept: in memory while the body may still be inline, else in
  // the blob (created on first need).
  Status Store(std::string_view stored);
  // Takes `w` as the body's blob and records its upload intent (before any byte reaches it).
  Status TakeBlob(std::unique_ptr<backends::BlobWriter> w);

  EngineImpl& engine_;
  BodySpec spec_;
  std::unique_ptr<Sealer> sealer_;
  std::unique_ptr<Digest> md5_;
  std::optional<std::string> given_md5_;  // from a taken file's trusted MD5s: used instead of md5_
  std::unique_ptr<Digest> checksum_;
  std::string buffer_;
  std::unique_ptr<backends::BlobWriter> blob_;
  uint64_t size_ = 0;
  bool committed_ = false;
  // The blob's intent is recorded and not yet handed over (Finish) or settled.
  bool intent_ = false;
  bool blob_commit_tried_ = false;  // the store may hold the blob (even if Commit failed)
  Status error_;
};

}  // namespace maxiofs::engine
