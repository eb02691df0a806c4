// S3's naming rules for buckets and object keys.
#include "maxiofs/common/utf8.h"
#include "maxiofs/engine/engine.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// The number of Unicode characters of `s`, or nullopt when it is not valid UTF-8.
std::optional<size_t> CodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return std::nullopt;
    i += len;
  }
  return n;
}

bool IStartsWithAws(std::string_view key) {
  return key.size() >= 4 && (key[0] == 'a' || key[0] == 'A') && (key[1] == 'w' || key[1] == 'W') &&
         (key[2] == 's' || key[2] == 'S') && key[3] == ':';
}

Status ValidateTags(const TagSet& tags, size_t max, std::string_view what) {
  if (tags.size() > max) {
    return Status::Error(Status::Code::kInvalidTag,
                         std::string(what) + " tags cannot be greater than " + std::to_string(max));
  }
  for (size_t i = 0; i < tags.size(); ++i) {
    const Tag& t = tags[i];
    const std::optional<size_t> key_len = CodePoints(t.key);
    const std::optional<size_t> value_len = CodePoints(t.value);
    if (!key_len || *key_len == 0) {
      return Status::Error(Status::Code::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (*key_len > 128) {
      return Status::Error(Status::Code::kInvalidTag,
                           "The TagKey you have provided is too long, max 128");
    }
    if (!value_len) {
      return Status::Error(Status::Code::kInvalidTag, "The TagValue you have provided is invalid");
    }
    if (*value_len > 256) {
      return Status::Error(Status::Code::kInvalidTag,
                           "The TagValue you have provided is too long, max 256");
    }
    if (IStartsWithAws(t.key)) {
      return Status::Error(Status::Code::kInvalidTag, "Your TagKey cannot be prefixed with aws:");
    }
    for (size_t j = 0; j < i; ++j) {
      if (tags[j].key == t.key) {
        return Status::Error(Status::Code::kInvalidTag,
                             "Cannot provide multiple Tags with the same key");
      }
    }
  }
  return Status::OK();
}

}  // namespace

Status ValidateObjectTags(const TagSet& tags) {
  return ValidateTags(tags, kMaxObjectTags, "Object");
}

Status ValidateBucketTags(const TagSet& tags) {
  return ValidateTags(tags, kMaxBucketTags, "Bucket");
}

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
