// The metadata store's free-space reserve: new object data is refused with StorageFull while
// the filesystem holding <data>/meta has less than the reserve free, so a disk filled by
// PUTs never reaches the point where LevelDB itself runs out of space. LevelDB cannot go on
// after a failed log write (the engine turns read-only until a restart), it needs room for a
// table as large as its write buffer to flush its memtable, and at start-up to turn its log
// into a table; without that room a full disk would refuse deletions (the only way to free
// space) and could not even be restarted.
#pragma once

#include "maxiofs/common/status.h"

#include <cstdint>
#include <string>

namespace maxiofs::engine {

// Beyond LevelDB's write buffer (MetadataStoreOptions::write_buffer_bytes, 32 MiB by default):
// room for its log and manifest.
inline constexpr uint64_t kMetadataReserveExtraBytes = 8ull << 20;

// The reserve of a filesystem of `total_bytes` for a write buffer of `write_buffer_bytes`: the
// buffer plus kMetadataReserveExtraBytes (40 MiB by default), capped at half the filesystem so
// that a small disk still takes data.
uint64_t MetadataReserve(uint64_t total_bytes, uint64_t write_buffer_bytes);

// OK when the filesystem holding `meta_dir` has room for `adding_bytes` more metadata (inline
// object data) and still keeps the reserve; StorageFull otherwise; IOError when its space
// cannot be read. A statvfs per call (about a microsecond). Thread-safe.
Status CheckMetadataSpace(const std::string& meta_dir, uint64_t write_buffer_bytes,
                          uint64_t adding_bytes);

}  // namespace maxiofs::engine
