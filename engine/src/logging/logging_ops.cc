// Engine's server access logging operations: thin forwards to BucketLogging
// (logging/bucket_logging.h).
#include "../engine_impl.h"

namespace maxiofs::engine {

Status EngineImpl::PutBucketLogging(std::string_view bucket,
                                    const std::optional<BucketLoggingConfig>& config) {
  return logging_->Put(bucket, config);
}

Result<Engine::BucketLoggingState> EngineImpl::GetBucketLogging(std::string_view bucket) {
  MAXIOFS_ASSIGN_OR_RETURN(StoredBucketLogging stored, logging_->Get(bucket));
  BucketLoggingState state;
  if (stored.modified_ns != 0) state.config = std::move(stored.config);
  state.modified_ns = stored.modified_ns;
  return state;
}

bool EngineImpl::IsBucketLogged(std::string_view bucket) { return logging_->IsLogged(bucket); }

void EngineImpl::AppendAccessLog(std::string_view bucket, int64_t time_ns, std::string record) {
  logging_->Append(bucket, time_ns, std::move(record));
}

Result<uint64_t> EngineImpl::FlushAccessLogs() { return logging_->Flush(); }

AccessLogStats EngineImpl::access_log_stats() { return logging_->Stats(); }

}  // namespace maxiofs::engine
