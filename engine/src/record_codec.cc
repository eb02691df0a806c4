#include "record_codec.h"

#include "codec_primitives.h"
#include "key_codec.h"

namespace maxiofs::engine {
namespace {

constexpr uint8_t kRecordV2 = 2;
constexpr uint8_t kRecordV3 = 3;
constexpr uint8_t kRecordV4 = 4;
constexpr uint8_t kRecordV5 = 5;
// Section ids of format 5.
constexpr uint8_t kSectionAcl = 1;
constexpr uint8_t kSectionTags = 2;
constexpr uint8_t kSectionPartChecksums = 3;
constexpr uint8_t kSectionChecksumType = 4;

using codec::PutByte;
using codec::PutStr;
using codec::PutVarint;
using codec::Reader;

void PutMeta(std::string* out, const ObjectMeta& m) {
  PutStr(out, m.content_type);
  PutStr(out, m.content_encoding);
  PutStr(out, m.content_disposition);
  PutStr(out, m.cache_control);
  PutStr(out, m.content_language);
  PutStr(out, m.expires);
  PutStr(out, m.storage_class);
  PutVarint(out, m.user.size());
  for (const auto& [k, v] : m.user) {
    PutStr(out, k);
    PutStr(out, v);
  }
}

void GetMeta(Reader& rd, ObjectMeta* m) {
  m->content_type = rd.Str();
  m->content_encoding = rd.Str();
  m->content_disposition = rd.Str();
  m->cache_control = rd.Str();
  m->content_language = rd.Str();
  m->expires = rd.Str();
  m->storage_class = rd.Str();
  uint64_t n = rd.Count();
  m->user.reserve(n);
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    std::string k = rd.Str();
    std::string v = rd.Str();
    m->user.emplace_back(std::move(k), std::move(v));
  }
}

// The compression byte of a seal: how its index entries are written.
constexpr uint8_t kNotCompressed = 0;
constexpr uint8_t kZstdOnlyIndex = 1;  // entries: length * 2 + (1 when zstd)
constexpr uint8_t kCodecIndex = 2;     // entries: length * 4 + codec (seal.h IndexEntry)

// True when every chunk is stored plain or zstd: the index then has the zstd-only form, so such
// records stay byte-identical to those written before other codecs existed.
bool ZstdOnly(const SealInfo& s) {
  for (uint64_t e : s.index) {
    const ChunkCodec c = IndexCodec(e);
    if (c != ChunkCodec::kNone && c != ChunkCodec::kZstd) return false;
  }
  return true;
}

void PutSeal(std::string* out, const SealInfo& s) {
  const uint8_t form = !s.compressed ? kNotCompressed : ZstdOnly(s) ? kZstdOnlyIndex : kCodecIndex;
  PutByte(out, static_cast<uint8_t>(s.mode));
  PutByte(out, form);
  PutVarint(out, s.chunk_size);
  PutStr(out, s.seal_id);
  PutStr(out, s.key_id);
  PutStr(out, s.wrapped_key);
  PutStr(out, s.key_hmac);
  PutStr(out, s.kms_context);
  PutVarint(out, s.stored_size);
  PutVarint(out, s.index.size());
  for (uint64_t e : s.index) {
    if (form == kZstdOnlyIndex) {
      PutVarint(out, IndexLength(e) * 2 + (IndexCodec(e) == ChunkCodec::kZstd ? 1 : 0));
    } else {
      PutVarint(out, e);
    }
  }
}

void GetSeal(Reader& rd, SealInfo* s) {
  uint8_t mode = rd.Byte();
  if (mode > static_cast<uint8_t>(Sse::kKms)) rd.Fail();
  s->mode = static_cast<Sse>(mode);
  const uint8_t form = rd.Byte();
  if (form > kCodecIndex) rd.Fail();
  s->compressed = form != kNotCompressed;
  s->chunk_size = static_cast<uint32_t>(rd.Varint());
  s->seal_id = rd.Str();
  s->key_id = rd.Str();
  s->wrapped_key = rd.Str();
  s->key_hmac = rd.Str();
  s->kms_context = rd.Str();
  s->stored_size = rd.Varint();
  uint64_t n = rd.Count();
  s->index.reserve(n);
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    const uint64_t e = rd.Varint();
    if (form == kZstdOnlyIndex) {
      if (e / 2 > UINT64_MAX / 4) rd.Fail();
      s->index.push_back(IndexEntry(e / 2, (e & 1) ? ChunkCodec::kZstd : ChunkCodec::kNone));
    } else {
      s->index.push_back(e);
    }
  }
}

