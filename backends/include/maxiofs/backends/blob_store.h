// BlobStore: immutable byte blobs named by random ids. The engine keeps object data here; the
// store knows nothing of buckets, keys, versions or S3 (like leveldb::Env, RocksDB FileSystem).
//
// Life of a blob: Create() returns a BlobWriter; Append bytes; Commit() makes the blob durable
// (data synced, then published under its id); only then may the caller reference the id in
// metadata. A writer destroyed without Commit leaves nothing behind. The owner records each
// blob it is about to write before it starts (the engine's blob intents), so after a crash it
// discards exactly the blobs that never got referenced (Discard) without listing the store.
//
// Thread-safety: BlobStore is safe for concurrent use. Writers and readers are not thread-safe:
// one owner at a time; distinct objects may be used concurrently.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace maxiofs::backends {

// 32 lower-case hex characters (128 random bits).
using BlobId = std::string;

// True when `id` has the BlobId form (so it can never name a path outside the store).
bool IsValidBlobId(std::string_view id);

class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  virtual const BlobId& id() const = 0;
  // Appends bytes. StorageFull / IOError; after an error the writer is dead.
  virtual Status Append(std::span<const char> data) = 0;
  // Bytes appended so far.
  virtual uint64_t size() const = 0;
  // Durably publishes the blob under id(): sync data, make it visible, sync the directory.
  // When `sync` is false the data is published without fsync (benchmarks only). Call once.
  virtual Status Commit(bool sync) = 0;

 protected:
  BlobWriter() = default;
};

class BlobReader {
 public:
  virtual ~BlobReader() = default;
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;

  virtual uint64_t size() const = 0;
  // Reads up to out.size() bytes at `offset`; returns the count, 0 at or past the end.
  // The data stays readable through this reader even if the blob is deleted meanwhile.
  // Inside a NoWaitScope (maxiofs/common/no_wait.h), data not yet in memory is not waited
  // for: WouldBlock (a store that cannot tell may always wait).
  virtual Result<size_t> ReadAt(uint64_t offset, std::span<char> out) = 0;

 protected:
  BlobReader() = default;
};

// What a store has done since it was opened, for metrics. Monotonic counters.
struct BlobStoreCounters {
  uint64_t requests = 0;        // requests sent to a remote service (attempts)
  uint64_t errors = 0;          // operations that failed after their retries
  uint64_t retries = 0;         // attempts that were repeats
  uint64_t bytes_sent = 0;      // to the service
  uint64_t bytes_received = 0;  // from the service
  uint64_t latency_us = 0;      // summed over requests
  uint64_t cache_hits = 0;      // reads served by the local read cache
  uint64_t cache_misses = 0;
};

struct SpaceInfo {
  uint64_t total_bytes = 0;
  uint64_t free_bytes = 0;  // available to this process
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;

  // Starts a new blob with a fresh random id.
  virtual Result<std::unique_ptr<BlobWriter>> Create() = 0;
  // Starts a new blob that takes the open file `fd` itself instead of a copy of its bytes: a
  // regular file of exactly `size` bytes with no name (made with O_TMPFILE) on the store's
  // filesystem. Returns a writer holding `size` bytes whose Commit publishes the file like any
  // blob; Append fails on it. Once Commit succeeds the file is the blob: the caller must never
  // modify it again (it may read it and must still close `fd`). A writer dropped before Commit
  // leaves the caller's file as it was, though a file can be taken once only (a second Adopt
  // of it is refused). NotImplemented when this store cannot take the file (another
  // filesystem, a named file, ...): copy the bytes instead.
  virtual Result<std::unique_ptr<BlobWriter>> Adopt(int fd, uint64_t size) {
    (void)fd;
    (void)size;
    return Status::NotImplemented("this blob store cannot adopt files");
  }
  // Opens a committed blob. NotFound when absent.
  virtual Result<std::unique_ptr<BlobReader>> Open(std::string_view id) = 0;
  // Removes a committed blob. NotFound when absent. Readers already open keep working.
  virtual Status Delete(std::string_view id) = 0;
  // Removes whatever blob `id` left in the store, committed or not (a remote store may also
  // hold an unfinished multipart upload of it, or have stored a blob whose Commit reported a
  // failure). OK when nothing is left, including when nothing was there. For blobs that no
  // metadata references: abandoned uploads and owed deletions.
  virtual Status Discard(std::string_view id) {
    Status s = Delete(id);
    return s.code() == Status::Code::kNotFound ? Status::OK() : s;
  }
  // Calls `fn` for every committed blob (order unspecified). For the start-up orphan sweep;
  // blobs created concurrently may or may not be visited.
  virtual Status ForEach(const std::function<void(const BlobId&)>& fn) = 0;
  // Removes every unfinished (uncommitted) blob; returns how many. Only when no writer is live,
  // i.e. at start-up.
  virtual Result<uint64_t> RemoveUnfinished() = 0;
  // Space of the underlying device.
  virtual Result<SpaceInfo> Space() = 0;
  // Opens a committed blob for a read expected to start at `offset` and span `length` bytes
  // (a hint: any range may still be read). A remote store starts fetching that range at once.
  virtual Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view id, uint64_t offset,
                                                        uint64_t length) {
    (void)offset;
    (void)length;
    return Open(id);
  }
  // OK when the store can serve now (a remote one: one cheap request to the service).
  virtual Status Ping() { return Status::OK(); }
  // "filesystem", "s3", "azure", "gcs", ... (metrics labels, messages).
  virtual std::string_view kind() const { return "filesystem"; }
  // Counters since open (all zero for a local store).
  virtual BlobStoreCounters counters() const { return {}; }

  // The store's label: one line of text its owner wrote with WriteLabel, kept by the store
  // itself (so it moves with the store's data), or "" when none was written. The engine writes
  // its data dir's store id there, so a data dir is never opened against another data dir's
  // blobs (whose sweep would delete them). Corruption when the stored label is malformed;
  // NotImplemented for a store without labels (the default).
  virtual Result<std::string> ReadLabel() { return Status::NotImplemented("no store label"); }
  // Durably replaces the label. REQUIRES: 1-256 bytes, no newline (InvalidArgument otherwise).
  virtual Status WriteLabel(std::string_view label) {
    (void)label;
    return Status::NotImplemented("no store label");
  }

 protected:
  BlobStore() = default;
};

// A new random BlobId (from the OS's CSPRNG): 112 random bits; its second byte is zero so that
// new blobs share 256 folders (see blob_id.cc).
BlobId NewBlobId();

}  // namespace maxiofs::backends
