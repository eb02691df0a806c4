// IdentityStore: groups and their members (see identity_state.h for the locking). Membership
// is stored on the user record; a group's member set is derived in memory.
#include "identity_names.h"
#include "identity_state.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace maxiofs::engine {

Result<GroupInfo> IdentityStore::CreateGroup(std::string_view name) {
  MAXIOFS_RETURN_IF_ERROR(iam::CheckName("group name", name, iam::kMaxGroupNameLength));
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  if (st.FindGroup(name) != nullptr) {
    return Status::Error(Status::Code::kEntityAlreadyExists,
                         "Group with name " + std::string(name) + " already exists.");
  }
  IdentityGroup g;
  g.rec.name = std::string(name);
  g.rec.id = iam::NewId("AGPA", 17);
  g.rec.created_ns = IdentityNowNs();
  leveldb::WriteBatch batch;
  batch.Put(iam::GroupKey(name), iam::EncodeGroup(g.rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  GroupInfo info = st.GroupInfoOf(g);
  std::unique_lock lock(st.mu);
  st.groups.emplace(iam::LowerName(name), std::move(g));
  return info;
}

Result<GroupInfo> IdentityStore::GetGroup(std::string_view name) {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  const IdentityGroup* g = st.FindGroup(name);
  if (g == nullptr) return NoSuchGroup(name);
  return st.GroupInfoOf(*g);
}

Result<std::vector<GroupInfo>> IdentityStore::ListGroups() {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  std::vector<GroupInfo> out;
  out.reserve(st.groups.size());
  for (const auto& [_, g] : st.groups) out.push_back(st.GroupInfoOf(g));
  return out;
}

Status IdentityStore::DeleteGroup(std::string_view name, bool force) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityGroup* g = st.FindGroup(name);
  if (g == nullptr) return NoSuchGroup(name);
  if (!force && !g->members.empty()) {
    return Status::Error(Status::Code::kDeleteConflict,
                         "Cannot delete entity, must remove users from group first.");
  }
  if (!force && !g->rec.policies.empty()) {
    return Status::Error(Status::Code::kDeleteConflict,
                         "Cannot delete entity, must detach all policies first.");
  }
  leveldb::WriteBatch batch;
  batch.Delete(iam::GroupKey(name));
  std::vector<std::pair<std::string, iam::UserRecord>> changed;
  for (const std::string& m : g->members) {
    iam::UserRecord rec = st.users.at(m).rec;
    EraseName(&rec.groups, name);
    batch.Put(iam::UserKey(m), iam::EncodeUser(rec));
    changed.emplace_back(m, std::move(rec));
  }
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  for (auto& [m, rec] : changed) st.users[m].rec = std::move(rec);
  st.groups.erase(iam::LowerName(name));
  return Status::OK();
}

Status IdentityStore::AddUserToGroup(std::string_view group, std::string_view user) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityGroup* g = st.FindGroup(group);
  if (g == nullptr) return NoSuchGroup(group);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  iam::UserRecord rec = u->rec;
  if (!InsertName(&rec.groups, g->rec.name)) return Status::OK();  // already a member
  leveldb::WriteBatch batch;
  batch.Put(iam::UserKey(user), iam::EncodeUser(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  const std::string lower_user = iam::LowerName(user);
  std::unique_lock lock(st.mu);
  st.users[lower_user].rec = std::move(rec);
  st.groups[iam::LowerName(group)].members.insert(lower_user);
  return Status::OK();
}

Status IdentityStore::RemoveUserFromGroup(std::string_view group, std::string_view user) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityGroup* g = st.FindGroup(group);
  if (g == nullptr) return NoSuchGroup(group);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  iam::UserRecord rec = u->rec;
  if (!EraseName(&rec.groups, group)) {
    return Status::Error(
        Status::Code::kNoSuchEntity,
        "The user " + u->rec.name + " is not a member of group " + g->rec.name + ".");
  }
  leveldb::WriteBatch batch;
  batch.Put(iam::UserKey(user), iam::EncodeUser(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  const std::string lower_user = iam::LowerName(user);
  std::unique_lock lock(st.mu);
  st.users[lower_user].rec = std::move(rec);
  st.groups[iam::LowerName(group)].members.erase(lower_user);
  return Status::OK();
}

}  // namespace maxiofs::engine
