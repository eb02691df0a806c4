// x-amz-copy-source of CopyObject and UploadPartCopy.
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"

namespace maxiofs::s3 {

S3Result<CopySource> ParseCopySource(std::string_view raw) {
  raw = TrimOws(raw);
  CopySource out;
  size_t q = raw.find('?');
  if (q != std::string_view::npos) {
    auto params = ParseQuery(raw.substr(q + 1));
    if (!params) return S3Error{S3ErrorCode::kInvalidArgument, "Invalid copy source."};
    for (const auto& p : *params) {
      if (p.name != "versionId") continue;
      if (p.value.empty()) {
        return S3Error{S3ErrorCode::kInvalidArgument, "Version id cannot be the empty string"};
      }
      out.version_id = p.value;
    }
    raw = raw.substr(0, q);
  }
  auto decoded = PercentDecode(raw, false);
  if (!decoded) return S3Error{S3ErrorCode::kInvalidArgument, "Invalid copy source encoding."};
  std::string_view s = *decoded;
  if (!s.empty() && s.front() == '/') s.remove_prefix(1);
  size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "Copy Source must mention the source bucket and key: sourcebucket/sourcekey"};
  }
  out.bucket = std::string(s.substr(0, slash));
  out.key = std::string(s.substr(slash + 1));
  return out;
}

}  // namespace maxiofs::s3
