// The keys of delivered log objects (S3's TargetObjectKeyFormat). Pure; thread-safe.
#pragma once

#include "maxiofs/engine/bucket_logging.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine {

// What names one log object.
struct LogKeyInputs {
  std::string_view source_bucket;
  std::string_view source_account;  // the account id S3 puts in partitioned keys
  std::string_view region;
  int64_t event_ns = 0;     // Unix ns of the object's first record
  int64_t delivery_ns = 0;  // Unix ns of the delivery
  std::string_view unique;  // the UniqueString: distinguishes objects of the same second
};

// kSimplePrefix: prefix + "YYYY-mm-DD-HH-MM-SS-" + unique (delivery time, UTC).
// kPartitionedPrefix: prefix + account/region/bucket/YYYY/MM/DD/ (the date of the config's
// date source) + "YYYY-mm-DD-HH-MM-SS-" + unique (delivery time, UTC).
std::string LogObjectKey(const BucketLoggingConfig& config, const LogKeyInputs& in);

}  // namespace maxiofs::engine
