#include "key_codec.h"

#include <sys/random.h>

#include <cerrno>

namespace maxiofs::engine {
namespace {

std::string Tagged(char tag, std::string_view a) {
  std::string k(1, tag);
  k.append(a);
  return k;
}

void RandomBytes(char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::getrandom(out + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;  // only on kernels without getrandom; the time part still makes ids unique-ish
    }
    got += static_cast<size_t>(r);
  }
}

void PutBE64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

constexpr char kHex[] = "0123456789abcdef";

std::string Hex(std::string_view b) {
  std::string out(b.size() * 2, '0');
  for (size_t i = 0; i < b.size(); ++i) {
    auto c = static_cast<uint8_t>(b[i]);
    out[2 * i] = kHex[c >> 4];
    out[2 * i + 1] = kHex[c & 15];
  }
  return out;
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string BucketKey(std::string_view bucket) { return Tagged(kBucketTag, bucket); }
std::string BucketKeyPrefix() { return std::string(1, kBucketTag); }

std::string ObjectKeyPrefix(std::string_view bucket) {
  std::string k = Tagged(kObjectTag, bucket);
  k.push_back('\0');
  return k;
}

std::string ObjectKey(std::string_view bucket, std::string_view key) {
  std::string k = ObjectKeyPrefix(bucket);
  k.append(key);
  return k;
}

std::string VersionBucketPrefix(std::string_view bucket) {
  std::string k = Tagged(kVersionTag, bucket);
  k.push_back('\0');
  return k;
}

std::string VersionKeyPrefix(std::string_view bucket, std::string_view key) {
  std::string k = VersionBucketPrefix(bucket);
  k.append(key);
  k.push_back('\0');
  return k;
}

std::string VersionKey(std::string_view bucket, std::string_view key, std::string_view vkey) {
  std::string k = VersionKeyPrefix(bucket, key);
  k.append(vkey);
  return k;
}

std::string NullKey(std::string_view bucket, std::string_view key) {
  std::string k = Tagged(kNullTag, bucket);
  k.push_back('\0');
  k.append(key);
  return k;
}

std::string UploadBucketPrefix(std::string_view bucket) {
  std::string k = Tagged(kUploadTag, bucket);
  k.push_back('\0');
  return k;
}

std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  std::string k = UploadBucketPrefix(bucket);
  k.append(key);
  k.push_back('\0');
  k.append(upload_id);
  return k;
}

std::string PartKeyPrefix(std::string_view upload_id) { return Tagged(kPartTag, upload_id); }

std::string CompletedUploadBucketPrefix(std::string_view bucket) {
  std::string k = Tagged(kCompletedUploadTag, bucket);
  k.push_back('\0');
  return k;
}

std::string CompletedUploadKeyPrefix(std::string_view bucket, std::string_view key) {
  std::string k = CompletedUploadBucketPrefix(bucket);
  k.append(key);
  k.push_back('\0');
  return k;
}

std::string CompletedUploadKey(std::string_view bucket, std::string_view key,
                               std::string_view upload_id) {
  return CompletedUploadKeyPrefix(bucket, key).append(upload_id);
}

std::string PartKey(std::string_view upload_id, uint32_t part_number) {
  std::string k = PartKeyPrefix(upload_id);
  for (int i = 3; i >= 0; --i) k.push_back(static_cast<char>((part_number >> (8 * i)) & 0xff));
  return k;
}

std::string InlineKey(std::string_view data_id) { return Tagged(kInlineTag, data_id); }
std::string RefKey(std::string_view blob_id) { return Tagged(kRefTag, blob_id); }
std::string IntentKey(std::string_view blob_id) { return Tagged(kIntentTag, blob_id); }
std::string IntentKeyPrefix() { return std::string(1, kIntentTag); }

std::string UsageKeyPrefix(std::string_view bucket) {
  std::string k = Tagged(kUsageTag, bucket);
  k.push_back('\0');
  return k;
}

std::string UsageKey(std::string_view bucket, uint8_t shard) {
  std::string k = UsageKeyPrefix(bucket);
  k.push_back(static_cast<char>(shard));
  return k;
}

std::string QuotaKey(std::string_view bucket) { return Tagged(kQuotaTag, bucket); }
std::string LifecycleKey(std::string_view bucket) { return Tagged(kLifecycleTag, bucket); }
std::string LifecycleCursorKey(std::string_view bucket) {
  return Tagged(kLifecycleCursorTag, bucket);
}

std::string BucketMetaKey(std::string_view bucket) { return Tagged(kBucketMetaTag, bucket); }

std::string LinkOfKey(std::string_view bucket, std::string_view key) {
  std::string k = Tagged(kLinkOfKeyTag, bucket);
  k.push_back('\0');
  k.append(key);
  return k;
}

std::string LinkMemberPrefix(std::string_view bucket, std::string_view link_id) {
  std::string k = Tagged(kLinkMemberTag, bucket);
  k.push_back('\0');
  k.append(link_id);
  k.push_back('\0');
  return k;
}

std::string LinkMemberKey(std::string_view bucket, std::string_view link_id, std::string_view key) {
  std::string k = LinkMemberPrefix(bucket, link_id);
  k.append(key);
  return k;
}

std::string AccessKey(char kind, std::string_view bucket) {
  std::string k = AccessKeyPrefix(kind);
  k.append(bucket);
  return k;
}

std::string AccessKeyPrefix(char kind) { return std::string{kAccessTag, kind}; }

std::string EventKeyPrefix(std::string_view target) {
  std::string k(1, kEventTag);
  k.append(target);
  k.push_back('\0');
  return k;
}

std::string EventKey(std::string_view target, uint64_t seq) {
  std::string k = EventKeyPrefix(target);
  for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<char>(seq >> shift));
  return k;
}

