#include "cors_json.h"

#include <limits>
#include <string>

namespace maxiofs::console {
namespace {

Status ListOf(const nlohmann::json& rule, const char* name, const std::string& where,
              std::vector<std::string>& out) {
  auto it = rule.find(name);
  if (it == rule.end() || it->is_null()) return Status::OK();
  if (!it->is_array())
    return Status::InvalidArgument(where + "." + name + " must be a list of strings");
  for (const nlohmann::json& v : *it) {
    if (!v.is_string()) {
      return Status::InvalidArgument(where + "." + name + " must be a list of strings");
    }
    out.push_back(v.get<std::string>());
  }
  return Status::OK();
}

}  // namespace

nlohmann::json CorsRulesJson(const engine::CorsConfiguration& config) {
  nlohmann::json rules = nlohmann::json::array();
  for (const engine::CorsRule& r : config.rules) {
    rules.push_back({{"id", r.id},
                     {"allowedMethods", r.allowed_methods},
                     {"allowedOrigins", r.allowed_origins},
                     {"allowedHeaders", r.allowed_headers},
                     {"exposeHeaders", r.expose_headers},
                     {"maxAgeSeconds", r.max_age_seconds ? nlohmann::json(*r.max_age_seconds)
                                                         : nlohmann::json(nullptr)}});
  }
  return {{"rules", std::move(rules)}};
}

Result<engine::CorsConfiguration> ParseCorsRules(const nlohmann::json& doc) {
  if (!doc.is_object()) return Status::InvalidArgument("the document must be a JSON object");
  auto rules = doc.find("rules");
  if (rules == doc.end() || !rules->is_array()) {
    return Status::InvalidArgument("rules must be a list of CORS rules");
  }
  engine::CorsConfiguration config;
  for (size_t i = 0; i < rules->size(); ++i) {
    const nlohmann::json& j = (*rules)[i];
    const std::string where = "rules[" + std::to_string(i + 1) + "]";
    if (!j.is_object()) return Status::InvalidArgument(where + " must be an object");
    engine::CorsRule r;
    if (auto id = j.find("id"); id != j.end() && !id->is_null()) {
      if (!id->is_string()) return Status::InvalidArgument(where + ".id must be a string");
      r.id = id->get<std::string>();
    }
    MAXIOFS_RETURN_IF_ERROR(ListOf(j, "allowedMethods", where, r.allowed_methods));
    MAXIOFS_RETURN_IF_ERROR(ListOf(j, "allowedOrigins", where, r.allowed_origins));
    MAXIOFS_RETURN_IF_ERROR(ListOf(j, "allowedHeaders", where, r.allowed_headers));
    MAXIOFS_RETURN_IF_ERROR(ListOf(j, "exposeHeaders", where, r.expose_headers));
    if (auto age = j.find("maxAgeSeconds"); age != j.end() && !age->is_null()) {
      if (!age->is_number_integer() || age->get<int64_t>() < 0 ||
          age->get<int64_t>() > std::numeric_limits<int32_t>::max()) {
        return Status::InvalidArgument(where + ".maxAgeSeconds must be a whole number of seconds");
      }
      r.max_age_seconds = static_cast<int32_t>(age->get<int64_t>());
    }
    config.rules.push_back(std::move(r));
  }
  return config;
}

}  // namespace maxiofs::console
