// IdentityStore: users' access keys (see identity_state.h for the locking).
#include "identity_names.h"
#include "identity_state.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>

namespace maxiofs::engine {
namespace {

Status NoSuchKey(std::string_view access_key) {
  return Status::Error(Status::Code::kNoSuchEntity,
                       "The Access Key with id " + std::string(access_key) + " cannot be found.");
}

}  // namespace

Result<AccessKeyInfo> IdentityStore::CreateAccessKey(std::string_view user) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  const std::string id = st.NewAccessKeyId("AKIA");
  auto k = std::make_unique<IdentityKey>();
  k->secret = iam::NewSecretKey();
  k->rec.user = u->rec.name;
  k->user = u;
  k->rec.sealed_secret = st.box->Seal(k->secret, SecretAad("key", id, "secret"));
  k->rec.created_ns = IdentityNowNs();
  leveldb::WriteBatch batch;
  st.StageCheckRecord(&batch);
  batch.Put(iam::AccessKeyKey(id), iam::EncodeAccessKey(k->rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  st.MarkCheckStored();
  AccessKeyInfo info = st.KeyInfoOf(id, *k);
  info.secret_key = k->secret;
  std::unique_lock lock(st.mu);
  st.users[iam::LowerName(user)].keys.insert(id);
  st.keys.emplace(id, std::move(k));
  return info;
}

Result<std::vector<AccessKeyInfo>> IdentityStore::ListAccessKeys(std::string_view user) {
  const State& st = *state_;
  std::shared_lock lock(st.mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  std::vector<AccessKeyInfo> out;
  for (const std::string& id : u->keys) {
    auto it = st.keys.find(id);
    if (it != st.keys.end()) out.push_back(st.KeyInfoOf(id, *it->second));
  }
  std::sort(out.begin(), out.end(), [](const AccessKeyInfo& a, const AccessKeyInfo& b) {
    return std::tie(a.created_ns, a.access_key) < std::tie(b.created_ns, b.access_key);
  });
  return out;
}

Status IdentityStore::SetAccessKeyStatus(std::string_view user, std::string_view access_key,
                                         AccessKeyStatus status) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  const std::string id(access_key);
  if (!u->keys.contains(id)) return NoSuchKey(access_key);
  IdentityKey& k = *st.keys.at(id);
  const bool active = status == AccessKeyStatus::kActive;
  if (k.rec.active == active) return Status::OK();
  iam::AccessKeyRecord rec = k.rec;
  rec.active = active;
  rec.last_used_ns = std::max(rec.last_used_ns, k.last_used.load(std::memory_order_relaxed));
  leveldb::WriteBatch batch;
  batch.Put(iam::AccessKeyKey(id), iam::EncodeAccessKey(rec));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  k.rec = std::move(rec);
  return Status::OK();
}

Status IdentityStore::DeleteAccessKey(std::string_view user, std::string_view access_key) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  const std::string id(access_key);
  if (!u->keys.contains(id)) return NoSuchKey(access_key);
  leveldb::WriteBatch batch;
  batch.Delete(iam::AccessKeyKey(id));
  MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
  std::unique_lock lock(st.mu);
  st.users[iam::LowerName(user)].keys.erase(id);
  st.keys.erase(id);
  return Status::OK();
}

}  // namespace maxiofs::engine
