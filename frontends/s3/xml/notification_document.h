// The NotificationConfiguration document of Put/GetBucketNotificationConfiguration, both ways.
// Pure; thread-safe.
#pragma once

#include "s3_error.h"

#include "maxiofs/engine/notifications.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

// Largest PutBucketNotificationConfiguration body read (bytes).
inline constexpr size_t kMaxNotificationDocumentBytes = 256 * 1024;

// Parses a PutBucketNotificationConfiguration body (an empty <NotificationConfiguration/>
// gives no rules). MalformedXML for another root, unknown or repeated elements, a
// configuration without its ARN or an Event; InvalidArgument for a FilterRule Name other than
// prefix/suffix (either case) or one named twice (S3's messages); NotImplemented for
// EventBridgeConfiguration. The events, ARNs and overlaps are the engine's to check.
S3Result<engine::NotificationConfiguration> ParseNotificationConfiguration(std::string_view body);

// The GetBucketNotificationConfiguration answer.
std::string NotificationConfigurationXml(const engine::NotificationConfiguration& config);

}  // namespace maxiofs::s3
