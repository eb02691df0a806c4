// Binary encodings of the engine's LevelDB values. Compact, versioned by a leading byte, decoded
// with bounds checks (a damaged value is Corruption, never a crash).
//
//   varint    := LEB128 unsigned 64-bit
//   str       := varint(length) bytes
//   BucketRecord v2 := 0x02 varint(created_ns) byte(versioning) byte(lock_enabled)
//                      byte(default mode) varint(default days) varint(default years)
//   BucketRecord v3 := 0x03 <v2 fields> byte(default sse) str(kms key) byte(bucket key)
//   ObjectRecord v2 := 0x02 varint(size) str(etag) varint(last_modified_ns) str(vkey)
//                      byte(flags: 1 null version, 2 delete marker, 4 legal hold,
//                           8 linked: the key was a name of a link group when written)
//                      byte(lock mode) varint(retain_until_ns)
//                      byte(storage: 0 inline, 1 blob, 2 multipart) str(data_id)
//                      varint(n) n * (str(blob_id) varint(size))        -- multipart parts
//                      str(content_type) str(content_encoding) str(content_disposition)
//                      str(cache_control) str(content_language) str(expires) str(storage_class)
//                      varint(n) n * (str(name) str(value))             -- user metadata
//                      byte(checksum algorithm) str(checksum value)
//   UploadRecord v2 := 0x02 varint(initiated_ns) <the metadata fields as in ObjectRecord>
//                      byte(checksum algorithm) byte(lock mode) varint(retain_until_ns)
//                      byte(legal hold: 0 unset, 1 off, 2 on)
//   PartRecord v2   := 0x02 varint(size) str(etag) varint(last_modified_ns) str(blob_id)
//                      byte(checksum algorithm) str(checksum value)
//
//
// Format 3 (written only for records with sealed data, so unsealed records stay format 2 and
// byte-identical): the format-2 fields, then
//   ObjectRecord v3 := ... seal(object data) n * seal(part)   -- one per multipart part
//   UploadRecord v3 := ... seal(template: mode, key_id, kms_context, seal_id, key_hmac)
//   PartRecord v3   := ... seal
//   seal := byte(sse mode) byte(compression) varint(chunk_size) str(seal_id) str(key_id)
//           str(wrapped_key) str(key_hmac) str(kms_context) varint(stored_size)
//           varint(n) n * varint(index entry)                 -- see seal.h
//   compression := 0 not compressed
//                | 1 zstd only: index entry = stored length * 2 + (1 when the chunk is zstd)
//                | 2 any codec: index entry = stored length * 4 + codec (0 none, 1 zstd,
//                    2 gzip, 3 lz4); written only when some chunk is gzip or lz4, so records of
//                    plain and zstd data are byte-identical to those of earlier versions
//
// Format 4 (written only for records with a non-private ACL, so other records stay format 2/3
// and byte-identical): the format-3 fields (seals always present), then
//   ObjectRecord v4 := ... acl                 -- the version's ACL
//   UploadRecord v4 := ... acl                 -- the canned ACL the completed object gets
//   acl   := str(owner_id) varint(n) n * grant
//   grant := byte(grantee type: 0 canonical user, 1 group) str(grantee)
//            byte(permission: 0 READ, 1 WRITE, 2 READ_ACP, 3 WRITE_ACP, 4 FULL_CONTROL)
// A record without an ACL has the "private" ACL (the owner has FULL_CONTROL).
//
// Format 5 (written only for records with tags, so other records stay format 2/3/4 and
// byte-identical): the format-3 fields (seals always present), then optional sections
//   ObjectRecord v5 := ... varint(n) n * section
//   UploadRecord v5 := ... varint(n) n * section
//   section := byte(id) str(payload)          -- ids ascending, each at most once
//     id 1: acl       (payload: acl, as above; absent = private)
//     id 2: tags      (payload: tags)
//     id 3: part checksums (ObjectRecord only; payload: varint(n) n * str(base64 value), one per
//           part, in the object's checksum algorithm)
//     id 4: checksum type (UploadRecord only; payload: byte(1) = FULL_OBJECT; absent =
//           COMPOSITE)
//   tags  := varint(n) n * (str(key) str(value))  -- in the order given, keys unique
// An unknown section id is Corruption (a newer writer; the 'F' marker keeps older binaries
// from opening such a data dir). New optional fields become new section ids.
//
// The bucket-tags value ('X' 't' bucket, key_codec.h) is a `tags`.
//
// A bucket's own metadata (the 'D' value, Engine::GetBucketMetadata):
//   UserMetaList v1 := 0x01 varint(n) n * (str(name) str(value))
//
// An inline object whose size is 0 has an empty data_id and no inline value. A delete marker
// has no data.
#pragma once

