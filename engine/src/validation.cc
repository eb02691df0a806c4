// S3's naming rules for buckets and object keys.
#include "maxiofs/common/utf8.h"
#include "maxiofs/engine/engine.h"

#include <cstdint>
#include <string>

namespace maxiofs::engine {
namespace {

bool IsIpv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('.', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view p = s.substr(i, j - i);
    if (p.empty() || p.size() > 3) return false;
    for (char c : p) {
      if (c < '0' || c > '9') return false;
    }
    ++parts;
    i = j + 1;
    if (j == s.size()) break;
  }
  return parts == 4;
}

}  // namespace

Status ValidateBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) {
    return Status::InvalidBucketName("bucket name must be 3 to 63 characters long");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) {
      return Status::InvalidBucketName(
          "bucket name may contain only lower-case letters, digits, dots and hyphens");
    }
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) {
    return Status::InvalidBucketName("bucket name must start and end with a letter or digit");
  }
  if (name.find("..") != std::string_view::npos || name.find(".-") != std::string_view::npos ||
      name.find("-.") != std::string_view::npos) {
    return Status::InvalidBucketName("bucket name must not contain '..', '.-' or '-.'");
  }
  if (IsIpv4(name)) return Status::InvalidBucketName("bucket name must not be an IP address");
  if (name.starts_with("xn--") || name.starts_with("sthree-") || name.ends_with("-s3alias") ||
      name.ends_with("--ol-s3")) {
    return Status::InvalidBucketName("bucket name uses a reserved prefix or suffix");
  }
  return Status::OK();
}

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return Status::InvalidKey("object key must not be empty");
  if (key.size() > 1024) {
    return Status::InvalidKey("object key is longer than 1024 bytes")
        .WithSubCode(Status::SubCode::kKeyTooLong);
  }
  for (size_t i = 0; i < key.size();) {
    if (key[i] == '\0') return Status::InvalidKey("object key must not contain NUL");
    const size_t len = Utf8SequenceLength(key, i);
    if (len == 0) return Status::InvalidKey("object key is not valid UTF-8");
    i += len;
  }
  return Status::OK();
}

}  // namespace maxiofs::engine
