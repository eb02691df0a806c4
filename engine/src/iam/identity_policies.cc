// IdentityStore: managed policies and their attachment to users and groups (see
// identity_state.h for the locking). Attachments are stored on the user or group record.
#include "identity_names.h"
#include "identity_state.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace maxiofs::engine {
namespace {

Status NotAttached(std::string_view policy, std::string_view to) {
  return Status::Error(
      Status::Code::kNoSuchEntity,
      "Policy " + PolicyArn(policy) + " was not found attached to " + std::string(to) + ".");
}

}  // namespace

Result<ManagedPolicyInfo> IdentityStore::CreatePolicy(std::string_view name,
                                                      std::string_view document,
                                                      std::string_view description) {
  MAXIOFS_RETURN_IF_ERROR(iam::CheckName("policy name", name, iam::kMaxPolicyNameLength));
  if (description.size() > iam::kMaxPolicyDescriptionLength) {
    return Status::InvalidArgument("the policy description must be at most 1000 characters");
  }
  MAXIOFS_ASSIGN_OR_RETURN(auto parsed, iam::Policy::Parse(document, iam::PolicyKind::kIdentity));
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  if (st.FindPolicy(name) != nullptr) {
    return Status::Error(Status::Code::kEntityAlreadyExists,
                         "A policy called " + std::string(name) + " already exists.");
  }
  IdentityPolicy p;
  p.rec.name = std::string(name);
  p.rec.id = iam::NewId("ANPA", 17);
  p.rec.description = std::string(description);
  p.rec.document = std::string(document);
  p.rec.created_ns = p.rec.updated_ns = IdentityNowNs();
  p.parsed = std::move(parsed);
  leveldb::WriteBatch batch;
  batch.Put(iam::PolicyKey(name), iam::EncodePolicy(p.rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  ManagedPolicyInfo info = st.PolicyInfoOf(p, 0);
  std::unique_lock lock(st.mu);
  st.policies.emplace(iam::LowerName(name), std::move(p));
  return info;
}

Result<ManagedPolicyInfo> IdentityStore::GetPolicy(std::string_view name) {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  const IdentityPolicy* p = st.FindPolicy(name);
  if (p == nullptr) return NoSuchPolicy(name);
  return st.PolicyInfoOf(*p, st.AttachmentCount(iam::LowerName(name)));
}

Result<std::vector<ManagedPolicyInfo>> IdentityStore::ListPolicies() {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  std::map<std::string, uint32_t> counts;
  for (const auto& [_, u] : st.users) {
    for (const std::string& n : u.rec.policies) ++counts[iam::LowerName(n)];
  }
  for (const auto& [_, g] : st.groups) {
    for (const std::string& n : g.rec.policies) ++counts[iam::LowerName(n)];
  }
  std::vector<ManagedPolicyInfo> out;
  out.reserve(st.policies.size());
  for (const auto& [lower, p] : st.policies) {
    auto c = counts.find(lower);
    out.push_back(st.PolicyInfoOf(p, c == counts.end() ? 0 : c->second));
  }
  return out;
}

Status IdentityStore::UpdatePolicy(std::string_view name, std::string_view document) {
  MAXIOFS_ASSIGN_OR_RETURN(auto parsed, iam::Policy::Parse(document, iam::PolicyKind::kIdentity));
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityPolicy* p = st.FindPolicy(name);
  if (p == nullptr) return NoSuchPolicy(name);
  iam::PolicyRecord rec = p->rec;
  rec.document = std::string(document);
  rec.updated_ns = std::max(IdentityNowNs(), rec.updated_ns);
  leveldb::WriteBatch batch;
  batch.Put(iam::PolicyKey(name), iam::EncodePolicy(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  IdentityPolicy& stored = st.policies[iam::LowerName(name)];
  stored.rec = std::move(rec);
  stored.parsed = std::move(parsed);
  return Status::OK();
}

Status IdentityStore::DeletePolicy(std::string_view name) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  if (st.FindPolicy(name) == nullptr) return NoSuchPolicy(name);
  if (st.AttachmentCount(iam::LowerName(name)) > 0) {
    return Status::Error(Status::Code::kDeleteConflict,
                         "Cannot delete a policy attached to entities.");
  }
  leveldb::WriteBatch batch;
  batch.Delete(iam::PolicyKey(name));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  st.policies.erase(iam::LowerName(name));
  return Status::OK();
}

namespace {

// Attaches (attach = true) or detaches `policy` to/from the user or group `owner` of map `owners`:
// one synced write of the owner's record. `find`, `key` and `encode` are the owner kind's.
template <typename Owner, typename Find, typename KeyFn, typename EncodeFn, typename NoSuch>
Status EditAttachment(IdentityStore::State& st, std::map<std::string, Owner>& owners,
                      std::string_view kind, std::string_view owner, std::string_view policy,
                      bool attach, Find find, KeyFn key, EncodeFn encode, NoSuch no_such) {
  std::lock_guard wlock(st.write_mu);
  const Owner* o = find(owner);
  if (o == nullptr) return no_such(owner);
  const IdentityPolicy* p = st.FindPolicy(policy);
  if (p == nullptr) return NoSuchPolicy(policy);
  auto rec = o->rec;
  if (attach) {
    if (!InsertName(&rec.policies, p->rec.name)) return Status::OK();  // already attached
  } else if (!EraseName(&rec.policies, policy)) {
    return NotAttached(policy, std::string(kind) + " " + o->rec.name);
  }
  leveldb::WriteBatch batch;
  batch.Put(key(owner), encode(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  owners[iam::LowerName(owner)].rec = std::move(rec);
  return Status::OK();
}

Status EditUserAttachment(IdentityStore::State& st, std::string_view user, std::string_view policy,
                          bool attach) {
  return EditAttachment(
      st, st.users, "user", user, policy, attach,
      [&st](std::string_view n) { return st.FindUser(n); },
      [](std::string_view n) { return iam::UserKey(n); },
      [](const iam::UserRecord& r) { return iam::EncodeUser(r); },
      [](std::string_view n) { return NoSuchUser(n); });
}

Status EditGroupAttachment(IdentityStore::State& st, std::string_view group,
                           std::string_view policy, bool attach) {
  return EditAttachment(
      st, st.groups, "group", group, policy, attach,
      [&st](std::string_view n) { return st.FindGroup(n); },
      [](std::string_view n) { return iam::GroupKey(n); },
      [](const iam::GroupRecord& r) { return iam::EncodeGroup(r); },
      [](std::string_view n) { return NoSuchGroup(n); });
}

}  // namespace

Status IdentityStore::AttachUserPolicy(std::string_view user, std::string_view policy) {
  return EditUserAttachment(*state_, user, policy, true);
}

Status IdentityStore::DetachUserPolicy(std::string_view user, std::string_view policy) {
  return EditUserAttachment(*state_, user, policy, false);
}

Status IdentityStore::AttachGroupPolicy(std::string_view group, std::string_view policy) {
  return EditGroupAttachment(*state_, group, policy, true);
}

Status IdentityStore::DetachGroupPolicy(std::string_view group, std::string_view policy) {
  return EditGroupAttachment(*state_, group, policy, false);
}

}  // namespace maxiofs::engine
