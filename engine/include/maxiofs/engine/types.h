// Value types of the engine's public API: what a bucket and an object are, and one request
// struct per operation. No transport types (HTTP, FUSE) appear here: front ends translate
// their own requests into these.
//
// Units: sizes and offsets in bytes; times in nanoseconds since the Unix epoch, UTC.
// Thread-safety: plain values.
#pragma once

#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/notifications.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maxiofs::engine {

enum class VersioningState : uint8_t { kUnversioned = 0, kEnabled, kSuspended };

enum class LockMode : uint8_t { kNone = 0, kGovernance, kCompliance };

// A bucket's default retention for new object versions.
struct DefaultRetention {
  LockMode mode = LockMode::kNone;  // kNone: no default
  uint32_t days = 0;                // exactly one of days / years is non-zero
  uint32_t years = 0;
  friend bool operator==(const DefaultRetention&, const DefaultRetention&) = default;
};

struct ObjectLockConfig {
  bool enabled = false;
  DefaultRetention default_retention;
};

struct BucketInfo {
  std::string name;
  int64_t created_ns = 0;
  VersioningState versioning = VersioningState::kUnversioned;
  bool object_lock_enabled = false;
};

// What one bucket holds. Sizes are logical bytes (what clients read back). Kept as counters
// that change in the same batch as the data they count, so reading them costs nothing and they
// are exact after a crash.
struct BucketUsage {
  uint64_t objects = 0;         // current objects (delete markers not counted)
  uint64_t bytes = 0;           // total size of the current objects
  uint64_t versions = 0;        // every stored version, current and noncurrent (no markers)
  uint64_t version_bytes = 0;   // total size of every stored version
  uint64_t delete_markers = 0;  // delete markers (versioned buckets)
  uint64_t uploads = 0;         // multipart uploads in progress
  // On disk after compression and encryption (bytes and version_bytes are logical sizes).
  uint64_t stored_bytes = 0;
  uint64_t version_stored_bytes = 0;
  uint64_t parts = 0;              // parts stored by the uploads in progress
  uint64_t part_bytes = 0;         // their total size
  uint64_t part_stored_bytes = 0;  // their size on disk
  friend bool operator==(const BucketUsage&, const BucketUsage&) = default;
};

// Hard limits on what a bucket holds (MinIO's "hard" quota, plus an object count). 0 means no
// limit. A write that would take the bucket past a limit fails with QuotaExceeded before its
// record is committed (and, when its size is known up front, before its body is stored).
struct BucketQuota {
  // Limit on version_bytes + part_bytes: every stored version (noncurrent ones included) and
  // the parts of uploads in progress, in logical bytes.
  uint64_t max_bytes = 0;
  // Limit on `versions`: every stored object version (in an unversioned bucket, the objects);
  // delete markers do not count.
  uint64_t max_objects = 0;
  bool empty() const { return max_bytes == 0 && max_objects == 0; }
  friend bool operator==(const BucketQuota&, const BucketQuota&) = default;
};

// The counters of a bucket next to a fresh scan of its records (Engine::VerifyBucketUsage).
struct UsageVerification {
  BucketUsage counters;   // what GetBucketUsage answered before the scan
  BucketUsage scanned;    // what the records add up to
  bool repaired = false;  // the counters were reset to `scanned`
  bool matches() const { return counters == scanned; }
};

// Retention of one object version.
struct Retention {
  LockMode mode = LockMode::kNone;
  int64_t retain_until_ns = 0;
  friend bool operator==(const Retention&, const Retention&) = default;
};

// The standard headers S3 stores with an object, and its user metadata.
struct ObjectMeta {
  std::string content_type;  // empty: the front end's default (binary/octet-stream for S3)
  std::string content_encoding;
  std::string content_disposition;
  std::string cache_control;
  std::string content_language;
  std::string expires;        // kept verbatim, as S3 does
  std::string storage_class;  // empty means STANDARD
  // User metadata: names lower-case without the "x-amz-meta-" prefix, sorted by name, unique.
  std::vector<std::pair<std::string, std::string>> user;

  friend bool operator==(const ObjectMeta&, const ObjectMeta&) = default;
};

enum class ChecksumAlgorithm : uint8_t { kNone = 0, kCRC32, kCRC32C, kCRC64NVME, kSHA1, kSHA256 };