void PutAcl(std::string* out, const Acl& acl) {
  PutStr(out, acl.owner_id);
  PutVarint(out, acl.grants.size());
  for (const AclGrant& g : acl.grants) {
    PutByte(out, static_cast<uint8_t>(g.type));
    PutStr(out, g.grantee);
    PutByte(out, static_cast<uint8_t>(g.permission));
  }
}

void GetAcl(Reader& rd, Acl* acl) {
  acl->owner_id = rd.Str();
  uint64_t n = rd.Count();
  acl->grants.clear();
  acl->grants.reserve(n);
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    AclGrant g;
    uint8_t type = rd.Byte();
    if (type > static_cast<uint8_t>(AclGrant::GranteeType::kGroup)) rd.Fail();
    g.type = static_cast<AclGrant::GranteeType>(type);
    g.grantee = rd.Str();
    uint8_t perm = rd.Byte();
    if (perm > static_cast<uint8_t>(AclPermission::kFullControl)) rd.Fail();
    g.permission = static_cast<AclPermission>(perm);
    acl->grants.push_back(std::move(g));
  }
}

void PutTags(std::string* out, const TagSet& tags) {
  PutVarint(out, tags.size());
  for (const Tag& t : tags) {
    PutStr(out, t.key);
    PutStr(out, t.value);
  }
}

void GetTags(Reader& rd, TagSet* tags) {
  uint64_t n = rd.Count();
  tags->clear();
  tags->reserve(n);
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    Tag t;
    t.key = rd.Str();
    t.value = rd.Str();
    tags->push_back(std::move(t));
  }
}

// The optional sections of a format-5 record.
bool AnyPartChecksum(const std::vector<PartRef>& parts) {
  for (const auto& p : parts) {
    if (!p.checksum.empty()) return true;
  }
  return false;
}

void PutSections(std::string* out, const std::optional<Acl>& acl, const TagSet& tags,
                 const std::vector<PartRef>* parts = nullptr,
                 ChecksumType type = ChecksumType::kComposite) {
  std::string payload;
  const bool sums = parts != nullptr && AnyPartChecksum(*parts);
  const bool full = type == ChecksumType::kFullObject;
  PutVarint(out, (acl ? 1 : 0) + (tags.empty() ? 0 : 1) + (sums ? 1 : 0) + (full ? 1 : 0));
  if (acl) {
    PutAcl(&payload, *acl);
    PutByte(out, kSectionAcl);
    PutStr(out, payload);
  }
  if (!tags.empty()) {
    payload.clear();
    PutTags(&payload, tags);
    PutByte(out, kSectionTags);
    PutStr(out, payload);
  }
  if (sums) {
    payload.clear();
    PutVarint(&payload, parts->size());
    for (const auto& p : *parts) PutStr(&payload, p.checksum);
    PutByte(out, kSectionPartChecksums);
    PutStr(out, payload);
  }
  if (full) {
    payload.clear();
    PutByte(&payload, static_cast<uint8_t>(type));
    PutByte(out, kSectionChecksumType);
    PutStr(out, payload);
  }
}

void GetSections(Reader& rd, std::optional<Acl>* acl, TagSet* tags,
                 std::vector<PartRef>* parts = nullptr, ChecksumType* type = nullptr) {
  const uint64_t n = rd.Count();
  int last = 0;
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    const uint8_t id = rd.Byte();
    const std::string payload = rd.Str();
    if (!rd.ok() || id <= last) return rd.Fail();  // out of order, repeated (or id 0)
    last = id;
    Reader sub(payload);
    if (id == kSectionAcl) {
      GetAcl(sub, &acl->emplace());
    } else if (id == kSectionTags) {
      GetTags(sub, tags);
    } else if (id == kSectionPartChecksums && parts != nullptr) {
      if (sub.Count() != parts->size()) return rd.Fail();
      for (auto& p : *parts) p.checksum = sub.Str();
    } else if (id == kSectionChecksumType && type != nullptr) {
      const uint8_t t = sub.Byte();
      if (t != static_cast<uint8_t>(ChecksumType::kFullObject)) return rd.Fail();
      *type = ChecksumType::kFullObject;
    } else {
      return rd.Fail();  // unknown section: written by a newer format
    }
    if (!sub.ok() || !sub.done()) return rd.Fail();
  }
}

bool HasSeal(const SealInfo& s) { return s.sealed() || !s.seal_id.empty(); }

bool GetAlgorithm(Reader& rd, ChecksumAlgorithm* a) {
  uint8_t v = rd.Byte();
  if (v > static_cast<uint8_t>(ChecksumAlgorithm::kSHA256)) return false;
  *a = static_cast<ChecksumAlgorithm>(v);
  return true;
}

