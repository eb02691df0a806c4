// Parsing and formatting of the timestamps that signed requests carry. Times are seconds since
// the Unix epoch, UTC.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3::auth {

// The largest difference allowed between a request's time and the server's clock.
inline constexpr int64_t kMaxClockSkewSeconds = 15 * 60;

// "20130524T000000Z" (ISO 8601 basic, as in x-amz-date / X-Amz-Date). Nullopt if malformed.
std::optional<int64_t> ParseAmzDate(std::string_view s);

// An HTTP date: RFC 1123 ("Tue, 27 Mar 2007 19:36:42 +0000" or "... GMT"), RFC 850
// ("Tuesday, 27-Mar-07 19:36:42 GMT") or asctime ("Tue Mar 27 19:36:42 2007"). The zone may be
// GMT, UTC, Z or a numeric offset. Nullopt if malformed.
std::optional<int64_t> ParseHttpDate(std::string_view s);

// ParseAmzDate, then ParseHttpDate.
std::optional<int64_t> ParseAnyDate(std::string_view s);

// Formats as "20130524T000000Z".
std::string FormatAmzDate(int64_t unix_seconds);

int64_t ToUnixSeconds(std::chrono::system_clock::time_point t);

// A non-negative decimal integer of 1 to 12 digits (no sign, no spaces); nullopt otherwise.
// Used for X-Amz-Expires (seconds) and SigV2's Expires (Unix seconds).
std::optional<int64_t> ParseDecimalSeconds(std::string_view s);

}  // namespace maxiofs::s3::auth
