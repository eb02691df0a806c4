// Percent-encoding of URL paths and query strings (RFC 3986), for the front ends that see
// http:: names. Pure functions; thread-safe.
#pragma once

#include "maxiofs/common/percent.h"

namespace maxiofs::http {

// PercentDecode(text, plus_is_space): nullopt for a '%' not followed by two hex digits.
// PercentEncode(text, keep_slash): everything but RFC 3986 unreserved characters (and '/' when
// keep_slash) as %XX, upper-case hex. Both from maxiofs/common/percent.h.
using ::maxiofs::PercentDecode;
using ::maxiofs::PercentEncode;

}  // namespace maxiofs::http