bool GetLockMode(Reader& rd, LockMode* m) {
  uint8_t v = rd.Byte();
  if (v > static_cast<uint8_t>(LockMode::kCompliance)) return false;
  *m = static_cast<LockMode>(v);
  return true;
}

}  // namespace

std::string ObjectRecord::version_id() const {
  return is_null ? std::string("null") : VkeyToVersionId(vkey);
}

std::string EncodeBucketRecord(const BucketRecord& r) {
  std::string out;
  const bool v3 = r.default_sse != Sse::kNone;
  PutByte(&out, v3 ? kRecordV3 : kRecordV2);
  PutVarint(&out, static_cast<uint64_t>(r.created_ns));
  PutByte(&out, static_cast<uint8_t>(r.versioning));
  PutByte(&out, r.lock_enabled ? 1 : 0);
  PutByte(&out, static_cast<uint8_t>(r.default_retention.mode));
  PutVarint(&out, r.default_retention.days);
  PutVarint(&out, r.default_retention.years);
  if (v3) {
    PutByte(&out, static_cast<uint8_t>(r.default_sse));
    PutStr(&out, r.default_kms_key);
    PutByte(&out, r.bucket_key_enabled ? 1 : 0);
  }
  return out;
}

Result<BucketRecord> DecodeBucketRecord(std::string_view in) {
  Reader rd(in);
  const uint8_t version = rd.Byte();
  if (version != kRecordV2 && version != kRecordV3) {
    return Status::Corruption("bucket record: unknown format");
  }
  BucketRecord r;
  r.created_ns = static_cast<int64_t>(rd.Varint());
  uint8_t v = rd.Byte();
  if (v > static_cast<uint8_t>(VersioningState::kSuspended)) rd.Fail();
  r.versioning = static_cast<VersioningState>(v);
  r.lock_enabled = rd.Byte() != 0;
  if (!GetLockMode(rd, &r.default_retention.mode)) rd.Fail();
  r.default_retention.days = static_cast<uint32_t>(rd.Varint());
  r.default_retention.years = static_cast<uint32_t>(rd.Varint());
  if (version == kRecordV3) {
    uint8_t sse = rd.Byte();
    if (sse > static_cast<uint8_t>(Sse::kKms)) rd.Fail();
    r.default_sse = static_cast<Sse>(sse);
    r.default_kms_key = rd.Str();
    r.bucket_key_enabled = rd.Byte() != 0;
  }
  if (!rd.ok() || !rd.done()) return Status::Corruption("bucket record: truncated");
  return r;
}

std::string EncodeObjectRecord(const ObjectRecord& r) {
  std::string out;
  out.reserve(128 + r.etag.size() + r.meta.content_type.size() + 40 * r.parts.size());
  const bool v5 = !r.tags.empty() || AnyPartChecksum(r.parts);
  const bool v4 = !v5 && r.acl.has_value();
  bool v3 = v5 || v4 || HasSeal(r.seal);
  for (const auto& p : r.parts) v3 = v3 || HasSeal(p.seal);
  PutByte(&out, v5 ? kRecordV5 : v4 ? kRecordV4 : v3 ? kRecordV3 : kRecordV2);
  PutVarint(&out, r.size);
  PutStr(&out, r.etag);
  PutVarint(&out, static_cast<uint64_t>(r.last_modified_ns));
  PutStr(&out, r.vkey);
  PutByte(&out, (r.is_null ? 1 : 0) | (r.delete_marker ? 2 : 0) | (r.legal_hold ? 4 : 0) |
                    (r.linked ? 8 : 0));
  PutByte(&out, static_cast<uint8_t>(r.retention.mode));
  PutVarint(&out, static_cast<uint64_t>(r.retention.retain_until_ns));
  PutByte(&out, static_cast<uint8_t>(r.storage));
  PutStr(&out, r.data_id);
  PutVarint(&out, r.parts.size());
  for (const auto& p : r.parts) {
    PutStr(&out, p.blob_id);
    PutVarint(&out, p.size);
  }
  PutMeta(&out, r.meta);
  PutByte(&out, static_cast<uint8_t>(r.checksum.algorithm));
  PutStr(&out, r.checksum.value);
  if (v3) {
    PutSeal(&out, r.seal);
    for (const auto& p : r.parts) PutSeal(&out, p.seal);
  }
  if (v4) PutAcl(&out, *r.acl);
  if (v5) PutSections(&out, r.acl, r.tags, &r.parts);
  return out;
}

