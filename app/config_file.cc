#include "config_file.h"

#include "config_keys.h"
#include "structured_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <variant>
#include <vector>

namespace maxiofs::app {
namespace {

// Applies one key's YAML value. Scalars go through SetFromString, so YAML and the environment
// parse values identically.
Status ApplyValue(const ConfigKey& key, const YAML::Node& value, const std::string& where,
                  Config& config) {
  auto wrong = [&](std::string_view expected) {
    return Status::InvalidArgument(where + ": " + key.Dotted() + " must be " +
                                   std::string(expected) + ", got " + TypeName(value));
  };
  FieldPtr field = key.field(config);
  const bool is_string = std::holds_alternative<std::string*>(field);
  const bool is_bool =
      std::holds_alternative<bool*>(field) || std::holds_alternative<std::optional<bool>*>(field);
  const bool is_list = std::holds_alternative<std::vector<std::string>*>(field);

  if (is_list) {
    if (value.IsNull()) return SetFromString(key, "", config);
    if (!value.IsSequence()) return wrong("a list of strings");
    std::vector<std::string> items;
    for (const YAML::Node& item : value) {
      if (!item.IsScalar()) return wrong("a list of strings");
      items.push_back(item.Scalar());
    }
    *std::get<std::vector<std::string>*>(field) = std::move(items);
    return Status::OK();
  }
  if (is_string && value.IsNull()) return SetFromString(key, "", config);
  if (!value.IsScalar()) {
    return wrong(is_string ? "a string" : is_bool ? "a boolean" : "an integer");
  }
  Status st = SetFromString(key, value.Scalar(), config);
  if (!st.ok()) {
    std::string shown = key.secret ? "" : " '" + value.Scalar() + "'";
    return Status::InvalidArgument(where + ": invalid " + key.Dotted() + shown + ": " +
                                   std::string(st.message()));
  }
  return Status::OK();
}

// "server, auth, ..." in table order, for the unknown-section message.
std::string SectionList() {
  std::vector<std::string_view> seen;
  std::string out;
  for (const ConfigKey& key : AllConfigKeys()) {
    if (std::find(seen.begin(), seen.end(), key.section) != seen.end()) continue;
    seen.push_back(key.section);
    out += (out.empty() ? "" : ", ") + std::string(key.section);
  }
  return out;
}

// notify.targets: a list of maps, each with name, type and the type's settings (scalars).
// Checked further by the notify keys' check (config_keys.cc).
Status ApplyNotifyTargets(const YAML::Node& list, const std::string& where, const std::string& name,
                          Config& config) {
  if (list.IsNull()) {
    config.notify.targets.clear();
    return Status::OK();
  }
  if (!list.IsSequence()) {
    return Status::InvalidArgument(where + ": notify.targets must be a list of maps, got " +
                                   TypeName(list));
  }
  std::vector<NotifyTargetConfig> targets;
  for (const YAML::Node& item : list) {
    const std::string at = Where({"config file", name}, item.Mark());
    if (!item.IsMap()) {
      return Status::InvalidArgument(at + ": a notify.targets entry must be a map, got " +
                                     TypeName(item));
    }
    NotifyTargetConfig t;
    t.where = at;
    for (const auto& field : item) {
      const std::string k = field.first.as<std::string>("");
      if (!field.second.IsScalar()) {
        return Status::InvalidArgument(at + ": notify.targets '" + k + "' must be a scalar");
      }
      const std::string v = field.second.Scalar();
      if (k == "name") {
        t.name = v;
      } else if (k == "type") {
        t.type = v;
      } else if (!t.settings.emplace(k, v).second) {
        return Status::InvalidArgument(at + ": notify.targets '" + k + "' is given twice");
      }
    }
    targets.push_back(std::move(t));
  }
  config.notify.targets = std::move(targets);
  return Status::OK();
}

// Applies the entries of one map level of `section`; `prefix` is the dotted path below the
// section ("" at the top, "encryption" one level down).
Status ApplyMap(const std::string& section, const std::string& prefix, const YAML::Node& map,
                const std::string& name, Config& config, ConfigOrigins& origins) {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const std::string key_name =
        prefix + (prefix.empty() ? "" : ".") + entry.first.as<std::string>("");
    const std::string key_where = Where({"config file", name}, entry.first.Mark());
    if (!seen.insert(key_name).second) {
      return Status::InvalidArgument(key_where + ": key '" + section + "." + key_name +
                                     "' is given twice");
    }
    if (section == "notify" && key_name == "targets") {
      MAXIOFS_RETURN_IF_ERROR(ApplyNotifyTargets(entry.second, key_where, name, config));
      origins["notify.targets"] = key_where;
      continue;
    }
    const ConfigKey* key = FindConfigKey(section, key_name);
    if (key == nullptr && IsConfigKeyPrefix(section, key_name)) {
      if (entry.second.IsNull()) continue;
      if (!entry.second.IsMap()) {
        return Status::InvalidArgument(key_where + ": " + section + "." + key_name +
                                       " must be a map, got " + TypeName(entry.second));
      }
      MAXIOFS_RETURN_IF_ERROR(ApplyMap(section, key_name, entry.second, name, config, origins));
      continue;
    }
    if (key == nullptr) {
      return Status::InvalidArgument(key_where + ": unknown key '" + section + "." + key_name +
                                     "'");
    }
    MAXIOFS_RETURN_IF_ERROR(ApplyValue(*key, entry.second, key_where, config));
    origins[key->Dotted()] = key_where;
  }
  return Status::OK();
}

// Applies a whole parsed file: a map of sections.
Status ApplyRoot(const YAML::Node& root, const std::string& name, Config& config,
                 ConfigOrigins& origins) {
  if (root.IsNull()) return Status::OK();  // an empty file sets nothing
  if (!root.IsMap()) {
    return Status::InvalidArgument(Where({"config file", name}, root.Mark()) +
                                   ": expected a map of sections (" + SectionList() + ")");
  }
  std::set<std::string> seen;
  for (const auto& section : root) {
    const std::string section_name = section.first.as<std::string>("");
    const std::string where = Where({"config file", name}, section.first.Mark());
    if (!seen.insert(section_name).second) {
      return Status::InvalidArgument(where + ": section '" + section_name + "' is given twice");
    }
    bool known = false;
    for (const ConfigKey& key : AllConfigKeys()) known = known || key.section == section_name;
    if (!known) {
      return Status::InvalidArgument(where + ": unknown section '" + section_name +
                                     "' (expected one of " + SectionList() + ")");
    }
    if (section.second.IsNull()) continue;  // "fuse:" with nothing under it
    if (!section.second.IsMap()) {
      return Status::InvalidArgument(where + ": section '" + section_name +
                                     "' must be a map, got " + TypeName(section.second));
    }
    MAXIOFS_RETURN_IF_ERROR(ApplyMap(section_name, "", section.second, name, config, origins));
  }
  return Status::OK();
}

}  // namespace

Status ApplyConfigText(const std::string& text, const std::string& name, Config& config,
                       ConfigOrigins& origins) {
  MAXIOFS_ASSIGN_OR_RETURN(YAML::Node root, ParseStructuredText(text, {"config file", name}));
  return ApplyRoot(root, name, config, origins);
}

Status ApplyConfigFile(const std::string& path, Config& config, ConfigOrigins& origins) {
  MAXIOFS_ASSIGN_OR_RETURN(YAML::Node root, ReadStructuredFile({"config file", path}));
  return ApplyRoot(root, path, config, origins);
}

}  // namespace maxiofs::app
