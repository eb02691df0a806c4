// The lifecycle rule language's semantics, as pure functions: validating a configuration,
// matching a rule's filter, when a rule expires a version, and what a pass does to one key's
// versions. No I/O and no locks; the worker (lifecycle_worker.h) applies the decisions, and
// lifecycle_rules_test.cc checks them against S3's documented behaviour.
//
// Time: a lifecycle day lasts `day_ns`. With real days (86400 s) an expiry time is rounded up
// to the next UTC midnight, as S3 does; with a shortened test day it is not rounded (as RGW's
// rgw_lc_debug_interval), so a rule of N days acts N test days after the object's creation.
//
// Thread-safety: pure functions.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/engine/lifecycle.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::engine::lifecycle {

inline constexpr int64_t kRealDayNs = 86400LL * 1000000000LL;
inline constexpr size_t kMaxRuleIdLength = 255;
inline constexpr size_t kMaxTagKeyLength = 128;
inline constexpr size_t kMaxTagValueLength = 256;
inline constexpr uint32_t kMaxNewerNoncurrentVersions = 100;

// An object's tags as the rules see them (the version record's).
using Tags = TagSet;

// OK, or InvalidArgument naming the rule ("rule 'x': ..."); transitions to any storage class
// are InvalidArgument with SubCode kInvalidStorageClass (this server has only STANDARD).
Status Validate(const LifecycleConfiguration& config);
// Gives rules without an ID a random one (S3 does the same).
void AssignMissingIds(LifecycleConfiguration* config);

// The moment `days` lifecycle days after `since_ns` have passed (rounded up to UTC midnight for
// real days). Saturates instead of overflowing.
int64_t ExpiryAfterDays(int64_t since_ns, uint32_t days, int64_t day_ns);

// Whether `filter` selects an object version with this key, size and tags. A delete marker
// has no tags and size 0.
bool Matches(const LifecycleFilter& filter, std::string_view key, uint64_t size, const Tags* tags);
// Whether any enabled rule could select a version of `key` (its prefix matches): keys for which
// this is false need not be read at all.
bool AnyRuleMayMatch(const LifecycleConfiguration& config, std::string_view key);

// The Expiration (Days or Date) rule that will expire the current version (key, size, tags,
// created at mtime_ns) soonest, with that time; nullopt when none applies.
std::optional<ObjectExpiration> CurrentExpiration(const LifecycleConfiguration& config,
                                                  std::string_view key, uint64_t size,
                                                  const Tags* tags, int64_t mtime_ns,
                                                  int64_t day_ns);

// One version of a key as the evaluation sees it.
struct VersionView {
  bool delete_marker = false;
  uint64_t size = 0;
  int64_t mtime_ns = 0;        // creation time
  const Tags* tags = nullptr;  // null: none
};

// Where a chunk of a key's versions (newest first) sits among all of them.
struct ChunkPlace {
  bool first = true;  // the chunk starts with the key's newest version
  bool last = true;   // no older version follows the chunk
  // When !first: how many (noncurrent) versions are newer than the chunk, and the creation
  // time of the version just newer than its first one (when that one became noncurrent).
  uint64_t newer_count = 0;
  int64_t successor_mtime_ns = 0;
};

struct Decision {
  enum class Kind : uint8_t {
    kExpireCurrent,       // versions[0], the current version (not a delete marker)
    kRemoveNoncurrent,    // a noncurrent version or delete marker
    kRemoveDeleteMarker,  // versions[0], an expired object delete marker
  };
  Kind kind;
  size_t index;         // into the chunk
  std::string rule_id;  // the rule that decided it
};

// What a pass does to one chunk of a key's versions at `now_ns`. When the current version
// expires, that is the only decision (its noncurrent versions are looked at in a later pass,
// after the new delete marker); an expired object delete marker is removed only when every
// other version of the key is removed by the same decisions.
std::vector<Decision> EvaluateKey(const LifecycleConfiguration& config, std::string_view key,
                                  std::span<const VersionView> versions, const ChunkPlace& place,
                                  int64_t now_ns, int64_t day_ns);

// Whether an incomplete multipart upload of `key` initiated at `initiated_ns` is to be aborted
// at `now_ns`; the deciding rule's id, or nullopt.
std::optional<std::string> AbortUploadRule(const LifecycleConfiguration& config,
                                           std::string_view key, int64_t initiated_ns,
                                           int64_t now_ns, int64_t day_ns);

}  // namespace maxiofs::engine::lifecycle