#include "seal.h"

#include "maxiofs/common/result.h"
#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

struct BucketRecord {
  int64_t created_ns = 0;
  VersioningState versioning = VersioningState::kUnversioned;
  bool lock_enabled = false;
  DefaultRetention default_retention;
  Sse default_sse = Sse::kNone;  // bucket default encryption (kS3 / kKms)
  std::string default_kms_key;
  bool bucket_key_enabled = false;
};

enum class StorageKind : uint8_t { kInline = 0, kBlob = 1, kMultipart = 2 };

struct PartRef {
  std::string blob_id;
  uint64_t size = 0;  // logical (plaintext) size
  SealInfo seal;
  // The part's checksum (base64) in the object's checksum algorithm; "" when the object has
  // none (GetObjectAttributes shows it).
  std::string checksum;
};

struct ObjectRecord {
  uint64_t size = 0;
  std::string etag;
  int64_t last_modified_ns = 0;
  std::string vkey;  // kVkeySize raw bytes
  bool is_null = false;
  bool delete_marker = false;
  bool legal_hold = false;
  // Written as (or turned into) a name of a link group. Only a hint that saves readers and
  // writers of unlinked keys a lookup: the link-of-key record ('H', key_codec.h) is the truth,
  // and a flagged record whose key has none is simply not linked.
  bool linked = false;
  Retention retention;
  StorageKind storage = StorageKind::kInline;
  std::string data_id;         // inline data id or blob id
  std::vector<PartRef> parts;  // kMultipart
  ObjectMeta meta;
  Checksum checksum;
  // How the data is stored. Multipart: only the mode and KMS fields (each part has its own).
  SealInfo seal;
  // The version's ACL; nullopt = private (records written before ACLs existed read so too).
  std::optional<Acl> acl;
  TagSet tags;  // the version's tags (S3 object tagging); empty = none

  std::string version_id() const;
};

// The seal that holds an object's SSE-C key check: its own, or its first part's.
inline const SealInfo& KeySeal(const ObjectRecord& r) {
  return r.storage == StorageKind::kMultipart && !r.parts.empty() ? r.parts[0].seal : r.seal;
}

struct UploadRecord {
  int64_t initiated_ns = 0;
  ObjectMeta meta;
  ChecksumAlgorithm checksum_algorithm = ChecksumAlgorithm::kNone;
  LockRequest lock;
  SealInfo seal;           // encryption of the parts: mode, key_id, kms_context; SSE-C key check
  std::optional<Acl> acl;  // the completed object's ACL (x-amz-acl); nullopt = private
  TagSet tags;             // the completed object's tags (x-amz-tagging)
  ChecksumType checksum_type = ChecksumType::kComposite;  // with checksum_algorithm
};

struct PartRecord {
  uint64_t size = 0;
  std::string etag;  // hex MD5
  int64_t last_modified_ns = 0;
  std::string blob_id;
  Checksum checksum;
  SealInfo seal;
};

std::string EncodeBucketRecord(const BucketRecord& r);
Result<BucketRecord> DecodeBucketRecord(std::string_view in);
std::string EncodeObjectRecord(const ObjectRecord& r);
Result<ObjectRecord> DecodeObjectRecord(std::string_view in);
std::string EncodeUploadRecord(const UploadRecord& r);
Result<UploadRecord> DecodeUploadRecord(std::string_view in);
std::string EncodePartRecord(const PartRecord& r);
Result<PartRecord> DecodePartRecord(std::string_view in);

// A bucket's ACL (the bucket-acl value in LevelDB) in the `acl` grammar above.
std::string EncodeAcl(const Acl& acl);
Result<Acl> DecodeAcl(std::string_view in);

// A bucket's tags (the bucket-tags value in LevelDB) in the `tags` grammar above.
std::string EncodeTags(const TagSet& tags);
Result<TagSet> DecodeTags(std::string_view in);
std::string EncodeUserMetaList(const std::vector<std::pair<std::string, std::string>>& list);
Result<std::vector<std::pair<std::string, std::string>>> DecodeUserMetaList(std::string_view in);

std::string EncodeRefCount(uint64_t n);
Result<uint64_t> DecodeRefCount(std::string_view in);

// Bytes the record's data takes on disk (after compression and encryption).
uint64_t StoredSize(const ObjectRecord& r);

// The public view of a record.
ObjectInfo ToObjectInfo(std::string_view bucket, std::string_view key, const ObjectRecord& r);

}  // namespace maxiofs::engine
