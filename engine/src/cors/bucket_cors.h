// BucketCors: every bucket's CORS rules, stored under 'X' 'c' bucket (key_codec.h, value
// cors_codec.h) and mirrored in memory as one compiled, immutable snapshot per bucket, so a
// preflight or an actual cross-origin request is answered without touching the disk. Buckets
// without rules of their own use the server-wide default (EngineOptions::cors_allowed_origins).
//
// The rules of a bucket are removed in the same batch as the bucket (StageDeleteBucket), and a
// new bucket starts without any (StageNewBucket clears a key a crash could have left).
//
// Thread-safety: all methods are safe to call concurrently. Mutations hold the engine's bucket
// lock (shared; create/delete bucket hold it exclusively), then write_mu, then mu.
#pragma once

#include "cors_rules.h"

#include "maxiofs/common/result.h"
#include "maxiofs/engine/cors.h"

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace leveldb {
class DB;
class WriteBatch;
}  // namespace leveldb

namespace maxiofs::engine {

class EngineImpl;

class BucketCors {
 public:
  // `db` and `engine` must outlive this object. `server_default` may be null (no default).
  BucketCors(leveldb::DB* db, EngineImpl& engine,
             std::shared_ptr<const CompiledCors> server_default);
  BucketCors(const BucketCors&) = delete;
  BucketCors& operator=(const BucketCors&) = delete;

  // Reads every stored configuration (at open). Corruption when one does not decode.
  Status Load();

  // Engine::PutBucketCors / GetBucketCors / DeleteBucketCors / MatchCors (engine.h).
  Status Put(std::string_view bucket, const CorsConfiguration& config);
  Result<CorsConfiguration> Get(std::string_view bucket);
  Status Delete(std::string_view bucket);
  CorsMatch Match(const CorsRequest& req) const;

  // --- for CreateBucket / DeleteBucket (REQUIRES: the bucket lock held exclusively) ----------
  static void StageNewBucket(std::string_view bucket, leveldb::WriteBatch* batch);
  static void StageDeleteBucket(std::string_view bucket, leveldb::WriteBatch* batch);
  // After the batch of StageDeleteBucket committed.
  void ForgetBucket(std::string_view bucket);

 private:
  std::shared_ptr<const CompiledCors> Find(std::string_view bucket) const;

  leveldb::DB* db_;
  EngineImpl& engine_;
  const std::shared_ptr<const CompiledCors> server_default_;
  // Serializes mutations (LevelDB write + memory update), so memory follows the write order.
  // Lock order: after the engine's bucket lock, before mu_.
  std::mutex write_mu_;
  // Guards rules_. Readers: Match and Get.
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<const CompiledCors>, std::less<>> rules_;
};

}  // namespace maxiofs::engine
