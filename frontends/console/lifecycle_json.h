// A bucket's lifecycle configuration as JSON, in the shape boto3 and `aws s3api
// put-bucket-lifecycle-configuration --lifecycle-configuration file://rules.json` use:
//   {"Rules": [{"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
//               "Expiration": {"Days": 30},
//               "NoncurrentVersionExpiration": {"NoncurrentDays": 7, "NewerNoncurrentVersions": 2},
//               "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}}]}
// Filter members: Prefix, Tag {Key, Value}, ObjectSizeGreaterThan, ObjectSizeLessThan, or
// And {Prefix, Tags [...], ObjectSizeGreaterThan, ObjectSizeLessThan}; a rule may have the
// deprecated Prefix instead of a Filter. Dates are ISO 8601 ("2030-01-01" or
// "2030-01-01T00:00:00Z"). The shape is checked here (InvalidArgument naming the rule); whether
// the values make sense is the engine's decision. Pure functions; thread-safe.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/lifecycle.h"

#include <nlohmann/json.hpp>

namespace maxiofs::console {

Result<engine::LifecycleConfiguration> LifecycleFromJson(const nlohmann::json& doc);
nlohmann::json LifecycleToJson(const engine::LifecycleConfiguration& config);

}  // namespace maxiofs::console