// An additional checksum, as S3 shows it (x-amz-checksum-*): value is base64 of the digest
// bytes (big-endian for the CRCs).
struct Checksum {
  ChecksumAlgorithm algorithm = ChecksumAlgorithm::kNone;
  std::string value;
  friend bool operator==(const Checksum&, const Checksum&) = default;
};

// How a multipart upload's checksum covers the object (x-amz-checksum-type).
enum class ChecksumType : uint8_t {
  kComposite = 0,   // a checksum of the parts' checksums, shown as "<base64>-<parts>"
  kFullObject = 1,  // the CRC of the whole object (CRC algorithms only), shown as "<base64>"
};

// Server-side encryption of stored data, as S3 names the modes.
enum class Sse : uint8_t {
  kNone = 0,  // stored unencrypted
  kS3 = 1,    // SSE-S3 (AES256): data key wrapped by a master key of the config
  kC = 2,     // SSE-C: data key wrapped by the customer's key, which is never stored
  kKms = 3,   // SSE-KMS (aws:kms): data key wrapped by a named key of the built-in key service
};

// A bucket's default encryption (PutBucketEncryption): what writes that ask for none get.
struct BucketEncryption {
  Sse sse = Sse::kNone;             // kS3 or kKms (kNone: no default configured)
  std::string kms_key_id;           // kKms: empty means the key service's default key
  bool bucket_key_enabled = false;  // kept and returned; every object has its own data key anyway
};

// What a write asks for. kDefault: the bucket's default encryption, else the engine's
// (EncryptionOptions::encrypt_new_data).
struct EncryptionRequest {
  enum class Kind : uint8_t { kDefault = 0, kNone, kS3, kC, kKms };
  Kind kind = Kind::kDefault;
  std::string kms_key_id;    // kKms: empty means the key service's default key
  std::string kms_context;   // kKms: encryption context, stored and returned verbatim
  std::string customer_key;  // kC: the 32 raw key bytes (already base64-decoded, MD5-checked)
};

// How an object's data is stored (what HEAD reports about encryption, and the space it uses).
struct StorageInfo {
  Sse sse = Sse::kNone;
  std::string kms_key_id;    // kKms
  std::string kms_context;   // kKms
  bool compressed = false;   // some of the data is stored zstd-compressed
  uint64_t stored_size = 0;  // bytes on disk for the data (after compression and encryption)
};

// A key of the built-in key service.
struct KmsKeyInfo {
  std::string name;
  int64_t created_ns = 0;
  std::string master_key_id;  // the master key that wraps it
};

// One tag of an object version or a bucket (S3 tagging). Keys are case-sensitive.
struct Tag {
  std::string key;    // 1-128 Unicode characters (UTF-8), not starting with "aws:"
  std::string value;  // 0-256 Unicode characters (UTF-8)
  friend bool operator==(const Tag&, const Tag&) = default;
};
// A tag set in the order it was given; keys are unique. Empty = no tags.
using TagSet = std::vector<Tag>;
inline constexpr size_t kMaxObjectTags = 10;
inline constexpr size_t kMaxBucketTags = 50;

// When a current version will expire under the bucket's lifecycle rules, and by which rule
// (x-amz-expiration; lifecycle.h).
struct ObjectExpiration {
  int64_t date_ns = 0;  // ns since the epoch, UTC
  std::string rule_id;
  friend bool operator==(const ObjectExpiration&, const ObjectExpiration&) = default;
};

struct ObjectInfo {
  std::string bucket;
  std::string key;
  std::string version_id;  // "null" or a 32-character id that sorts newest first
  bool delete_marker = false;
  bool is_latest = true;  // filled in by ListObjectVersions; true elsewhere
  Retention retention;
  bool legal_hold = false;
  uint32_t parts_count = 0;  // > 0 for objects made by a multipart upload
  uint64_t size = 0;
  std::string etag;  // lower-case hex MD5 of the content, without quotes
  int64_t last_modified_ns = 0;
  ObjectMeta meta;
  Checksum checksum;  // algorithm kNone when none was stored; a part's for a part read
  ChecksumType checksum_type = ChecksumType::kFullObject;  // of the object's checksum
  StorageInfo storage;     // encryption and stored size (size above is the logical size)
  uint32_t tag_count = 0;  // tags of this version (x-amz-tagging-count)
  // Set by PUT (Commit), HEAD and GET of a current version that a lifecycle rule will expire.
  std::optional<ObjectExpiration> expiration;
  // Hard links (LinkObject): how many keys of the bucket are names of this object's link
  // group, this one included (1 when the key is in no group), and the group's id ("" when
  // none; stable while the group lives, so the FUSE mount uses it as the file's identity).
  // Filled for the current version by HeadObject, GetObject, LinkObject,
  // UpdateObjectMetadata and ListObjects with with_user_meta; 1 and "" elsewhere.
  uint32_t link_count = 1;
  std::string link_id;
};

