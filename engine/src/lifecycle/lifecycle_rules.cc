#include "lifecycle/lifecycle_rules.h"

#include <sys/random.h>

#include <algorithm>
#include <limits>
#include <set>

namespace maxiofs::engine::lifecycle {
namespace {

Status RuleError(const LifecycleRule& r, const std::string& what) {
  return Status::InvalidArgument("rule '" + r.id + "': " + what);
}

Status ValidateTag(const LifecycleRule& r, const LifecycleTag& t) {
  if (t.key.empty() || t.key.size() > kMaxTagKeyLength) {
    return RuleError(r, "a tag key must be 1 to 128 characters");
  }
  if (t.value.size() > kMaxTagValueLength) {
    return RuleError(r, "a tag value must be at most 256 characters");
  }
  return Status::OK();
}

Status ValidateFilter(const LifecycleRule& r) {
  const LifecycleFilter& f = r.filter;
  if (f.prefix && f.prefix->size() > 1024) {
    return RuleError(r, "the prefix is longer than 1024 bytes");
  }
  const int members = (f.prefix ? 1 : 0) + static_cast<int>(f.tags.size()) +
                      (f.size_greater_than ? 1 : 0) + (f.size_less_than ? 1 : 0);
  switch (f.form) {
    case LifecycleFilter::Form::kRulePrefix:
      if (!f.prefix || members != 1) return RuleError(r, "a rule's Prefix stands alone");
      break;
    case LifecycleFilter::Form::kFilter:
      if (members > 1) {
        return RuleError(r,
                         "a Filter takes one of Prefix, Tag, ObjectSizeGreaterThan and "
                         "ObjectSizeLessThan; use And to combine them");
      }
      break;
    case LifecycleFilter::Form::kAnd:
      break;
  }
  std::set<std::string> keys;
  for (const LifecycleTag& t : f.tags) {
    MAXIOFS_RETURN_IF_ERROR(ValidateTag(r, t));
    if (!keys.insert(t.key).second) return RuleError(r, "duplicate tag key '" + t.key + "'");
  }
  if (f.size_less_than && *f.size_less_than == 0) {
    return RuleError(r, "ObjectSizeLessThan must be greater than 0");
  }
  if (f.size_greater_than && f.size_less_than && *f.size_greater_than >= *f.size_less_than) {
    return RuleError(r, "ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
  }
  return Status::OK();
}

bool HasPrefix(const LifecycleFilter& f, std::string_view key) {
  return !f.prefix || key.starts_with(*f.prefix);
}

bool HasTags(const LifecycleFilter& f, const Tags* tags) {
  for (const LifecycleTag& want : f.tags) {
    if (tags == nullptr) return false;
    auto it = std::find_if(tags->begin(), tags->end(), [&](const Tag& t) { return t == want; });
    if (it == tags->end()) return false;
  }
  return true;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  return a + b;
}

// A rule's expiration of current versions by age or date (not ExpiredObjectDeleteMarker).
std::optional<int64_t> CurrentDue(const LifecycleRule& r, int64_t mtime_ns, int64_t day_ns) {
  if (!r.enabled || !r.expiration) return std::nullopt;
  if (r.expiration->days) return ExpiryAfterDays(mtime_ns, *r.expiration->days, day_ns);
  if (r.expiration->date_ns) return *r.expiration->date_ns;
  return std::nullopt;
}

}  // namespace

Status Validate(const LifecycleConfiguration& config) {
  if (config.rules.empty())
    return Status::InvalidArgument("a lifecycle configuration needs a rule");
  if (config.rules.size() > kMaxLifecycleRules) {
    return Status::InvalidArgument("a lifecycle configuration has at most 1000 rules");
  }
  std::set<std::string> ids;
  for (const LifecycleRule& r : config.rules) {
    if (r.id.size() > kMaxRuleIdLength) {
      return Status::InvalidArgument("rule '" + r.id.substr(0, 32) +
                                     "...': the ID is longer than 255 characters");
    }
    if (!r.id.empty() && !ids.insert(r.id).second) {
      return RuleError(r, "the ID is used by more than one rule");
    }
    MAXIOFS_RETURN_IF_ERROR(ValidateFilter(r));
    const bool tag_filter = !r.filter.tags.empty();
    const bool size_filter = r.filter.size_greater_than || r.filter.size_less_than;
    if (!r.expiration && !r.noncurrent_expiration && !r.abort_incomplete_upload_days &&
        r.transitions.empty() && r.noncurrent_transitions.empty()) {
      return RuleError(r, "at least one action needs to be specified in a rule");
    }
    if (r.expiration) {
      const LifecycleExpiration& e = *r.expiration;
      const int given =
          (e.days ? 1 : 0) + (e.date_ns ? 1 : 0) + (e.expired_object_delete_marker ? 1 : 0);
      if (given != 1) {
        return RuleError(r,
                         "Expiration takes exactly one of Days, Date and "
                         "ExpiredObjectDeleteMarker");
      }
      if (e.days && *e.days == 0) {
        return RuleError(r, "'Days' for Expiration action must be a positive integer");
      }
      if (e.date_ns && (*e.date_ns < 0 || *e.date_ns % kRealDayNs != 0)) {
        return RuleError(r, "'Date' must be at midnight GMT");
      }
      if (e.expired_object_delete_marker && tag_filter) {
        return RuleError(r, "ExpiredObjectDeleteMarker cannot be used with a tag filter");
      }
    }
    if (r.noncurrent_expiration) {
      const NoncurrentVersionExpiration& n = *r.noncurrent_expiration;
      if (!n.noncurrent_days || *n.noncurrent_days == 0) {
        return RuleError(r,
                         "'NoncurrentDays' for NoncurrentVersionExpiration action must be a "
                         "positive integer");
      }
      if (n.newer_noncurrent_versions &&
          (*n.newer_noncurrent_versions == 0 ||
           *n.newer_noncurrent_versions > kMaxNewerNoncurrentVersions)) {
        return RuleError(r, "'NewerNoncurrentVersions' must be from 1 to 100");
      }
    }
    if (r.abort_incomplete_upload_days) {
      if (*r.abort_incomplete_upload_days == 0) {
        return RuleError(r, "'DaysAfterInitiation' must be a positive integer");
      }
      if (tag_filter || size_filter) {
        return RuleError(r,
                         "AbortIncompleteMultipartUpload cannot be used with a tag or object "
                         "size filter");
      }
    }
    for (const auto* list : {&r.transitions, &r.noncurrent_transitions}) {
      if (list->empty()) continue;
      const std::string& sc = list->front().storage_class;
      return RuleError(r, "this server has no storage class to transition objects to ('" +
                              (sc.empty() ? std::string("none given") : sc) + "')")
          .WithSubCode(Status::SubCode::kInvalidStorageClass);
    }
  }
  return Status::OK();
}

void AssignMissingIds(LifecycleConfiguration* config) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (LifecycleRule& r : config->rules) {
    if (!r.id.empty()) continue;
    unsigned char raw[20];
    size_t got = 0;
    while (got < sizeof raw) {
      ssize_t n = ::getrandom(raw + got, sizeof raw - got, 0);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    for (size_t i = 0; i < sizeof raw; ++i) r.id.push_back(kChars[raw[i] % (sizeof kChars - 1)]);
  }
}

int64_t ExpiryAfterDays(int64_t since_ns, uint32_t days, int64_t day_ns) {
  const int64_t span = static_cast<int64_t>(days) > std::numeric_limits<int64_t>::max() / day_ns
                           ? std::numeric_limits<int64_t>::max()
                           : static_cast<int64_t>(days) * day_ns;
  int64_t t = SaturatingAdd(since_ns, span);
  if (day_ns == kRealDayNs && t % kRealDayNs != 0 && t > 0) {
    t = SaturatingAdd(t - t % kRealDayNs, kRealDayNs);  // the next UTC midnight
  }
  return t;
}

bool Matches(const LifecycleFilter& f, std::string_view key, uint64_t size, const Tags* tags) {
  if (!HasPrefix(f, key)) return false;
  if (f.size_greater_than && !(size > *f.size_greater_than)) return false;
  if (f.size_less_than && !(size < *f.size_less_than)) return false;
  return HasTags(f, tags);
}

bool AnyRuleMayMatch(const LifecycleConfiguration& config, std::string_view key) {
  return std::any_of(config.rules.begin(), config.rules.end(),
                     [&](const LifecycleRule& r) { return r.enabled && HasPrefix(r.filter, key); });
}

std::optional<ObjectExpiration> CurrentExpiration(const LifecycleConfiguration& config,
                                                  std::string_view key, uint64_t size,
                                                  const Tags* tags, int64_t mtime_ns,
                                                  int64_t day_ns) {
  std::optional<ObjectExpiration> best;
  for (const LifecycleRule& r : config.rules) {
    std::optional<int64_t> due = CurrentDue(r, mtime_ns, day_ns);
    if (!due || !Matches(r.filter, key, size, tags)) continue;
    if (!best || *due < best->date_ns) best = ObjectExpiration{*due, r.id};
  }
  return best;
}

std::vector<Decision> EvaluateKey(const LifecycleConfiguration& config, std::string_view key,
                                  std::span<const VersionView> versions, const ChunkPlace& place,
                                  int64_t now_ns, int64_t day_ns) {
  std::vector<Decision> out;
  if (versions.empty() || !AnyRuleMayMatch(config, key)) return out;
  if (place.first && !versions[0].delete_marker) {
    const VersionView& cur = versions[0];
    for (const LifecycleRule& r : config.rules) {
      std::optional<int64_t> due = CurrentDue(r, cur.mtime_ns, day_ns);
      if (due && now_ns >= *due && Matches(r.filter, key, cur.size, cur.tags)) {
        out.push_back({Decision::Kind::kExpireCurrent, 0, r.id});
        return out;
      }
    }
  }
  size_t removed_noncurrent = 0;
  for (size_t i = place.first ? 1 : 0; i < versions.size(); ++i) {
    const VersionView& v = versions[i];
    // It became noncurrent when the next newer version was created.
    const int64_t since = i > 0 ? versions[i - 1].mtime_ns : place.successor_mtime_ns;
    // Noncurrent versions newer than this one.
    const uint64_t newer = place.first ? i - 1 : place.newer_count + i;
    const Tags* tags = v.delete_marker ? nullptr : v.tags;
    const uint64_t size = v.delete_marker ? 0 : v.size;
    for (const LifecycleRule& r : config.rules) {
      if (!r.enabled || !r.noncurrent_expiration) continue;
      const NoncurrentVersionExpiration& n = *r.noncurrent_expiration;
      if (n.noncurrent_days && now_ns < ExpiryAfterDays(since, *n.noncurrent_days, day_ns)) {
        continue;
      }
      if (n.newer_noncurrent_versions && newer < *n.newer_noncurrent_versions) continue;
      if (!Matches(r.filter, key, size, tags)) continue;
      out.push_back({Decision::Kind::kRemoveNoncurrent, i, r.id});
      ++removed_noncurrent;
      break;
    }
  }
  // An expired object delete marker: the only version left once these removals are done.
  if (place.first && place.last && versions[0].delete_marker &&
      removed_noncurrent + 1 == versions.size()) {
    const VersionView& m = versions[0];
    for (const LifecycleRule& r : config.rules) {
      if (!r.enabled || !r.expiration || !r.filter.tags.empty()) continue;
      if (!Matches(r.filter, key, 0, nullptr)) continue;
      const LifecycleExpiration& e = *r.expiration;
      // S3: a Days or Date expiration also removes expired delete markers old enough for it.
      const bool due = e.expired_object_delete_marker.value_or(false) ||
                       (e.days && now_ns >= ExpiryAfterDays(m.mtime_ns, *e.days, day_ns)) ||
                       (e.date_ns && now_ns >= *e.date_ns);
      if (due) {
        out.push_back({Decision::Kind::kRemoveDeleteMarker, 0, r.id});
        break;
      }
    }
  }
  return out;
}

std::optional<std::string> AbortUploadRule(const LifecycleConfiguration& config,
                                           std::string_view key, int64_t initiated_ns,
                                           int64_t now_ns, int64_t day_ns) {
  for (const LifecycleRule& r : config.rules) {
    if (!r.enabled || !r.abort_incomplete_upload_days || !HasPrefix(r.filter, key)) continue;
    if (now_ns >= ExpiryAfterDays(initiated_ns, *r.abort_incomplete_upload_days, day_ns)) {
      return r.id;
    }
  }
  return std::nullopt;
}

}  // namespace maxiofs::engine::lifecycle
