#include "users_file.h"

#include "structured_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace maxiofs::app {
namespace {

constexpr std::string_view kFileRef = "file:";
constexpr size_t kMaxReferencedFile = 1 << 20;  // a secret or a policy, not a data file

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct PolicyEntry {
  std::string where;  // "users file F line L column C: policies[0] 'name'"
  std::string name;
  std::string description;
  std::string document;  // JSON text
};

struct GroupEntry {
  std::string where;
  std::string name;
  std::optional<std::vector<std::string>> policies;
};

struct KeyEntry {
  std::string access_key;
  std::string secret_key;
  engine::AccessKeyStatus status = engine::AccessKeyStatus::kActive;
};

struct UserEntry {
  std::string where;
  std::string name;
  std::optional<bool> enabled;
  std::optional<std::string> console_password;
  std::optional<std::vector<std::string>> groups;
  std::optional<std::vector<std::string>> policies;
  std::optional<std::vector<KeyEntry>> access_keys;
};

struct UsersFile {
  std::vector<PolicyEntry> policies;
  std::vector<GroupEntry> groups;
  std::vector<UserEntry> users;
};

// Reads the parsed tree into a UsersFile, checking shapes and references to files.
class Reader {
 public:
  explicit Reader(std::string path)
      : source_{"users file", path}, dir_(std::filesystem::path(path).parent_path()) {}

  Result<UsersFile> Read() {
    MAXIOFS_ASSIGN_OR_RETURN(YAML::Node root, ReadStructuredFile(source_));
    UsersFile file;
    if (root.IsNull()) return file;  // an empty file declares nothing
    if (!root.IsMap()) return Error(root, "", "expected a map with users, groups and policies");
    MAXIOFS_RETURN_IF_ERROR(CheckFields(root, "", {"users", "groups", "policies"}));
    MAXIOFS_RETURN_IF_ERROR(
        ForEachEntry(root, "policies", [&](const YAML::Node& n, const std::string& label) {
          return ReadPolicy(n, label, &file);
        }));
    MAXIOFS_RETURN_IF_ERROR(ForEachEntry(
        root, "groups",
        [&](const YAML::Node& n, const std::string& label) { return ReadGroup(n, label, &file); }));
    MAXIOFS_RETURN_IF_ERROR(ForEachEntry(
        root, "users",
        [&](const YAML::Node& n, const std::string& label) { return ReadUser(n, label, &file); }));
    return file;
  }

 private:
  Status Error(const YAML::Node& node, const std::string& label, const std::string& what) const {
    return Status::InvalidArgument(Where(source_, node.Mark()) + ": " +
                                   (label.empty() ? "" : label + ": ") + what);
  }

