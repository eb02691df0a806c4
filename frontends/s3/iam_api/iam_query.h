// The IAM/STS query API request (S3Op::kIamQuery: POST / with a form body): reads the bounded
// form body, then authenticates it (SigV4 with service iam or sts; the payload hash is the
// body's, since SDKs send no x-amz-content-sha256 for these services), checks the session
// token, and runs the Action (iam_actions.h). Every answer, errors included, is in IAM's XML.
#pragma once

#include "handlers/handler.h"
#include "http_types.h"
#include "router.h"

#include "maxiofs/engine/engine.h"
#include "maxiofs/http/service.h"

#include <chrono>

namespace maxiofs::s3 {

// Largest form body accepted (bytes): a 6 KiB policy document, percent-encoded, fits.
inline constexpr size_t kMaxIamQueryBody = 64 * 1024;

// Starts the request. The body is authenticated when complete, so nothing happens before it
// was read; a body over kMaxIamQueryBody answers 400 InvalidInput at once. `engine` and
// `options` must outlive the returned request.
http::StartedRequest StartIamQuery(engine::Engine& engine, const ServiceOptions& options,
                                   const HttpRequest& request, const Route& route,
                                   std::chrono::system_clock::time_point now);

}  // namespace maxiofs::s3
