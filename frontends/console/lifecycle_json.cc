#include "lifecycle_json.h"

#include "http_util.h"

#include <initializer_list>
#include <string>

namespace maxiofs::console {
namespace {

using engine::LifecycleFilter;
using Json = nlohmann::json;

Status Bad(const std::string& rule, const std::string& what) {
  return Status::InvalidArgument("rule '" + rule + "': " + what);
}

// Every member of `j` is one of `names`.
Status OnlyMembers(const std::string& rule, const Json& j, const char* where,
                   std::initializer_list<std::string_view> names) {
  if (!j.is_object()) return Bad(rule, std::string(where) + " must be an object");
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (std::string_view n : names) known = known || k == n;
    if (!known) return Bad(rule, "unknown member " + k + " in " + where);
  }
  return Status::OK();
}

Result<uint64_t> Uint(const std::string& rule, const Json& j, const char* name) {
  if (!j.is_number_unsigned()) return Bad(rule, std::string(name) + " must be a whole number");
  return j.get<uint64_t>();
}

Result<uint32_t> Uint32(const std::string& rule, const Json& j, const char* name) {
  MAXIOFS_ASSIGN_OR_RETURN(uint64_t n, Uint(rule, j, name));
  if (n > 0xffffffffu) return Bad(rule, std::string(name) + " is too large");
  return static_cast<uint32_t>(n);
}

Result<int64_t> Date(const std::string& rule, const Json& j) {
  if (!j.is_string()) return Bad(rule, "Date must be a string such as \"2030-01-01\"");
  std::string text = j.get<std::string>();
  if (text.size() == 10) text += "T00:00:00Z";
  auto ns = NsFromRfc3339(text);
  if (!ns) return Bad(rule, "Date must be an ISO 8601 date such as \"2030-01-01\"");
  return *ns;
}

Result<engine::LifecycleTag> Tag(const std::string& rule, const Json& j) {
  MAXIOFS_RETURN_IF_ERROR(OnlyMembers(rule, j, "Tag", {"Key", "Value"}));
  if (!j.contains("Key") || !j["Key"].is_string() || !j.contains("Value") ||
      !j["Value"].is_string()) {
    return Bad(rule, "a Tag needs a Key and a Value (strings)");
  }
  return engine::LifecycleTag{j["Key"].get<std::string>(), j["Value"].get<std::string>()};
}

Status FilterMembers(const std::string& rule, const Json& j, bool in_and, LifecycleFilter* f) {
  for (const auto& [k, v] : j.items()) {
    if (k == "Prefix") {
      if (!v.is_string()) return Bad(rule, "Prefix must be a string");
      f->prefix = v.get<std::string>();
    } else if (k == (in_and ? "Tags" : "Tag")) {
      if (in_and) {
        if (!v.is_array()) return Bad(rule, "Tags must be an array");
        for (const Json& t : v) {
          MAXIOFS_ASSIGN_OR_RETURN(engine::LifecycleTag tag, Tag(rule, t));
          f->tags.push_back(std::move(tag));
        }
      } else {
        MAXIOFS_ASSIGN_OR_RETURN(engine::LifecycleTag tag, Tag(rule, v));
        f->tags.push_back(std::move(tag));
      }
    } else if (k == "ObjectSizeGreaterThan") {
      MAXIOFS_ASSIGN_OR_RETURN(f->size_greater_than, Uint(rule, v, "ObjectSizeGreaterThan"));
    } else if (k == "ObjectSizeLessThan") {
      MAXIOFS_ASSIGN_OR_RETURN(f->size_less_than, Uint(rule, v, "ObjectSizeLessThan"));
    } else if (k == "And" && !in_and) {
      if (j.size() != 1) return Bad(rule, "And stands alone in a Filter");
      MAXIOFS_RETURN_IF_ERROR(OnlyMembers(
          rule, v, "And", {"Prefix", "Tags", "ObjectSizeGreaterThan", "ObjectSizeLessThan"}));
      f->form = LifecycleFilter::Form::kAnd;
      return FilterMembers(rule, v, /*in_and=*/true, f);
    } else {
      return Bad(rule, "unknown member " + k + " in " + (in_and ? "And" : "Filter"));
    }
  }
  return Status::OK();
}

Result<engine::LifecycleTransition> Transition(const std::string& rule, const Json& j,
                                               bool noncurrent) {
  MAXIOFS_RETURN_IF_ERROR(
      noncurrent ? OnlyMembers(rule, j, "NoncurrentVersionTransition",
                               {"NoncurrentDays", "StorageClass", "NewerNoncurrentVersions"})
                 : OnlyMembers(rule, j, "Transition", {"Days", "Date", "StorageClass"}));
  engine::LifecycleTransition t;
  if (j.contains(noncurrent ? "NoncurrentDays" : "Days")) {
    MAXIOFS_ASSIGN_OR_RETURN(t.days,
                             Uint32(rule, j[noncurrent ? "NoncurrentDays" : "Days"], "Days"));
  }
  if (j.contains("Date")) {
    MAXIOFS_ASSIGN_OR_RETURN(t.date_ns, Date(rule, j["Date"]));
  }
  if (j.contains("NewerNoncurrentVersions")) {
    MAXIOFS_ASSIGN_OR_RETURN(t.newer_noncurrent_versions,
                             Uint32(rule, j["NewerNoncurrentVersions"], "NewerNoncurrentVersions"));
  }
  if (j.contains("StorageClass")) {
    if (!j["StorageClass"].is_string()) return Bad(rule, "StorageClass must be a string");
    t.storage_class = j["StorageClass"].get<std::string>();
  }
  return t;
}

Result<engine::LifecycleRule> Rule(const Json& j, size_t index) {
  engine::LifecycleRule r;
  std::string name = "#" + std::to_string(index + 1);
  if (!j.is_object()) return Bad(name, "a rule must be an object");
  if (j.contains("ID")) {
    if (!j["ID"].is_string()) return Bad(name, "ID must be a string");
    r.id = j["ID"].get<std::string>();
    if (!r.id.empty()) name = r.id;
  }
  MAXIOFS_RETURN_IF_ERROR(OnlyMembers(
      name, j, "a rule",
      {"ID", "Status", "Prefix", "Filter", "Expiration", "NoncurrentVersionExpiration",
       "AbortIncompleteMultipartUpload", "Transitions", "NoncurrentVersionTransitions"}));
  const std::string status = j.contains("Status") && j["Status"].is_string()
                                 ? j["Status"].get<std::string>()
                                 : std::string();
  if (status != "Enabled" && status != "Disabled") {
    return Bad(name, "Status must be \"Enabled\" or \"Disabled\"");
  }
  r.enabled = status == "Enabled";
  if (j.contains("Prefix") && j.contains("Filter")) {
    return Bad(name, "a rule takes a Filter or a Prefix, not both");
  }
  if (j.contains("Prefix")) {
    if (!j["Prefix"].is_string()) return Bad(name, "Prefix must be a string");
    r.filter.form = LifecycleFilter::Form::kRulePrefix;
    r.filter.prefix = j["Prefix"].get<std::string>();
  } else if (j.contains("Filter")) {
    if (!j["Filter"].is_object()) return Bad(name, "Filter must be an object");
    MAXIOFS_RETURN_IF_ERROR(FilterMembers(name, j["Filter"], /*in_and=*/false, &r.filter));
  } else {
    return Bad(name, "a rule needs a Filter (an empty one for every object) or a Prefix");
  }
  if (j.contains("Expiration")) {
    const Json& e = j["Expiration"];
    MAXIOFS_RETURN_IF_ERROR(
        OnlyMembers(name, e, "Expiration", {"Days", "Date", "ExpiredObjectDeleteMarker"}));
    engine::LifecycleExpiration x;
    if (e.contains("Days")) {
      MAXIOFS_ASSIGN_OR_RETURN(x.days, Uint32(name, e["Days"], "Days"));
    }
    if (e.contains("Date")) {
      MAXIOFS_ASSIGN_OR_RETURN(x.date_ns, Date(name, e["Date"]));
    }
    if (e.contains("ExpiredObjectDeleteMarker")) {
      if (!e["ExpiredObjectDeleteMarker"].is_boolean()) {
        return Bad(name, "ExpiredObjectDeleteMarker must be true or false");
      }
      x.expired_object_delete_marker = e["ExpiredObjectDeleteMarker"].get<bool>();
    }
    r.expiration = x;
  }
  if (j.contains("NoncurrentVersionExpiration")) {
    const Json& n = j["NoncurrentVersionExpiration"];
    MAXIOFS_RETURN_IF_ERROR(OnlyMembers(name, n, "NoncurrentVersionExpiration",
                                        {"NoncurrentDays", "NewerNoncurrentVersions"}));
    engine::NoncurrentVersionExpiration x;
    if (n.contains("NoncurrentDays")) {
      MAXIOFS_ASSIGN_OR_RETURN(x.noncurrent_days,
                               Uint32(name, n["NoncurrentDays"], "NoncurrentDays"));
    }
    if (n.contains("NewerNoncurrentVersions")) {
      MAXIOFS_ASSIGN_OR_RETURN(
          x.newer_noncurrent_versions,
          Uint32(name, n["NewerNoncurrentVersions"], "NewerNoncurrentVersions"));
    }
    r.noncurrent_expiration = x;
  }
  if (j.contains("AbortIncompleteMultipartUpload")) {
    const Json& a = j["AbortIncompleteMultipartUpload"];
    MAXIOFS_RETURN_IF_ERROR(
        OnlyMembers(name, a, "AbortIncompleteMultipartUpload", {"DaysAfterInitiation"}));
    if (!a.contains("DaysAfterInitiation")) return Bad(name, "DaysAfterInitiation is missing");
    MAXIOFS_ASSIGN_OR_RETURN(r.abort_incomplete_upload_days,
                             Uint32(name, a["DaysAfterInitiation"], "DaysAfterInitiation"));
  }
  for (const char* list : {"Transitions", "NoncurrentVersionTransitions"}) {
    if (!j.contains(list)) continue;
    if (!j[list].is_array()) return Bad(name, std::string(list) + " must be an array");
    const bool noncurrent = std::string_view(list) == "NoncurrentVersionTransitions";
    for (const Json& t : j[list]) {
      MAXIOFS_ASSIGN_OR_RETURN(engine::LifecycleTransition tr, Transition(name, t, noncurrent));
      (noncurrent ? r.noncurrent_transitions : r.transitions).push_back(std::move(tr));
    }
  }
  return r;
}

Json TagJson(const engine::LifecycleTag& t) { return {{"Key", t.key}, {"Value", t.value}}; }

Json FilterMembersJson(const LifecycleFilter& f, bool in_and) {
  Json j = Json::object();
  if (f.prefix) j["Prefix"] = *f.prefix;
  if (in_and) {
    if (!f.tags.empty()) {
      j["Tags"] = Json::array();
      for (const auto& t : f.tags) j["Tags"].push_back(TagJson(t));
    }
  } else if (!f.tags.empty()) {
    j["Tag"] = TagJson(f.tags.front());
  }
  if (f.size_greater_than) j["ObjectSizeGreaterThan"] = *f.size_greater_than;
  if (f.size_less_than) j["ObjectSizeLessThan"] = *f.size_less_than;
  return j;
}

}  // namespace

