// Parsing and formatting of the HTTP header values the S3 API uses: numbers, byte ranges,
// dates (RFC 1123 and ISO 8601), ETag lists, and the object metadata carried in headers.
// Numbers are parsed with std::from_chars and overflow checks; malformed input yields nullopt
// or an S3Error, never an exception. Pure functions; thread-safe.
#pragma once

#include "http_types.h"
#include "s3_error.h"

#include "maxiofs/engine/types.h"
#include "maxiofs/http/date.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3 {

// A decimal unsigned integer: digits only (no sign, no spaces), fits in uint64_t.
std::optional<uint64_t> ParseUint64(std::string_view text);

// Removes leading and trailing spaces and tabs.
std::string_view TrimOws(std::string_view text);

// A Range header: "bytes=a-b", "bytes=a-" or "bytes=-n". nullopt when the header must be
// ignored, as S3 does: syntactically invalid, a number that overflows, last < first, or more
// than one range. (Unsatisfiable ranges are resolved by the engine: 416 InvalidRange.)
std::optional<engine::RangeSpec> ParseRange(std::string_view value);

// An HTTP date in RFC 1123 ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 or asctime format, or an
// ISO 8601 UTC timestamp ("20130524T000000Z", "2013-05-24T00:00:00Z", "...00.123Z").
// Returns nanoseconds since the epoch (UTC); nullopt when malformed or out of range.
std::optional<int64_t> ParseHttpDate(std::string_view value);

// RFC 1123, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (Last-Modified). Sub-seconds are dropped.
using http::FormatHttpDate;
// ISO 8601 with milliseconds, e.g. "2006-02-03T16:45:09.000Z" (XML LastModified).
std::string FormatIso8601(int64_t ns);

// An If-Match / If-None-Match value: a comma-separated list of entity tags, quoted or not,
// weak prefix "W/" dropped; "*" kept as "*". Empty entries are skipped.
std::vector<std::string> ParseETagList(std::string_view value);

// Quotes an unquoted ETag: abc -> "abc".
std::string QuoteETag(std::string_view etag);

// Largest total size of user metadata (names without the prefix plus values), as S3: 2 KiB.
inline constexpr size_t kMaxUserMetadataBytes = 2048;

// The standard headers and x-amz-meta-* user metadata of a PUT or a REPLACE copy.
// Errors: MetadataTooLarge, InvalidStorageClass, InvalidArgument (duplicate user metadata
// name with conflicting case is merged as S3 does: values joined by ",").
S3Result<engine::ObjectMeta> ExtractObjectMeta(const HttpRequest& request);

// Preconditions from If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since (with
// `prefix` "x-amz-copy-source-" for a copy's source). An unparsable date is ignored (HTTP).
engine::Preconditions ExtractPreconditions(const HttpRequest& request, std::string_view prefix);

}  // namespace maxiofs::s3
