// The CORSConfiguration document of Put/GetBucketCors (botocore's CORSConfiguration and
// CORSRule shapes): parsed into the engine's CorsConfiguration, and written back.
// Pure; thread-safe.
#pragma once

#include "s3_error.h"

#include "maxiofs/engine/cors.h"

#include <string>
#include <string_view>

namespace maxiofs::s3 {

// Largest CORSConfiguration document accepted (bytes), as S3: 64 KiB.
inline constexpr size_t kMaxCorsDocumentBytes = 64 * 1024;

// MalformedXML (naming the rule by number and ID where one is at fault) for a document that is
// not well-formed or breaks the schema: another root, an unknown element, a rule without
// AllowedMethod or AllowedOrigin, two IDs or MaxAgeSeconds in a rule, a MaxAgeSeconds that is
// not a decimal integer of 32 bits. The engine checks the rest (methods, wildcards, limits).
S3Result<engine::CorsConfiguration> ParseCorsConfiguration(std::string_view body);

// GetBucketCors's answer: <CORSConfiguration> with one <CORSRule> per rule, in order.
std::string CorsConfigurationXml(const engine::CorsConfiguration& config);

}  // namespace maxiofs::s3
