// IAM groups: list, create, details, delete (force removes members and policies with it),
// members, and managed policies attached to the group.
//
//   GET    groups                        POST   groups {name}
//   GET    groups/{g}                    DELETE groups/{g}?force=1
//   PUT    groups/{g}/members/{u}        DELETE groups/{g}/members/{u}
//   PUT    groups/{g}/policies/{p}       DELETE groups/{g}/policies/{p}
#include "api.h"
#include "iam_json.h"

namespace maxiofs::console {

http::StartedRequest ConsoleApi::DispatchGroups(const ApiCall& call) {
  const auto& s = call.segments;
  const std::string& method = call.http.method;
  const Caller& caller = call.caller;
  auto bad_method = [] {
    return Started(JsonError(405, "MethodNotAllowed", "The method is not allowed here."));
  };
  if (s.size() == 1) {
    if (method == "GET") {
      if (Status st = Authorize(caller, Op::kListGroups, "*"); !st.ok()) {
        return Started(StatusError(st));
      }
      auto groups = engine_.iam().ListGroups();
      if (!groups.has_value()) return Started(StatusError(groups.error()));
      nlohmann::json list = nlohmann::json::array();
      for (const auto& g : *groups) list.push_back(GroupJson(g));
      return Started(JsonResponse(200, {{"groups", list}}));
    }
    if (method != "POST") return bad_method();
    http::StartedRequest started;
    started.operation = "CreateGroup";
    started.body = JsonBody([this, caller](const nlohmann::json& doc) {
      auto name = JsonString(doc, "name");
      if (!name || name->empty()) return JsonError(400, "InvalidArgument", "name is required.");
      if (Status st = Authorize(caller, Op::kCreateGroup, *name); !st.ok()) return StatusError(st);
      auto group = engine_.iam().CreateGroup(*name);
      if (!group.has_value()) return StatusError(group.error());
      return JsonResponse(201, GroupJson(*group));
    });
    return started;
  }
  const std::string& group = s[1];
  if (s.size() == 2) {
    if (method == "GET") {
      if (Status st = Authorize(caller, Op::kGetGroup, group); !st.ok()) {
        return Started(StatusError(st));
      }
      auto info = engine_.iam().GetGroup(group);
      if (!info.has_value()) return Started(StatusError(info.error()));
      return Started(JsonResponse(200, GroupJson(*info)));
    }
    if (method != "DELETE") return bad_method();
    const std::string force_text = call.Query("force");
    const bool force = force_text == "1" || force_text == "true";
    Status st = Authorize(caller, Op::kDeleteGroup, group);
    // Forcing removes the members and detaches the policies first: each needs its permission.
    if (st.ok() && force) st = Authorize(caller, Op::kRemoveUserFromGroup, group);
    if (st.ok() && force) st = Authorize(caller, Op::kDetachGroupPolicy, group);
    if (st.ok()) st = engine_.iam().DeleteGroup(group, force);
    if (!st.ok()) return Started(StatusError(st));
    return Started(JsonResponse(200, {{"deleted", group}}));
  }
  if (s.size() != 4 || (s[2] != "members" && s[2] != "policies")) {
    return Started(JsonError(404, "NoSuchRoute", "No such API route."));
  }
  const bool members = s[2] == "members";
  const std::string& name = s[3];
  Status st;
  if (method == "PUT") {
    st = Authorize(caller, members ? Op::kAddUserToGroup : Op::kAttachGroupPolicy, group);
    if (st.ok()) {
      st = members ? engine_.iam().AddUserToGroup(group, name)
                   : engine_.iam().AttachGroupPolicy(group, name);
    }
  } else if (method == "DELETE") {
    st = Authorize(caller, members ? Op::kRemoveUserFromGroup : Op::kDetachGroupPolicy, group);
    if (st.ok()) {
      st = members ? engine_.iam().RemoveUserFromGroup(group, name)
                   : engine_.iam().DetachGroupPolicy(group, name);
    }
  } else {
    return bad_method();
  }
  if (!st.ok()) return Started(StatusError(st));
  auto info = engine_.iam().GetGroup(group);
  if (!info.has_value()) return Started(StatusError(info.error()));
  return Started(JsonResponse(200, GroupJson(*info)));
}

}  // namespace maxiofs::console
