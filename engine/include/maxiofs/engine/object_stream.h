// Streams for object data: ObjectWriter takes a PUT's body chunk by chunk; ObjectReader gives a
// GET's bytes chunk by chunk. Memory held is bounded whatever the object size.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace maxiofs::engine {

// Parts ETags. A client that uploads a file in parts gets the ETag "<MD5 of the parts' MD5s>-
// <number of parts>" instead of the file's MD5; `aws s3 cp` does so for every file of 8 MiB or
// more, in parts of 8 MiB (doubled until there are at most 10,000). An object written with
// PutObjectRequest::parts_etag gets the same ETag `aws s3 cp` would give its content, so its
// parts can be hashed side by side instead of through one serial MD5 (about 700 MB/s per core).
inline constexpr uint64_t kPartsEtagMinSize = uint64_t{8} << 20;  // smaller: the plain MD5
inline constexpr uint64_t kPartsEtagPartSize = uint64_t{8} << 20;
inline constexpr uint64_t kPartsEtagMaxParts = 10000;
// The part size of the parts ETag of an object of `size` bytes (>= kPartsEtagMinSize):
// kPartsEtagPartSize, doubled while that makes more than kPartsEtagMaxParts parts.
uint64_t PartsEtagPartSize(uint64_t size);

// The MD5 of bytes as a caller writes them into a file of its own, kept while it writes so
// that ObjectWriter::AppendFileWithMd5s need not read the whole file back for the ETag. Only the
// engine makes one (New) and only from bytes fed to Update: no digest value from elsewhere (a
// client's Content-MD5, say) can pass for one.
// Not thread-safe: one owner at a time (it may move between threads).
class ContentMd5 {
 public:
  static std::unique_ptr<ContentMd5> New();
  virtual ~ContentMd5() = default;
  ContentMd5(const ContentMd5&) = delete;
  ContentMd5& operator=(const ContentMd5&) = delete;

  // Adds the next bytes of the content.
  virtual void Update(std::span<const char> data) = 0;
  // Bytes added so far.
  virtual uint64_t size() const = 0;

 private:
  friend class ContentMd5Impl;  // the only implementation (engine/src)
  ContentMd5() = default;
};

// An object being written. Nothing is visible to readers until Commit returns OK; destroying
// a writer that was not committed discards everything it wrote (no partial object, no temp
// file left behind).
// Not thread-safe: one owner at a time (it may move between threads).
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  // Appends the next bytes of the body. Fails with EntityTooLarge past the engine's limit or
  // the declared size, StorageFull / IOError on disk trouble; after a failure the writer is
  // dead and Commit fails.
  virtual Status Append(std::span<const char> data) = 0;

  // Sets the checksum the data must match (for checksums that arrive after the body, e.g. in
  // an aws-chunked trailer). REQUIRES: before Commit.
  virtual void SetExpectedChecksum(const Checksum& checksum) = 0;

  // Appends the whole content of the open file `fd`: `size` bytes from offset 0 (read with
  // pread; the file offset is unused). When nothing was appended before and the engine can
  // keep the bytes as they are, it takes the file itself instead of copying it (a file made
  // with O_TMPFILE in the data dir's tmp/ folder): returns true then, and once Commit succeeds
  // the caller must never modify the file again (it still closes `fd`). Returns false when
  // the bytes were copied. Errors as Append, plus IOError when the file cannot be read or is
  // shorter than `size`; after a failure the writer is dead and Commit fails.
  virtual Result<bool> AppendFile(int fd, uint64_t size) = 0;

  // AppendFile for a caller that kept the MD5s of the file as it wrote it: `md5s` were fed
  // exactly the `size` bytes of `fd`, in order, and the file has not changed since. md5s[i]
  // covers part i of the object's ETag: the whole file (one digest), or, for an object whose
  // request asked for parts_etag and that gets a parts ETag (see kPartsEtagMinSize), the parts
  // of PartsEtagPartSize(size) bytes, the last one shorter. When the engine takes the file, it
  // makes the ETag from `md5s` instead of reading the file back (it still reads it when another
  // checksum is requested). The digests are trusted, so only a caller that wrote the bytes
  // itself, in this process, may give them (the FUSE mount's staging files); bytes from a
  // network client go through Append, which hashes what it stores. The engine ignores `md5s`
  // and hashes the bytes itself where trusting them could let bad data in or make a wrong ETag:
  // when they do not split `size` bytes as above, when bytes were appended before, when the
  // request has an expected MD5 (Content-MD5) to verify, and when the bytes are copied.
  // `md5s` may be empty (then exactly AppendFile). Returns and fails as AppendFile.
  virtual Result<bool> AppendFileWithMd5s(int fd, uint64_t size,
                                          std::vector<std::unique_ptr<ContentMd5>> md5s) = 0;

  // Bytes appended so far.
  virtual uint64_t size() const = 0;

  // Makes the object durable and visible, atomically replacing the previous one. Verifies the
  // declared size (IncompleteBody), digests (BadDigest) and preconditions first; on any error
  // nothing changes. Returns the new object's info. Call at most once.
  virtual Result<ObjectInfo> Commit() = 0;

 protected:
  ObjectWriter() = default;
};

// An object (or a range of it) being read. The bytes are those of one committed version even
// if the key is overwritten or deleted meanwhile.
// Not thread-safe: one owner at a time.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  virtual const ObjectInfo& info() const = 0;
  // The resolved byte range [offset, offset + length) of the object that Read returns.
  virtual uint64_t offset() const = 0;
  virtual uint64_t length() const = 0;
  // True when the request asked for a range (so the answer is partial content).
  virtual bool is_range() const = 0;

  // Fills `out` with the next bytes; returns how many (0 at the end of the range). A short
  // read is not the end. IOError / Corruption on disk trouble. Inside a NoWaitScope
  // (maxiofs/common/no_wait.h), bytes not yet in memory are not waited for: WouldBlock, and
  // the reader stays where it was (the next Read returns the same bytes).
  virtual Result<size_t> Read(std::span<char> out) = 0;

 protected:
  ObjectReader() = default;
};

}  // namespace maxiofs::engine
