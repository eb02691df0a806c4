// The LifecycleConfiguration document of Put/GetBucketLifecycleConfiguration (and of the
// deprecated PutBucketLifecycle, whose rules carry a Prefix instead of a Filter): XML to the
// engine's LifecycleConfiguration and back, keeping the shape the client used.
//
// Parsing checks the schema only (MalformedXML, naming the rule when it can): elements where
// S3 allows them, Status exactly Enabled or Disabled, integers where integers go, a Filter with
// one member. Whether the values make sense (Days > 0, unique IDs, storage classes, ...) is the
// engine's decision (Engine::PutBucketLifecycle). Pure functions; thread-safe.
#pragma once

#include "s3_error.h"

#include "maxiofs/engine/lifecycle.h"

#include <string>
#include <string_view>

namespace maxiofs::s3 {

S3Result<engine::LifecycleConfiguration> ParseLifecycleConfiguration(std::string_view body);
std::string RenderLifecycleConfiguration(const engine::LifecycleConfiguration& config);

// x-amz-expiration: expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="<id>".
std::string ExpirationHeader(int64_t date_ns, std::string_view rule_id);

}  // namespace maxiofs::s3
