// WalkListing: the one implementation of S3's listing walk (prefix, delimiter, common prefixes)
// shared by ListObjects, ListObjectVersions and ListMultipartUploads.
#pragma once

#include "maxiofs/common/status.h"

#include <leveldb/db.h>

#include <functional>
#include <string>
#include <string_view>

namespace maxiofs::engine {

struct ListingWalk {
  // The LevelDB key prefix of the listed family in one bucket (e.g. 'O' bucket '\0').
  std::string base;
  std::string prefix;     // S3 prefix of object keys
  std::string delimiter;  // empty: no grouping
  // Common prefixes <= this are skipped (the previous page ended at or inside them).
  std::string cp_floor;
  // The object key of an entry, given the LevelDB key after `base`. False: malformed.
  std::function<bool(std::string_view tail, std::string_view* key)> key_of;
  // Called per common prefix (once, then every key under it is skipped with one Seek).
  // Return false to stop the walk there.
  std::function<bool(std::string cp)> on_prefix;
  // Called per entry not grouped; `it` is positioned on it. Return false to stop there.
  std::function<bool(std::string_view key, leveldb::Iterator* it)> on_entry;
};

// Walks from the iterator's position while entries stay under base + prefix. Corruption for a
// malformed key; the iterator's error otherwise.
Status WalkListing(leveldb::Iterator* it, const ListingWalk& walk);

}  // namespace maxiofs::engine
