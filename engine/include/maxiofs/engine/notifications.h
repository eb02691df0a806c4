// Bucket notifications (S3's PutBucketNotificationConfiguration): a bucket's rules name the
// changes (events such as s3:ObjectCreated:*) and the targets that hear about them. Targets are
// configured on the server (app/ makes them; the engine only knows their names and calls
// NotificationTarget::Send); a rule names one as arn:maxiofs:sqs::NAME.
//
// Delivery is at least once and survives crashes: the engine writes each event to a queue in
// its metadata store in the same batch as the change it describes, so every front end (S3, the
// FUSE mount, the console) and the lifecycle worker produce events alike. One delivery thread
// per target sends the queue in order (so the events of one key arrive in the order of its
// changes), deletes an entry only once the target acknowledged it, and retries with jittered
// backoff while the target is down. The queue of a target is bounded
// (NotifyOptions::queue_limit): past it the oldest events are dropped, counted and logged.
// See docs/events.md.
#pragma once

#include "maxiofs/common/status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine {

// Which S3 element a rule came from. All three deliver to a target alike; the kind is kept
// so GetBucketNotificationConfiguration answers what was put.
enum class NotificationKind : uint8_t {
  kQueue = 0,          // QueueConfiguration (Queue ARN)
  kTopic = 1,          // TopicConfiguration (Topic ARN)
  kCloudFunction = 2,  // CloudFunctionConfiguration (LambdaFunctionArn)
};

// One rule: the events (exact names like "s3:ObjectCreated:Put" or wildcards like
// "s3:ObjectCreated:*") of keys matching prefix and suffix go to the target `arn` names.
struct NotificationRule {
  NotificationKind kind = NotificationKind::kQueue;
  std::string id;                   // S3's Id; a random one is given when empty
  std::string arn;                  // arn:maxiofs:sqs::NAME (any service/region/account part)
  std::vector<std::string> events;  // at least one
  std::string prefix;               // FilterRule Name=prefix ("" matches every key)
  std::string suffix;               // FilterRule Name=suffix
  friend bool operator==(const NotificationRule&, const NotificationRule&) = default;
};

// A bucket's whole configuration; no rules = notifications off.
struct NotificationConfiguration {
  std::vector<NotificationRule> rules;
  friend bool operator==(const NotificationConfiguration&,
                         const NotificationConfiguration&) = default;
};

// The events a rule may name (S3's names; the ones this server produces are marked *):
//   s3:ObjectCreated:{*,Put*,Post*,Copy*,CompleteMultipartUpload*}
//   s3:ObjectRemoved:{*,Delete*,DeleteMarkerCreated*}
//   s3:ObjectTagging:{*,Put*,Delete*}
//   s3:LifecycleExpiration:{*,Delete*,DeleteMarkerCreated*}
//   s3:ObjectRestore:{*,Post,Completed,Delete}, s3:ObjectAcl:Put, s3:Replication:*,
//   s3:LifecycleTransition, s3:IntelligentTiering, s3:ReducedRedundancyLostObject
// True when `name` is one of them.
bool IsNotificationEvent(std::string_view name);

// Who made a change and from where, for the events it causes. Every field may be empty
// (unknown); the engine only copies them into the event.
struct RequestOrigin {
  std::string principal_id;  // the requester (its access key id, or the mount's user)
  std::string source_ip;     // the client's address
  std::string request_id;    // the front end's request id (x-amz-request-id)
};

// A destination of events, made by app/ from the server's configuration (webhook, redis ...).
// Thread-safety: Send and Check are called from one thread at a time (the target's delivery
// thread; Check also once before it starts).
class NotificationTarget {
 public:
  virtual ~NotificationTarget() = default;
  // Its configured name (the NAME of arn:maxiofs:sqs::NAME): [A-Za-z0-9_.-], 1-64 chars.
  virtual const std::string& name() const = 0;
  // Its kind, for logs and metrics ("webhook", "redis").
  virtual std::string_view type() const = 0;
  // Hands one message (S3's event JSON: {"Records":[...]} or an s3:TestEvent) to the target.
  // OK only once the target acknowledged it; any error (Unavailable, ...) makes the engine
  // retry the same message later. Must return within a bounded time (its own timeouts).
  virtual Status Send(std::string_view message) = 0;
  // Whether the target is reachable now (OK, or Unavailable with the reason). Used at start to
  // log a clear error per target; the server starts either way.
  virtual Status Check() = 0;
};

// What one target's delivery has done since the engine opened (for metrics and tests).
struct NotificationTargetStats {
  std::string name;
  std::string type;
  uint64_t queued = 0;          // events waiting in its queue now
  uint64_t enqueued = 0;        // events added to its queue since open
  uint64_t delivered = 0;       // acknowledged by the target
  uint64_t failed = 0;          // attempts that failed (each retried later)
  uint64_t dropped = 0;         // oldest events dropped because the queue was full
  uint64_t latency_count = 0;   // delivered events whose latency is summed below
  uint64_t latency_sum_us = 0;  // enqueue (commit) to acknowledgement, summed (microseconds)
  // Delivered events by latency: latency_buckets[i] counts those at most
  // kNotifyLatencyBoundsMs[i] (cumulative, Prometheus-style); the count above is "+Inf".
  std::vector<uint64_t> latency_buckets;
};

// Upper bounds (ms) of NotificationTargetStats::latency_buckets.
inline constexpr double kNotifyLatencyBoundsMs[] = {1,   2.5, 5,    10,   25,    50,   100,
                                                    250, 500, 1000, 2500, 10000, 60000};

}  // namespace maxiofs::engine
