// Bucket notification rules: S3's checks, event matching, and the stored form (the value of
// the bucket's 'X' 'n' key, key_codec.h), which is JSON (read once at open):
//
//   {"v":1,"rules":[{"kind":0,"id":"...","arn":"...","events":["s3:..."],
//                    "prefix":"...","suffix":"..."}]}
//
// kind is NotificationKind's value. Decoding checks every field: a damaged value is Corruption.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/notifications.h"

#include <set>
#include <string>
#include <string_view>

namespace maxiofs::engine {

// The target name an ARN names: NAME of "arn:maxiofs:<service>:<region>:NAME" or
// "arn:maxiofs:<service>:<region>:<account>:NAME" (service, region and account are not
// checked; "arn:maxiofs:sqs::NAME" is the documented form); "" for any other string.
std::string NotificationTargetName(std::string_view arn);

// Checks `config` as S3 does against the configured `targets` (their names) and gives rules
// without an id a random one. InvalidArgument with S3's message for what it refuses (see
// Engine::PutBucketNotification).
Status ValidateNotificationConfiguration(NotificationConfiguration* config,
                                         const std::set<std::string, std::less<>>& targets);

// True when event `name` ("s3:ObjectCreated:Put") is one `pattern` names (itself, or a
// wildcard such as "s3:ObjectCreated:*").
bool NotificationEventMatches(std::string_view pattern, std::string_view name);
// True when `rule` asks for event `name` of `key`.
bool NotificationRuleMatches(const NotificationRule& rule, std::string_view name,
                             std::string_view key);

std::string EncodeNotificationConfiguration(const NotificationConfiguration& config);
Result<NotificationConfiguration> DecodeNotificationConfiguration(std::string_view in);

}  // namespace maxiofs::engine
