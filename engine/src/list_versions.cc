// ListObjectVersions: every version and delete marker, by key, newest first within a key, with
// prefix, delimiter and the key/version-id markers (WalkListing does the grouping).
#include "engine_impl.h"
#include "key_codec.h"
#include "listing_walk.h"

#include <memory>

namespace maxiofs::engine {

Result<ListVersionsResult> EngineImpl::ListObjectVersions(const ListVersionsRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  if (!req.version_id_marker.empty() && req.key_marker.empty()) {
    return Status::InvalidArgument("A version-id marker cannot be specified without a key marker.");
  }
  ListVersionsResult out;
  const uint32_t max_keys = std::min<uint32_t>(req.max_keys, 1000);
  if (max_keys == 0) return out;
  const std::string base = VersionBucketPrefix(req.bucket);
  const std::string& prefix = req.prefix;
  std::string seek = base + prefix;
  std::string skip_exact;  // the marker version itself
  std::string prev_key;    // the key of the last version seen (is_latest is its first version)
  if (!req.key_marker.empty()) {
    std::string after = base + req.key_marker + '\x01';  // past every version of key_marker
    if (!req.version_id_marker.empty()) {
      MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> marker,
                               LoadVersion(req.bucket, req.key_marker, req.version_id_marker));
      if (marker) {
        after = VersionKey(req.bucket, req.key_marker, marker->vkey);
        skip_exact = after;
        prev_key = req.key_marker;
      }
    }
    seek = std::max(seek, after);
  }
  uint32_t count = 0;
  Status decode_error;
  ListingWalk w;
  w.base = base;
  w.prefix = prefix;
  w.delimiter = req.delimiter;
  w.cp_floor = req.key_marker;
  w.key_of = [](std::string_view tail, std::string_view* key) {
    std::string_view vkey;
    return SplitVersionTail(tail, key, &vkey);
  };
  w.on_prefix = [&](std::string cp) {
    if (count == max_keys) return !(out.truncated = true);
    out.next_key_marker = cp;
    out.next_version_id_marker.clear();
    out.common_prefixes.push_back(std::move(cp));
    prev_key.clear();
    ++count;
    return true;
  };
  w.on_entry = [&](std::string_view key, leveldb::Iterator* it) {
    if (View(it->key()) == skip_exact) return true;
    if (count == max_keys) return !(out.truncated = true);
    Result<ObjectRecord> rec = DecodeObjectRecord(View(it->value()));
    if (!rec.has_value()) {
      decode_error = rec.error();
      return false;
    }
    if (!req.with_user_meta) rec->meta.user.clear();
    ObjectInfo info = ToObjectInfo(req.bucket, key, *rec);
    info.is_latest = key != prev_key;
    prev_key.assign(key);
    out.next_key_marker = info.key;
    out.next_version_id_marker = info.version_id;
    out.versions.push_back(std::move(info));
    ++count;
    return true;
  };
  leveldb::ReadOptions ro;
  ro.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(ro));
  it->Seek(seek);
  MAXIOFS_RETURN_IF_ERROR(WalkListing(it.get(), w));
  MAXIOFS_RETURN_IF_ERROR(decode_error);
  if (!out.truncated) {
    out.next_key_marker.clear();
    out.next_version_id_marker.clear();
  }
  return out;
}

}  // namespace maxiofs::engine
