#include "iam_api/iam_actions.h"

#include "headers.h"
#include "iam_api/iam_xml.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

namespace maxiofs::s3::iam_api {

namespace {

using Fill = std::function<void(XmlWriter&)>;

// What an action produced: an error, or the writer of its Result element (null: no Result).
struct Outcome {
  std::optional<IamError> error;
  Fill fill;
};
Outcome Ok(Fill fill = nullptr) { return Outcome{std::nullopt, std::move(fill)}; }
Outcome Fail(IamError e) { return Outcome{std::move(e), nullptr}; }

std::string Arn(std::string_view kind, std::string_view name) {
  return "arn:aws:iam::" + std::string(engine::kAccountId) + ":" + std::string(kind) + "/" +
         std::string(name);
}

// The parameters of one call, and the caller.
class Call {
 public:
  Call(const IamCall& c, bool sts) : c_(c), sts_(sts) {}

  std::optional<std::string> Param(std::string_view name) const {
    for (const QueryParam& p : c_.params) {
      if (p.name == name) return p.value;
    }
    return std::nullopt;
  }
  // The value of a required parameter; nullopt (and `missing` set) when absent or empty.
  std::optional<std::string> Required(std::string_view name,
                                      std::optional<IamError>& missing) const {
    auto v = Param(name);
    if (!v || v->empty()) {
      if (!missing) missing = MissingParameter(name);
      return std::nullopt;
    }
    return v;
  }
  // UserName, defaulting to the calling user (IAM's rule for the caller's own keys).
  std::optional<std::string> UserOrCaller(std::optional<IamError>& missing) const {
    auto v = Param("UserName");
    if (v && !v->empty()) return v;
    if (!c_.caller.user.empty()) return c_.caller.user;
    missing = MissingParameter("UserName");
    return std::nullopt;
  }
  // Asks the engine whether the caller may do `action` on `arn`.
  std::optional<IamError> Authorize(std::string_view action, std::string_view arn,
                                    const ConditionContext& extra = {}) const {
    engine::AuthzRequest q;
    q.principal = c_.caller;
    q.action = std::string(action);
    q.resource_arn = std::string(arn);
    q.context = c_.context;
    for (const auto& [k, v] : extra) q.context[k] = v;
    Status s = c_.iam->Authorize(q);
    if (s.ok()) return std::nullopt;
    return IamError{"AccessDenied", 403,
                    "User: " + (c_.caller.arn.empty() ? std::string("anonymous") : c_.caller.arn) +
                        " is not authorized to perform: " + std::string(action) +
                        " on resource: " + std::string(arn)};
  }
  IamError FromStatus(const Status& s) const { return IamErrorFromStatus(s, sts_); }

  engine::Iam& iam() const { return *c_.iam; }
  const engine::Principal& caller() const { return c_.caller; }
  int64_t now_ns() const { return c_.now_ns; }

