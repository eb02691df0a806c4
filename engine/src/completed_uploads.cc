#include "completed_uploads.h"

#include "codec_primitives.h"
#include "engine_impl.h"
#include "key_codec.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace maxiofs::engine {

namespace {
constexpr uint8_t kCompletedUploadFormat = 1;
}  // namespace

std::string EncodeCompletedUpload(const CompletedUpload& c) {
  std::string out;
  codec::PutByte(&out, kCompletedUploadFormat);
  codec::PutVarint(&out, static_cast<uint64_t>(c.completed_ns));
  codec::PutStr(&out, c.vkey);
  codec::PutStr(&out, c.etag);
  return out;
}

Result<CompletedUpload> DecodeCompletedUpload(std::string_view in) {
  codec::Reader r(in);
  CompletedUpload c;
  if (r.Byte() != kCompletedUploadFormat) return Status::Corruption("completed upload format");
  c.completed_ns = static_cast<int64_t>(r.Varint());
  c.vkey = r.Str();
  c.etag = r.Str();
  if (!r.ok() || !r.done() || c.vkey.size() != kVkeySize) {
    return Status::Corruption("malformed completed upload record");
  }
  return c;
}

Status StagePruneCompletedUploads(leveldb::DB& db, std::string_view bucket, std::string_view key,
                                  int64_t now_ns, leveldb::WriteBatch* batch) {
  const std::string prefix = CompletedUploadKeyPrefix(bucket, key);
  std::vector<std::pair<int64_t, std::string>> kept;  // completed ns, record key
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    Result<CompletedUpload> c = DecodeCompletedUpload(View(it->value()));
    // An unreadable record helps no retry: it goes too.
    if (!c.has_value() || now_ns - c->completed_ns > kCompletedUploadRetentionNs) {
      batch->Delete(it->key());
    } else {
      kept.emplace_back(c->completed_ns, it->key().ToString());
    }
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan completed uploads"));
  if (kept.size() + 1 > kMaxCompletedUploadsPerKey) {
    std::sort(kept.begin(), kept.end());  // oldest first
    for (size_t i = 0; i + kMaxCompletedUploadsPerKey < kept.size() + 1; ++i) {
      batch->Delete(kept[i].second);
    }
  }
  return Status::OK();
}

}  // namespace maxiofs::engine
