// LevelDB key layout of the engine's metadata. One byte of type, then the fields; NUL separates
// bucket from key (neither may contain NUL), so keys of one bucket are contiguous and ordered by
// the object key's bytes, which is S3's listing order.
//
//   bucket-key  := 'B' bucket                             -> BucketRecord (record_codec.h)
//   current-key := 'O' bucket '\0' key                    -> ObjectRecord of the current version
//                                                            (absent when it is a delete marker)
//   version-key := 'V' bucket '\0' key '\0' vkey          -> ObjectRecord of one version
//   null-key    := 'N' bucket '\0' key                    -> vkey of the key's "null" version
//   upload-key  := 'U' bucket '\0' key '\0' upload-id     -> UploadRecord
//   part-key    := 'P' upload-id part-number(4 bytes BE)  -> PartRecord
//   done-key    := 'E' bucket '\0' key '\0' upload-id     -> CompletedUpload
//                                                            (completed_uploads.h): what a
//                                                            repeated completion answers
//   inline-key  := 'I' data-id                            -> the bytes of an inline object
//   ref-key     := 'R' blob-id                            -> fixed64 LE reference count
//   intent-key  := 'T' blob-id                            -> BlobIntent (blob_intents.h): an
//                                                            upload under way, or a deletion
//                                                            still owed to the blob store
//   bucket-meta := 'D' bucket                             -> the bucket's own metadata
//                                                            (EncodeUserMetaList)
//   link-of-key := 'H' bucket '\0' key                    -> link id of the key's link group
//   link-member := 'G' bucket '\0' link-id '\0' key        -> "" (one per name of the group)
//   format-key  := 'F' "format"                           -> decimal format version ("8")
//   backend-key := 'F' "backend"                          -> EngineOptions::blob_store_binding
//                                                            of the store holding the blobs
//   intents-key := 'F' "intents"                          -> "1": every blob upload and owed
//                                                            deletion since is an intent-key
//                                                            (absent: one full sweep is due)
//   store-key   := 'F' "store"                            -> the blob store's id
//                                                            (store_binding.cc)
//   check-key   := 'K' master-key-id                      -> check value of that master key
//   kms-key     := 'M' name                               -> KMS key record (seal_plan.cc)
//   identity    := 'i' sub-tag ...                        -> IAM users, access keys, groups,
//                                                            policies, sessions
//                                                            (iam/identity_records.h)
//   access-key  := 'X' kind bucket                        -> a bucket's setting:
//                  kind 'p' bucket policy (the JSON text), 'a' bucket ACL (EncodeAcl,
//                  record_codec.h), 'b' public-access block (one flags byte) -- these three in
//                  iam/bucket_access.cc; 't' bucket tags (EncodeTags, record_codec.h;
//                  bucket_tagging.cc); 'c' the bucket's CORS rules (cors/bucket_cors.cc,
//                  cors/cors_codec.h); 'o' ownership controls; 'g' the bucket's server
//                  access logging (logging/bucket_logging.cc, logging/logging_codec.h);
//                  'n' the bucket's notification rules (notify/notify_config.h, JSON).
//                  Created and deleted with the bucket.
//   usage-key   := 'C' bucket '\0' shard(1 byte)         -> usage counters (usage_counters.h)
//   quota-key   := 'Q' bucket                             -> BucketQuota (usage_counters.h)
//   lifecycle-key := 'L' bucket                           -> lifecycle configuration
//                                                            (lifecycle/lifecycle_codec.h)
//   lc-cursor-key := 'W' bucket                           -> where the lifecycle worker's pass
//                                                            over the bucket stands
//   event-key   := 'Y' target '\0' seq(8 bytes BE)         -> one queued bucket notification
//                                                            for that target (notify/
//                                                            event_queue.h); seq grows per
//                                                            engine, so a target's queue sorts
//                                                            in order of its events
//
// vkey is 16 bytes: big-endian (2^64-1 - creation ns) then 8 random bytes, so a key's versions
// sort newest first; its hex form is the version id. upload-id is 32 hex characters: the
// big-endian creation ns then 8 random bytes, so uploads of a key sort by initiation time.
// data-id, blob-id and link-id are 32 lower-case hex characters. A key is a name of at most one
// link group; both records of a name change only under that key's stripe, so a name's
// membership never races another name's. See docs/architecture.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::engine {

inline constexpr char kBucketTag = 'B';
inline constexpr char kObjectTag = 'O';
inline constexpr char kVersionTag = 'V';
inline constexpr char kNullTag = 'N';
inline constexpr char kUploadTag = 'U';
inline constexpr char kPartTag = 'P';
inline constexpr char kCompletedUploadTag = 'E';
inline constexpr char kInlineTag = 'I';
inline constexpr char kRefTag = 'R';
inline constexpr char kIntentTag = 'T';
inline constexpr char kKeyCheckTag = 'K';
inline constexpr char kKmsKeyTag = 'M';
inline constexpr char kIdentityTag = 'i';
inline constexpr char kAccessTag = 'X';
inline constexpr char kBucketMetaTag = 'D';
inline constexpr char kLinkOfKeyTag = 'H';
inline constexpr char kLinkMemberTag = 'G';
inline constexpr char kAccessPolicyKind = 'p';
inline constexpr char kAccessAclKind = 'a';
inline constexpr char kAccessBlockKind = 'b';
inline constexpr char kBucketTagsKind = 't';
inline constexpr char kAccessCorsKind = 'c';
inline constexpr char kAccessOwnershipKind = 'o';
inline constexpr char kAccessLoggingKind = 'g';
inline constexpr char kAccessNotifyKind = 'n';
// Every kind of 'X' setting: a new bucket starts without any, a deleted one leaves none.
inline constexpr char kBucketSettingKinds[] = {
    kAccessPolicyKind, kAccessAclKind,       kAccessBlockKind,   kBucketTagsKind,
    kAccessCorsKind,   kAccessOwnershipKind, kAccessLoggingKind, kAccessNotifyKind};