// Conditions on the current state of an object, evaluated atomically with the operation.
// ETags are unquoted; "*" in if_match / if_none_match stands for "any existing object".
struct Preconditions {
  std::vector<std::string> if_match;
  std::vector<std::string> if_none_match;
  std::optional<int64_t> if_modified_since_ns;
  std::optional<int64_t> if_unmodified_since_ns;
  bool empty() const {
    return if_match.empty() && if_none_match.empty() && !if_modified_since_ns &&
           !if_unmodified_since_ns;
  }
};

// A byte range as a client asks for it; the engine resolves it against the object's size.
struct RangeSpec {
  enum class Kind : uint8_t { kFromTo, kFrom, kSuffix };
  Kind kind = Kind::kFrom;
  uint64_t first = 0;   // kFromTo, kFrom
  uint64_t last = 0;    // kFromTo, inclusive
  uint64_t suffix = 0;  // kSuffix: the last `suffix` bytes
};

struct CreateBucketRequest {
  std::string bucket;
  bool object_lock_enabled = false;  // also turns versioning on, for good
  // Canned ACL (x-amz-acl) stored with the bucket; "" = private. InvalidArgument for an
  // unknown name; AccessDenied never (a new bucket has no public-access block yet).
  std::string canned_acl{};
  // Explicit grants (x-amz-grant-* headers) instead of a canned ACL; InvalidRequest with a
  // canned_acl too, otherwise checked as PutBucketAcl's.
  std::optional<Acl> grants{};
  // Ownership controls stored with the bucket (x-amz-object-ownership); nullopt = none.
  // kBucketOwnerEnforced with a non-private ACL is InvalidRequest (kAclConflictsWithOwnership).
  std::optional<ObjectOwnership> object_ownership{};
};

// Lock settings requested for a new object version (PutObject, CopyObject, multipart).
// Unset fields fall back to the bucket's default retention. Any setting on a bucket without
// object lock is InvalidRequest.
struct LockRequest {
  std::optional<Retention> retention;
  std::optional<bool> legal_hold;
  bool empty() const { return !retention && !legal_hold; }
};