Result<engine::LifecycleConfiguration> LifecycleFromJson(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("Rules") || !doc["Rules"].is_array()) {
    return Status::InvalidArgument("a lifecycle configuration is {\"Rules\": [...]}");
  }
  for (const auto& [k, v] : doc.items()) {
    if (k != "Rules") return Status::InvalidArgument("unknown member " + k);
  }
  const Json& rules = doc["Rules"];
  if (rules.size() > engine::kMaxLifecycleRules) {
    return Status::InvalidArgument("a lifecycle configuration has at most 1000 rules");
  }
  engine::LifecycleConfiguration c;
  for (size_t i = 0; i < rules.size(); ++i) {
    MAXIOFS_ASSIGN_OR_RETURN(engine::LifecycleRule r, Rule(rules[i], i));
    c.rules.push_back(std::move(r));
  }
  return c;
}

nlohmann::json LifecycleToJson(const engine::LifecycleConfiguration& config) {
  Json rules = Json::array();
  for (const engine::LifecycleRule& r : config.rules) {
    Json j = {{"ID", r.id}, {"Status", r.enabled ? "Enabled" : "Disabled"}};
    switch (r.filter.form) {
      case LifecycleFilter::Form::kRulePrefix:
        j["Prefix"] = r.filter.prefix.value_or("");
        break;
      case LifecycleFilter::Form::kFilter:
        j["Filter"] = FilterMembersJson(r.filter, false);
        break;
      case LifecycleFilter::Form::kAnd:
        j["Filter"] = {{"And", FilterMembersJson(r.filter, true)}};
        break;
    }
    if (r.expiration) {
      Json e = Json::object();
      if (r.expiration->days) e["Days"] = *r.expiration->days;
      if (r.expiration->date_ns) e["Date"] = Rfc3339FromNs(*r.expiration->date_ns);
      if (r.expiration->expired_object_delete_marker) {
        e["ExpiredObjectDeleteMarker"] = *r.expiration->expired_object_delete_marker;
      }
      j["Expiration"] = e;
    }
    if (r.noncurrent_expiration) {
      Json n = Json::object();
      if (r.noncurrent_expiration->noncurrent_days) {
        n["NoncurrentDays"] = *r.noncurrent_expiration->noncurrent_days;
      }
      if (r.noncurrent_expiration->newer_noncurrent_versions) {
        n["NewerNoncurrentVersions"] = *r.noncurrent_expiration->newer_noncurrent_versions;
      }
      j["NoncurrentVersionExpiration"] = n;
    }
    if (r.abort_incomplete_upload_days) {
      j["AbortIncompleteMultipartUpload"] = {
          {"DaysAfterInitiation", *r.abort_incomplete_upload_days}};
    }
    rules.push_back(std::move(j));
  }
  return {{"Rules", rules}};
}

}  // namespace maxiofs::console
