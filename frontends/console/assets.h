// The single-page app's files, embedded in the binary at build time (embed_assets.sh writes
// an assembler .incbin file and this table) and served from memory: gzip-compressed bytes
// with a strong ETag, long-lived caching for content-hashed files under /assets/, and
// index.html for any other path (client-side routes). No file system access at run time, so
// no request path can reach a file outside the bundle.
//
// Thread-safety: immutable data; pure functions.
#pragma once

#include "maxiofs/http/types.h"

#include <optional>
#include <span>
#include <string_view>

namespace maxiofs::console {

struct Asset {
  std::string_view path;          // "/index.html", "/assets/index-3f9a.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted strong ETag of the uncompressed content
  std::string_view gzip;          // the content, gzip-compressed
  uint64_t size = 0;              // uncompressed size
};

// Every embedded file (generated at build time).
std::span<const Asset> EmbeddedAssets();

// The asset for a decoded request path: exact match, or index.html for an extension-less
// path outside /assets/ and /api/ (a client-side route). nullopt: 404.
const Asset* FindAsset(std::span<const Asset> assets, std::string_view path);

// The response for GET/HEAD of `asset`: gzip when the client accepts it (inflated otherwise),
// 304 for a matching If-None-Match, cache headers by kind of file.
http::Response AssetResponse(const Asset& asset, const http::HttpRequest& request, bool head);

}  // namespace maxiofs::console
