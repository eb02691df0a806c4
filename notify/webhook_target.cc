#include "maxiofs/notify/webhook_target.h"

#include "maxiofs/httpc/http_client.h"

#include <algorithm>

namespace maxiofs::notify {
namespace {

class WebhookTarget final : public engine::NotificationTarget {
 public:
  WebhookTarget(WebhookOptions options, std::unique_ptr<httpc::HttpClient> client)
      : options_(std::move(options)), client_(std::move(client)) {}

  const std::string& name() const override { return options_.name; }
  std::string_view type() const override { return "webhook"; }

  Status Send(std::string_view message) override {
    httpc::Request req;
    req.method = "POST";
    req.url = options_.endpoint;
    req.headers.emplace_back("Content-Type", "application/json");
    if (!options_.auth_token.empty()) {
      req.headers.emplace_back("Authorization", "Bearer " + options_.auth_token);
    }
    req.body.bytes = message;
    MAXIOFS_ASSIGN_OR_RETURN(httpc::Response resp, client_->Send(req, 64 * 1024));
    if (resp.status < 200 || resp.status > 299) {
      return Status::Unavailable("webhook " + options_.name + " answered HTTP " +
                                 std::to_string(resp.status));
    }
    return Status::OK();
  }

  // Reachable = the endpoint answers an HTTP request at all (any status): a HEAD, so no event
  // is sent.
  Status Check() override {
    httpc::Request req;
    req.method = "HEAD";
    req.url = options_.endpoint;
    if (!options_.auth_token.empty()) {
      req.headers.emplace_back("Authorization", "Bearer " + options_.auth_token);
    }
    auto resp = client_->Send(req, 0);
    if (!resp.has_value()) return resp.error();
    return Status::OK();
  }

 private:
  const WebhookOptions options_;
  std::unique_ptr<httpc::HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<engine::NotificationTarget>> MakeWebhookTarget(const WebhookOptions& o) {
  if (!o.endpoint.starts_with("http://") && !o.endpoint.starts_with("https://")) {
    return Status::InvalidArgument("the webhook endpoint must be an http:// or https:// URL");
  }
  httpc::HttpClientOptions ho;
  ho.ca_file = o.ca_file;
  ho.connect_timeout_ms = o.timeout_ms;
  ho.request_timeout_ms = o.timeout_ms;
  ho.stall_timeout_s = std::max<uint32_t>(1, o.timeout_ms / 1000);
  ho.max_idle_connections = 2;
  MAXIOFS_ASSIGN_OR_RETURN(std::unique_ptr<httpc::HttpClient> client, httpc::HttpClient::Make(ho));
  return std::unique_ptr<engine::NotificationTarget>(
      std::make_unique<WebhookTarget>(o, std::move(client)));
}

}  // namespace maxiofs::notify
