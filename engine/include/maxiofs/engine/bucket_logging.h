// Server access logging (S3's PutBucketLogging / GetBucketLogging): a source bucket's requests
// are recorded, one line each, and delivered as objects into a target bucket the owner chose.
//
// The engine keeps each bucket's configuration (with the bucket, removed with it), checks it
// as S3 does, buffers the records a front end hands it per target bucket, and writes them as
// log objects itself (not through any front end, so delivering a log is never logged, also
// when the target is the source). What a record says is the front end's business (the S3
// front end writes S3's server access log format); the engine treats a record as one line.
// See docs/bucket-logging.md.
#pragma once

#include "maxiofs/engine/iam.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace maxiofs::engine {

// How log object keys are made (S3's TargetObjectKeyFormat).
enum class LogKeyFormat : uint8_t {
  // [TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString
  kSimplePrefix = 0,
  // [TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/YYYY/MM/DD/
  // YYYY-mm-DD-HH-MM-SS-UniqueString
  kPartitionedPrefix = 1,
};

// Which date the partitions of kPartitionedPrefix name (S3's PartitionDateSource).
enum class LogPartitionDateSource : uint8_t {
  kEventTime = 0,     // the time of the first record in the object
  kDeliveryTime = 1,  // the time the object is written
};

// A grant S3 adds to every delivered log object (TargetGrants): grantee as in ACLs
// (canonical user, group or e-mail, resolved like an ACL's), permission kRead, kWrite or
// kFullControl only (S3's BucketLogsPermission).
using LogTargetGrant = AclGrant;

// One source bucket's logging configuration (S3's LoggingEnabled).
struct BucketLoggingConfig {
  std::string target_bucket;
  std::string target_prefix;                  // may be empty; at most kMaxLogTargetPrefixBytes
  std::vector<LogTargetGrant> target_grants;  // at most 100
  LogKeyFormat key_format = LogKeyFormat::kSimplePrefix;
  LogPartitionDateSource date_source = LogPartitionDateSource::kEventTime;  // kPartitioned only
  friend bool operator==(const BucketLoggingConfig&, const BucketLoggingConfig&) = default;
};

// Longest TargetPrefix (bytes): the key made from it must stay within S3's 1024 bytes.
inline constexpr size_t kMaxLogTargetPrefixBytes = 512;

// The logging service principal a target bucket's policy must allow s3:PutObject to (AWS:
// {"Service": "logging.s3.amazonaws.com"}), with aws:SourceArn = arn:aws:s3:::<source> and
// aws:SourceAccount = the account id (or its canonical user id) as condition values.
inline constexpr std::string_view kLoggingServicePrincipal = "logging.s3.amazonaws.com";

// What the delivery has done since the engine opened (for metrics and tests).
struct AccessLogStats {
  uint64_t records_accepted = 0;  // handed over by front ends and buffered
  uint64_t records_dropped = 0;   // not buffered (buffer full) or not delivered (see below)
  uint64_t objects_delivered = 0;
  uint64_t delivery_failures = 0;  // log objects that could not be written (records dropped)
  uint64_t buffered_bytes = 0;     // now waiting for delivery
};

}  // namespace maxiofs::engine
