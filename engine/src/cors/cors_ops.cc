// Engine's CORS operations: thin forwards to BucketCors (cors/bucket_cors.h).
#include "../engine_impl.h"

namespace maxiofs::engine {

Status EngineImpl::PutBucketCors(std::string_view bucket, const CorsConfiguration& config) {
  return cors_->Put(bucket, config);
}

Result<CorsConfiguration> EngineImpl::GetBucketCors(std::string_view bucket) {
  return cors_->Get(bucket);
}

Status EngineImpl::DeleteBucketCors(std::string_view bucket) { return cors_->Delete(bucket); }

CorsMatch EngineImpl::MatchCors(const CorsRequest& req) { return cors_->Match(req); }

}  // namespace maxiofs::engine
