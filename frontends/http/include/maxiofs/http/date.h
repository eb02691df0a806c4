// HTTP dates. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace maxiofs::http {

// RFC 7231 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT", for nanoseconds since the epoch
// (UTC). Sub-seconds are dropped (rounded toward the past).
std::string FormatHttpDate(int64_t ns);

}  // namespace maxiofs::http
