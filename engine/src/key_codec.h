// LevelDB key layout of the engine's metadata. One byte of type, then the fields; NUL separates
// bucket from key (neither may contain NUL), so keys of one bucket are contiguous and ordered by
// the object key's bytes, which is S3's listing order.
//
//   meta-key    := bucket-key | object-key | inline-key | ref-key | format-key
//   bucket-key  := 'B' bucket                   -> BucketRecord (record_codec.h)
//   object-key  := 'O' bucket '\0' object-key   -> ObjectRecord
//   inline-key  := 'I' data-id                  -> the object's bytes (inline objects)
//   ref-key     := 'R' blob-id                  -> fixed64 LE reference count of a blob
//   format-key  := 'F' "format"                 -> decimal on-disk format version ("1")
//
// data-id and blob-id are 32 lower-case hex characters. See docs/architecture.md.
#pragma once

#include <string>
#include <string_view>

namespace maxiofs::engine {

inline constexpr char kBucketTag = 'B';
inline constexpr char kObjectTag = 'O';
inline constexpr char kInlineTag = 'I';
inline constexpr char kRefTag = 'R';
inline constexpr std::string_view kFormatKey = "Fformat";
inline constexpr std::string_view kFormatVersion = "1";

std::string BucketKey(std::string_view bucket);
// All buckets sort within ["B", "C").
std::string BucketKeyPrefix();
std::string ObjectKey(std::string_view bucket, std::string_view key);
// The prefix shared by every object key of `bucket`: 'O' bucket '\0'.
std::string ObjectKeyPrefix(std::string_view bucket);
std::string InlineKey(std::string_view data_id);
std::string RefKey(std::string_view blob_id);

}  // namespace maxiofs::engine
