// URI encoding as AWS signatures define it (SigV4 "UriEncode"), percent-decoding, and query
// string parsing/canonicalization.
//
// Thread-safety: pure functions, safe for concurrent use.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::aws {

// One decoded query parameter. `has_value` is false for a bare name ("?acl").
struct QueryParam {
  std::string name;
  std::string value;
  bool has_value = false;
};

// AWS UriEncode: every byte except the unreserved set A-Z a-z 0-9 '-' '.' '_' '~' becomes
// %XX with upper-case hex. '/' is kept as is when `encode_slash` is false.
std::string UriEncode(std::string_view bytes, bool encode_slash);

// Decodes %XX escapes (either case). A '%' not followed by two hex digits is kept literally.
// When `plus_is_space` is true (query strings), '+' decodes to ' '.
std::string PercentDecode(std::string_view in, bool plus_is_space);

// The SigV4 canonical URI of a raw (percent-encoded) request path, as S3 computes it: no
// dot-segment or slash normalization; each byte is decoded and re-encoded with UriEncode so
// that equivalent encodings ("~" and "%7E", "%c3" and "%C3") give the same result.
//  - keep_encoded_slash = true: an encoded slash ("%2F") stays "%2F" (what a client that
//    signed the path it sent computed);
//  - keep_encoded_slash = false: "%2F" becomes "/" (fully decode, then encode keeping '/').
// An empty path gives "/".
std::string CanonicalUri(std::string_view raw_path, bool keep_encoded_slash);

// Splits a raw query string on '&' and decodes each name and value ('+' is a space).
// Empty segments ("a=1&&b=2") are skipped.
std::vector<QueryParam> ParseQuery(std::string_view raw_query);

// The SigV4 canonical query string: names and values UriEncode'd (slash encoded), sorted by
// encoded name then encoded value, joined as "name=value" with '&' ("name=" for a bare name).
// Parameters named `exclude` (exact match, e.g. "X-Amz-Signature") are left out when non-empty.
std::string CanonicalQuery(const std::vector<QueryParam>& params, std::string_view exclude = {});

}  // namespace maxiofs::aws
