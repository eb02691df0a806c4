// ListObjectVersions: every version and delete marker, by key, newest first within a key, with
// prefix, delimiter and the key/version-id markers. Common prefixes are skipped with one Seek.
#include "engine_impl.h"
#include "key_codec.h"

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
  leveldb::ReadOptions ro;
  ro.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(ro));
  it->Seek(seek);
  uint32_t count = 0;
  while (it->Valid()) {
    std::string_view full = View(it->key());
    if (!full.starts_with(base)) break;
    std::string_view key, vkey;
    if (!SplitVersionTail(full.substr(base.size()), &key, &vkey)) {
      return Status::Corruption("malformed version key");
    }
    if (!key.starts_with(prefix)) break;
    if (full == skip_exact) {
      it->Next();
      continue;
    }
    if (!req.delimiter.empty()) {
      size_t pos = key.find(req.delimiter, prefix.size());
      if (pos != std::string_view::npos) {
        std::string cp(key.substr(0, pos + req.delimiter.size()));
        std::string past = base + cp + '\xff';
        if (!req.key_marker.empty() && cp <= req.key_marker) {
          it->Seek(past);
          continue;
        }
        if (count == max_keys) {
          out.truncated = true;
          break;
        }
        out.common_prefixes.push_back(cp);
        out.next_key_marker = std::move(cp);
        out.next_version_id_marker.clear();
        ++count;
        prev_key.clear();
        it->Seek(past);
        continue;
      }
    }
    if (count == max_keys) {
      out.truncated = true;
      break;
    }
    MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord rec, DecodeObjectRecord(View(it->value())));
    rec.meta.user.clear();
    ObjectInfo info = ToObjectInfo(req.bucket, key, rec);
    info.is_latest = key != prev_key;
    prev_key.assign(key);
    out.next_key_marker = info.key;
    out.next_version_id_marker = info.version_id;
    out.versions.push_back(std::move(info));
    ++count;
    it->Next();
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "list versions"));
  if (!out.truncated) {
    out.next_key_marker.clear();
    out.next_version_id_marker.clear();
  }
  return out;
}

}  // namespace maxiofs::engine
