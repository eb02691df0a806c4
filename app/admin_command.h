// `maxiofs admin ...`: offline maintenance on a data dir that no server holds (the engine's
// data-dir lock refuses a running one): master-key rotation, the built-in key service, bucket
// usage counters and bucket quotas. (A running server's quotas are set through the console's
// JSON API: docs/quotas.md.)
#pragma once

#include "config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::app {

// Re-wraps every data key under the active master key. Prints how many keys changed. Returns a
// process exit code (0, 1 when the data dir cannot be opened or the rotation fails, 2 for a bad
// storage configuration).
int RunRotateKey(const Config& config);
// Creates the SSE-KMS key `name` of the built-in key service.
int RunKmsKeyCreate(const Config& config, const std::string& name);
// Lists the built-in key service's keys, one per line: name, creation time, master key.
int RunKmsKeyList(const Config& config);

// Prints the usage counters of `buckets` (every bucket when empty), one line each. With
// `verify`, compares each with a scan of its records and prints the differences; with
// `repair`, also resets counters that differ. Exit code 0 when every bucket matches (or was
// repaired), 1 when one differs or cannot be read, 2 for a bad configuration.
int RunUsage(const Config& config, const std::vector<std::string>& buckets, bool verify,
             bool repair);

// `quota set` (either limit may be omitted: it is then kept), `quota info`, `quota clear`,
// after MinIO's `mc quota`. Sizes take MinIO's suffixes (ParseSize).
struct QuotaCommand {
  enum class Kind : uint8_t { kSet, kInfo, kClear };
  Kind kind = Kind::kInfo;
  std::string bucket;
  std::optional<std::string> size;  // "1GiB", "500m", "0" (0 removes the byte limit)
  std::optional<uint64_t> objects;  // 0 removes the object limit
};
int RunQuota(const Config& config, const QuotaCommand& command);

// A size as `mc quota` takes it: digits with an optional case-insensitive suffix k, m, g, t
// (powers of 1000), ki, mi, gi, ti (powers of 1024), optionally followed by "b" ("1GiB",
// "500MB", "64k", "123"). nullopt when malformed or past 2^64-1.
std::optional<uint64_t> ParseSize(std::string_view text);

}  // namespace maxiofs::app