  // Only `allowed` keys in the map `node`.
  Status CheckFields(const YAML::Node& node, const std::string& label,
                     std::initializer_list<std::string_view> allowed) const {
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>("");
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Error(entry.first, label, "unknown field '" + key + "' (expected " + list + ")");
      }
      if (!seen.insert(key).second) {
        return Error(entry.first, label, "field '" + key + "' is given twice");
      }
    }
    return Status::OK();
  }

  template <class Fn>
  Status ForEachEntry(const YAML::Node& root, const char* section, Fn&& fn) {
    const YAML::Node list = root[section];
    if (!list || list.IsNull()) return Status::OK();
    if (!list.IsSequence()) {
      return Error(list, section, "must be a list of entries, got " + TypeName(list));
    }
    std::set<std::string> names;
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node entry = list[i];
      std::string label = std::string(section) + "[" + std::to_string(i) + "]";
      if (!entry.IsMap()) return Error(entry, label, "must be a map, got " + TypeName(entry));
      const YAML::Node name = entry["name"];
      if (!name || !name.IsScalar() || name.Scalar().empty()) {
        return Error(entry, label, "needs a name");
      }
      label += " '" + name.Scalar() + "'";
      if (!names.insert(Lower(name.Scalar())).second) {
        return Error(name, label, "the name is given twice (names are case-insensitive)");
      }
      MAXIOFS_RETURN_IF_ERROR(fn(entry, label));
    }
    return Status::OK();
  }

  Result<std::string> String(const YAML::Node& node, const std::string& label,
                             const std::string& field) const {
    if (!node.IsScalar()) return Error(node, label, field + " must be a string");
    return node.Scalar();
  }

  // A string that may be a file: reference (its content, one trailing newline dropped).
  Result<std::string> Secret(const YAML::Node& node, const std::string& label,
                             const std::string& field) const {
    MAXIOFS_ASSIGN_OR_RETURN(std::string value, String(node, label, field));
    if (!std::string_view(value).starts_with(kFileRef)) return value;
    std::filesystem::path ref(value.substr(kFileRef.size()));
    if (ref.empty()) return Error(node, label, field + ": empty file: reference");
    if (ref.is_relative()) ref = dir_ / ref;
    std::ifstream in(ref, std::ios::binary);
    if (!in) {
      return Error(node, label,
                   field + ": cannot read " + ref.string() + ": " + std::strerror(errno));
    }
    std::string text(kMaxReferencedFile + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxReferencedFile) {
      return Error(node, label, field + ": " + ref.string() + " is larger than 1 MiB");
    }
    if (text.ends_with("\r\n")) {
      text.resize(text.size() - 2);
    } else if (text.ends_with('\n')) {
      text.pop_back();
    }
    return text;
  }

  Result<std::vector<std::string>> Names(const YAML::Node& node, const std::string& label,
                                         const std::string& field) const {
    if (node.IsNull()) return std::vector<std::string>{};
    if (!node.IsSequence()) return Error(node, label, field + " must be a list of names");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        return Error(item, label, field + " must be a list of names");
      }
      if (!seen.insert(Lower(item.Scalar())).second) {
        return Error(item, label, field + " names '" + item.Scalar() + "' twice");
      }
      out.push_back(item.Scalar());
    }
    return out;
  }

  Result<bool> Bool(const YAML::Node& node, const std::string& label,
                    const std::string& field) const {
    const std::string t = node.IsScalar() ? Lower(node.Scalar()) : std::string();
    if (t == "true" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "no" || t == "off") return false;
    return Error(node, label, field + " must be true or false");
  }

  // A YAML tree as JSON: maps, lists, strings (policy values are strings to IAM), null.
  static nlohmann::json ToJson(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Map: {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& e : node) out[e.first.as<std::string>("")] = ToJson(e.second);
        return out;
      }
      case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        for (const YAML::Node& e : node) out.push_back(ToJson(e));
        return out;
      }
      case YAML::NodeType::Scalar:
        return node.Scalar();
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
    }
    return nullptr;
  }

  Status ReadPolicy(const YAML::Node& n, const std::string& label, UsersFile* file) {
    MAXIOFS_RETURN_IF_ERROR(CheckFields(n, label, {"name", "description", "document"}));
    PolicyEntry p;
    p.where = Where(source_, n.Mark()) + ": " + label;
    p.name = n["name"].Scalar();
    if (const YAML::Node d = n["description"]) {
      MAXIOFS_ASSIGN_OR_RETURN(p.description, String(d, label, "description"));
    }
    const YAML::Node doc = n["document"];
    if (!doc) return Error(n, label, "needs a document");
    if (doc.IsMap()) {
      p.document = ToJson(doc).dump();
    } else {
      MAXIOFS_ASSIGN_OR_RETURN(p.document, Secret(doc, label, "document"));
    }
    if (!nlohmann::json::accept(p.document)) {
      return Error(doc, label, "document is not valid JSON");
    }
    file->policies.push_back(std::move(p));
    return Status::OK();
  }

  Status ReadGroup(const YAML::Node& n, const std::string& label, UsersFile* file) {
    MAXIOFS_RETURN_IF_ERROR(CheckFields(n, label, {"name", "policies"}));
    GroupEntry g;
    g.where = Where(source_, n.Mark()) + ": " + label;
    g.name = n["name"].Scalar();
    if (const YAML::Node p = n["policies"]) {
      MAXIOFS_ASSIGN_OR_RETURN(g.policies, Names(p, label, "policies"));
    }
    file->groups.push_back(std::move(g));
    return Status::OK();
  }

  Status ReadUser(const YAML::Node& n, const std::string& label, UsersFile* file) {
    MAXIOFS_RETURN_IF_ERROR(CheckFields(
        n, label, {"name", "enabled", "console_password", "groups", "policies", "access_keys"}));
    UserEntry u;
    u.where = Where(source_, n.Mark()) + ": " + label;
    u.name = n["name"].Scalar();
    if (const YAML::Node e = n["enabled"]) {
      MAXIOFS_ASSIGN_OR_RETURN(u.enabled, Bool(e, label, "enabled"));
    }
    if (const YAML::Node p = n["console_password"]) {
      MAXIOFS_ASSIGN_OR_RETURN(u.console_password, Secret(p, label, "console_password"));
    }
    if (const YAML::Node g = n["groups"]) {
      MAXIOFS_ASSIGN_OR_RETURN(u.groups, Names(g, label, "groups"));
    }
    if (const YAML::Node p = n["policies"]) {
      MAXIOFS_ASSIGN_OR_RETURN(u.policies, Names(p, label, "policies"));
    }
    if (const YAML::Node keys = n["access_keys"]) {
      u.access_keys.emplace();
      if (!keys.IsNull() && !keys.IsSequence()) {
        return Error(keys, label, "access_keys must be a list");
      }
      for (size_t i = 0; keys.IsSequence() && i < keys.size(); ++i) {
        const YAML::Node k = keys[i];
        const std::string key_label = label + ": access_keys[" + std::to_string(i) + "]";
        if (!k.IsMap()) return Error(k, key_label, "must be a map");
        MAXIOFS_RETURN_IF_ERROR(CheckFields(k, key_label, {"access_key", "secret_key", "status"}));
        KeyEntry key;
        if (!k["access_key"]) return Error(k, key_label, "needs an access_key");
        if (!k["secret_key"]) return Error(k, key_label, "needs a secret_key");
        MAXIOFS_ASSIGN_OR_RETURN(key.access_key, String(k["access_key"], key_label, "access_key"));
        MAXIOFS_ASSIGN_OR_RETURN(key.secret_key, Secret(k["secret_key"], key_label, "secret_key"));
        if (const YAML::Node s = k["status"]) {
          MAXIOFS_ASSIGN_OR_RETURN(std::string status, String(s, key_label, "status"));
          const std::string st = Lower(status);
          if (st == "active") {
            key.status = engine::AccessKeyStatus::kActive;
          } else if (st == "inactive") {
            key.status = engine::AccessKeyStatus::kInactive;
          } else {
            return Error(s, key_label, "status must be active or inactive");
          }
        }
        if (!access_keys_.insert(key.access_key).second) {
          return Error(k["access_key"], key_label,
                       "access key " + key.access_key + " is given twice in the file");
        }
        u.access_keys->push_back(std::move(key));
      }
    }
    file->users.push_back(std::move(u));
    return Status::OK();
  }

  const StructuredSource source_;
  const std::filesystem::path dir_;
  std::set<std::string> access_keys_;
};