struct PutObjectRequest {
  std::string bucket;
  std::string key;
  ObjectMeta meta;
  // Declared length of the body; Commit fails with IncompleteBody when the bytes appended
  // differ. Unset when the client streams without a length.
  std::optional<uint64_t> expected_size;
  // Raw 16-byte MD5 the client sent (Content-MD5, already base64-decoded); BadDigest on mismatch.
  std::optional<std::string> expected_md5;
  // Which additional checksum to compute and store; with `expected_checksum` set it is
  // verified too (BadDigest). ObjectWriter::SetExpectedChecksum covers trailing checksums.
  ChecksumAlgorithm checksum_algorithm = ChecksumAlgorithm::kNone;
  std::optional<std::string> expected_checksum;  // base64, as S3 sends it
  LockRequest lock;
  // POSIX semantics (the FUSE mount): refuse with ObjectLocked when the current version is under
  // retention or legal hold, instead of hiding it behind a newer version or delete marker as
  // S3 does. The locked data is kept either way.
  bool protect_locked = false;
  // false: the metadata commit does not wait for the disk (blob data is still synced before
  // it, so no later sync can make a record point at lost data). Survives a crash of the
  // process, not of the machine, until the next durable commit or Engine::Sync. The FUSE mount
  // uses this for close-to-open writes; S3 requests are always durable.
  bool durable = true;
  // Give the object the parts ETag `aws s3 cp` gives the same bytes (object_stream.h,
  // kPartsEtagMinSize) rather than their MD5, when it is at least kPartsEtagMinSize bytes and
  // `expected_size` says so up front. For writers of whole files that cannot afford one serial
  // MD5 per file (the FUSE mount). Ignored with `expected_md5` (that check needs the MD5).
  bool parts_etag = false;
  EncryptionRequest encryption;
  // Conditional write: if_match / if_none_match only (S3 semantics: If-None-Match "*" fails
  // with PreconditionFailed when the key exists; If-Match fails with NoSuchKey when it does not
  // and PreconditionFailed when the ETag differs).
  Preconditions preconditions;
  // Canned ACL (x-amz-acl) stored with the new version; "" = private. InvalidArgument for an
  // unknown name; AccessDenied for a public one when the bucket blocks public ACLs.
  std::string canned_acl{};
  // Explicit grants (x-amz-grant-* headers) instead of a canned ACL; the owner is the
  // account. InvalidRequest with a canned_acl too; otherwise checked as PutObjectAcl's.
  std::optional<Acl> grants{};
  // Tags of the new version (x-amz-tagging), stored in its record in the same batch. BeginPut
  // refuses a set S3 would refuse with InvalidTag (ValidateObjectTags).
  TagSet tags{};
  // Hard links (the FUSE mount writing a file through one of its names): when the key is in a
  // link group, the new content and metadata become the new current version of every name of
  // the group, in one batch, and the names stay linked. false (S3): only this key gets the new
  // version and it leaves its link group (S3 objects stay independent).
  bool write_links = false;
  // The FUSE mount's placeholder: a file created empty at open(O_CREAT) and written at close.
  // When the key's current version still has this id (and object lock lets it go), the new
  // version takes its place instead of following it, so a new file has one version, not an
  // empty one first. Otherwise ignored. Versioning-enabled buckets only (elsewhere the null
  // version is replaced anyway).
  std::string replace_version_id{};
  // Who asked, for the bucket notifications this write causes (notifications.h).
  RequestOrigin origin{};
  // The S3 operation the write stands for: its event is s3:ObjectCreated:Put, :Post (a POST
  // Object browser form) or :Copy.
  enum class CreatedBy : uint8_t { kPut, kPost, kCopy };
  CreatedBy created_by = CreatedBy::kPut;
};

struct GetObjectRequest {
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  std::optional<RangeSpec> range;
  uint32_t part_number = 0;     // > 0: only that part (a non-multipart object has one part)
  Preconditions preconditions;  // S3 read semantics: 304 NotModified / 412 PreconditionFailed
  // SSE-C: the customer key (32 raw bytes) the object was written with. Reading an SSE-C
  // object without it is InvalidRequest; with another key AccessDenied.
  std::string customer_key;
};

struct HeadObjectRequest {
  std::string bucket;
  std::string key;
  std::string version_id;
  uint32_t part_number = 0;
  Preconditions preconditions;
  std::string customer_key;  // SSE-C, as for GetObjectRequest
};

struct DeleteObjectRequest {
  std::string bucket;
  std::string key;
  // A conditional delete (S3's If-Match, x-amz-if-match-last-modified-time and
  // x-amz-if-match-size; per object in DeleteObjects): if_match (only), and the two below are
  // checked against the version the delete would remove -- the named one, else the newest,
  // which may be a delete marker (it matches If-Match "*" and its own time, no ETag or size) --
  // under the key's lock, in the same decision as the delete. PreconditionFailed when one
  // differs; when there is no such version they do not apply (S3 answers success).
  Preconditions preconditions;
  std::optional<int64_t> if_match_last_modified_s;  // whole seconds since the epoch, UTC
  std::optional<uint64_t> if_match_size;            // bytes
  // Empty: delete the current object (a delete marker in a versioned bucket). Otherwise remove
  // exactly that version, subject to object lock.
  std::string version_id;
  bool bypass_governance = false;
  // POSIX semantics (the FUSE mount): refuse with ObjectLocked when the current version is under
  // retention or legal hold, instead of hiding it behind a newer version or delete marker as
  // S3 does. The locked data is kept either way.
  bool protect_locked = false;
  // false: the metadata commit does not wait for the disk (blob data is still synced before
  // it, so no later sync can make a record point at lost data). Survives a crash of the
  // process, not of the machine, until the next durable commit or Engine::Sync. The FUSE mount
  // uses this for close-to-open writes; S3 requests are always durable.
  bool durable = true;
  RequestOrigin origin{};  // for the notifications it causes (notifications.h)
};

struct DeleteObjectResult {
  bool existed = false;
  bool delete_marker = false;  // a delete marker was created, or the removed version was one
  std::string version_id;      // of the marker created or the version removed; may be empty
};

