// ListObjects: one page in key order with prefix, delimiter (common prefixes) and start_after.
// A common prefix is emitted once and then skipped with a single Seek past every key under it,
// so listing cost does not depend on how many keys a common prefix hides.
#include "engine_impl.h"
#include "key_codec.h"

#include <memory>

namespace maxiofs::engine {

Result<ListObjectsResult> EngineImpl::ListObjects(const ListObjectsRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  ListObjectsResult out;
  const uint32_t max_keys = std::min<uint32_t>(req.max_keys, 1000);
  if (max_keys == 0) return out;

  const std::string base = ObjectKeyPrefix(req.bucket);
  const std::string& prefix = req.prefix;
  const std::string& after = req.start_after;
  leveldb::ReadOptions ro;
  ro.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db().NewIterator(ro));
  it->Seek(base + std::max(prefix, after));
  uint32_t count = 0;
  while (it->Valid()) {
    std::string_view full = View(it->key());
    if (!full.starts_with(base)) break;
    std::string_view key = full.substr(base.size());
    if (!key.starts_with(prefix)) break;
    if (key <= after) {
      it->Next();
      continue;
    }
    if (!req.delimiter.empty()) {
      size_t pos = key.find(req.delimiter, prefix.size());
      if (pos != std::string_view::npos) {
        std::string cp(key.substr(0, pos + req.delimiter.size()));
        // Keys are UTF-8 and never contain 0xFF: this sorts after every key under cp and
        // before every other key greater than cp.
        std::string past = base + cp + '\xff';
        if (cp <= after) {  // the page before ended inside (or at) this common prefix
          it->Seek(past);
          continue;
        }
        if (count == max_keys) {
          out.truncated = true;
          break;
        }
        out.common_prefixes.push_back(cp);
        out.next_start_after = std::move(cp);
        ++count;
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
    out.next_start_after = info.key;
    out.objects.push_back(std::move(info));
    ++count;
    it->Next();
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "list objects"));
  if (!out.truncated) out.next_start_after.clear();
  return out;
}

}  // namespace maxiofs::engine
