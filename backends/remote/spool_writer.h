// The writer and reader every remote blob store uses (S3, GCS, Azure): a blob is spooled to a
// local file with the MD5 of each part computed as bytes arrive, then handed whole to the
// store's upload function at Commit; a blob is read through a stream of ranged GETs that is
// reopened where it stopped after a jump or a cut-off connection. Internal to backends/.
//
// Thread-safety: one owner at a time (like every BlobWriter and BlobReader).
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/unique_fd.h"
#include "maxiofs/s3client/s3_client.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace maxiofs::backends::remote {

// A finished spool: the file, its size and the base64 MD5 of each part (one part when the blob
// is at most part_size bytes; an empty blob has one, of nothing).
struct Spool {
  int fd = -1;
  uint64_t size = 0;
  uint64_t part_size = 0;
  std::vector<std::string> part_md5s;
};

// Uploads a finished spool as blob `id`. The store's error (Unavailable after retries).
using UploadFn = std::function<Status(const BlobId& id, const Spool& spool)>;

// A writer spooling to `path` (created by the caller as `fd`), removed when the writer goes.
std::unique_ptr<BlobWriter> NewSpoolWriter(BlobId id, std::string path, UniqueFd fd,
                                           uint64_t part_size, UploadFn upload);
// A writer that uploads the caller's file `fd` (a duplicate the writer owns) of `size` bytes:
// its part MD5s are read from the file at Commit.
std::unique_ptr<BlobWriter> NewAdoptedWriter(BlobId id, UniqueFd fd, uint64_t size,
                                             uint64_t part_size, UploadFn upload);

// BlobStore::Create of a remote store: a new blob id, spooled in `spool_dir`, uploaded with
// `upload` at Commit.
Result<std::unique_ptr<BlobWriter>> CreateRemoteWriter(const std::string& spool_dir,
                                                       uint64_t part_size, UploadFn upload);
// BlobStore::Adopt of a remote store: `fd` (not taken) must be a regular file of `size` bytes,
// else NotImplemented; a duplicate of it is uploaded from where it is (no copy to the spool).
Result<std::unique_ptr<BlobWriter>> AdoptRemoteWriter(int fd, uint64_t size, uint64_t part_size,
                                                      UploadFn upload);

// Opens a stream of the blob's bytes from `offset` (`length` of them, or to the end).
using OpenStreamFn = std::function<Result<std::unique_ptr<s3client::ObjectStream>>(
    uint64_t offset, std::optional<uint64_t> length)>;

// A reader over `first` (a stream opened at `offset` for `length` bytes, 0: to the end), which
// reopens with `open` as needed. Inside a NoWaitScope every read is WouldBlock.
std::unique_ptr<BlobReader> NewStreamReader(std::string name, OpenStreamFn open,
                                            std::unique_ptr<s3client::ObjectStream> first,
                                            uint64_t offset, uint64_t length);

// Opens the first stream for a reader (WouldBlock inside a NoWaitScope), then the reader.
Result<std::unique_ptr<BlobReader>> OpenStreamReader(std::string name, OpenStreamFn open,
                                                     uint64_t offset, uint64_t length);

// Removes the spool files (named by blob ids) left in `dir`; returns how many.
Result<uint64_t> RemoveSpoolFiles(const std::string& dir);

// Creates a spool file for a new blob in `dir`.
Result<std::pair<std::string, UniqueFd>> CreateSpoolFile(const std::string& dir, const BlobId& id);

}  // namespace maxiofs::backends::remote
