// IAM users: list, create, details, enable/disable, delete (force removes keys, groups,
// policies and password with the user), access keys (the secret is in the create answer
// only), the console password, and managed policies attached to the user.
//
//   GET    users                          POST   users {name}
//   GET    users/{u}                      DELETE users/{u}?force=1
//   PUT    users/{u}/enabled {enabled}
//   GET    users/{u}/keys                 POST   users/{u}/keys
//   PUT    users/{u}/keys/{k} {status}    DELETE users/{u}/keys/{k}
//   PUT    users/{u}/password {password}  DELETE users/{u}/password
//   PUT    users/{u}/policies/{p}         DELETE users/{u}/policies/{p}
#include "api.h"
#include "iam_json.h"

namespace maxiofs::console {
http::StartedRequest ConsoleApi::DispatchUsers(const ApiCall& call) {
  const auto& s = call.segments;
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  auto bad_method = [] {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  };
  if (s.size() == 1) {
    if (method == "GET") {
      if (Status st = Authorize(caller, Op::kListUsers, "*"); !st.ok())
        return Started(StatusError(st));
      auto users = engine_.iam().ListUsers();
      if (!users.has_value()) return Started(StatusError(users.error()));
      nlohmann::json list = nlohmann::json::array();
      for (const auto& u : *users) list.push_back(UserJson(u));
      return Started(JsonResponse(200, {{"users", list}}));
    }
    if (method != "POST") return bad_method();
    http::StartedRequest started;
    started.operation = "CreateUser";
    started.body = JsonBody([this, caller](const nlohmann::json& doc) {
      auto name = JsonString(doc, "name");
      if (!name || name->empty()) return JsonError(400, "InvalidArgument", "name is required.");
      if (Status st = Authorize(caller, Op::kCreateUser, *name); !st.ok()) return StatusError(st);
      auto user = engine_.iam().CreateUser(*name);
      if (!user.has_value()) return StatusError(user.error());
      return JsonResponse(201, UserJson(*user));
    });
    return started;
  }
  const std::string& user = s[1];
  if (s.size() == 2) {
    if (method == "GET") {
      if (Status st = Authorize(caller, Op::kGetUser, user); !st.ok())
        return Started(StatusError(st));
      auto info = engine_.iam().GetUser(user);
      if (!info.has_value()) return Started(StatusError(info.error()));
      return Started(JsonResponse(200, UserJson(*info)));
    }
    if (method == "DELETE") return Started(DeleteUser(call, user));
    return bad_method();
  }
  const std::string& what = s[2];
  if (s.size() == 3 && what == "enabled") {
    if (method != "PUT") return bad_method();
    http::StartedRequest started;
    started.operation = "UpdateUser";
    started.body = JsonBody([this, caller, user](const nlohmann::json& doc) {
      auto enabled = doc.find("enabled");
      if (enabled == doc.end() || !enabled->is_boolean()) {
        return JsonError(400, "InvalidArgument", "enabled (true/false) is required.");
      }
      if (Status st = Authorize(caller, Op::kUpdateUser, user); !st.ok()) return StatusError(st);
      if (Status st = engine_.iam().SetUserEnabled(user, enabled->get<bool>()); !st.ok()) {
        return StatusError(st);
      }
      auto info = engine_.iam().GetUser(user);
      if (!info.has_value()) return StatusError(info.error());
      return JsonResponse(200, UserJson(*info));
    });
    return started;
  }
  if (what == "keys") return AccessKeys(call, user);
  if (s.size() == 3 && what == "password") {
    if (method == "PUT") return SetPassword(call, user);
    if (method == "DELETE") {
      if (Status st = Authorize(caller, Op::kDeleteLoginProfile, user); !st.ok()) {
        return Started(StatusError(st));
      }
      if (Status st = engine_.iam().DeleteConsolePassword(user); !st.ok()) {
        return Started(StatusError(st));
      }
      return Started(JsonResponse(200, {{"hasPassword", false}}));
    }
    return bad_method();
  }
  if (s.size() == 4 && what == "policies") {
    const std::string& policy = s[3];
    Status st;
    if (method == "PUT") {
      st = Authorize(caller, Op::kAttachUserPolicy, user);
      if (st.ok()) st = engine_.iam().AttachUserPolicy(user, policy);
    } else if (method == "DELETE") {
      st = Authorize(caller, Op::kDetachUserPolicy, user);
      if (st.ok()) st = engine_.iam().DetachUserPolicy(user, policy);
    } else {
      return bad_method();
    }
    if (!st.ok()) return Started(StatusError(st));
    return Started(
        JsonResponse(200, {{"user", user}, {"policy", policy}, {"attached", method == "PUT"}}));
  }
  return Started(JsonError(404, "NoSuchRoute", "No such API route."));
}

http::Response ConsoleApi::DeleteUser(const ApiCall& call, const std::string& user) {
  const std::string force_text = call.Query("force");
  const bool force = force_text == "1" || force_text == "true";
  if (Status st = Authorize(call.caller, Op::kDeleteUser, user); !st.ok()) return StatusError(st);
  if (force) {
    // Forcing does what IAM asks to be done first, so each of those needs its permission.
    for (Op op : {Op::kDeleteAccessKey, Op::kDeleteLoginProfile, Op::kDetachUserPolicy}) {
      if (Status st = Authorize(call.caller, op, user); !st.ok()) return StatusError(st);
    }
    auto info = engine_.iam().GetUser(user);
    if (!info.has_value()) return StatusError(info.error());
    for (const std::string& group : info->groups) {
      if (Status st = Authorize(call.caller, Op::kRemoveUserFromGroup, group); !st.ok()) {
        return StatusError(st);
      }
    }
  }
  if (Status st = engine_.iam().DeleteUser(user, force); !st.ok()) return StatusError(st);
  return JsonResponse(200, {{"deleted", user}});
}

http::StartedRequest ConsoleApi::AccessKeys(const ApiCall& call, const std::string& user) {
  const auto& s = call.segments;
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  if (s.size() == 3) {
    if (method == "GET") {
      if (Status st = Authorize(caller, Op::kListAccessKeys, user); !st.ok()) {
        return Started(StatusError(st));
      }
      auto keys = engine_.iam().ListAccessKeys(user);
      if (!keys.has_value()) return Started(StatusError(keys.error()));
      nlohmann::json list = nlohmann::json::array();
      for (const auto& k : *keys) list.push_back(AccessKeyJson(k));
      return Started(JsonResponse(200, {{"keys", list}}));
    }
    if (method == "POST") {
      if (Status st = Authorize(caller, Op::kCreateAccessKey, user); !st.ok()) {
        return Started(StatusError(st));
      }
      auto key = engine_.iam().CreateAccessKey(user);
      if (!key.has_value()) return Started(StatusError(key.error()));
      // The only time the secret is ever shown.
      return Started(JsonResponse(201, AccessKeyJson(*key)));
    }
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  if (s.size() != 4) return Started(JsonError(404, "NoSuchRoute", "No such API route."));
  const std::string& key = s[3];
  if (method == "DELETE") {
    if (Status st = Authorize(caller, Op::kDeleteAccessKey, user); !st.ok()) {
      return Started(StatusError(st));
    }
    if (Status st = engine_.iam().DeleteAccessKey(user, key); !st.ok()) {
      return Started(StatusError(st));
    }
    return Started(JsonResponse(200, {{"deleted", key}}));
  }
  if (method != "PUT") {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  }
  http::StartedRequest started;
  started.operation = "UpdateAccessKey";
  started.body = JsonBody([this, caller, user, key](const nlohmann::json& doc) {
    auto status = ParseAccessKeyStatus(JsonString(doc, "status").value_or(""));
    if (!status) return JsonError(400, "InvalidArgument", "status must be Active or Inactive.");
    if (Status st = Authorize(caller, Op::kUpdateAccessKey, user); !st.ok()) return StatusError(st);
    if (Status st = engine_.iam().SetAccessKeyStatus(user, key, *status); !st.ok()) {
      return StatusError(st);
    }
    return JsonResponse(200, {{"accessKey", key}, {"status", AccessKeyStatusName(*status)}});
  });
  return started;
}

http::StartedRequest ConsoleApi::SetPassword(const ApiCall& call, const std::string& user) {
  http::StartedRequest started;
  started.operation = "SetConsolePassword";
  started.body = JsonBody([this, caller = call.caller, user](const nlohmann::json& doc) {
    auto password = JsonString(doc, "password");
    if (!password) return JsonError(400, "InvalidArgument", "password is required.");
    // IAM's names: a first password is a new login profile, a later one an update.
    auto info = engine_.iam().GetUser(user);
    const bool had = info.has_value() && info->has_console_password;
    if (Status st =
            Authorize(caller, had ? Op::kUpdateLoginProfile : Op::kCreateLoginProfile, user);
        !st.ok()) {
      return StatusError(st);
    }
    if (!info.has_value()) return StatusError(info.error());
    if (Status st = engine_.iam().SetConsolePassword(user, *password); !st.ok()) {
      return StatusError(st);
    }
    return JsonResponse(200, {{"hasPassword", true}});
  });
  return started;
}

}  // namespace maxiofs::console
