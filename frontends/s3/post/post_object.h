// POST Object: an upload from an HTML form (multipart/form-data on the bucket's URL), as S3
// defines it. The body streams through a FormParser (post/form_parser.h): the fields before the
// "file" part are kept (bounded), and when the file part begins the form is
//  1. authenticated by its policy's signature (auth/post_signature.h; no policy: anonymous),
//  2. checked against its policy (post/post_policy.h: expiration, conditions, extra fields),
//  3. turned into the PUT it stands for: a request whose headers are the form's fields
//     (acl -> x-amz-acl, Content-Type, x-amz-meta-*, x-amz-server-side-encryption*,
//     x-amz-checksum-*, ...), authorized with the same questions as a PUT (authz_map.h) and
//     started with the same handler (HandlePutObject),
// then the file's bytes stream into the engine's writer; nothing is visible until the whole
// file arrived within the policy's content-length-range, and an error leaves nothing stored.
// The answer follows success_action_redirect (303 to it with bucket, key and etag in the
// query) or success_action_status (200, 201 with a PostResponse document, 204 by default).
//
// Thread-safety: as http::RequestBody (one call at a time, on the engine pool).
#pragma once

#include "handlers/handler.h"
#include "http_types.h"
#include "router.h"

#include "maxiofs/engine/engine.h"

#include <chrono>

namespace maxiofs::s3 {

// Starts a POST Object (route.op == kPostObject). MalformedPOSTRequest at once for a
// Content-Type without a valid boundary. `engine` and `options` must outlive the returned
// request body.
http::StartedRequest StartPostObject(engine::Engine& engine, const ServiceOptions& options,
                                     const HttpRequest& request, const Route& route,
                                     std::chrono::system_clock::time_point now);

}  // namespace maxiofs::s3