Result<ObjectRecord> DecodeObjectRecord(std::string_view in) {
  Reader rd(in);
  const uint8_t version = rd.Byte();
  if (version < kRecordV2 || version > kRecordV5) {
    return Status::Corruption("object record: unknown format");
  }
  ObjectRecord r;
  r.size = rd.Varint();
  r.etag = rd.Str();
  r.last_modified_ns = static_cast<int64_t>(rd.Varint());
  r.vkey = rd.Str();
  uint8_t flags = rd.Byte();
  r.is_null = flags & 1;
  r.delete_marker = flags & 2;
  r.legal_hold = flags & 4;
  r.linked = flags & 8;
  if (!GetLockMode(rd, &r.retention.mode)) rd.Fail();
  r.retention.retain_until_ns = static_cast<int64_t>(rd.Varint());
  uint8_t storage = rd.Byte();
  if (storage > 2) rd.Fail();
  r.storage = static_cast<StorageKind>(storage);
  r.data_id = rd.Str();
  uint64_t nparts = rd.Count();
  r.parts.reserve(nparts);
  for (uint64_t i = 0; i < nparts && rd.ok(); ++i) {
    PartRef p;
    p.blob_id = rd.Str();
    p.size = rd.Varint();
    r.parts.push_back(std::move(p));
  }
  GetMeta(rd, &r.meta);
  if (!GetAlgorithm(rd, &r.checksum.algorithm)) rd.Fail();
  r.checksum.value = rd.Str();
  if (version >= kRecordV3) {
    GetSeal(rd, &r.seal);
    for (auto& p : r.parts) GetSeal(rd, &p.seal);
  }
  if (version == kRecordV4) GetAcl(rd, &r.acl.emplace());
  if (version == kRecordV5) GetSections(rd, &r.acl, &r.tags, &r.parts);
  if (!rd.ok() || !rd.done() || r.vkey.size() != kVkeySize) {
    return Status::Corruption("object record: truncated, malformed or trailing bytes");
  }
  return r;
}

std::string EncodeUploadRecord(const UploadRecord& r) {
  std::string out;
  const bool v5 = !r.tags.empty() || r.checksum_type == ChecksumType::kFullObject;
  const bool v4 = !v5 && r.acl.has_value();
  const bool v3 = v5 || v4 || HasSeal(r.seal);
  PutByte(&out, v5 ? kRecordV5 : v4 ? kRecordV4 : v3 ? kRecordV3 : kRecordV2);
  PutVarint(&out, static_cast<uint64_t>(r.initiated_ns));
  PutMeta(&out, r.meta);
  PutByte(&out, static_cast<uint8_t>(r.checksum_algorithm));
  const Retention ret = r.lock.retention.value_or(Retention{});
  PutByte(&out, static_cast<uint8_t>(r.lock.retention ? ret.mode : LockMode::kNone));
  PutVarint(&out, static_cast<uint64_t>(ret.retain_until_ns));
  PutByte(&out, r.lock.legal_hold ? (*r.lock.legal_hold ? 2 : 1) : 0);
  if (v3) PutSeal(&out, r.seal);
  if (v4) PutAcl(&out, *r.acl);
  if (v5) PutSections(&out, r.acl, r.tags, nullptr, r.checksum_type);
  return out;
}

Result<UploadRecord> DecodeUploadRecord(std::string_view in) {
  Reader rd(in);
  const uint8_t version = rd.Byte();
  if (version < kRecordV2 || version > kRecordV5) {
    return Status::Corruption("upload record: unknown format");
  }
  UploadRecord r;
  r.initiated_ns = static_cast<int64_t>(rd.Varint());
  GetMeta(rd, &r.meta);
  if (!GetAlgorithm(rd, &r.checksum_algorithm)) rd.Fail();
  Retention ret;
  if (!GetLockMode(rd, &ret.mode)) rd.Fail();
  ret.retain_until_ns = static_cast<int64_t>(rd.Varint());
  if (ret.mode != LockMode::kNone) r.lock.retention = ret;
  uint8_t hold = rd.Byte();
  if (hold > 2) rd.Fail();
  if (hold) r.lock.legal_hold = (hold == 2);
  if (version >= kRecordV3) GetSeal(rd, &r.seal);
  if (version == kRecordV4) GetAcl(rd, &r.acl.emplace());
  if (version == kRecordV5) GetSections(rd, &r.acl, &r.tags, nullptr, &r.checksum_type);
  if (!rd.ok() || !rd.done()) return Status::Corruption("upload record: truncated");
  return r;
}

