// Per-bucket usage counters (objects, bytes, versions, delete markers, uploads, parts, stored
// bytes), kept as deltas committed in the same LevelDB batch as the change they count, so they
// are exact after a crash and GetBucketUsage is a read of memory.
//
// LevelDB encoding (see key_codec.h):
//   usage-key   := 'C' bucket '\0' shard            -> UsageShard
//   quota-key   := 'Q' bucket                       -> BucketQuota record
//   UsageShard  := 0x01 varint(n) n * zigzag-varint(figure)    -- UsageFigures, in field order
//   BucketQuota := 0x01 varint(max_bytes) varint(max_objects)
//
// A bucket's usage is the sum of its shards. A change to the versions of (bucket, key) is
// counted in shard KeyStripe(bucket, key) (one byte), whose key stripe lock the writer holds:
// writers of one shard are therefore serialized and its read-modify-write is safe, while
// writers of other keys of the bucket never wait for each other (LevelDB group commit keeps
// working). Writers holding the bucket lock exclusively may use any shard. Figures are signed:
// one shard may go negative (a version counted in one shard and removed through another);
// only the sum has a meaning.
#pragma once

#include "record_codec.h"

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace maxiofs::engine {

// Signed counterparts of BucketUsage's fields.
struct UsageFigures {
  int64_t objects = 0;
  int64_t bytes = 0;
  int64_t stored_bytes = 0;
  int64_t versions = 0;
  int64_t version_bytes = 0;
  int64_t version_stored_bytes = 0;
  int64_t delete_markers = 0;
  int64_t uploads = 0;
  int64_t parts = 0;
  int64_t part_bytes = 0;
  int64_t part_stored_bytes = 0;

  void Add(const UsageFigures& o);
  bool zero() const;
  // The quota's byte figure: every stored version plus upload parts.
  int64_t quota_bytes() const { return version_bytes + part_bytes; }
  friend bool operator==(const UsageFigures&, const UsageFigures&) = default;
};

BucketUsage ToBucketUsage(const UsageFigures& f);  // negative sums (never expected) read as 0
UsageFigures ToFigures(const BucketUsage& u);

std::string EncodeUsageShard(const UsageFigures& f);
Result<UsageFigures> DecodeUsageShard(std::string_view in);
std::string EncodeQuota(const BucketQuota& q);
Result<BucketQuota> DecodeQuota(std::string_view in);

// The usage change one bucket gets from one operation.
struct BucketUsageChange {
  std::map<uint8_t, UsageFigures> shards;  // net change per shard
  uint64_t added_bytes = 0;                // bytes of the versions and parts it adds
  uint64_t added_versions = 0;             // versions it adds (markers not counted)
  UsageFigures Total() const;
};

// Usage changes staged by one operation, by bucket. Carried with the blob reference changes
// (RefChanges) and applied by EngineImpl::CommitWithRefs.
struct UsageChanges {
  std::map<std::string, BucketUsageChange, std::less<>> buckets;

  // One version (or delete marker) added (sign +1) or removed (-1).
  void CountVersion(std::string_view bucket, uint8_t shard, const ObjectRecord& v, int sign);
  // The current object of a key changes from `before` to `after` (either may be null or a
  // delete marker, which is no current object).
  void CountCurrent(std::string_view bucket, uint8_t shard, const ObjectRecord* before,
                    const ObjectRecord* after);
  void CountUpload(std::string_view bucket, uint8_t shard, int sign);
  void CountPart(std::string_view bucket, uint8_t shard, uint64_t size, uint64_t stored, int sign);
  bool empty() const { return buckets.empty(); }

 private:
  UsageFigures& At(std::string_view bucket, uint8_t shard);
};

// The counters of every bucket in memory (the sum of its shards), with its quota and the usage
// reserved by writes being committed. Thread-safe; each bucket has its own mutex, a leaf lock
// (taken after every engine lock, never held across I/O).
class UsageTable {
 public:
  class Reservation;

  UsageTable() = default;
  UsageTable(const UsageTable&) = delete;
  UsageTable& operator=(const UsageTable&) = delete;

  // Sets a bucket's counters and quota (open, bucket creation, repair).
  void Reset(std::string_view bucket, const UsageFigures& total, const BucketQuota& quota);
  void SetQuota(std::string_view bucket, const BucketQuota& quota);
  void Forget(std::string_view bucket);
  // nullopt for a bucket the table does not know.
  std::optional<BucketUsage> Get(std::string_view bucket) const;
  std::optional<BucketQuota> Quota(std::string_view bucket) const;

  // What a bucket may still grow by under its quota, counting reservations: nullopt for a
  // dimension without a limit; negative past a limit.
  struct Room {
    std::optional<int64_t> bytes;
    std::optional<int64_t> versions;
  };
  Room RoomLeft(std::string_view bucket) const;

  // Checks `change` against the bucket's quota, counting the usage other writes have
  // reserved, and reserves its own growth until the returned Reservation is destroyed.
  // QuotaExceeded when the change adds a version or bytes and leaves the bucket past a limit.
  // REQUIRES: the reservation outlives the Apply of the same change.
  Result<std::unique_ptr<Reservation>> Admit(std::string_view bucket,
                                             const BucketUsageChange& change);
  // Adds a committed change to the counters.
  void Apply(std::string_view bucket, const UsageFigures& delta);

 private:
  struct Entry {
    std::mutex mu;  // guards the fields below; a leaf lock
    UsageFigures committed;
    UsageFigures reserved;  // growth of writes admitted but not yet applied
    BucketQuota quota;
  };
  std::shared_ptr<Entry> Find(std::string_view bucket) const;

  mutable std::shared_mutex mu_;  // guards entries_ (not the entries); a leaf lock
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> entries_;
};

// Growth reserved by an admitted write; released on destruction.
class UsageTable::Reservation {
 public:
  Reservation(std::shared_ptr<Entry> entry, const UsageFigures& growth)
      : entry_(std::move(entry)), growth_(growth) {}
  ~Reservation();
  Reservation(const Reservation&) = delete;
  Reservation& operator=(const Reservation&) = delete;

 private:
  std::shared_ptr<Entry> entry_;
  UsageFigures growth_;
};

}  // namespace maxiofs::engine