struct CopyObjectRequest {
  std::string src_bucket;
  std::string src_key;
  std::string src_version_id;  // empty: the current version
  std::string dst_bucket;
  std::string dst_key;
  // true: the copy takes `meta` (REPLACE); false: it keeps the source's (COPY).
  bool replace_metadata = false;
  ObjectMeta meta;
  Preconditions source_preconditions;  // x-amz-copy-source-if-*: 412 on failure, never 304
  Preconditions dest_preconditions;    // if_match / if_none_match on the destination
  LockRequest lock;
  // false: the metadata commit does not wait for the disk (blob data is still synced before
  // it, so no later sync can make a record point at lost data). Survives a crash of the
  // process, not of the machine, until the next durable commit or Engine::Sync. The FUSE mount
  // uses this for close-to-open writes; S3 requests are always durable.
  bool durable = true;
  // Encryption of the copy. The data is shared with the source when the resulting mode and
  // key are the same (or the source is SSE-S3 and no mode is asked for); otherwise it is
  // re-sealed.
  EncryptionRequest encryption;
  std::string src_customer_key;  // SSE-C key of the source
  // Canned ACL (x-amz-acl) stored with the new version; "" = private. InvalidArgument for an
  // unknown name; AccessDenied for a public one when the bucket blocks public ACLs.
  std::string canned_acl{};
  // Explicit grants (x-amz-grant-* headers) instead of a canned ACL; the owner is the
  // account. InvalidRequest with a canned_acl too; otherwise checked as PutObjectAcl's.
  std::optional<Acl> grants{};
  // true: the copy gets `tags` (x-amz-tagging-directive REPLACE); false: the source's (COPY).
  bool replace_tags = false;
  TagSet tags{};           // InvalidTag as for PutObjectRequest::tags
  RequestOrigin origin{};  // for the notifications it causes (notifications.h)
};

struct PutRetentionRequest {
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  Retention retention;     // mode kNone removes the retention (GOVERNANCE with bypass only)
  bool bypass_governance = false;
};

// Addresses the tags of one object version (Get/DeleteObjectTagging).
struct ObjectTaggingRequest {
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  RequestOrigin origin{};  // for the notifications DeleteObjectTagging causes
};

struct PutObjectTaggingRequest {
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  TagSet tags;             // replaces the version's tags; empty removes them
  RequestOrigin origin{};  // for the notifications it causes (notifications.h)
  // The call is a DeleteObjectTagging (its event is s3:ObjectTagging:Delete).
  bool delete_event = false;
};

// The tags of one version, and which version that is.
struct ObjectTagging {
  std::string version_id;  // "null" or a 32-character id
  TagSet tags;
};

struct ListVersionsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;         // start after this key (or inside it, with version_id_marker)
  std::string version_id_marker;  // REQUIRES: key_marker set
  uint32_t max_keys = 1000;       // versions plus common prefixes; clamped to 1000
  // Fill meta.user of each version (the FUSE mount's versions view shows their attributes).
  bool with_user_meta = false;
};

struct ListVersionsResult {
  std::vector<ObjectInfo> versions;  // delete markers have delete_marker = true
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_version_id_marker;
};

// --- Multipart uploads ---------------------------------------------------------------------
struct CreateMultipartRequest {
  std::string bucket;
  std::string key;
  ObjectMeta meta;
  ChecksumAlgorithm checksum_algorithm = ChecksumAlgorithm::kNone;
  // nullopt: S3's default for the algorithm (FULL_OBJECT for CRC64NVME, else COMPOSITE).
  // InvalidRequest for a type without an algorithm, FULL_OBJECT with SHA-1/SHA-256, and
  // COMPOSITE with CRC64NVME.
  std::optional<ChecksumType> checksum_type;
  LockRequest lock;
  EncryptionRequest encryption;  // every part is sealed this way
  // Canned ACL (x-amz-acl) stored with the new version; "" = private. InvalidArgument for an
  // unknown name; AccessDenied for a public one when the bucket blocks public ACLs.
  std::string canned_acl{};
  // Explicit grants (x-amz-grant-* headers) instead of a canned ACL; the owner is the
  // account. InvalidRequest with a canned_acl too; otherwise checked as PutObjectAcl's.
  std::optional<Acl> grants{};
  // Tags the completed object gets (x-amz-tagging), kept with the upload. InvalidTag as for
  // PutObjectRequest::tags.
  TagSet tags{};
};