std::string EncodePartRecord(const PartRecord& r) {
  std::string out;
  const bool v3 = HasSeal(r.seal);
  PutByte(&out, v3 ? kRecordV3 : kRecordV2);
  PutVarint(&out, r.size);
  PutStr(&out, r.etag);
  PutVarint(&out, static_cast<uint64_t>(r.last_modified_ns));
  PutStr(&out, r.blob_id);
  PutByte(&out, static_cast<uint8_t>(r.checksum.algorithm));
  PutStr(&out, r.checksum.value);
  if (v3) PutSeal(&out, r.seal);
  return out;
}

Result<PartRecord> DecodePartRecord(std::string_view in) {
  Reader rd(in);
  const uint8_t version = rd.Byte();
  if (version != kRecordV2 && version != kRecordV3) {
    return Status::Corruption("part record: unknown format");
  }
  PartRecord r;
  r.size = rd.Varint();
  r.etag = rd.Str();
  r.last_modified_ns = static_cast<int64_t>(rd.Varint());
  r.blob_id = rd.Str();
  if (!GetAlgorithm(rd, &r.checksum.algorithm)) rd.Fail();
  r.checksum.value = rd.Str();
  if (version == kRecordV3) GetSeal(rd, &r.seal);
  if (!rd.ok() || !rd.done()) return Status::Corruption("part record: truncated");
  return r;
}

std::string EncodeAcl(const Acl& acl) {
  std::string out;
  PutAcl(&out, acl);
  return out;
}

Result<Acl> DecodeAcl(std::string_view in) {
  Reader rd(in);
  Acl acl;
  GetAcl(rd, &acl);
  if (!rd.ok() || !rd.done()) return Status::Corruption("acl: truncated or malformed");
  return acl;
}

std::string EncodeTags(const TagSet& tags) {
  std::string out;
  PutTags(&out, tags);
  return out;
}

Result<TagSet> DecodeTags(std::string_view in) {
  Reader rd(in);
  TagSet tags;
  GetTags(rd, &tags);
  if (!rd.ok() || !rd.done()) return Status::Corruption("tags: truncated or malformed");
  return tags;
}

std::string EncodeUserMetaList(const std::vector<std::pair<std::string, std::string>>& list) {
  std::string out;
  PutByte(&out, 1);
  PutVarint(&out, list.size());
  for (const auto& [k, v] : list) {
    PutStr(&out, k);
    PutStr(&out, v);
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> DecodeUserMetaList(std::string_view in) {
  Reader rd(in);
  if (rd.Byte() != 1) return Status::Corruption("metadata list: unknown format");
  uint64_t n = rd.Count();
  std::vector<std::pair<std::string, std::string>> out;
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    std::string k = rd.Str();
    std::string v = rd.Str();
    out.emplace_back(std::move(k), std::move(v));
  }
  if (!rd.ok() || !rd.done()) return Status::Corruption("metadata list: truncated or overlong");
  return out;
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

uint64_t StoredSize(const ObjectRecord& r) {
  if (r.delete_marker) return 0;
  if (r.storage != StorageKind::kMultipart) return r.seal.sealed() ? r.seal.stored_size : r.size;
  uint64_t n = 0;
  for (const auto& p : r.parts) n += p.seal.sealed() ? p.seal.stored_size : p.size;
  return n;
}

ObjectInfo ToObjectInfo(std::string_view bucket, std::string_view key, const ObjectRecord& r) {
  ObjectInfo info;
  info.bucket = std::string(bucket);
  info.key = std::string(key);
  info.version_id = r.version_id();
  info.delete_marker = r.delete_marker;
  info.size = r.size;
  info.etag = r.etag;
  info.last_modified_ns = r.last_modified_ns;
  info.meta = r.meta;
  info.checksum = r.checksum;
  // A COMPOSITE checksum is shown with its part count; a FULL_OBJECT one never is.
  info.checksum_type = r.checksum.value.find('-') == std::string::npos ? ChecksumType::kFullObject
                                                                       : ChecksumType::kComposite;
  info.retention = r.retention;
  info.legal_hold = r.legal_hold;
  info.parts_count = static_cast<uint32_t>(r.parts.size());
  info.storage = EncryptionOf(r.seal);
  info.storage.stored_size = StoredSize(r);
  info.tag_count = static_cast<uint32_t>(r.tags.size());
  info.storage.compressed = r.seal.compressed;
  for (const auto& p : r.parts)
    info.storage.compressed = info.storage.compressed || p.seal.compressed;
  return info;
}

}  // namespace maxiofs::engine
