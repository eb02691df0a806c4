// HTTP/S3 conditional-request rules and range resolution, decided once for every front end.
#pragma once

#include "maxiofs/common/status.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <optional>

namespace maxiofs::engine {

// For reads (GET/HEAD), as S3 evaluates them: If-Match false -> PreconditionFailed; else
// If-Unmodified-Since false (only when If-Match is absent) -> PreconditionFailed; If-None-Match
// matching -> NotModified; else If-Modified-Since not modified (only when If-None-Match is
// absent) -> NotModified. `current` is the existing object.
Status CheckReadPreconditions(const Preconditions& p, const std::string& etag, int64_t mtime_ns);

// For copy sources (x-amz-copy-source-if-*): like reads but every failure is
// PreconditionFailed (S3 never answers 304 to a copy).
Status CheckCopySourcePreconditions(const Preconditions& p, const std::string& etag,
                                    int64_t mtime_ns);

// For writes and deletes: If-None-Match "*" fails when the object exists; If-Match fails with
// NoSuchKey when it does not exist and PreconditionFailed when no listed ETag matches.
// `current_etag` is nullopt when there is no current object.
Status CheckWritePreconditions(const Preconditions& p,
                               const std::optional<std::string>& current_etag);

// For deletes: the conditions of `req` against `target`, the version it would remove (nullptr
// when there is none: nothing to check). See DeleteObjectRequest.
struct ObjectRecord;
Status CheckDeleteConditions(const DeleteObjectRequest& req, const ObjectRecord* target);

// Resolves a requested range against `size`: [offset, offset + length). InvalidRange when it
// cannot be satisfied (first byte past the end, empty suffix, or any range of an empty object).
struct ResolvedRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};
Status ResolveRange(const RangeSpec& spec, uint64_t size, ResolvedRange* out);

}  // namespace maxiofs::engine
