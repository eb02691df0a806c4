// The filesystem BlobStore: blobs are files <objects>/ab/cd/<id>; unfinished blobs live in
// <tmp>/<id> until Commit renames them into place (so both must be on one filesystem). The
// store's label (BlobStore::WriteLabel) is the file <objects>/STORE.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/result.h"

#include <memory>
#include <string>

namespace maxiofs::backends {

// Opens (creating the folders when needed) a filesystem blob store rooted at `root`.
// IOError when the folders cannot be created or are not writable.
Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& root);

// Opens (creating them when needed) a filesystem blob store keeping committed blobs under
// `objects_dir` and unfinished ones in `tmp_dir`. REQUIRES: both on one filesystem (Commit
// renames). OpenFsBlobStore(root) is OpenFsBlobStoreAt(root + "/objects", root + "/tmp").
// IOError when a folder cannot be created, is not a directory or is not writable.
Result<std::unique_ptr<BlobStore>> OpenFsBlobStoreAt(const std::string& objects_dir,
                                                     const std::string& tmp_dir);

// An in-memory BlobStore for fast logic tests (like LevelDB's memenv). Safe for concurrent use.
std::unique_ptr<BlobStore> NewMemBlobStore();

}  // namespace maxiofs::backends
