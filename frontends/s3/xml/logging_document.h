// The BucketLoggingStatus document of Put/GetBucketLogging (S3's server access logging), both
// ways. Pure; thread-safe.
#pragma once

#include "s3_error.h"

#include "maxiofs/engine/bucket_logging.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

// Largest PutBucketLogging body read (bytes): 100 grants fit many times over.
inline constexpr size_t kMaxLoggingDocumentBytes = 64 * 1024;

// Parses a PutBucketLogging body: nullopt for an empty <BucketLoggingStatus/> (logging off),
// the configuration for one with <LoggingEnabled>. MalformedXML for another root, a
// LoggingEnabled without TargetBucket or TargetPrefix, repeated or unknown elements, a Grant
// without a Grantee (ID, URI or EmailAddress) or with a Permission other than FULL_CONTROL,
// READ or WRITE, a TargetObjectKeyFormat with both or neither of SimplePrefix and
// PartitionedPrefix, or a PartitionDateSource other than EventTime / DeliveryTime. Whether the
// target can take logs is the engine's call.
S3Result<std::optional<engine::BucketLoggingConfig>> ParseBucketLoggingStatus(
    std::string_view body);

// The GetBucketLogging answer; `config` nullopt gives an empty BucketLoggingStatus. The key
// format is always given (SimplePrefix when none was set, as S3 answers).
std::string BucketLoggingStatusXml(const std::optional<engine::BucketLoggingConfig>& config);

}  // namespace maxiofs::s3