inline constexpr char kEventTag = 'Y';
inline constexpr char kUsageTag = 'C';
inline constexpr char kQuotaTag = 'Q';
inline constexpr char kLifecycleTag = 'L';
inline constexpr char kLifecycleCursorTag = 'W';
inline constexpr std::string_view kFormatKey = "Fformat";
inline constexpr std::string_view kFormatVersion = "8";
// Formats 2 (before sealed data), 3 (before ACLs in records), 4 (before record sections: tags),
// 5 (before usage counters), 6 (before the part-checksums section and ownership controls) and
// 7 (before FULL_OBJECT multipart checksums) are read as is; opening upgrades the marker (records
// are only ever written in the newer form when they need it). Opening a format 2-5 dir first builds
// its usage counters from a scan (format 6 is "counters exact"; older builds refuse it, so they
// cannot leave them stale). Format 7 keeps format-6 binaries out, which would fail on a record with
// section 3, grant by ACLs that BucketOwnerEnforced ('X' 'o') turned off, and treat each name of a
// hard-link group ('H'/'G') as an independent object, leaving the group stale on their writes.
// Format 8 keeps format-7 binaries out, which would fail on an upload record with section 4
// (its checksum type) and could not list or complete such an upload, and would leave a
// deleted bucket's access-logging setting ('X' 'g') for a new bucket of that name.
inline constexpr std::string_view kPreviousFormatVersions[] = {"2", "3", "4", "5", "6", "7"};
inline constexpr std::string_view kFormatsWithoutUsageCounters[] = {"2", "3", "4", "5"};
inline constexpr std::string_view kIntentsKey = "Fintents";
inline constexpr std::string_view kBackendKey = "Fbackend";
inline constexpr std::string_view kStoreKey = "Fstore";
inline constexpr size_t kVkeySize = 16;

std::string BucketKey(std::string_view bucket);
std::string BucketKeyPrefix();
std::string ObjectKey(std::string_view bucket, std::string_view key);
// 'O' bucket '\0'
std::string ObjectKeyPrefix(std::string_view bucket);
// 'V' bucket '\0'
std::string VersionBucketPrefix(std::string_view bucket);
// 'V' bucket '\0' key '\0'
std::string VersionKeyPrefix(std::string_view bucket, std::string_view key);
std::string VersionKey(std::string_view bucket, std::string_view key, std::string_view vkey);
std::string NullKey(std::string_view bucket, std::string_view key);
// 'U' bucket '\0'
std::string UploadBucketPrefix(std::string_view bucket);
std::string UploadKey(std::string_view bucket, std::string_view key, std::string_view upload_id);
std::string PartKeyPrefix(std::string_view upload_id);
// 'E' bucket '\0' key '\0' upload-id; 'E' bucket '\0' key '\0' (a key's); 'E' bucket '\0'.
std::string CompletedUploadKey(std::string_view bucket, std::string_view key,
                               std::string_view upload_id);
std::string CompletedUploadKeyPrefix(std::string_view bucket, std::string_view key);
std::string CompletedUploadBucketPrefix(std::string_view bucket);
std::string PartKey(std::string_view upload_id, uint32_t part_number);
std::string InlineKey(std::string_view data_id);
std::string BucketMetaKey(std::string_view bucket);
std::string LinkOfKey(std::string_view bucket, std::string_view key);
// 'G' bucket '\0' link-id '\0'
std::string LinkMemberPrefix(std::string_view bucket, std::string_view link_id);
std::string LinkMemberKey(std::string_view bucket, std::string_view link_id, std::string_view key);
std::string RefKey(std::string_view blob_id);
// 'C' bucket '\0' shard, and 'C' bucket '\0' (every shard of the bucket).
std::string UsageKey(std::string_view bucket, uint8_t shard);
std::string UsageKeyPrefix(std::string_view bucket);
std::string QuotaKey(std::string_view bucket);
std::string LifecycleKey(std::string_view bucket);
std::string LifecycleCursorKey(std::string_view bucket);
std::string IntentKey(std::string_view blob_id);
// 'T' (every intent-key)
std::string IntentKeyPrefix();
// 'X' kind bucket, and 'X' kind (every bucket's setting of that kind).
std::string AccessKey(char kind, std::string_view bucket);
std::string AccessKeyPrefix(char kind);
// 'Y' target '\0' seq (big-endian), and 'Y' target '\0' (every event queued for the target).
std::string EventKey(std::string_view target, uint64_t seq);
std::string EventKeyPrefix(std::string_view target);

// A new vkey for a version created at `ns` (ns since the epoch).
std::string MakeVkey(int64_t ns);
// The creation time encoded in a vkey.
int64_t VkeyTime(std::string_view vkey);
// The version id of a vkey (32 hex chars), and back; nullopt for a malformed id.
std::string VkeyToVersionId(std::string_view vkey);
std::optional<std::string> VersionIdToVkey(std::string_view version_id);

// A new upload id for an upload initiated at `ns`.
std::string MakeUploadId(int64_t ns);
bool IsValidUploadId(std::string_view id);

// Splits the tail of a version key (after VersionBucketPrefix) into key and vkey. False when
// malformed.
bool SplitVersionTail(std::string_view tail, std::string_view* key, std::string_view* vkey);
// Splits the tail of an upload key (after UploadBucketPrefix) into key and upload id.
bool SplitUploadTail(std::string_view tail, std::string_view* key, std::string_view* upload_id);

}  // namespace maxiofs::engine
