#include "notify_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

namespace maxiofs::engine {
namespace {

// Every event name S3 accepts in a rule (wildcards included).
constexpr std::array<std::string_view, 27> kEvents = {
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectTagging:*",
    "s3:ObjectTagging:Put",
    "s3:ObjectTagging:Delete",
    "s3:LifecycleExpiration:*",
    "s3:LifecycleExpiration:Delete",
    "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:ObjectRestore:*",
    "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Delete",
    "s3:ObjectAcl:Put",
    "s3:Replication:*",
    "s3:Replication:OperationFailedReplication",
    "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:Replication:OperationNotTracked",
    "s3:LifecycleTransition",
    "s3:IntelligentTiering",
    "s3:ReducedRedundancyLostObject",
};

constexpr size_t kMaxRules = 100;         // per kind, as far as S3 documents none: a sane bound
constexpr size_t kMaxIdBytes = 255;       // S3's limit on a rule Id
constexpr size_t kMaxFilterBytes = 1024;  // a key is at most 1024 bytes

std::string RandomId() {
  std::random_device rd;
  std::string id;
  char buf[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof(buf), "%08x", static_cast<unsigned>(rd()));
    id += buf;
  }
  return id;
}

bool EventsOverlap(const NotificationRule& a, const NotificationRule& b) {
  for (const std::string& x : a.events) {
    for (const std::string& y : b.events) {
      if (NotificationEventMatches(x, y) || NotificationEventMatches(y, x)) return true;
    }
  }
  return false;
}

bool FiltersOverlap(const NotificationRule& a, const NotificationRule& b) {
  const bool prefixes = a.prefix.starts_with(b.prefix) || b.prefix.starts_with(a.prefix);
  const bool suffixes = a.suffix.ends_with(b.suffix) || b.suffix.ends_with(a.suffix);
  return prefixes && suffixes;
}

}  // namespace

bool IsNotificationEvent(std::string_view name) {
  for (std::string_view e : kEvents) {
    if (e == name) return true;
  }
  return false;
}

std::string NotificationTargetName(std::string_view arn) {
  // arn:maxiofs:<service>:<region>:NAME, or with an account part before NAME.
  if (!arn.starts_with("arn:maxiofs:")) return "";
  const size_t parts = 1 + static_cast<size_t>(std::count(arn.begin(), arn.end(), ':'));
  if (parts != 5 && parts != 6) return "";
  return std::string(arn.substr(arn.rfind(':') + 1));
}

bool NotificationEventMatches(std::string_view pattern, std::string_view name) {
  if (pattern == name) return true;
  if (!pattern.ends_with(":*")) return false;
  const std::string_view stem = pattern.substr(0, pattern.size() - 1);  // "s3:ObjectCreated:"
  return name.size() > stem.size() && name.starts_with(stem);
}

bool NotificationRuleMatches(const NotificationRule& rule, std::string_view name,
                             std::string_view key) {
  if (!key.starts_with(rule.prefix) || !key.ends_with(rule.suffix)) return false;
  for (const std::string& e : rule.events) {
    if (NotificationEventMatches(e, name)) return true;
  }
  return false;
}

Status ValidateNotificationConfiguration(NotificationConfiguration* config,
                                         const std::set<std::string, std::less<>>& targets) {
  if (config->rules.size() > 3 * kMaxRules) {
    return Status::InvalidArgument("Too many notification configurations");
  }
  std::set<std::string, std::less<>> ids;
  for (NotificationRule& r : config->rules) {
    if (r.id.size() > kMaxIdBytes) {
      return Status::InvalidArgument("The notification configuration id is too long");
    }
    if (r.events.empty()) {
      return Status::InvalidArgument("A notification configuration must name at least one event");
    }
    for (const std::string& e : r.events) {
      if (!IsNotificationEvent(e)) {
        return Status::InvalidArgument("The event is not supported for notifications");
      }
    }
    if (r.prefix.size() > kMaxFilterBytes || r.suffix.size() > kMaxFilterBytes) {
      return Status::InvalidArgument("The filter rule value is too long");
    }
    const std::string name = NotificationTargetName(r.arn);
    if (name.empty() || targets.find(name) == targets.end()) {
      return Status::InvalidArgument(
          "Unable to validate the following destination configurations: " + r.arn);
    }
    if (r.id.empty()) r.id = RandomId();
    if (!ids.insert(r.id).second) {
      return Status::InvalidArgument("Duplicate notification configuration id: " + r.id);
    }
  }
  for (size_t i = 0; i < config->rules.size(); ++i) {
    for (size_t j = i + 1; j < config->rules.size(); ++j) {
      const NotificationRule& a = config->rules[i];
      const NotificationRule& b = config->rules[j];
      if (EventsOverlap(a, b) && FiltersOverlap(a, b)) {
        return Status::InvalidArgument(
            "Configurations overlap. Configurations on the same bucket cannot share a common "
            "event type.");
      }
    }
  }
  return Status::OK();
}

std::string EncodeNotificationConfiguration(const NotificationConfiguration& config) {
  nlohmann::json rules = nlohmann::json::array();
  for (const NotificationRule& r : config.rules) {
    rules.push_back({{"kind", static_cast<int>(r.kind)},
                     {"id", r.id},
                     {"arn", r.arn},
                     {"events", r.events},
                     {"prefix", r.prefix},
                     {"suffix", r.suffix}});
  }
  return nlohmann::json{{"v", 1}, {"rules", std::move(rules)}}.dump();
}

Result<NotificationConfiguration> DecodeNotificationConfiguration(std::string_view in) {
  const auto damaged = [] {
    return Status::Corruption("a stored notification configuration is damaged");
  };
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("v", 0) != 1 || !j.contains("rules") || !j["rules"].is_array()) {
    return damaged();
  }
  NotificationConfiguration out;
  for (const nlohmann::json& r : j["rules"]) {
    if (!r.is_object()) return damaged();
    NotificationRule rule;
    const auto str = [&](const char* field, std::string* dst) {
      auto it = r.find(field);
      if (it == r.end() || !it->is_string()) return false;
      *dst = it->get<std::string>();
      return true;
    };
    auto kind = r.find("kind");
    if (kind == r.end() || !kind->is_number_integer() || *kind < 0 || *kind > 2) return damaged();
    rule.kind = static_cast<NotificationKind>(kind->get<int>());
    if (!str("id", &rule.id) || !str("arn", &rule.arn) || !str("prefix", &rule.prefix) ||
        !str("suffix", &rule.suffix)) {
      return damaged();
    }
    auto events = r.find("events");
    if (events == r.end() || !events->is_array()) return damaged();
    for (const nlohmann::json& e : *events) {
      if (!e.is_string()) return damaged();
      rule.events.push_back(e.get<std::string>());
    }
    out.rules.push_back(std::move(rule));
  }
  return out;
}

}  // namespace maxiofs::engine
