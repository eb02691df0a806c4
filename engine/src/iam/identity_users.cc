// IdentityStore: users and their console passwords (see identity_state.h for the locking).
#include "identity_names.h"
#include "identity_state.h"
#include "password_hash.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace maxiofs::engine {
namespace {

constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;

// Characters (UTF-8 code points; bytes when not UTF-8) of `s`.
size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Status WrongLogin() {
  return Status::AccessDenied("The user name or password is incorrect, or the user is disabled.");
}

}  // namespace

Result<UserInfo> IdentityStore::CreateUser(std::string_view name) {
  MAXIOFS_RETURN_IF_ERROR(iam::CheckName("user name", name, iam::kMaxUserNameLength));
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  if (st.FindUser(name) != nullptr) {
    return Status::Error(Status::Code::kEntityAlreadyExists,
                         "User with name " + std::string(name) + " already exists.");
  }
  IdentityUser u;
  u.rec.name = std::string(name);
  u.rec.id = iam::NewId("AIDA", 17);
  u.rec.created_ns = IdentityNowNs();
  leveldb::WriteBatch batch;
  batch.Put(iam::UserKey(name), iam::EncodeUser(u.rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  UserInfo info = st.UserInfoOf(u);
  std::unique_lock lock(st.mu);
  st.users.emplace(iam::LowerName(name), std::move(u));
  return info;
}

Result<UserInfo> IdentityStore::GetUser(std::string_view name) {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  const IdentityUser* u = st.FindUser(name);
  if (u == nullptr) return NoSuchUser(name);
  return st.UserInfoOf(*u);
}

Result<std::vector<UserInfo>> IdentityStore::ListUsers() {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  std::vector<UserInfo> out;
  out.reserve(st.users.size());
  for (const auto& [_, u] : st.users) out.push_back(st.UserInfoOf(u));
  return out;
}

Status IdentityStore::SetUserEnabled(std::string_view name, bool enabled) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(name);
  if (u == nullptr) return NoSuchUser(name);
  if (u->rec.enabled == enabled) return Status::OK();
  iam::UserRecord rec = u->rec;
  rec.enabled = enabled;
  leveldb::WriteBatch batch;
  batch.Put(iam::UserKey(name), iam::EncodeUser(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  st.users[iam::LowerName(name)].rec.enabled = enabled;
  return Status::OK();
}

Status IdentityStore::DeleteUser(std::string_view name, bool force) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(name);
  if (u == nullptr) return NoSuchUser(name);
  if (!force) {
    auto conflict = [](std::string_view what) {
      return Status::Error(Status::Code::kDeleteConflict,
                           "Cannot delete entity, must " + std::string(what) + " first.");
    };
    if (!u->keys.empty()) return conflict("delete access keys");
    if (!u->rec.password_hash.empty()) return conflict("delete login profile");
    if (!u->rec.policies.empty()) return conflict("detach all policies");
    if (!u->rec.groups.empty()) return conflict("remove users from group");
  }
  const std::string lower = iam::LowerName(name);
  leveldb::WriteBatch batch;
  batch.Delete(iam::UserKey(name));
  for (const std::string& k : u->keys) batch.Delete(iam::AccessKeyKey(k));
  std::vector<std::string> sessions;
  for (const auto& [id, s] : st.sessions) {
    if (!s.rec.user.empty() && iam::LowerName(s.rec.user) == lower) {
      batch.Delete(iam::SessionKey(id));
      sessions.push_back(id);
    }
  }
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  IdentityUser& user = st.users[lower];
  for (const std::string& k : user.keys) st.keys.erase(k);
  for (const std::string& g : user.rec.groups) {
    auto it = st.groups.find(iam::LowerName(g));
    if (it != st.groups.end()) it->second.members.erase(lower);
  }
  for (const std::string& id : sessions) st.sessions.erase(id);
  st.users.erase(lower);
  return Status::OK();
}

Status IdentityStore::SetConsolePassword(std::string_view user, std::string_view password) {
  const size_t n = CharCount(password);
  if (n < kMinPasswordLength || n > kMaxPasswordLength) {
    return Status::InvalidArgument("the console password must be 8-128 characters long");
  }
  {
    std::shared_lock lock(state_->mu);
    if (state_->FindUser(user) == nullptr) return NoSuchUser(user);
  }
  // The slow hash is made before taking the writer lock.
  std::string hash = iam::HashPassword(password);
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  iam::UserRecord rec = u->rec;
  rec.password_hash = std::move(hash);
  leveldb::WriteBatch batch;
  batch.Put(iam::UserKey(user), iam::EncodeUser(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  st.users[iam::LowerName(user)].rec = std::move(rec);
  return Status::OK();
}

Result<bool> IdentityStore::PutConsolePassword(std::string_view user, std::string_view password) {
  std::string hash;
  {
    std::shared_lock lock(state_->mu);
    const IdentityUser* u = state_->FindUser(user);
    if (u == nullptr) return NoSuchUser(user);
    hash = u->rec.password_hash;
  }
  if (!hash.empty() && iam::VerifyPassword(hash, password)) return false;
  MAXIOFS_RETURN_IF_ERROR(SetConsolePassword(user, password));
  return true;
}

Status IdentityStore::DeleteConsolePassword(std::string_view user) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  if (u->rec.password_hash.empty()) {
    return Status::Error(Status::Code::kNoSuchEntity,
                         "Login Profile for User " + std::string(user) + " cannot be found.");
  }
  iam::UserRecord rec = u->rec;
  rec.password_hash.clear();
  leveldb::WriteBatch batch;
  batch.Put(iam::UserKey(user), iam::EncodeUser(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  st.users[iam::LowerName(user)].rec = std::move(rec);
  return Status::OK();
}

Result<Principal> IdentityStore::CheckConsolePassword(std::string_view user,
                                                      std::string_view password) {
  std::string hash, name;
  bool enabled = false;
  {
    std::shared_lock lock(state_->mu);
    if (const IdentityUser* u = state_->FindUser(user)) {
      hash = u->rec.password_hash;
      name = u->rec.name;
      enabled = u->rec.enabled;
    }
  }
  // Every failure costs one slow hash and answers the same.
  if (hash.empty()) {
    iam::BurnPasswordCheck(password);
    return WrongLogin();
  }
  if (!iam::VerifyPassword(hash, password) || !enabled) return WrongLogin();
  Principal p;
  p.kind = PrincipalKind::kUser;
  p.user = name;
  p.arn = UserArn(name);
  return p;
}

}  // namespace maxiofs::engine
