// ListObjects: one page of current objects in key order (WalkListing does the grouping).
#include "engine_impl.h"
#include "key_codec.h"
#include "listing_walk.h"

#include <memory>

namespace maxiofs::engine {

Result<ListObjectsResult> EngineImpl::ListObjects(const ListObjectsRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  ListObjectsResult out;
  const uint32_t max_keys = std::min<uint32_t>(req.max_keys, 1000);
  if (max_keys == 0) return out;
  uint32_t count = 0;
  Status decode_error;
  ListingWalk w;
  w.base = ObjectKeyPrefix(req.bucket);
  w.prefix = req.prefix;
  w.delimiter = req.delimiter;
  w.cp_floor = req.start_after;
  w.key_of = [](std::string_view tail, std::string_view* key) {
    *key = tail;
    return true;
  };
  w.on_prefix = [&](std::string cp) {
    if (count == max_keys) return !(out.truncated = true);
    out.next_start_after = cp;
    out.common_prefixes.push_back(std::move(cp));
    ++count;
    return true;
  };
  w.on_entry = [&](std::string_view key, leveldb::Iterator* it) {
    if (key <= req.start_after) return true;
    if (count == max_keys) return !(out.truncated = true);
    Result<ObjectRecord> rec = DecodeObjectRecord(View(it->value()));
    if (!rec.has_value()) {
      decode_error = rec.error();
      return false;
    }
    if (!req.with_user_meta) rec->meta.user.clear();
    out.objects.push_back(ToObjectInfo(req.bucket, key, *rec));
    if (req.with_user_meta) {
      // The mount's view: hard-link counts too (a read only for keys flagged as linked).
      Status s = FillLinkInfo(req.bucket, key, *rec, &out.objects.back());
      if (!s.ok()) {
        decode_error = std::move(s);
        return false;
      }
    }
    out.next_start_after = out.objects.back().key;
    ++count;
    return true;
  };
  leveldb::ReadOptions ro;
  ro.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(ro));
  it->Seek(w.base + std::max(req.prefix, req.start_after));
  MAXIOFS_RETURN_IF_ERROR(WalkListing(it.get(), w));
  MAXIOFS_RETURN_IF_ERROR(decode_error);
  if (!out.truncated) out.next_start_after.clear();
  return out;
}

}  // namespace maxiofs::engine
