// Bucket lifecycle: the rule language (S3's LifecycleConfiguration as plain structs), the
// x-amz-expiration answer of an object, the worker's statistics and its audit events.
// Engine::PutBucketLifecycle validates a configuration (engine/src/lifecycle/lifecycle_rules.h);
// the engine's lifecycle worker carries the rules out (docs/lifecycle.md).
#pragma once

#include "maxiofs/engine/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maxiofs::engine {

inline constexpr size_t kMaxLifecycleRules = 1000;

// A tag a rule's filter requires (key and value must both match).
using LifecycleTag = Tag;

// Which objects a rule applies to. S3 has three shapes and the engine keeps the one the client
// used, so a configuration reads back as it was written:
//   kRulePrefix: the deprecated rule-level <Prefix> (prefix set, nothing else);
//   kFilter:     <Filter> with at most one of Prefix, Tag, ObjectSizeGreaterThan/LessThan;
//   kAnd:        <Filter><And> with any of them (tags: any number).
// Absent members do not restrict. Sizes are bytes, exclusive bounds.
struct LifecycleFilter {
  enum class Form : uint8_t { kRulePrefix = 0, kFilter = 1, kAnd = 2 };
  Form form = Form::kFilter;
  std::optional<std::string> prefix;
  std::vector<LifecycleTag> tags;
  std::optional<uint64_t> size_greater_than;
  std::optional<uint64_t> size_less_than;
  friend bool operator==(const LifecycleFilter&, const LifecycleFilter&) = default;
};

// Expiration of current versions: exactly one of the three.
struct LifecycleExpiration {
  std::optional<uint32_t> days;    // lifecycle days after creation
  std::optional<int64_t> date_ns;  // at this UTC midnight (ns since the epoch)
  // Set: removes a delete marker that is a key's only version (true), or says so (false).
  std::optional<bool> expired_object_delete_marker;
  friend bool operator==(const LifecycleExpiration&, const LifecycleExpiration&) = default;
};

struct NoncurrentVersionExpiration {
  std::optional<uint32_t> noncurrent_days;  // lifecycle days after becoming noncurrent
  // Keep this many newer noncurrent versions (1-100) whatever their age.
  std::optional<uint32_t> newer_noncurrent_versions;
  friend bool operator==(const NoncurrentVersionExpiration&,
                         const NoncurrentVersionExpiration&) = default;
};

// A (noncurrent) version transition. Parsed so it can be refused with S3's error: this server
// has no other storage class, so any transition is InvalidStorageClass.
struct LifecycleTransition {
  std::optional<uint32_t> days;  // Days or NoncurrentDays
  std::optional<int64_t> date_ns;
  std::optional<uint32_t> newer_noncurrent_versions;
  std::string storage_class;
  friend bool operator==(const LifecycleTransition&, const LifecycleTransition&) = default;
};

struct LifecycleRule {
  std::string id;  // up to 255 characters; "" gets a random one when stored
  bool enabled = true;
  LifecycleFilter filter;
  std::optional<LifecycleExpiration> expiration;
  std::optional<NoncurrentVersionExpiration> noncurrent_expiration;
  std::optional<uint32_t> abort_incomplete_upload_days;  // DaysAfterInitiation
  std::vector<LifecycleTransition> transitions;
  std::vector<LifecycleTransition> noncurrent_transitions;
  friend bool operator==(const LifecycleRule&, const LifecycleRule&) = default;
};

struct LifecycleConfiguration {
  std::vector<LifecycleRule> rules;  // 1 to kMaxLifecycleRules
  friend bool operator==(const LifecycleConfiguration&, const LifecycleConfiguration&) = default;
};

// What the worker has done since the engine opened (metrics). Bytes are logical sizes.
struct LifecycleStats {
  uint64_t objects_expired = 0;   // current versions expired (removed or hidden by a marker)
  uint64_t bytes_expired = 0;     // their sizes
  uint64_t versions_expired = 0;  // noncurrent versions and markers removed by noncurrent rules
  uint64_t version_bytes_expired = 0;
  uint64_t delete_markers_removed = 0;  // expired object delete markers
  uint64_t uploads_aborted = 0;
  uint64_t locked_skipped = 0;  // expiries refused by object lock (retried in later passes)
  uint64_t passes = 0;
  uint64_t errors = 0;  // bucket passes that failed (retried in the next pass)
  int64_t last_pass_duration_ns = 0;
  int64_t last_pass_end_ns = 0;  // 0: no pass yet
};

// One action of the worker, for the audit log.
struct LifecycleEvent {
  enum class Action : uint8_t {
    kObjectExpired,        // an unversioned bucket's object removed
    kDeleteMarkerAdded,    // a versioned bucket's current version hidden by a new marker
    kVersionExpired,       // a noncurrent version (or marker) removed
    kDeleteMarkerRemoved,  // an expired object delete marker removed
    kUploadAborted,        // an incomplete multipart upload aborted (version_id = upload id)
  };
  Action action;
  std::string bucket;
  std::string key;
  std::string version_id;
  std::string rule_id;
  uint64_t size = 0;
};

// Receives the worker's events on the worker's thread, after each batch is committed. Must not
// call back into the lifecycle API; must be unsubscribed before it is destroyed.
class LifecycleListener {
 public:
  virtual ~LifecycleListener() = default;
  virtual void OnLifecycle(const LifecycleEvent& event) = 0;
};

}  // namespace maxiofs::engine
