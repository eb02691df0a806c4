// What the engine keeps of a completed multipart upload so that a repeated
// CompleteMultipartUpload (a client retrying after a lost response) answers the same result,
// as S3 does, instead of NoSuchUpload.
//
//   done-key (key_codec.h) -> CompletedUpload:
//     byte(1: format) varint(completed ns since the epoch) str(vkey) str(etag)
//
// A record is written in the completion's own batch and is bounded twice: a completion drops
// the key's records older than kCompletedUploadRetentionNs and keeps at most
// kMaxCompletedUploadsPerKey of the rest; the upload sweeper (AbortUploadsInitiatedBefore)
// drops every record past the retention; DeleteBucket drops the bucket's.
#pragma once

#include "maxiofs/common/result.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine {

// A repeated completion is recognised for at least this long after the first one.
inline constexpr int64_t kCompletedUploadRetentionNs = int64_t{3600} * 1'000'000'000;
// Completions of one key remembered at once (the newest ones).
inline constexpr size_t kMaxCompletedUploadsPerKey = 8;

struct CompletedUpload {
  int64_t completed_ns = 0;
  std::string vkey;  // the version the completion made
  std::string etag;  // its ETag (hex MD5 "-" part count)
};

std::string EncodeCompletedUpload(const CompletedUpload& c);
Result<CompletedUpload> DecodeCompletedUpload(std::string_view in);

// Stages the deletion of `key`'s completion records that are older than the retention, or
// beyond the newest kMaxCompletedUploadsPerKey - 1 (room for the one being added).
// REQUIRES: the key's stripe is held.
Status StagePruneCompletedUploads(leveldb::DB& db, std::string_view bucket, std::string_view key,
                                  int64_t now_ns, leveldb::WriteBatch* batch);

}  // namespace maxiofs::engine
