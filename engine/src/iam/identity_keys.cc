// IdentityStore: users' access keys (see identity_state.h for the locking).
#include "identity_names.h"
#include "identity_state.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <cctype>

namespace maxiofs::engine {
namespace {

// Access key ids given by an operator: what SigV2/SigV4 can carry unescaped in every place.
bool ValidGivenKeyId(std::string_view id) {
  if (id.size() < 3 || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

bool ValidGivenSecret(std::string_view secret) {
  if (secret.size() < 8 || secret.size() > 256) return false;
  return std::all_of(secret.begin(), secret.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// Compares two secrets in time that depends only on their lengths.
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Status NoSuchKey(std::string_view access_key) {
  return Status::Error(Status::Code::kNoSuchEntity,
                       "The Access Key with id " + std::string(access_key) + " cannot be found.");
}

// Stores a new access key `id` of user `u` with `secret` (sealed, in one synced batch) and adds
// it to the mirror. The answer carries the secret. REQUIRES: st.write_mu held; `id` unused.
Result<AccessKeyInfo> AddNewKey(IdentityStore::State& st, const IdentityUser& u,
                                const std::string& id, std::string secret, bool active) {
  auto k = std::make_unique<IdentityKey>();
  k->secret = std::move(secret);
  k->rec.user = u.rec.name;
  k->rec.active = active;
  k->user = &u;
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
  st.users[iam::LowerName(u.rec.name)].keys.insert(id);
  st.keys.emplace(id, std::move(k));
  return info;
}

}  // namespace

Result<AccessKeyInfo> IdentityStore::CreateAccessKey(std::string_view user) {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  return AddNewKey(st, *u, st.NewAccessKeyId("AKIA"), iam::NewSecretKey(), true);
}

Result<bool> IdentityStore::PutAccessKey(std::string_view user, std::string_view access_key,
                                         std::string_view secret_key, AccessKeyStatus status) {
  if (!ValidGivenKeyId(access_key)) {
    return Status::InvalidArgument(
        "an access key id is 3-128 characters of A-Z, a-z, 0-9, '.', "
        "'_' and '-'");
  }
  if (!ValidGivenSecret(secret_key)) {
    return Status::InvalidArgument(
        "a secret key is 8-256 printable ASCII characters without spaces");
  }
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  const IdentityUser* u = st.FindUser(user);
  if (u == nullptr) return NoSuchUser(user);
  const std::string id(access_key);
  const bool active = status == AccessKeyStatus::kActive;
  auto taken = [&](std::string_view whose) {
    return Status::Error(
        Status::Code::kEntityAlreadyExists,
        "The access key " + id + " is already in use by " + std::string(whose) + ".");
  };
  if (id == st.options.root_access_key) return taken("the root user");
  {
    std::shared_lock lock(st.mu);
    if (st.sessions.contains(id)) return taken("temporary credentials");
  }
  auto existing = st.keys.find(id);
  if (existing != st.keys.end()) {
    IdentityKey& k = *existing->second;
    if (iam::LowerName(k.rec.user) != iam::LowerName(u->rec.name)) {
      return taken("the user " + k.rec.user);
    }
    const bool same_secret = ConstantTimeEqual(k.secret, secret_key);
    if (same_secret && k.rec.active == active) return false;
    iam::AccessKeyRecord rec = k.rec;
    rec.active = active;
    rec.last_used_ns = std::max(rec.last_used_ns, k.last_used.load(std::memory_order_relaxed));
    if (!same_secret) rec.sealed_secret = st.box->Seal(secret_key, SecretAad("key", id, "secret"));
    leveldb::WriteBatch batch;
    st.StageCheckRecord(&batch);
    batch.Put(iam::AccessKeyKey(id), iam::EncodeAccessKey(rec));
    MAXIOFS_RETURN_IF_ERROR(st.Write(&batch));
    st.MarkCheckStored();
    std::unique_lock lock(st.mu);
    k.rec = std::move(rec);
    k.secret = std::string(secret_key);
    return true;
  }
  MAXIOFS_RETURN_IF_ERROR(AddNewKey(st, *u, id, std::string(secret_key), active).status());
  return true;
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
