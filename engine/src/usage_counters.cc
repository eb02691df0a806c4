#include "usage_counters.h"

#include "codec_primitives.h"

#include <algorithm>
#include <array>
#include <string>

namespace maxiofs::engine {
namespace {

constexpr uint8_t kUsageV1 = 1;
constexpr uint8_t kQuotaV1 = 1;

// The fields of UsageFigures in their encoded order (new fields go at the end).
constexpr std::array kFields = {
    &UsageFigures::objects,
    &UsageFigures::bytes,
    &UsageFigures::stored_bytes,
    &UsageFigures::versions,
    &UsageFigures::version_bytes,
    &UsageFigures::version_stored_bytes,
    &UsageFigures::delete_markers,
    &UsageFigures::uploads,
    &UsageFigures::parts,
    &UsageFigures::part_bytes,
    &UsageFigures::part_stored_bytes,
};

using codec::PutVarint;

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

uint64_t Clamp(int64_t v) { return v < 0 ? 0 : static_cast<uint64_t>(v); }

}  // namespace

void UsageFigures::Add(const UsageFigures& o) {
  for (auto f : kFields) this->*f += o.*f;
}

bool UsageFigures::zero() const {
  return std::all_of(kFields.begin(), kFields.end(), [&](auto f) { return this->*f == 0; });
}

BucketUsage ToBucketUsage(const UsageFigures& f) {
  BucketUsage u;
  u.objects = Clamp(f.objects);
  u.bytes = Clamp(f.bytes);
  u.stored_bytes = Clamp(f.stored_bytes);
  u.versions = Clamp(f.versions);
  u.version_bytes = Clamp(f.version_bytes);
  u.version_stored_bytes = Clamp(f.version_stored_bytes);
  u.delete_markers = Clamp(f.delete_markers);
  u.uploads = Clamp(f.uploads);
  u.parts = Clamp(f.parts);
  u.part_bytes = Clamp(f.part_bytes);
  u.part_stored_bytes = Clamp(f.part_stored_bytes);
  return u;
}

UsageFigures ToFigures(const BucketUsage& u) {
  UsageFigures f;
  f.objects = static_cast<int64_t>(u.objects);
  f.bytes = static_cast<int64_t>(u.bytes);
  f.stored_bytes = static_cast<int64_t>(u.stored_bytes);
  f.versions = static_cast<int64_t>(u.versions);
  f.version_bytes = static_cast<int64_t>(u.version_bytes);
  f.version_stored_bytes = static_cast<int64_t>(u.version_stored_bytes);
  f.delete_markers = static_cast<int64_t>(u.delete_markers);
  f.uploads = static_cast<int64_t>(u.uploads);
  f.parts = static_cast<int64_t>(u.parts);
  f.part_bytes = static_cast<int64_t>(u.part_bytes);
  f.part_stored_bytes = static_cast<int64_t>(u.part_stored_bytes);
  return f;
}

std::string EncodeUsageShard(const UsageFigures& f) {
  std::string out(1, static_cast<char>(kUsageV1));
  PutVarint(&out, kFields.size());
  for (auto field : kFields) PutVarint(&out, ZigZag(f.*field));
  return out;
}

Result<UsageFigures> DecodeUsageShard(std::string_view in) {
  if (in.empty() || static_cast<uint8_t>(in[0]) != kUsageV1) {
    return Status::Corruption("unknown usage counter record version");
  }
  codec::Reader r(in.substr(1));
  const uint64_t n = r.Varint();
  UsageFigures f;
  for (uint64_t i = 0; r.ok() && i < n; ++i) {
    const uint64_t v = r.Varint();
    // Figures a newer build added are skipped; older records lack the last ones (zero).
    if (r.ok() && i < kFields.size()) f.*kFields[i] = UnZigZag(v);
  }
  if (!r.ok()) return Status::Corruption("truncated usage counter record");
  if (!r.done()) return Status::Corruption("trailing bytes in usage counter record");
  return f;
}

std::string EncodeQuota(const BucketQuota& q) {
  std::string out(1, static_cast<char>(kQuotaV1));
  PutVarint(&out, q.max_bytes);
  PutVarint(&out, q.max_objects);
  return out;
}

Result<BucketQuota> DecodeQuota(std::string_view in) {
  if (in.empty() || static_cast<uint8_t>(in[0]) != kQuotaV1) {
    return Status::Corruption("unknown quota record version");
  }
  codec::Reader r(in.substr(1));
  BucketQuota q;
  q.max_bytes = r.Varint();
  q.max_objects = r.Varint();
  if (!r.ok() || !r.done()) {
    return Status::Corruption("malformed quota record");
  }
  return q;
}

UsageFigures BucketUsageChange::Total() const {
  UsageFigures t;
  for (const auto& [shard, f] : shards) t.Add(f);
  return t;
}

UsageFigures& UsageChanges::At(std::string_view bucket, uint8_t shard) {
  auto it = buckets.find(bucket);
  if (it == buckets.end()) it = buckets.emplace(std::string(bucket), BucketUsageChange{}).first;
  return it->second.shards[shard];
}

void UsageChanges::CountVersion(std::string_view bucket, uint8_t shard, const ObjectRecord& v,
                                int sign) {
  UsageFigures& f = At(bucket, shard);
  if (v.delete_marker) {
    f.delete_markers += sign;
    return;
  }
  f.versions += sign;
  f.version_bytes += sign * static_cast<int64_t>(v.size);
  f.version_stored_bytes += sign * static_cast<int64_t>(StoredSize(v));
  if (sign > 0) {
    BucketUsageChange& c = buckets.find(bucket)->second;
    c.added_bytes += v.size;
    c.added_versions += 1;
  }
}

void UsageChanges::CountCurrent(std::string_view bucket, uint8_t shard, const ObjectRecord* before,
                                const ObjectRecord* after) {
  UsageFigures& f = At(bucket, shard);
  for (auto [r, sign] : {std::pair{before, -1}, std::pair{after, +1}}) {
    if (r == nullptr || r->delete_marker) continue;
    f.objects += sign;
    f.bytes += sign * static_cast<int64_t>(r->size);
    f.stored_bytes += sign * static_cast<int64_t>(StoredSize(*r));
  }
}

void UsageChanges::CountUpload(std::string_view bucket, uint8_t shard, int sign) {
  At(bucket, shard).uploads += sign;
}

void UsageChanges::CountPart(std::string_view bucket, uint8_t shard, uint64_t size, uint64_t stored,
                             int sign) {
  UsageFigures& f = At(bucket, shard);
  f.parts += sign;
  f.part_bytes += sign * static_cast<int64_t>(size);
  f.part_stored_bytes += sign * static_cast<int64_t>(stored);
  if (sign > 0) buckets.find(bucket)->second.added_bytes += size;
}

// --- UsageTable --------------------------------------------------------------------------------

std::shared_ptr<UsageTable::Entry> UsageTable::Find(std::string_view bucket) const {
  std::shared_lock<std::shared_mutex> l(mu_);
  auto it = entries_.find(bucket);
  return it == entries_.end() ? nullptr : it->second;
}

void UsageTable::Reset(std::string_view bucket, const UsageFigures& total,
                       const BucketQuota& quota) {
  std::shared_ptr<Entry> e = Find(bucket);
  if (!e) {
    std::unique_lock<std::shared_mutex> l(mu_);
    auto& slot = entries_[std::string(bucket)];
    if (!slot) slot = std::make_shared<Entry>();
    e = slot;
  }
  std::lock_guard<std::mutex> l(e->mu);
  e->committed = total;
  e->quota = quota;
}

void UsageTable::SetQuota(std::string_view bucket, const BucketQuota& quota) {
  if (std::shared_ptr<Entry> e = Find(bucket)) {
    std::lock_guard<std::mutex> l(e->mu);
    e->quota = quota;
  }
}

void UsageTable::Forget(std::string_view bucket) {
  std::unique_lock<std::shared_mutex> l(mu_);
  auto it = entries_.find(bucket);
  if (it != entries_.end()) entries_.erase(it);
}

std::optional<BucketUsage> UsageTable::Get(std::string_view bucket) const {
  std::shared_ptr<Entry> e = Find(bucket);
  if (!e) return std::nullopt;
  std::lock_guard<std::mutex> l(e->mu);
  return ToBucketUsage(e->committed);
}

std::optional<BucketQuota> UsageTable::Quota(std::string_view bucket) const {
  std::shared_ptr<Entry> e = Find(bucket);
  if (!e) return std::nullopt;
  std::lock_guard<std::mutex> l(e->mu);
  return e->quota;
}

UsageTable::Room UsageTable::RoomLeft(std::string_view bucket) const {
  Room room;
  std::shared_ptr<Entry> e = Find(bucket);
  if (!e) return room;
  std::lock_guard<std::mutex> l(e->mu);
  if (e->quota.max_bytes > 0) {
    room.bytes = static_cast<int64_t>(e->quota.max_bytes) - e->committed.quota_bytes() -
                 e->reserved.quota_bytes();
  }
  if (e->quota.max_objects > 0) {
    room.versions =
        static_cast<int64_t>(e->quota.max_objects) - e->committed.versions - e->reserved.versions;
  }
  return room;
}

Result<std::unique_ptr<UsageTable::Reservation>> UsageTable::Admit(
    std::string_view bucket, const BucketUsageChange& change) {
  std::shared_ptr<Entry> e = Find(bucket);
  if (!e) return std::unique_ptr<Reservation>();  // a bucket being created or deleted
  const UsageFigures delta = change.Total();
  std::lock_guard<std::mutex> l(e->mu);
  const BucketQuota& q = e->quota;
  if (q.max_bytes > 0 && change.added_bytes > 0) {
    const int64_t after =
        e->committed.quota_bytes() + e->reserved.quota_bytes() + delta.quota_bytes();
    if (after > static_cast<int64_t>(q.max_bytes)) {
      return Status::QuotaExceeded("bucket quota exceeded: this write would take the bucket to " +
                                   std::to_string(std::max<int64_t>(0, after)) +
                                   " bytes, past its limit of " + std::to_string(q.max_bytes));
    }
  }
  if (q.max_objects > 0 && change.added_versions > 0) {
    const int64_t after = e->committed.versions + e->reserved.versions + delta.versions;
    if (after > static_cast<int64_t>(q.max_objects)) {
      return Status::QuotaExceeded("bucket quota exceeded: its limit of " +
                                   std::to_string(q.max_objects) + " objects is reached");
    }
  }
  // Only growth is reserved: a write that shrinks the bucket frees nothing until it commits.
  UsageFigures growth;
  growth.version_bytes = std::max<int64_t>(0, delta.version_bytes);
  growth.part_bytes = std::max<int64_t>(0, delta.part_bytes);
  growth.versions = std::max<int64_t>(0, delta.versions);
  e->reserved.Add(growth);
  return std::make_unique<Reservation>(std::move(e), growth);
}

void UsageTable::Apply(std::string_view bucket, const UsageFigures& delta) {
  std::shared_ptr<Entry> e = Find(bucket);
  if (!e) return;
  std::lock_guard<std::mutex> l(e->mu);
  e->committed.Add(delta);
}

UsageTable::Reservation::~Reservation() {
  if (!entry_) return;
  std::lock_guard<std::mutex> l(entry_->mu);
  entry_->reserved.version_bytes -= growth_.version_bytes;
  entry_->reserved.part_bytes -= growth_.part_bytes;
  entry_->reserved.versions -= growth_.versions;
}

}  // namespace maxiofs::engine
