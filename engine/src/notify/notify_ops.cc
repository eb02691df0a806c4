// Engine's bucket notification operations: thin forwards to Notifications (event_queue.h).
#include "../engine_impl.h"

namespace maxiofs::engine {

Status EngineImpl::PutBucketNotification(std::string_view bucket,
                                         const NotificationConfiguration& config,
                                         const RequestOrigin& origin) {
  return notify_->Put(bucket, config, origin);
}

Result<NotificationConfiguration> EngineImpl::GetBucketNotification(std::string_view bucket) {
  return notify_->Get(bucket);
}

Status EngineImpl::StartNotifications(std::vector<std::unique_ptr<NotificationTarget>> targets) {
  return notify_->Start(std::move(targets));
}

std::vector<NotificationTargetStats> EngineImpl::notification_stats() { return notify_->Stats(); }

}  // namespace maxiofs::engine
