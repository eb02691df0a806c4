// User metadata values (x-amz-meta-*) between HTTP header bytes and the engine's stored text.
//
// The engine stores every user metadata value as UTF-8, the form the FUSE mount (xattrs) and the
// console show. HTTP header values are bytes with no declared charset, so AWS documents
// (UsingMetadata, "User-defined object metadata") that non-US-ASCII values are RFC 2047-decoded
// before storing and RFC 2047-encoded ("mail-safe") when returned; values that are plain ASCII
// pass through unchanged both ways. Pure functions; safe for concurrent use.
#pragma once

#include <string>
#include <string_view>

namespace maxiofs::s3 {

// The stored (UTF-8) form of a header value a client sent. RFC 2047 encoded-words
// (`=?charset?B|Q?text?=`, charset UTF-8, US-ASCII or ISO-8859-1) are decoded, and the
// whitespace between two adjacent encoded-words is dropped (RFC 2047 section 6.2). Raw non-ASCII
// bytes are kept when they are valid UTF-8 (what botocore and most SDKs send) and otherwise read
// as ISO-8859-1, HTTP's historical header charset, so the result is always valid UTF-8.
// An encoded-word that does not decode (unknown charset, bad base64, invalid UTF-8) is kept as
// written.
std::string DecodeUserMetaValue(std::string_view header_value);

// The header form of a stored value: unchanged when it is printable US-ASCII (tab, 0x20-0x7E);
// otherwise one RFC 2047 encoded-word `=?UTF-8?B?<base64 of the bytes>?=`, which any HTTP
// stack can carry and clients decode with their MIME helpers (Python's email.header).
std::string EncodeUserMetaValue(std::string_view stored_value);

}  // namespace maxiofs::s3
