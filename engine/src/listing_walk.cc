#include "listing_walk.h"

#include "engine_impl.h"

namespace maxiofs::engine {

Status WalkListing(leveldb::Iterator* it, const ListingWalk& w) {
  while (it->Valid()) {
    std::string_view full = View(it->key());
    if (!full.starts_with(w.base)) break;
    std::string_view key;
    if (!w.key_of(full.substr(w.base.size()), &key)) {
      return Status::Corruption("malformed listing key");
    }
    if (!key.starts_with(w.prefix)) break;
    if (!w.delimiter.empty()) {
      size_t pos = key.find(w.delimiter, w.prefix.size());
      if (pos != std::string_view::npos) {
        std::string cp(key.substr(0, pos + w.delimiter.size()));
        // Keys are UTF-8 and never contain 0xFF: this sorts after every entry under cp and
        // before every other entry greater than cp.
        std::string past = w.base + cp + '\xff';
        if (!w.cp_floor.empty() && cp <= w.cp_floor) {
          it->Seek(past);
          continue;
        }
        if (!w.on_prefix(std::move(cp))) return Status::OK();
        it->Seek(past);
        continue;
      }
    }
    if (!w.on_entry(key, it)) return Status::OK();
    it->Next();
  }
  return FromLevelDb(it->status(), "list");
}

}  // namespace maxiofs::engine
