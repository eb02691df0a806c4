// A bounded local read cache in front of a (remote) BlobStore: whole blobs up to max_blob bytes,
// kept as files <dir>/<id> and evicted least-recently-used past max_bytes. Blobs are immutable
// and named by random ids, so a cached file is valid for as long as its blob exists: there is
// nothing to revalidate. A blob is cached by the first read that goes through it from its
// first byte to its last (the bytes are written to the cache as they pass); later opens read
// the local file (inside a NoWaitScope too, from the page cache). Deleting a blob drops its
// cached copy. The cache starts empty: files left by an earlier run are removed at open (a
// copy written before a power loss may be incomplete).
//
// Thread-safety: safe for concurrent use; readers and writers are one owner's at a time.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/result.h"

#include <cstdint>
#include <memory>
#include <string>

namespace maxiofs::backends {

struct CacheOptions {
  std::string dir;                  // created when missing; emptied at open
  uint64_t max_bytes = 1ull << 30;  // total size of cached blobs; > 0
  uint64_t max_blob = 64ull << 20;  // larger blobs are never cached
};

// Wraps `store`. IOError when the directory cannot be made or emptied.
Result<std::unique_ptr<BlobStore>> NewCachingBlobStore(std::unique_ptr<BlobStore> store,
                                                       const CacheOptions& options);

}  // namespace maxiofs::backends
