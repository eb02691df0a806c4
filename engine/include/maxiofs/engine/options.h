// EngineOptions: how to open an engine. Each knob says what it is, its unit, its default and
// its trade-off (the style of leveldb/options.h). Loaded in app/ from the config.
#pragma once

#include <cstdint>
#include <string>

namespace maxiofs::engine {

struct EngineOptions {
  // Root of the data directory; holds meta/ (LevelDB), objects/ (blobs) and tmp/.
  // Created when missing. Default: ./data.
  std::string data_dir = "data";

  // Objects up to this size (bytes) are stored inside LevelDB: one synced write per PUT and no
  // file. Larger objects go to a blob file. Default 128 KiB. Raising it speeds small writes
  // but grows LevelDB compaction work.
  uint64_t inline_threshold = 128 * 1024;

  // Largest object a single PUT may create (bytes). Default 5 GiB, S3's limit.
  uint64_t max_object_size = 5ull << 30;

  // Smallest multipart part other than the last (bytes). Default 5 MiB, S3's rule; tests lower
  // it to keep uploads small.
  uint64_t min_part_size = 5ull << 20;

  // fsync data and metadata before acknowledging a write. Default true. false is only for
  // benchmarks and throw-away test runs: acknowledged writes may be lost on power failure.
  bool sync = true;

  // LevelDB block cache (bytes). Default 64 MiB.
  uint64_t metadata_cache_bytes = 64ull << 20;
};

}  // namespace maxiofs::engine