struct UploadPartRequest {
  std::string bucket;
  std::string key;
  std::string upload_id;
  uint32_t part_number = 0;  // 1..10000
  std::optional<uint64_t> expected_size;
  std::optional<std::string> expected_md5;  // raw 16 bytes
  ChecksumAlgorithm checksum_algorithm = ChecksumAlgorithm::kNone;
  std::optional<std::string> expected_checksum;
  std::string customer_key;  // SSE-C uploads: the key given to CreateMultipartUpload
};

struct UploadPartCopyRequest {
  std::string bucket;
  std::string key;
  std::string upload_id;
  uint32_t part_number = 0;
  std::string src_bucket;
  std::string src_key;
  std::string src_version_id;
  std::optional<RangeSpec> src_range;  // kFromTo only, as S3 allows
  Preconditions source_preconditions;
  std::string customer_key;      // SSE-C uploads: the upload's key
  std::string src_customer_key;  // SSE-C key of the source
};

struct PartInfo {
  uint32_t part_number = 0;
  uint64_t size = 0;
  std::string etag;  // hex MD5 of the part
  int64_t last_modified_ns = 0;
  Checksum checksum;
  StorageInfo storage;  // the part's encryption (the upload's); stored_size, compressed unused
};

// GetObjectAttributes: one version's attributes and, for a multipart object, a page of its
// parts (numbered 1..n in completion order).
struct GetObjectAttributesRequest {
  std::string bucket;
  std::string key;
  std::string version_id;           // empty: the current version
  std::string customer_key;         // SSE-C, as for HeadObjectRequest
  uint32_t max_parts = 1000;        // at most 1000
  uint32_t part_number_marker = 0;  // parts after this number
};

struct ObjectAttributes {
  ObjectInfo info;
  // The page of parts (multipart objects only): part_number, size and, when the object has a
  // checksum, the part's checksum.
  std::vector<PartInfo> parts;
  bool truncated = false;  // more parts follow the page
};

struct CompletedPart {
  uint32_t part_number = 0;
  std::string etag;  // unquoted
};

struct CompleteMultipartRequest {
  std::string bucket;
  std::string key;
  std::string upload_id;
  std::vector<CompletedPart> parts;  // REQUIRES: as the client listed them
  Preconditions preconditions;       // if_match / if_none_match on the destination
  // The object's checksum as the client computed it (x-amz-checksum-* of the request; a
  // COMPOSITE one with or without its "-<parts>" suffix): BadDigest when the completed
  // object's differs, InvalidRequest when the upload has another algorithm or none.
  std::optional<Checksum> expected_checksum;
  RequestOrigin origin{};  // for the notifications it causes (notifications.h)
};

struct UploadInfo {
  std::string key;
  std::string upload_id;
  int64_t initiated_ns = 0;
  ObjectMeta meta;
  ChecksumAlgorithm checksum_algorithm = ChecksumAlgorithm::kNone;
  StorageInfo storage;  // the encryption parts get (stored_size unused)
  ChecksumType checksum_type = ChecksumType::kComposite;  // meaningful with an algorithm
};

struct ListUploadsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  uint32_t max_uploads = 1000;
};