// Names in `have` and `want`, compared case-insensitively: what to add and what to remove.
struct NameDiff {
  std::vector<std::string> add, remove;
};
NameDiff Diff(const std::vector<std::string>& have, const std::vector<std::string>& want) {
  std::set<std::string> h, w;
  for (const auto& n : have) h.insert(Lower(n));
  for (const auto& n : want) w.insert(Lower(n));
  NameDiff d;
  for (const auto& n : want) {
    if (!h.contains(Lower(n))) d.add.push_back(n);
  }
  for (const auto& n : have) {
    if (!w.contains(Lower(n))) d.remove.push_back(n);
  }
  return d;
}

bool SameDocument(const std::string& a, const std::string& b) {
  auto ja = nlohmann::json::parse(a, nullptr, false);
  auto jb = nlohmann::json::parse(b, nullptr, false);
  return !ja.is_discarded() && !jb.is_discarded() && ja == jb;
}

// Applies a checked UsersFile.
class Applier {
 public:
  Applier(engine::Iam& iam, bool prune) : iam_(iam), prune_(prune) {}

  // References (groups and policies named by entries) exist in the file or in the store, and
  // every document is a valid identity policy: checked before anything changes.
  Status Check(const UsersFile& file) {
    std::set<std::string> policies, groups;
    for (const PolicyEntry& p : file.policies) {
      Status valid = iam_.ValidatePolicy(p.document, false, "");
      if (!valid.ok())
        return Status::InvalidArgument(p.where + ": " + std::string(valid.message()));
      policies.insert(Lower(p.name));
    }
    for (const GroupEntry& g : file.groups) groups.insert(Lower(g.name));
    auto policy_exists = [&](const std::string& name) {
      return policies.contains(Lower(name)) || iam_.GetPolicy(name).has_value();
    };
    auto group_exists = [&](const std::string& name) {
      return groups.contains(Lower(name)) || iam_.GetGroup(name).has_value();
    };
    for (const GroupEntry& g : file.groups) {
      for (const std::string& p : g.policies.value_or(std::vector<std::string>{})) {
        if (!policy_exists(p)) {
          return Status::InvalidArgument(g.where + ": policy '" + p +
                                         "' is neither in the file nor in the store");
        }
      }
    }
    for (const UserEntry& u : file.users) {
      for (const std::string& p : u.policies.value_or(std::vector<std::string>{})) {
        if (!policy_exists(p)) {
          return Status::InvalidArgument(u.where + ": policy '" + p +
                                         "' is neither in the file nor in the store");
        }
      }
      for (const std::string& g : u.groups.value_or(std::vector<std::string>{})) {
        if (!group_exists(g)) {
          return Status::InvalidArgument(u.where + ": group '" + g +
                                         "' is neither in the file nor in the store");
        }
      }
    }
    return Status::OK();
  }