 private:
  const IamCall& c_;
  bool sts_;
};

// --- XML pieces -------------------------------------------------------------------------------

void WriteUser(XmlWriter& w, const engine::UserInfo& u, std::string_view element = "User") {
  w.Open(element);
  w.Element("Path", "/");
  w.Element("UserName", u.name);
  w.Element("UserId", u.user_id);
  w.Element("Arn", u.arn);
  w.Element("CreateDate", IamDate(u.created_ns));
  w.Close();
}

void WriteGroup(XmlWriter& w, const engine::GroupInfo& g, std::string_view element = "Group") {
  w.Open(element);
  w.Element("Path", "/");
  w.Element("GroupName", g.name);
  w.Element("GroupId", g.group_id);
  w.Element("Arn", g.arn);
  w.Element("CreateDate", IamDate(g.created_ns));
  w.Close();
}

// MaxIOFS keeps one version per managed policy, always "v1" and the default.
constexpr std::string_view kPolicyVersion = "v1";

void WritePolicy(XmlWriter& w, const engine::ManagedPolicyInfo& p,
                 std::string_view element = "Policy") {
  w.Open(element);
  w.Element("PolicyName", p.name);
  w.Element("PolicyId", p.policy_id);
  w.Element("Arn", p.arn);
  w.Element("Path", "/");
  w.Element("DefaultVersionId", kPolicyVersion);
  w.Element("AttachmentCount", std::to_string(p.attachment_count));
  w.Element("PermissionsBoundaryUsageCount", "0");
  w.Element("IsAttachable", "true");
  if (!p.description.empty()) w.Element("Description", p.description);
  w.Element("CreateDate", IamDate(p.created_ns));
  w.Element("UpdateDate", IamDate(p.updated_ns ? p.updated_ns : p.created_ns));
  w.Close();
}

void WriteAttached(XmlWriter& w, const std::vector<std::string>& names) {
  w.Open("AttachedPolicies");
  for (const std::string& n : names) {
    w.Open("member");
    w.Element("PolicyName", n);
    w.Element("PolicyArn", Arn("policy", n));
    w.Close();
  }
  w.Close();
  w.Element("IsTruncated", "false");
}

std::string_view KeyStatusName(engine::AccessKeyStatus s) {
  return s == engine::AccessKeyStatus::kActive ? "Active" : "Inactive";
}

// --- Users ------------------------------------------------------------------------------------

Outcome CreateUser(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.Required("UserName", missing);
  if (missing) return Fail(*missing);
  if (auto p = c.Param("Path"); p && *p != "/")
    return Fail(InvalidInput("Only Path / is supported."));
  if (auto e = c.Authorize("iam:CreateUser", Arn("user", *name))) return Fail(*e);
  auto u = c.iam().CreateUser(*name);
  if (!u.has_value()) return Fail(c.FromStatus(u.error()));
  return Ok([u = std::move(u).value()](XmlWriter& w) { WriteUser(w, u); });
}

Outcome GetUser(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.UserOrCaller(missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:GetUser", Arn("user", *name))) return Fail(*e);
  auto u = c.iam().GetUser(*name);
  if (!u.has_value()) return Fail(c.FromStatus(u.error()));
  return Ok([u = std::move(u).value()](XmlWriter& w) { WriteUser(w, u); });
}

Outcome ListUsers(const Call& c) {
  if (auto e = c.Authorize("iam:ListUsers", Arn("user", "*"))) return Fail(*e);
  auto users = c.iam().ListUsers();
  if (!users.has_value()) return Fail(c.FromStatus(users.error()));
  return Ok([users = std::move(users).value()](XmlWriter& w) {
    w.Open("Users");
    for (const auto& u : users) WriteUser(w, u, "member");
    w.Close();
    w.Element("IsTruncated", "false");
  });
}

Outcome DeleteUser(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.Required("UserName", missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:DeleteUser", Arn("user", *name))) return Fail(*e);
  Status s = c.iam().DeleteUser(*name, /*force=*/false);
  if (!s.ok()) return Fail(c.FromStatus(s));
  return Ok();
}

// --- Access keys ------------------------------------------------------------------------------

Outcome CreateAccessKey(const Call& c) {
  std::optional<IamError> missing;
  auto user = c.UserOrCaller(missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:CreateAccessKey", Arn("user", *user))) return Fail(*e);
  auto k = c.iam().CreateAccessKey(*user);
  if (!k.has_value()) return Fail(c.FromStatus(k.error()));
  return Ok([k = std::move(k).value()](XmlWriter& w) {
    w.Open("AccessKey");
    w.Element("UserName", k.user);
    w.Element("AccessKeyId", k.access_key);
    w.Element("Status", KeyStatusName(k.status));
    w.Element("SecretAccessKey", k.secret_key);
    w.Element("CreateDate", IamDate(k.created_ns));
    w.Close();
  });
}

Outcome ListAccessKeys(const Call& c) {
  std::optional<IamError> missing;
  auto user = c.UserOrCaller(missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:ListAccessKeys", Arn("user", *user))) return Fail(*e);
  auto keys = c.iam().ListAccessKeys(*user);
  if (!keys.has_value()) return Fail(c.FromStatus(keys.error()));
  return Ok([keys = std::move(keys).value()](XmlWriter& w) {
    w.Open("AccessKeyMetadata");
    for (const auto& k : keys) {
      w.Open("member");
      w.Element("UserName", k.user);
      w.Element("AccessKeyId", k.access_key);
      w.Element("Status", KeyStatusName(k.status));
      w.Element("CreateDate", IamDate(k.created_ns));
      w.Close();
    }
    w.Close();
    w.Element("IsTruncated", "false");
  });
}

Outcome UpdateAccessKey(const Call& c) {
  std::optional<IamError> missing;
  auto key = c.Required("AccessKeyId", missing);
  auto status = c.Required("Status", missing);
  auto user = missing ? std::nullopt : c.UserOrCaller(missing);
  if (missing) return Fail(*missing);
  engine::AccessKeyStatus s;
  if (*status == "Active") {
    s = engine::AccessKeyStatus::kActive;
  } else if (*status == "Inactive") {
    s = engine::AccessKeyStatus::kInactive;
  } else {
    return Fail(IamError{"ValidationError", 400,
                         "1 validation error detected: Value '" + *status +
                             "' at 'status' failed to satisfy constraint: Member must satisfy "
                             "enum value set: [Active, Inactive]"});
  }
  if (auto e = c.Authorize("iam:UpdateAccessKey", Arn("user", *user))) return Fail(*e);
  Status st = c.iam().SetAccessKeyStatus(*user, *key, s);
  if (!st.ok()) return Fail(c.FromStatus(st));
  return Ok();
}

Outcome DeleteAccessKey(const Call& c) {
  std::optional<IamError> missing;
  auto key = c.Required("AccessKeyId", missing);
  auto user = missing ? std::nullopt : c.UserOrCaller(missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:DeleteAccessKey", Arn("user", *user))) return Fail(*e);
  Status st = c.iam().DeleteAccessKey(*user, *key);
  if (!st.ok()) return Fail(c.FromStatus(st));
  return Ok();
}

// The key's owner is found among the users (IAM answers for any key of the account).
Outcome GetAccessKeyLastUsed(const Call& c) {
  std::optional<IamError> missing;
  auto key = c.Required("AccessKeyId", missing);
  if (missing) return Fail(*missing);
  auto users = c.iam().ListUsers();
  if (!users.has_value()) return Fail(c.FromStatus(users.error()));
  for (const auto& u : users.value()) {
    auto keys = c.iam().ListAccessKeys(u.name);
    if (!keys.has_value()) continue;
    for (const auto& k : keys.value()) {
      if (k.access_key != *key) continue;
      if (auto e = c.Authorize("iam:GetAccessKeyLastUsed", Arn("user", u.name))) return Fail(*e);
      return Ok([k](XmlWriter& w) {
        w.Element("UserName", k.user);
        w.Open("AccessKeyLastUsed");
        if (k.last_used_ns != 0) w.Element("LastUsedDate", IamDate(k.last_used_ns));
        w.Element("ServiceName", k.last_used_ns != 0 ? "s3" : "N/A");
        w.Element("Region", "N/A");
        w.Close();
      });
    }
  }
  return Fail(
      IamError{"NoSuchEntity", 404, "The Access Key with id " + *key + " cannot be found."});
}

// --- Groups -----------------------------------------------------------------------------------

Outcome CreateGroup(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.Required("GroupName", missing);
  if (missing) return Fail(*missing);
  if (auto p = c.Param("Path"); p && *p != "/")
    return Fail(InvalidInput("Only Path / is supported."));
  if (auto e = c.Authorize("iam:CreateGroup", Arn("group", *name))) return Fail(*e);
  auto g = c.iam().CreateGroup(*name);
  if (!g.has_value()) return Fail(c.FromStatus(g.error()));
  return Ok([g = std::move(g).value()](XmlWriter& w) { WriteGroup(w, g); });
}

Outcome GetGroup(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.Required("GroupName", missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:GetGroup", Arn("group", *name))) return Fail(*e);
  auto g = c.iam().GetGroup(*name);
  if (!g.has_value()) return Fail(c.FromStatus(g.error()));
  std::vector<engine::UserInfo> members;
  for (const std::string& m : g.value().members) {
    auto u = c.iam().GetUser(m);
    if (u.has_value()) members.push_back(std::move(u).value());
  }
  return Ok([g = std::move(g).value(), members = std::move(members)](XmlWriter& w) {
    WriteGroup(w, g);
    w.Open("Users");
    for (const auto& u : members) WriteUser(w, u, "member");
    w.Close();
    w.Element("IsTruncated", "false");
  });
}

Outcome ListGroups(const Call& c) {
  if (auto e = c.Authorize("iam:ListGroups", Arn("group", "*"))) return Fail(*e);
  auto groups = c.iam().ListGroups();
  if (!groups.has_value()) return Fail(c.FromStatus(groups.error()));
  return Ok([groups = std::move(groups).value()](XmlWriter& w) {
    w.Open("Groups");
    for (const auto& g : groups) WriteGroup(w, g, "member");
    w.Close();
    w.Element("IsTruncated", "false");
  });
}

Outcome DeleteGroup(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.Required("GroupName", missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:DeleteGroup", Arn("group", *name))) return Fail(*e);
  Status s = c.iam().DeleteGroup(*name, /*force=*/false);
  if (!s.ok()) return Fail(c.FromStatus(s));
  return Ok();
}

Outcome GroupMembership(const Call& c, bool add) {
  std::optional<IamError> missing;
  auto group = c.Required("GroupName", missing);
  auto user = c.Required("UserName", missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize(add ? "iam:AddUserToGroup" : "iam:RemoveUserFromGroup",
                           Arn("group", *group))) {
    return Fail(*e);
  }
  Status s =
      add ? c.iam().AddUserToGroup(*group, *user) : c.iam().RemoveUserFromGroup(*group, *user);
  if (!s.ok()) return Fail(c.FromStatus(s));
  return Ok();
}

Outcome ListGroupsForUser(const Call& c) {
  std::optional<IamError> missing;
  auto user = c.Required("UserName", missing);
  if (missing) return Fail(*missing);
  if (auto e = c.Authorize("iam:ListGroupsForUser", Arn("user", *user))) return Fail(*e);
  auto u = c.iam().GetUser(*user);
  if (!u.has_value()) return Fail(c.FromStatus(u.error()));
  std::vector<engine::GroupInfo> groups;
  for (const std::string& name : u.value().groups) {
    auto g = c.iam().GetGroup(name);
    if (g.has_value()) groups.push_back(std::move(g).value());
  }
  return Ok([groups = std::move(groups)](XmlWriter& w) {
    w.Open("Groups");
    for (const auto& g : groups) WriteGroup(w, g, "member");
    w.Close();
    w.Element("IsTruncated", "false");
  });
}

// --- Managed policies -------------------------------------------------------------------------

// The policy named by PolicyArn; `error` set when missing or not a policy of the account.
std::optional<std::string> PolicyParam(const Call& c, std::optional<IamError>& error) {
  auto arn = c.Required("PolicyArn", error);
  if (!arn) return std::nullopt;
  std::string name = PolicyNameFromArn(*arn);
  if (name.empty()) {
    error = IamError{"InvalidInput", 400, "ARN " + *arn + " is not valid."};
    return std::nullopt;
  }
  return name;
}

Outcome CreatePolicy(const Call& c) {
  std::optional<IamError> missing;
  auto name = c.Required("PolicyName", missing);
  auto doc = c.Required("PolicyDocument", missing);
  if (missing) return Fail(*missing);
  if (auto p = c.Param("Path"); p && *p != "/")
    return Fail(InvalidInput("Only Path / is supported."));
  if (auto e = c.Authorize("iam:CreatePolicy", Arn("policy", *name))) return Fail(*e);
  auto p = c.iam().CreatePolicy(*name, *doc, c.Param("Description").value_or(""));
  if (!p.has_value()) return Fail(c.FromStatus(p.error()));
  return Ok([p = std::move(p).value()](XmlWriter& w) { WritePolicy(w, p); });
}

Outcome GetPolicy(const Call& c) {
  std::optional<IamError> error;
  auto name = PolicyParam(c, error);
  if (error) return Fail(*error);
  if (auto e = c.Authorize("iam:GetPolicy", Arn("policy", *name))) return Fail(*e);
  auto p = c.iam().GetPolicy(*name);
  if (!p.has_value()) return Fail(c.FromStatus(p.error()));
  return Ok([p = std::move(p).value()](XmlWriter& w) { WritePolicy(w, p); });
}

Outcome GetPolicyVersion(const Call& c) {
  std::optional<IamError> error;
  auto name = PolicyParam(c, error);
  auto version = c.Required("VersionId", error);
  if (error) return Fail(*error);
  if (auto e = c.Authorize("iam:GetPolicyVersion", Arn("policy", *name))) return Fail(*e);
  auto p = c.iam().GetPolicy(*name);
  if (!p.has_value()) return Fail(c.FromStatus(p.error()));
  if (*version != kPolicyVersion) {
    return Fail(IamError{"NoSuchEntity", 404,
                         "Policy " + p.value().arn + " version " + *version + " does not exist."});
  }
  return Ok([p = std::move(p).value()](XmlWriter& w) {
    w.Open("PolicyVersion");
    // IAM returns the document URL-encoded (RFC 3986); SDKs decode it.
    w.Element("Document", PercentEncode(p.document, false));
    w.Element("VersionId", kPolicyVersion);
    w.Element("IsDefaultVersion", "true");
    w.Element("CreateDate", IamDate(p.updated_ns ? p.updated_ns : p.created_ns));
    w.Close();
  });
}

Outcome CreatePolicyVersion(const Call& c) {
  std::optional<IamError> error;
  auto name = PolicyParam(c, error);
  auto doc = c.Required("PolicyDocument", error);
  if (error) return Fail(*error);
  if (c.Param("SetAsDefault").value_or("false") != "true") {
    return Fail(InvalidInput(
        "MaxIOFS keeps one version per policy: CreatePolicyVersion needs SetAsDefault=true."));
  }
  if (auto e = c.Authorize("iam:CreatePolicyVersion", Arn("policy", *name))) return Fail(*e);
  Status s = c.iam().UpdatePolicy(*name, *doc);
  if (!s.ok()) return Fail(c.FromStatus(s));
  return Ok([now = c.now_ns()](XmlWriter& w) {
    w.Open("PolicyVersion");
    w.Element("VersionId", kPolicyVersion);
    w.Element("IsDefaultVersion", "true");
    w.Element("CreateDate", IamDate(now));
    w.Close();
  });
}

Outcome ListPolicies(const Call& c) {
  if (auto e = c.Authorize("iam:ListPolicies", Arn("policy", "*"))) return Fail(*e);
  auto scope = c.Param("Scope").value_or("All");
  bool only_attached = c.Param("OnlyAttached").value_or("false") == "true";
  std::vector<engine::ManagedPolicyInfo> policies;
  if (scope != "AWS") {  // MaxIOFS has no AWS-managed policies
    auto all = c.iam().ListPolicies();
    if (!all.has_value()) return Fail(c.FromStatus(all.error()));
    for (auto& p : all.value()) {
      if (!only_attached || p.attachment_count > 0) policies.push_back(std::move(p));
    }
  }
  return Ok([policies = std::move(policies)](XmlWriter& w) {
    w.Open("Policies");
    for (const auto& p : policies) WritePolicy(w, p, "member");
    w.Close();
    w.Element("IsTruncated", "false");
  });
}

Outcome DeletePolicy(const Call& c) {
  std::optional<IamError> error;
  auto name = PolicyParam(c, error);
  if (error) return Fail(*error);
  if (auto e = c.Authorize("iam:DeletePolicy", Arn("policy", *name))) return Fail(*e);
  Status s = c.iam().DeletePolicy(*name);
  if (!s.ok()) return Fail(c.FromStatus(s));
  return Ok();
}

// Attach/Detach{User,Group}Policy.
Outcome Attachment(const Call& c, bool group, bool attach) {
  std::optional<IamError> error;
  auto target = c.Required(group ? "GroupName" : "UserName", error);
  auto policy = PolicyParam(c, error);
  if (error) return Fail(*error);
  std::string action =
      std::string("iam:") + (attach ? "Attach" : "Detach") + (group ? "GroupPolicy" : "UserPolicy");
  ConditionContext extra{{"iam:PolicyARN", {Arn("policy", *policy)}}};
  if (auto e = c.Authorize(action, Arn(group ? "group" : "user", *target), extra)) return Fail(*e);
  Status s;
  if (group) {
    s = attach ? c.iam().AttachGroupPolicy(*target, *policy)
               : c.iam().DetachGroupPolicy(*target, *policy);
  } else {
    s = attach ? c.iam().AttachUserPolicy(*target, *policy)
               : c.iam().DetachUserPolicy(*target, *policy);
  }
  if (!s.ok()) return Fail(c.FromStatus(s));
  return Ok();
}

Outcome ListAttached(const Call& c, bool group) {
  std::optional<IamError> error;
  auto target = c.Required(group ? "GroupName" : "UserName", error);
  if (error) return Fail(*error);
  if (auto e = c.Authorize(group ? "iam:ListAttachedGroupPolicies" : "iam:ListAttachedUserPolicies",
                           Arn(group ? "group" : "user", *target))) {
    return Fail(*e);
  }
  std::vector<std::string> names;
  if (group) {
    auto g = c.iam().GetGroup(*target);
    if (!g.has_value()) return Fail(c.FromStatus(g.error()));
    names = g.value().attached_policies;
  } else {
    auto u = c.iam().GetUser(*target);
    if (!u.has_value()) return Fail(c.FromStatus(u.error()));
    names = u.value().attached_policies;
  }
  return Ok([names = std::move(names)](XmlWriter& w) { WriteAttached(w, names); });
}

// --- Console password (login profile) ----------------------------------------------------------

Outcome LoginProfile(const Call& c, std::string_view action) {
  std::optional<IamError> error;
  auto user = c.Required("UserName", error);
  std::optional<std::string> password;
  if (action == "CreateLoginProfile") password = c.Required("Password", error);
  if (action == "UpdateLoginProfile") password = c.Param("Password");
  if (error) return Fail(*error);
  if (auto e = c.Authorize("iam:" + std::string(action), Arn("user", *user))) return Fail(*e);
  if (action == "DeleteLoginProfile") {
    Status s = c.iam().DeleteConsolePassword(*user);
    if (!s.ok()) return Fail(c.FromStatus(s));
    return Ok();
  }
  if (action == "UpdateLoginProfile") {
    auto u = c.iam().GetUser(*user);
    if (!u.has_value()) return Fail(c.FromStatus(u.error()));
    if (!u.value().has_console_password) {
      return Fail(
          IamError{"NoSuchEntity", 404, "Login Profile for User " + *user + " cannot be found."});
    }
    if (!password) return Ok();  // only PasswordResetRequired, which MaxIOFS does not keep
  } else {
    auto u = c.iam().GetUser(*user);
    if (!u.has_value()) return Fail(c.FromStatus(u.error()));
    if (u.value().has_console_password) {
      return Fail(IamError{"EntityAlreadyExists", 409,
                           "Login Profile for user " + *user + " already exists."});
    }
  }
  Status s = c.iam().SetConsolePassword(*user, *password);
  if (!s.ok()) {
    if (s.code() == Status::Code::kInvalidArgument) {
      return Fail(IamError{"PasswordPolicyViolation", 400, std::string(s.message())});
    }
    return Fail(c.FromStatus(s));
  }
  if (action == "UpdateLoginProfile") return Ok();
  return Ok([user = *user, now = c.now_ns()](XmlWriter& w) {
    w.Open("LoginProfile");
    w.Element("UserName", user);
    w.Element("CreateDate", IamDate(now));
    w.Element("PasswordResetRequired", "false");
    w.Close();
  });
}

// --- STS ---------------------------------------------------------------------------------------

std::optional<uint32_t> DurationParam(const Call& c, std::optional<IamError>& error) {
  auto v = c.Param("DurationSeconds");
  if (!v) return 3600u;
  auto n = ParseUint64(*v);
  if (!n || *n > 129600) {
    error = IamError{"ValidationError", 400, "DurationSeconds must be a number of seconds."};
    return std::nullopt;
  }
  return static_cast<uint32_t>(*n);
}

void WriteCredentials(XmlWriter& w, const engine::SessionCredentials& s) {
  w.Open("Credentials");
  w.Element("AccessKeyId", s.access_key);
  w.Element("SecretAccessKey", s.secret_key);
  w.Element("SessionToken", s.session_token);
  w.Element("Expiration", IamDate(s.expires_ns));
  w.Close();
}

// Who may make sessions (not sessions themselves) is the engine's rule: CreateSession answers
// AccessDenied.
Outcome Session(const Call& c, bool assume_role) {
  std::optional<IamError> error;
  engine::SessionRequest req;
  req.caller = c.caller();
  if (auto d = DurationParam(c, error)) req.duration_s = *d;
  if (assume_role) {
    auto role = c.Required("RoleArn", error);
    auto session = c.Required("RoleSessionName", error);
    if (error) return Fail(*error);
    if (auto e = c.Authorize("sts:AssumeRole", *role)) return Fail(*e);
    req.role_arn = *role;
    req.session_name = *session;
    req.session_policy = c.Param("Policy").value_or("");
  }
  if (error) return Fail(*error);
  auto s = c.iam().CreateSession(req, c.now_ns());
  if (!s.has_value()) return Fail(c.FromStatus(s.error()));
  return Ok([s = std::move(s).value(), assume_role, session = req.session_name](XmlWriter& w) {
    WriteCredentials(w, s);
    if (assume_role) {
      w.Open("AssumedRoleUser");
      w.Element("AssumedRoleId", s.access_key + ":" + session);
      w.Element("Arn", s.arn);
      w.Close();
    }
  });
}

Outcome GetCallerIdentity(const Call& c) {
  const engine::Principal& p = c.caller();
  std::string user_id = std::string(engine::kAccountId);
  if (p.kind == engine::PrincipalKind::kUser) {
    auto u = c.iam().GetUser(p.user);
    if (u.has_value()) user_id = u.value().user_id;
  } else if (p.kind == engine::PrincipalKind::kSession) {
    user_id = p.access_key;
  }
  return Ok([arn = p.arn, user_id](XmlWriter& w) {
    w.Element("UserId", user_id);
    w.Element("Account", engine::kAccountId);
    w.Element("Arn", arn);
  });
}

struct ActionEntry {
  std::string_view service;
  std::function<Outcome(const Call&)> run;
};

const std::map<std::string_view, ActionEntry>& Actions() {
  static const std::map<std::string_view, ActionEntry> table{
      {"CreateUser", {"iam", CreateUser}},
      {"GetUser", {"iam", GetUser}},
      {"ListUsers", {"iam", ListUsers}},
      {"DeleteUser", {"iam", DeleteUser}},
      {"CreateAccessKey", {"iam", CreateAccessKey}},
      {"ListAccessKeys", {"iam", ListAccessKeys}},
      {"UpdateAccessKey", {"iam", UpdateAccessKey}},
      {"DeleteAccessKey", {"iam", DeleteAccessKey}},
      {"GetAccessKeyLastUsed", {"iam", GetAccessKeyLastUsed}},
      {"CreateGroup", {"iam", CreateGroup}},
      {"GetGroup", {"iam", GetGroup}},
      {"ListGroups", {"iam", ListGroups}},
      {"DeleteGroup", {"iam", DeleteGroup}},
      {"AddUserToGroup", {"iam", [](const Call& c) { return GroupMembership(c, true); }}},
      {"RemoveUserFromGroup", {"iam", [](const Call& c) { return GroupMembership(c, false); }}},
      {"ListGroupsForUser", {"iam", ListGroupsForUser}},
      {"CreatePolicy", {"iam", CreatePolicy}},
      {"GetPolicy", {"iam", GetPolicy}},
      {"GetPolicyVersion", {"iam", GetPolicyVersion}},
      {"ListPolicies", {"iam", ListPolicies}},
      {"DeletePolicy", {"iam", DeletePolicy}},
      {"CreatePolicyVersion", {"iam", CreatePolicyVersion}},
      {"AttachUserPolicy", {"iam", [](const Call& c) { return Attachment(c, false, true); }}},
      {"DetachUserPolicy", {"iam", [](const Call& c) { return Attachment(c, false, false); }}},
      {"ListAttachedUserPolicies", {"iam", [](const Call& c) { return ListAttached(c, false); }}},
      {"AttachGroupPolicy", {"iam", [](const Call& c) { return Attachment(c, true, true); }}},
      {"DetachGroupPolicy", {"iam", [](const Call& c) { return Attachment(c, true, false); }}},
      {"ListAttachedGroupPolicies", {"iam", [](const Call& c) { return ListAttached(c, true); }}},
      {"CreateLoginProfile",
       {"iam", [](const Call& c) { return LoginProfile(c, "CreateLoginProfile"); }}},
      {"UpdateLoginProfile",
       {"iam", [](const Call& c) { return LoginProfile(c, "UpdateLoginProfile"); }}},
      {"DeleteLoginProfile",
       {"iam", [](const Call& c) { return LoginProfile(c, "DeleteLoginProfile"); }}},
      {"AssumeRole", {"sts", [](const Call& c) { return Session(c, true); }}},
      {"GetSessionToken", {"sts", [](const Call& c) { return Session(c, false); }}},
      {"GetCallerIdentity", {"sts", GetCallerIdentity}},
  };
  return table;
}

}  // namespace

std::string_view ServiceOfAction(std::string_view action) {
  auto it = Actions().find(action);
  return it == Actions().end() ? std::string_view() : it->second.service;
}

std::string PolicyNameFromArn(std::string_view arn) {
  const std::string prefix = "arn:aws:iam::" + std::string(engine::kAccountId) + ":policy/";
  if (!arn.starts_with(prefix)) return "";
  std::string_view name = arn.substr(prefix.size());
  if (name.empty() || name.find('/') != std::string_view::npos) return "";
  return std::string(name);
}

Response RunIamAction(const IamCall& call) {
  std::string action;
  for (const QueryParam& p : call.params) {
    if (p.name == "Action") {
      action = p.value;
      break;
    }
  }
  auto it = Actions().find(action);
  if (it == Actions().end()) {
    return IamErrorResponse(
        IamError{"InvalidAction", 400,
                 "Could not find operation " + action + " for version 2010-05-08"},
        kIamXmlns, call.request_id);
  }
  const bool sts = it->second.service == "sts";
  const std::string_view xmlns = sts ? kStsXmlns : kIamXmlns;
  Call c(call, sts);
  Outcome out = it->second.run(c);
  if (out.error) return IamErrorResponse(*out.error, xmlns, call.request_id);
  return IamSuccessResponse(action, xmlns, call.request_id, out.fill);
}

}  // namespace maxiofs::s3::iam_api
