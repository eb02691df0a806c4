#include "record_codec.h"

#include <cstring>

namespace maxiofs::engine {
namespace {

constexpr uint8_t kRecordV1 = 1;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutStr(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

// Reads fields from a value; any overrun sets ok_ = false and yields zero values.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint8_t Byte() {
    if (in_.empty()) return Fail(), 0;
    uint8_t b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return b;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (in_.empty()) return Fail(), 0;
      uint8_t b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail(), 0;
  }
  std::string Str() {
    uint64_t n = Varint();
    if (!ok_ || n > in_.size()) return Fail(), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

 private:
  void Fail() {
    ok_ = false;
    in_ = {};
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeBucketRecord(const BucketRecord& r) {
  std::string out(1, static_cast<char>(kRecordV1));
  PutVarint(&out, static_cast<uint64_t>(r.created_ns));
  return out;
}

Result<BucketRecord> DecodeBucketRecord(std::string_view in) {
  Reader rd(in);
  if (rd.Byte() != kRecordV1) return Status::Corruption("bucket record: unknown format");
  BucketRecord r;
  r.created_ns = static_cast<int64_t>(rd.Varint());
  if (!rd.ok()) return Status::Corruption("bucket record: truncated");
  return r;
}

std::string EncodeObjectRecord(const ObjectRecord& r) {
  std::string out;
  out.reserve(96 + r.etag.size() + r.meta.content_type.size());
  out.push_back(static_cast<char>(kRecordV1));
  PutVarint(&out, r.size);
  PutStr(&out, r.etag);
  PutVarint(&out, static_cast<uint64_t>(r.last_modified_ns));
  PutStr(&out, r.version_id);
  out.push_back(static_cast<char>(r.storage));
  PutStr(&out, r.data_id);
  PutStr(&out, r.meta.content_type);
  PutStr(&out, r.meta.content_encoding);
  PutStr(&out, r.meta.content_disposition);
  PutStr(&out, r.meta.cache_control);
  PutStr(&out, r.meta.content_language);
  PutStr(&out, r.meta.expires);
  PutStr(&out, r.meta.storage_class);
  PutVarint(&out, r.meta.user.size());
  for (const auto& [k, v] : r.meta.user) {
    PutStr(&out, k);
    PutStr(&out, v);
  }
  out.push_back(static_cast<char>(r.checksum.algorithm));
  PutStr(&out, r.checksum.value);
  return out;
}

Result<ObjectRecord> DecodeObjectRecord(std::string_view in) {
  Reader rd(in);
  if (rd.Byte() != kRecordV1) return Status::Corruption("object record: unknown format");
  ObjectRecord r;
  r.size = rd.Varint();
  r.etag = rd.Str();
  r.last_modified_ns = static_cast<int64_t>(rd.Varint());
  r.version_id = rd.Str();
  uint8_t storage = rd.Byte();
  if (storage > 1) return Status::Corruption("object record: bad storage kind");
  r.storage = static_cast<StorageKind>(storage);
  r.data_id = rd.Str();
  r.meta.content_type = rd.Str();
  r.meta.content_encoding = rd.Str();
  r.meta.content_disposition = rd.Str();
  r.meta.cache_control = rd.Str();
  r.meta.content_language = rd.Str();
  r.meta.expires = rd.Str();
  r.meta.storage_class = rd.Str();
  uint64_t n = rd.Varint();
  if (n > in.size()) return Status::Corruption("object record: bad metadata count");
  r.meta.user.reserve(n);
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    std::string k = rd.Str();
    std::string v = rd.Str();
    r.meta.user.emplace_back(std::move(k), std::move(v));
  }
  uint8_t alg = rd.Byte();
  if (alg > static_cast<uint8_t>(ChecksumAlgorithm::kSHA256)) {
    return Status::Corruption("object record: bad checksum algorithm");
  }
  r.checksum.algorithm = static_cast<ChecksumAlgorithm>(alg);
  r.checksum.value = rd.Str();
  if (!rd.ok() || !rd.done())
    return Status::Corruption("object record: truncated or trailing bytes");
  return r;
}

std::string EncodeRefCount(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out;
}

Result<uint64_t> DecodeRefCount(std::string_view in) {
  if (in.size() != 8) return Status::Corruption("ref count: bad length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(in[i]);
  return n;
}

ObjectInfo ToObjectInfo(std::string_view bucket, std::string_view key, const ObjectRecord& r) {
  ObjectInfo info;
  info.bucket = std::string(bucket);
  info.key = std::string(key);
  info.version_id = r.version_id;
  info.size = r.size;
  info.etag = r.etag;
  info.last_modified_ns = r.last_modified_ns;
  info.meta = r.meta;
  info.checksum = r.checksum;
  return info;
}

}  // namespace maxiofs::engine
