// The filesystem BlobStore: blobs are files <root>/objects/ab/cd/<id>; unfinished blobs live in
// <root>/tmp/<id> until Commit renames them into place.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/result.h"

#include <memory>
#include <string>

namespace maxiofs::backends {

// Opens (creating the folders when needed) a filesystem blob store rooted at `root`.
// IOError when the folders cannot be created or are not writable.
Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& root);

// An in-memory BlobStore for fast logic tests (like LevelDB's memenv). Safe for concurrent use.
std::unique_ptr<BlobStore> NewMemBlobStore();

}  // namespace maxiofs::backends
