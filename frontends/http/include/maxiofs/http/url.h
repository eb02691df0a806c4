// Percent-encoding of URL paths and query strings (RFC 3986). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::http {

// Percent-decoding. `plus_is_space`: '+' decodes to ' ' (query strings), else stays '+'
// (paths). nullopt for a '%' not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Percent-encodes everything but RFC 3986 unreserved characters and, when keep_slash, '/'.
// Upper-case hex digits (as SigV4 requires).
std::string PercentEncode(std::string_view text, bool keep_slash);

}  // namespace maxiofs::http
