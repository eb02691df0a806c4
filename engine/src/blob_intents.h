// Blob intents: the engine's unfinished business with its blob store, kept in LevelDB so that
// start-up never has to list the store (whose size has no bound; a remote store may hold 10^8
// blobs). Two kinds, both under intent-key := 'T' blob-id (key_codec.h):
//
//   intent-value := kind (1 byte) since (fixed64 LE, ns since the epoch, UTC)
//   kind         := 'u'   an upload under way: written (synced when the write is durable)
//                         before the blob is created; deleted in the batch that first
//                         references the blob, or after the blob was discarded
//                  | 'd'  a deletion owed: written in the batch that drops the blob's last
//                         reference; deleted once the store confirmed the delete
//
// After a crash every 'u' whose blob has no reference count and every 'd' is settled by
// deleting the blob (a blob already gone counts as deleted); nothing else is looked at, so
// start-up costs what was in flight, not what is stored.
//
// Thread-safety: pure functions.
#pragma once

#include "maxiofs/common/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine {

enum class IntentKind : char {
  kUpload = 'u',  // a blob being written; nothing references it yet
  kDelete = 'd',  // a blob no record references; the store still holds it
};

struct BlobIntent {
  IntentKind kind = IntentKind::kUpload;
  int64_t since_ns = 0;  // when the intent was recorded
};

std::string EncodeIntent(const BlobIntent& intent);
// Corruption when `in` is not an intent-value.
Result<BlobIntent> DecodeIntent(std::string_view in);

}  // namespace maxiofs::engine
