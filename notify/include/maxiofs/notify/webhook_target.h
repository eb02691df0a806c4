// WebhookTarget: a bucket notification target that POSTs each message (S3's event JSON) to an
// HTTP(S) endpoint, through the project's one HTTP client (clients/http, libcurl: keep-alive,
// TLS with the system's CA store or a given CA file). A 2xx answer acknowledges the message;
// anything else (another status, a refused connection, a timeout) is a failure the engine
// retries. With an auth token, every request carries "Authorization: Bearer <token>".
//
// Thread-safety: as NotificationTarget (one delivery thread calls it).
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/notifications.h"

#include <cstdint>
#include <memory>
#include <string>

namespace maxiofs::notify {

struct WebhookOptions {
  std::string name;        // the target's name (arn:maxiofs:sqs::NAME)
  std::string endpoint;    // http:// or https:// URL, already percent-encoded
  std::string auth_token;  // "" for none; never logged
  std::string ca_file;     // PEM CA bundle for https; "" for the system's store
  // One POST, connection included, in ms. Default 5000: a target that hangs is retried
  // rather than holding the delivery thread.
  uint32_t timeout_ms = 5000;
};

// InvalidArgument when the endpoint is not an http(s) URL or the CA file cannot be read.
Result<std::unique_ptr<engine::NotificationTarget>> MakeWebhookTarget(const WebhookOptions& o);

}  // namespace maxiofs::notify
