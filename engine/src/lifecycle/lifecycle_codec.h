// LevelDB encodings of a bucket's lifecycle configuration and of the worker's cursor (see
// key_codec.h for the keys). Versioned by a leading byte; decoded with bounds checks (a damaged
// value is Corruption, never a crash).
//
//   varint   := LEB128 unsigned 64-bit;  str := varint(length) bytes
//   opt(x)   := byte(0) | byte(1) x
//   Config v1 := 0x01 varint(n) n * rule
//   rule     := str(id) byte(enabled) filter opt(expiration) opt(noncurrent)
//               opt(varint(abort days after initiation))
//   filter   := byte(form: 0 rule prefix, 1 Filter, 2 And) opt(str(prefix))
//               varint(n) n * (str(tag key) str(tag value))
//               opt(varint(size greater than)) opt(varint(size less than))
//   expiration := opt(varint(days)) opt(varint(date ns)) byte(delete marker: 0 unset, 1 false,
//                 2 true)
//   noncurrent := opt(varint(noncurrent days)) opt(varint(newer noncurrent versions))
//   Cursor v1 := 0x01 byte(phase: 0 versions, 1 uploads) str(key) str(vkey) varint(newer count)
//                varint(successor mtime ns) varint(pass start ns)
// Transitions are never stored: a configuration with one is refused (lifecycle_rules.h).
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/lifecycle.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine::lifecycle {

std::string EncodeConfig(const LifecycleConfiguration& config);
Result<LifecycleConfiguration> DecodeConfig(std::string_view in);

// Where the worker's pass over one bucket stands; stored in the batch of each slice it commits,
// so a restart resumes there.
struct Cursor {
  enum class Phase : uint8_t { kVersions = 0, kUploads = 1 };
  Phase phase = Phase::kVersions;
  std::string key;                 // the key in progress or last done ("" : start of the phase)
  std::string vkey;                // "" : `key` is done; else the next version of `key` to look at
  uint64_t newer_count = 0;        // noncurrent versions of `key` newer than `vkey`
  int64_t successor_mtime_ns = 0;  // creation time of the version just newer than `vkey`
  int64_t pass_start_ns = 0;
  friend bool operator==(const Cursor&, const Cursor&) = default;
};

std::string EncodeCursor(const Cursor& c);
Result<Cursor> DecodeCursor(std::string_view in);

}  // namespace maxiofs::engine::lifecycle
