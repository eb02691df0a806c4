// Binary encodings of the engine's LevelDB values. Compact, versioned by a leading byte, decoded
// with bounds checks (a damaged value is Corruption, never a crash).
//
//   varint    := LEB128 unsigned 64-bit
//   str       := varint(length) bytes
//   BucketRecord v1 := 0x01 varint(created_ns as uint64)
//   ObjectRecord v1 := 0x01 varint(size) str(etag) varint(last_modified_ns as uint64)
//                      str(version_id) byte(storage: 0 inline, 1 blob) str(data_id)
//                      str(content_type) str(content_encoding) str(content_disposition)
//                      str(cache_control) str(content_language) str(expires) str(storage_class)
//                      varint(n) n * (str(name) str(value))          -- user metadata
//                      byte(checksum algorithm) str(checksum value)
//
// An inline object whose size is 0 has an empty data_id and no inline value.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/types.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine {

struct BucketRecord {
  int64_t created_ns = 0;
};

enum class StorageKind : uint8_t { kInline = 0, kBlob = 1 };

struct ObjectRecord {
  uint64_t size = 0;
  std::string etag;
  int64_t last_modified_ns = 0;
  std::string version_id = "null";
  StorageKind storage = StorageKind::kInline;
  std::string data_id;  // inline data id or blob id
  ObjectMeta meta;
  Checksum checksum;
};

std::string EncodeBucketRecord(const BucketRecord& r);
Result<BucketRecord> DecodeBucketRecord(std::string_view in);
std::string EncodeObjectRecord(const ObjectRecord& r);
Result<ObjectRecord> DecodeObjectRecord(std::string_view in);

std::string EncodeRefCount(uint64_t n);
Result<uint64_t> DecodeRefCount(std::string_view in);

// The public view of a record.
ObjectInfo ToObjectInfo(std::string_view bucket, std::string_view key, const ObjectRecord& r);

}  // namespace maxiofs::engine
