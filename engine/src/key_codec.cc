#include "key_codec.h"

namespace maxiofs::engine {

std::string BucketKey(std::string_view bucket) {
  std::string k(1, kBucketTag);
  k.append(bucket);
  return k;
}

std::string BucketKeyPrefix() { return std::string(1, kBucketTag); }

std::string ObjectKeyPrefix(std::string_view bucket) {
  std::string k(1, kObjectTag);
  k.append(bucket);
  k.push_back('\0');
  return k;
}

std::string ObjectKey(std::string_view bucket, std::string_view key) {
  std::string k = ObjectKeyPrefix(bucket);
  k.append(key);
  return k;
}

std::string InlineKey(std::string_view data_id) {
  std::string k(1, kInlineTag);
  k.append(data_id);
  return k;
}

std::string RefKey(std::string_view blob_id) {
  std::string k(1, kRefTag);
  k.append(blob_id);
  return k;
}

}  // namespace maxiofs::engine