  Result<UsersFileChanges> Apply(const UsersFile& file) {
    for (const PolicyEntry& p : file.policies) {
      MAXIOFS_RETURN_IF_ERROR(Context(ApplyPolicy(p), p.where));
    }
    for (const GroupEntry& g : file.groups) {
      MAXIOFS_RETURN_IF_ERROR(Context(ApplyGroup(g), g.where));
    }
    for (const UserEntry& u : file.users) {
      MAXIOFS_RETURN_IF_ERROR(Context(ApplyUser(u), u.where));
    }
    if (prune_) MAXIOFS_RETURN_IF_ERROR(Prune(file));
    return std::move(changes_);
  }

 private:
  static Status Context(Status st, const std::string& where) {
    if (st.ok()) return st;
    return st.WithContext(where);
  }
  void Changed(std::string what) { changes_.changes.push_back(std::move(what)); }

  Status ApplyPolicy(const PolicyEntry& p) {
    auto have = iam_.GetPolicy(p.name);
    if (!have.has_value()) {
      if (have.error().code() != Status::Code::kNoSuchEntity) return have.error();
      MAXIOFS_RETURN_IF_ERROR(iam_.CreatePolicy(p.name, p.document, p.description).status());
      Changed("created policy " + p.name);
      return Status::OK();
    }
    if (SameDocument(have->document, p.document)) return Status::OK();
    MAXIOFS_RETURN_IF_ERROR(iam_.UpdatePolicy(p.name, p.document));
    Changed("updated the document of policy " + p.name);
    return Status::OK();
  }

  Status ApplyGroup(const GroupEntry& g) {
    auto have = iam_.GetGroup(g.name);
    if (!have.has_value()) {
      if (have.error().code() != Status::Code::kNoSuchEntity) return have.error();
      MAXIOFS_ASSIGN_OR_RETURN(have, iam_.CreateGroup(g.name));
      Changed("created group " + g.name);
    }
    if (!g.policies) return Status::OK();
    NameDiff d = Diff(have->attached_policies, *g.policies);
    for (const std::string& p : d.add) {
      MAXIOFS_RETURN_IF_ERROR(iam_.AttachGroupPolicy(g.name, p));
      Changed("attached policy " + p + " to group " + g.name);
    }
    for (const std::string& p : d.remove) {
      MAXIOFS_RETURN_IF_ERROR(iam_.DetachGroupPolicy(g.name, p));
      Changed("detached policy " + p + " from group " + g.name);
    }
    return Status::OK();
  }