std::string MakeVkey(int64_t ns) {
  std::string v;
  v.reserve(kVkeySize);
  PutBE64(&v, ~static_cast<uint64_t>(ns));
  char rnd[8];
  RandomBytes(rnd, sizeof(rnd));
  v.append(rnd, sizeof(rnd));
  return v;
}

int64_t VkeyTime(std::string_view vkey) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < vkey.size(); ++i) v = (v << 8) | static_cast<uint8_t>(vkey[i]);
  return static_cast<int64_t>(~v);
}

std::string VkeyToVersionId(std::string_view vkey) { return Hex(vkey); }

std::optional<std::string> VersionIdToVkey(std::string_view id) {
  if (id.size() != 2 * kVkeySize) return std::nullopt;
  std::string out(kVkeySize, '\0');
  for (size_t i = 0; i < kVkeySize; ++i) {
    int hi = HexVal(id[2 * i]), lo = HexVal(id[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string MakeUploadId(int64_t ns) {
  std::string raw;
  PutBE64(&raw, static_cast<uint64_t>(ns));
  char rnd[8];
  RandomBytes(rnd, sizeof(rnd));
  raw.append(rnd, sizeof(rnd));
  return Hex(raw);
}

bool IsValidUploadId(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (HexVal(c) < 0) return false;
  }
  return true;
}

bool SplitVersionTail(std::string_view tail, std::string_view* key, std::string_view* vkey) {
  if (tail.size() < kVkeySize + 2) return false;
  size_t sep = tail.size() - kVkeySize - 1;
  if (tail[sep] != '\0') return false;
  *key = tail.substr(0, sep);
  *vkey = tail.substr(sep + 1);
  return true;
}

bool SplitUploadTail(std::string_view tail, std::string_view* key, std::string_view* upload_id) {
  if (tail.size() < 34) return false;
  size_t sep = tail.size() - 33;
  if (tail[sep] != '\0') return false;
  *key = tail.substr(0, sep);
  *upload_id = tail.substr(sep + 1);
  return true;
}

}  // namespace maxiofs::engine
