#include "notify_targets.h"

#include "maxiofs/notify/webhook_target.h"

#include <memory>
#include <string>
#include <vector>

namespace maxiofs::app {

Status StartNotifyTargets(const Config& config, engine::Engine& engine, spdlog::logger& log) {
  std::vector<NotifyTargetConfig> all = config.notify.targets;
  if (!config.notify.webhook_name.empty()) {
    all.push_back({config.notify.webhook_name,
                   "webhook",
                   {{"endpoint", config.notify.webhook_endpoint},
                    {"auth_token", config.notify.webhook_auth_token}},
                   "notify.webhook_name"});
  }
  std::vector<std::unique_ptr<engine::NotificationTarget>> targets;
  for (const NotifyTargetConfig& t : all) {
    // The type and settings were checked with the config (config_keys.cc).
    notify::WebhookOptions o;
    o.name = t.name;
    auto get = [&](const char* k) {
      auto it = t.settings.find(k);
      return it == t.settings.end() ? std::string() : it->second;
    };
    o.endpoint = get("endpoint");
    o.auth_token = get("auth_token");
    o.ca_file = get("ca_file");
    if (std::string ms = get("timeout_ms"); !ms.empty()) o.timeout_ms = std::stoul(ms);
    auto made = notify::MakeWebhookTarget(o);
    if (!made.has_value()) {
      return Status::InvalidArgument("notification target '" + t.name +
                                     "': " + std::string(made.error().message()));
    }
    Status reachable = made.value()->Check();
    if (reachable.ok()) {
      log.info("notify: target '{}' ({}) at {} is reachable", t.name, t.type, o.endpoint);
    } else {
      log.error(
          "notify: target '{}' ({}) at {} is not reachable: {}; its events are queued and "
          "retried until it is",
          t.name, t.type, o.endpoint, reachable.message());
    }
    targets.push_back(std::move(made).value());
  }
  return engine.StartNotifications(std::move(targets));
}

}  // namespace maxiofs::app
