#include "preconditions.h"

#include "record_codec.h"

#include <algorithm>
#include <string>

namespace maxiofs::engine {
namespace {

bool AnyMatches(const std::vector<std::string>& tags, const std::string& etag) {
  return std::any_of(tags.begin(), tags.end(),
                     [&](const std::string& t) { return t == "*" || t == etag; });
}

// HTTP dates have second resolution: compare whole seconds.
int64_t Seconds(int64_t ns) { return ns / 1000000000; }

}  // namespace

Status CheckReadPreconditions(const Preconditions& p, const std::string& etag, int64_t mtime_ns) {
  if (!p.if_match.empty()) {
    if (!AnyMatches(p.if_match, etag)) return Status::PreconditionFailed("If-Match failed");
  } else if (p.if_unmodified_since_ns && Seconds(mtime_ns) > Seconds(*p.if_unmodified_since_ns)) {
    return Status::PreconditionFailed("If-Unmodified-Since failed");
  }
  if (!p.if_none_match.empty()) {
    if (AnyMatches(p.if_none_match, etag)) return Status::NotModified("If-None-Match matched");
  } else if (p.if_modified_since_ns && Seconds(mtime_ns) <= Seconds(*p.if_modified_since_ns)) {
    return Status::NotModified("not modified since");
  }
  return Status::OK();
}

Status CheckCopySourcePreconditions(const Preconditions& p, const std::string& etag,
                                    int64_t mtime_ns) {
  Status s = CheckReadPreconditions(p, etag, mtime_ns);
  if (s.code() == Status::Code::kNotModified) {
    return Status::PreconditionFailed("copy source precondition failed");
  }
  return s;
}

Status CheckWritePreconditions(const Preconditions& p,
                               const std::optional<std::string>& current_etag) {
  if (!p.if_none_match.empty() && current_etag && AnyMatches(p.if_none_match, *current_etag)) {
    return Status::PreconditionFailed("If-None-Match: the object exists");
  }
  if (!p.if_match.empty()) {
    if (!current_etag) return Status::NoSuchKey("If-Match: the object does not exist");
    if (!AnyMatches(p.if_match, *current_etag)) {
      return Status::PreconditionFailed("If-Match: the ETag differs");
    }
  }
  return Status::OK();
}

Status CheckDeleteConditions(const DeleteObjectRequest& req, const ObjectRecord* target) {
  if (target == nullptr) return Status::OK();
  const std::vector<std::string>& m = req.preconditions.if_match;
  if (!m.empty()) {
    const bool ok = target->delete_marker ? std::find(m.begin(), m.end(), "*") != m.end()
                                          : AnyMatches(m, target->etag);
    if (!ok) return Status::PreconditionFailed("If-Match: the ETag differs");
  }
  if (req.if_match_last_modified_s &&
      target->last_modified_ns / 1'000'000'000 != *req.if_match_last_modified_s) {
    return Status::PreconditionFailed("x-amz-if-match-last-modified-time: the time differs");
  }
  if (req.if_match_size && (target->delete_marker || target->size != *req.if_match_size)) {
    return Status::PreconditionFailed("x-amz-if-match-size: the size differs");
  }
  return Status::OK();
}

Status ResolveRange(const RangeSpec& spec, uint64_t size, ResolvedRange* out) {
  switch (spec.kind) {
    case RangeSpec::Kind::kFromTo:
      if (spec.last < spec.first) return Status::InvalidRange("range end before start");
      [[fallthrough]];
    case RangeSpec::Kind::kFrom: {
      if (spec.first >= size) return Status::InvalidRange("range start is past the end");
      uint64_t last = size - 1;
      if (spec.kind == RangeSpec::Kind::kFromTo) last = std::min(last, spec.last);
      *out = {spec.first, last - spec.first + 1};
      return Status::OK();
    }
    case RangeSpec::Kind::kSuffix: {
      if (spec.suffix == 0 || size == 0) return Status::InvalidRange("unsatisfiable suffix range");
      uint64_t n = std::min(spec.suffix, size);
      *out = {size - n, n};
      return Status::OK();
    }
  }
  return Status::InvalidRange("unknown range kind");
}

}  // namespace maxiofs::engine
