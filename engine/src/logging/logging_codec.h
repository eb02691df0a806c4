// The stored form of a bucket's logging configuration (the value of its 'X' 'g' key,
// key_codec.h):
//
//   logging := 0x01 varint(modified ns) str(target bucket) str(target prefix)
//              byte(key format) byte(date source) varint(n) n * grant
//   grant   := byte(grantee type) str(grantee) byte(permission)
//   str     := varint(length) bytes          varint := LEB128 unsigned 64-bit
//
// The enum bytes are the values of LogKeyFormat, LogPartitionDateSource,
// AclGrant::GranteeType and AclPermission. Decoding checks every bound and enum: a damaged
// value is Corruption, never a crash.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/bucket_logging.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine {

struct StoredBucketLogging {
  BucketLoggingConfig config;
  int64_t modified_ns = 0;
};

std::string EncodeBucketLogging(const StoredBucketLogging& stored);
Result<StoredBucketLogging> DecodeBucketLogging(std::string_view in);

}  // namespace maxiofs::engine