  Status ApplyUser(const UserEntry& u) {
    auto have = iam_.GetUser(u.name);
    if (!have.has_value()) {
      if (have.error().code() != Status::Code::kNoSuchEntity) return have.error();
      MAXIOFS_ASSIGN_OR_RETURN(have, iam_.CreateUser(u.name));
      Changed("created user " + u.name);
    }
    if (u.enabled && *u.enabled != have->enabled) {
      MAXIOFS_RETURN_IF_ERROR(iam_.SetUserEnabled(u.name, *u.enabled));
      Changed(std::string(*u.enabled ? "enabled" : "disabled") + " user " + u.name);
    }
    if (u.console_password) {
      MAXIOFS_ASSIGN_OR_RETURN(bool changed, iam_.PutConsolePassword(u.name, *u.console_password));
      if (changed) Changed("set the console password of user " + u.name);
    }
    if (u.groups) {
      NameDiff d = Diff(have->groups, *u.groups);
      for (const std::string& g : d.add) {
        MAXIOFS_RETURN_IF_ERROR(iam_.AddUserToGroup(g, u.name));
        Changed("added user " + u.name + " to group " + g);
      }
      for (const std::string& g : d.remove) {
        MAXIOFS_RETURN_IF_ERROR(iam_.RemoveUserFromGroup(g, u.name));
        Changed("removed user " + u.name + " from group " + g);
      }
    }
    if (u.policies) {
      NameDiff d = Diff(have->attached_policies, *u.policies);
      for (const std::string& p : d.add) {
        MAXIOFS_RETURN_IF_ERROR(iam_.AttachUserPolicy(u.name, p));
        Changed("attached policy " + p + " to user " + u.name);
      }
      for (const std::string& p : d.remove) {
        MAXIOFS_RETURN_IF_ERROR(iam_.DetachUserPolicy(u.name, p));
        Changed("detached policy " + p + " from user " + u.name);
      }
    }
    if (u.access_keys) {
      std::set<std::string> wanted;
      for (const KeyEntry& k : *u.access_keys) {
        wanted.insert(k.access_key);
        auto changed = iam_.PutAccessKey(u.name, k.access_key, k.secret_key, k.status);
        if (!changed.has_value()) {
          return changed.error().WithContext("access key " + k.access_key);
        }
        if (*changed) Changed("set access key " + k.access_key + " of user " + u.name);
      }
      MAXIOFS_ASSIGN_OR_RETURN(auto keys, iam_.ListAccessKeys(u.name));
      for (const engine::AccessKeyInfo& k : keys) {
        if (wanted.contains(k.access_key)) continue;
        MAXIOFS_RETURN_IF_ERROR(iam_.DeleteAccessKey(u.name, k.access_key));
        Changed("deleted access key " + k.access_key + " of user " + u.name);
      }
    }
    return Status::OK();
  }

  Status Prune(const UsersFile& file) {
    std::set<std::string> users, groups, policies;
    for (const auto& u : file.users) users.insert(Lower(u.name));
    for (const auto& g : file.groups) groups.insert(Lower(g.name));
    for (const auto& p : file.policies) policies.insert(Lower(p.name));
    MAXIOFS_ASSIGN_OR_RETURN(auto all_users, iam_.ListUsers());
    for (const engine::UserInfo& u : all_users) {
      if (users.contains(Lower(u.name))) continue;
      MAXIOFS_RETURN_IF_ERROR(iam_.DeleteUser(u.name, true).WithContext("pruning user " + u.name));
      Changed("deleted user " + u.name + " (not in the users file)");
    }
    MAXIOFS_ASSIGN_OR_RETURN(auto all_groups, iam_.ListGroups());
    for (const engine::GroupInfo& g : all_groups) {
      if (groups.contains(Lower(g.name))) continue;
      MAXIOFS_RETURN_IF_ERROR(
          iam_.DeleteGroup(g.name, true).WithContext("pruning group " + g.name));
      Changed("deleted group " + g.name + " (not in the users file)");
    }
    MAXIOFS_ASSIGN_OR_RETURN(auto all_policies, iam_.ListPolicies());
    for (const engine::ManagedPolicyInfo& p : all_policies) {
      if (policies.contains(Lower(p.name))) continue;
      // Still attached to a listed user or group whose policies the file leaves alone.
      if (p.attachment_count > 0) {
        MAXIOFS_ASSIGN_OR_RETURN(auto now_users, iam_.ListUsers());
        for (const engine::UserInfo& u : now_users) {
          for (const std::string& a : u.attached_policies) {
            if (Lower(a) == Lower(p.name))
              MAXIOFS_RETURN_IF_ERROR(iam_.DetachUserPolicy(u.name, a));
          }
        }
        MAXIOFS_ASSIGN_OR_RETURN(auto now_groups, iam_.ListGroups());
        for (const engine::GroupInfo& g : now_groups) {
          for (const std::string& a : g.attached_policies) {
            if (Lower(a) == Lower(p.name)) {
              MAXIOFS_RETURN_IF_ERROR(iam_.DetachGroupPolicy(g.name, a));
            }
          }
        }
      }
      MAXIOFS_RETURN_IF_ERROR(iam_.DeletePolicy(p.name).WithContext("pruning policy " + p.name));
      Changed("deleted policy " + p.name + " (not in the users file)");
    }
    return Status::OK();
  }

  engine::Iam& iam_;
  const bool prune_;
  UsersFileChanges changes_;
};

}  // namespace

Result<UsersFileChanges> ApplyUsersFile(const std::string& path, bool prune, engine::Iam& iam) {
  MAXIOFS_ASSIGN_OR_RETURN(UsersFile file, Reader(path).Read());
  Applier applier(iam, prune);
  MAXIOFS_RETURN_IF_ERROR(applier.Check(file));
  return applier.Apply(file);
}

}  // namespace maxiofs::app