struct ListUploadsResult {
  std::vector<UploadInfo> uploads;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

struct ListPartsRequest {
  std::string bucket;
  std::string key;
  std::string upload_id;
  uint32_t part_number_marker = 0;
  uint32_t max_parts = 1000;
};

struct ListPartsResult {
  UploadInfo upload;
  std::vector<PartInfo> parts;
  bool truncated = false;
  uint32_t next_part_number_marker = 0;
};

// Moves one object to a new key in the same bucket without copying data (metadata only, atomic).
// A name of a link group takes its membership to the new key (the file keeps its other names);
// renaming a name onto another name of the same group changes nothing (POSIX rename(2)).
struct RenameObjectRequest {
  std::string bucket;
  std::string src_key;
  std::string dst_key;
  bool no_replace = false;  // fail with PreconditionFailed when dst_key exists
  // POSIX semantics (the FUSE mount): refuse with ObjectLocked when the current version is under
  // retention or legal hold, instead of hiding it behind a newer version or delete marker as
  // S3 does. The locked data is kept either way.
  bool protect_locked = false;
  // false: the metadata commit does not wait for the disk (blob data is still synced before
  // it, so no later sync can make a record point at lost data). Survives a crash of the
  // process, not of the machine, until the next durable commit or Engine::Sync. The FUSE mount
  // uses this for close-to-open writes; S3 requests are always durable.
  bool durable = true;
};

// Moves every object whose key starts with src_prefix to dst_prefix + the rest of its key, in
// one atomic step (a directory rename). Fails with PreconditionFailed when any key under
// dst_prefix exists, and with EntityTooLarge past max_keys objects (nothing is moved then).
struct RenamePrefixRequest {
  std::string bucket;
  std::string src_prefix;  // REQUIRES: non-empty
  std::string dst_prefix;  // REQUIRES: non-empty, not under src_prefix
  uint32_t max_keys = 100000;
  // POSIX semantics (the FUSE mount): refuse with ObjectLocked when the current version is under
  // retention or legal hold, instead of hiding it behind a newer version or delete marker as
  // S3 does. The locked data is kept either way.
  bool protect_locked = false;
  // false: the metadata commit does not wait for the disk (blob data is still synced before
  // it, so no later sync can make a record point at lost data). Survives a crash of the
  // process, not of the machine, until the next durable commit or Engine::Sync. The FUSE mount
  // uses this for close-to-open writes; S3 requests are always durable.
  bool durable = true;
};

// Changes one version's user metadata in place (UpdateObjectMetadata): no new version, and
// the data, ETag, Last-Modified, checksums and version list stay as they are.
struct MetadataChange {
  std::string name;                  // lower-case user-metadata name (no "x-amz-meta-")
  std::optional<std::string> value;  // nullopt removes the entry
  // Checked atomically with the change; PreconditionFailed when it does not hold.
  enum class Require : uint8_t { kAny = 0, kPresent, kAbsent };
  Require require = Require::kAny;
};

struct UpdateObjectMetadataRequest {
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  // Applied in order. Names: 1-255 characters of an HTTP token in lower case (what S3 accepts
  // as an x-amz-meta- name), else InvalidArgument; the resulting user metadata may hold at
  // most kMaxUserMetadataBytes of names and values (EntityTooLarge).
  std::vector<MetadataChange> changes;
  Preconditions preconditions;  // if_match / if_none_match on the version's ETag only
  // Hard links (the FUSE mount): apply the changes to the current version of every name of
  // the key's link group (one file, one set of attributes). REQUIRES: version_id empty.
  bool all_links = false;
  // As PutObjectRequest::durable.
  bool durable = true;
};

// Changes a bucket's own metadata (Engine::UpdateBucketMetadata), with the rules of
// UpdateObjectMetadataRequest::changes.
struct UpdateBucketMetadataRequest {
  std::string bucket;
  std::vector<MetadataChange> changes;
  bool durable = true;  // as PutObjectRequest::durable
};

// Largest user metadata (names plus values, bytes) UpdateObjectMetadata leaves on a version.
// S3 limits what a PUT may send to 2 KiB; the mount's extended attributes need more.
inline constexpr size_t kMaxUserMetadataBytes = 64 * 1024;

// Makes dst_key a hard link of src_key (the FUSE mount's link(2)): both names become members
// of one link group (created on the first link) and dst_key gets a new version sharing the
// source's data, metadata and ACL (no byte copied). Later writes and metadata changes made
// with write_links / all_links reach every name; any other new version or delete of a name
// takes that name out of the group.
struct LinkObjectRequest {
  std::string bucket;
  std::string src_key;  // NoSuchKey unless it has a current version
  std::string dst_key;  // PreconditionFailed when it has one
  bool durable = true;  // as PutObjectRequest::durable
};

// Most names one link group may have (InvalidRequest with SubCode kTooManyLinks past it).
inline constexpr uint32_t kMaxLinkCount = 1000;

struct ListObjectsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;  // empty: no grouping
  // Only keys (and common prefixes) strictly greater than this are listed.
  std::string start_after;
  uint32_t max_keys = 1000;  // objects plus common prefixes; clamped to 1000
  // Fill meta.user of each object (the FUSE mount builds attributes from it; S3 listings
  // do not show user metadata).
  bool with_user_meta = false;
};

struct ListObjectsResult {
  std::vector<ObjectInfo> objects;  // meta.user only with with_user_meta
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  // When truncated: the last key or common prefix returned; passing it as start_after resumes.
  std::string next_start_after;
};

}  // namespace maxiofs::engine
