// Presigned S3 URLs (AWS Signature Version 4, query-string authentication) for the console's
// share links: anyone holding the URL can GET the object until it expires, from the S3 API.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::console {

struct PresignRequest {
  std::string base_url;  // "http://host:port" of the S3 API, no trailing slash
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  std::string access_key;
  std::string secret_key;
  std::string region;
  int64_t now_s = 0;          // signing time, Unix seconds
  uint32_t expires_s = 3600;  // 1..604800 (7 days), as S3 allows
};

// The presigned GET URL (path style: /bucket/key). The host signed is the one in base_url.
std::string PresignGetUrl(const PresignRequest& req);
// The same for an already URI-encoded path (bucket and key are ignored); for tests against
// AWS's published virtual-host examples.
std::string PresignGetUrlForPath(const PresignRequest& req, std::string_view path);

}  // namespace maxiofs::console
