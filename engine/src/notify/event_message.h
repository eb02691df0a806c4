// The messages sent to notification targets: S3's event JSON (eventVersion 2.1) for a change,
// and S3's s3:TestEvent sent when a bucket's configuration names a target.
#pragma once

#include "maxiofs/engine/notifications.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine {

// A change that may be an event, staged by the operation that makes it (RefChanges::events);
// matched against the bucket's rules when its batch is committed.
struct EventDraft {
  std::string name;  // S3's event name without "s3:", e.g. "ObjectCreated:Put"
  std::string bucket;
  std::string key;
  bool has_data = false;   // size and etag describe the object (not for removals)
  uint64_t size = 0;       // bytes
  std::string etag;        // unquoted
  std::string version_id;  // "" or "null" (unversioned): not sent
  RequestOrigin origin;
};

// What varies between messages besides the draft.
struct EventContext {
  std::string region;            // awsRegion
  std::string configuration_id;  // the rule's Id
  uint64_t sequencer = 0;        // the queue sequence (increases with every event of the engine)
  int64_t time_ns = 0;           // eventTime (Unix ns)
};

// {"Records":[{...}]}: one record with S3's fields (eventVersion, eventSource, awsRegion,
// eventTime, eventName, userIdentity, requestParameters, responseElements, s3{...}).
std::string BuildEventMessage(const EventDraft& draft, const EventContext& ctx);

// {"Service":"Amazon S3","Event":"s3:TestEvent","Time":...,"Bucket":...,"RequestId":...,
// "HostId":...}
std::string BuildTestEventMessage(std::string_view bucket, const RequestOrigin& origin,
                                  int64_t time_ns);

// An object key as S3 writes it in events: form-URL-encoded (space as '+'; letters, digits,
// "-_.~/" and ... kept; every other byte as %XX).
std::string EventKeyEncode(std::string_view key);

// ISO 8601 UTC with milliseconds: 2024-05-01T12:00:00.123Z.
std::string EventTime(int64_t time_ns);

}  // namespace maxiofs::engine
