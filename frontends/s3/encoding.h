// Byte encodings the S3 API uses: base64 (Content-MD5, checksums, continuation tokens), hex,
// percent-encoding (paths, query strings, encoding-type=url) and UTF-8 validation.
// Pure functions; thread-safe.
#pragma once

#include "maxiofs/common/base64.h"
#include "maxiofs/common/utf8.h"
#include "maxiofs/http/url.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::s3 {

// Base64 (maxiofs/common/base64.h): standard alphabet, '=' padding, strict canonical decoding.
using maxiofs::Base64Decode;
using maxiofs::Base64Encode;

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);

// Percent-encoding and -decoding (maxiofs/http/url.h).
using http::PercentDecode;
using http::PercentEncode;

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
using maxiofs::IsValidUtf8;

// A decoded query string: parameters in order of appearance. A parameter without '=' has an
// empty value and has_value = false.
struct QueryParam {
  std::string name;
  std::string value;
  bool has_value = false;
};
// Parses "a=1&b&c=%20" ('+' is a space). nullopt when a name or value is badly encoded.
std::optional<std::vector<QueryParam>> ParseQuery(std::string_view raw_query);

}  // namespace maxiofs::s3
