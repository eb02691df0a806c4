// IdentityStore: loading, credential lookups, policies of a principal, last-used flushing, and
// the helpers shared by the operation files (see identity_state.h for the lock discipline).
#include "identity_store.h"

#include "identity_names.h"
#include "identity_state.h"

#include "maxiofs/common/no_wait.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace maxiofs::engine {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;
// Last-used times are written at most this often (and at shutdown).
constexpr int64_t kFlushIntervalNs = 60 * kSecondNs;
// An expired session answers ExpiredToken for this long, then is dropped.
constexpr int64_t kExpiredSessionGraceNs = 15 * 60 * kSecondNs;

constexpr std::string_view kDenyAllPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";

std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}

Status InvalidKeyId() {
  return Status::Error(Status::Code::kInvalidAccessKeyId,
                       "The AWS Access Key Id you provided does not exist in our records.");
}

}  // namespace

// --- shared helpers ------------------------------------------------------------------------

std::string SecretAad(std::string_view kind, std::string_view access_key, std::string_view field) {
  std::string aad = "maxiofs-iam-secret-v1";
  aad.push_back('\0');
  aad.append(kind);
  aad.push_back('\0');
  aad.append(access_key);
  aad.push_back('\0');
  aad.append(field);
  return aad;
}

std::string UserArn(std::string_view name) {
  return "arn:aws:iam::" + std::string(kAccountId) + ":user/" + std::string(name);
}
std::string GroupArn(std::string_view name) {
  return "arn:aws:iam::" + std::string(kAccountId) + ":group/" + std::string(name);
}
std::string PolicyArn(std::string_view name) {
  return "arn:aws:iam::" + std::string(kAccountId) + ":policy/" + std::string(name);
}

int64_t IdentityNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status NoSuchUser(std::string_view name) {
  return Status::Error(Status::Code::kNoSuchEntity,
                       "The user with name " + std::string(name) + " cannot be found.");
}
Status NoSuchGroup(std::string_view name) {
  return Status::Error(Status::Code::kNoSuchEntity,
                       "The group with name " + std::string(name) + " cannot be found.");
}
Status NoSuchPolicy(std::string_view name) {
  return Status::Error(Status::Code::kNoSuchEntity,
                       "Policy " + PolicyArn(name) + " does not exist or is not attachable.");
}

bool ContainsName(const std::vector<std::string>& v, std::string_view name) {
  const std::string lower = iam::LowerName(name);
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& n) { return iam::LowerName(n) == lower; });
}

bool InsertName(std::vector<std::string>* v, std::string_view name) {
  if (ContainsName(*v, name)) return false;
  v->emplace_back(name);
  std::sort(v->begin(), v->end(), [](const std::string& a, const std::string& b) {
    return iam::LowerName(a) < iam::LowerName(b);
  });
  return true;
}

bool EraseName(std::vector<std::string>* v, std::string_view name) {
  const std::string lower = iam::LowerName(name);
  auto it = std::find_if(v->begin(), v->end(),
                         [&](const std::string& n) { return iam::LowerName(n) == lower; });
  if (it == v->end()) return false;
  v->erase(it);
  return true;
}

// --- State ---------------------------------------------------------------------------------

Status IdentityStore::State::Write(leveldb::WriteBatch* batch, bool durable) {
  if (!write_error.ok()) return write_error;
  leveldb::WriteOptions wo;
  wo.sync = durable;
  leveldb::Status s = db->Write(wo, batch);
  if (s.ok()) return Status::OK();
  Status err = Status::IOError("write IAM records: " + s.ToString());
  if (durable) {
    Log()->error("IAM store stops accepting changes after a failed sync: {}", err.ToString());
    write_error = Status::ReadOnly("IAM changes are refused until restart after a failed write: " +
                                   s.ToString());
  }
  return err;
}

void IdentityStore::State::StageCheckRecord(leveldb::WriteBatch* batch) {
  if (!check_stored) batch->Put(iam::IdentityCheckKey(), box->CheckRecord());
}

const IdentityUser* IdentityStore::State::FindUser(std::string_view name) const {
  auto it = users.find(iam::LowerName(name));
  return it == users.end() ? nullptr : &it->second;
}
const IdentityGroup* IdentityStore::State::FindGroup(std::string_view name) const {
  auto it = groups.find(iam::LowerName(name));
  return it == groups.end() ? nullptr : &it->second;
}
const IdentityPolicy* IdentityStore::State::FindPolicy(std::string_view name) const {
  auto it = policies.find(iam::LowerName(name));
  return it == policies.end() ? nullptr : &it->second;
}

uint32_t IdentityStore::State::AttachmentCount(const std::string& lower_policy) const {
  uint32_t n = 0;
  auto count = [&](const std::vector<std::string>& names) {
    for (const std::string& p : names) {
      if (iam::LowerName(p) == lower_policy) ++n;
    }
  };
  for (const auto& [_, u] : users) count(u.rec.policies);
  for (const auto& [_, g] : groups) count(g.rec.policies);
  return n;
}

UserInfo IdentityStore::State::UserInfoOf(const IdentityUser& u) const {
  UserInfo i;
  i.name = u.rec.name;
  i.arn = UserArn(u.rec.name);
  i.user_id = u.rec.id;
  i.created_ns = u.rec.created_ns;
  i.enabled = u.rec.enabled;
  i.has_console_password = !u.rec.password_hash.empty();
  i.groups = u.rec.groups;
  i.attached_policies = u.rec.policies;
  return i;
}

GroupInfo IdentityStore::State::GroupInfoOf(const IdentityGroup& g) const {
  GroupInfo i;
  i.name = g.rec.name;
  i.arn = GroupArn(g.rec.name);
  i.group_id = g.rec.id;
  i.created_ns = g.rec.created_ns;
  for (const std::string& m : g.members) {
    auto it = users.find(m);
    if (it != users.end()) i.members.push_back(it->second.rec.name);  // in map order
  }
  i.attached_policies = g.rec.policies;
  return i;
}

ManagedPolicyInfo IdentityStore::State::PolicyInfoOf(const IdentityPolicy& p,
                                                     uint32_t attachments) const {
  ManagedPolicyInfo i;
  i.name = p.rec.name;
  i.arn = PolicyArn(p.rec.name);
  i.policy_id = p.rec.id;
  i.description = p.rec.description;
  i.document = p.rec.document;
  i.created_ns = p.rec.created_ns;
  i.updated_ns = p.rec.updated_ns;
  i.attachment_count = attachments;
  return i;
}

AccessKeyInfo IdentityStore::State::KeyInfoOf(const std::string& access_key,
                                              const IdentityKey& k) const {
  AccessKeyInfo i;
  i.access_key = access_key;
  i.user = k.rec.user;
  i.status = k.rec.active ? AccessKeyStatus::kActive : AccessKeyStatus::kInactive;
  i.created_ns = k.rec.created_ns;
  i.last_used_ns = std::max(k.rec.last_used_ns, k.last_used.load(std::memory_order_relaxed));
  return i;
}

std::string IdentityStore::State::NewAccessKeyId(std::string_view prefix) const {
  for (;;) {
    std::string id = iam::NewId(prefix, 16);
    if (id != options.root_access_key && !keys.contains(id) && !sessions.contains(id)) return id;
  }
}

void IdentityStore::State::FlushLocked(int64_t now_ns) {
  next_flush_ns.store(now_ns + kFlushIntervalNs, std::memory_order_relaxed);
  if (!write_error.ok()) return;
  leveldb::WriteBatch batch;
  std::vector<std::pair<IdentityKey*, int64_t>> flushed;
  std::vector<std::string> dropped;
  {
    std::shared_lock lock(mu);
    for (auto& [id, k] : keys) {
      const int64_t used = k->last_used.load(std::memory_order_relaxed);
      if (used <= k->rec.last_used_ns) continue;
      iam::AccessKeyRecord rec = k->rec;
      rec.last_used_ns = used;
      batch.Put(iam::AccessKeyKey(id), iam::EncodeAccessKey(rec));
      flushed.emplace_back(k.get(), used);
    }
    for (const auto& [id, s] : sessions) {
      if (s.rec.expires_ns + kExpiredSessionGraceNs < now_ns) {
        batch.Delete(iam::SessionKey(id));
        dropped.push_back(id);
      }
    }
  }
  if (flushed.empty() && dropped.empty()) return;
  // Not synced: losing a last-used time or re-dropping an expired session after a crash is
  // harmless.
  Status s = Write(&batch, /*durable=*/false);
  if (!s.ok()) {
    Log()->warn("IAM last-used flush failed: {}", s.ToString());
    return;
  }
  std::unique_lock lock(mu);
  for (auto [k, used] : flushed) k->rec.last_used_ns = used;
  for (const std::string& id : dropped) sessions.erase(id);
}

// --- IdentityStore -------------------------------------------------------------------------

IdentityStore::IdentityStore(const IamOptions& options, leveldb::DB* db)
    : state_(std::make_unique<State>(options, db)) {
  state_->root_arn = "arn:aws:iam::" + std::string(kAccountId) + ":root";
}

IdentityStore::~IdentityStore() = default;

namespace {

// Records read from the 'i' range, before they are checked against each other.
struct LoadedRecords {
  std::optional<std::string> check;
  std::vector<iam::UserRecord> users;
  std::vector<std::pair<std::string, iam::AccessKeyRecord>> keys;
  std::vector<iam::GroupRecord> groups;
  std::vector<iam::PolicyRecord> policies;
  std::vector<std::pair<std::string, iam::SessionRecord>> sessions;
};

Result<LoadedRecords> ReadRecords(leveldb::DB* db) {
  LoadedRecords out;
  std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
  const std::string prefix = iam::IdentityPrefix();
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (!key.starts_with(prefix)) break;
    std::string_view value(it->value().data(), it->value().size());
    if (key == iam::IdentityCheckKey()) {
      out.check = std::string(value);
      continue;
    }
    if (key.size() < 3) return Status::Corruption("malformed IAM key");
    const std::string tail(key.substr(2));
    switch (key[1]) {
      case iam::kUserSubTag: {
        MAXIOFS_ASSIGN_OR_RETURN(auto r, iam::DecodeUser(value));
        if (iam::LowerName(r.name) != tail) return Status::Corruption("IAM user key mismatch");
        out.users.push_back(std::move(r));
        break;
      }
      case iam::kAccessKeySubTag: {
        MAXIOFS_ASSIGN_OR_RETURN(auto r, iam::DecodeAccessKey(value));
        out.keys.emplace_back(tail, std::move(r));
        break;
      }
      case iam::kGroupSubTag: {
        MAXIOFS_ASSIGN_OR_RETURN(auto r, iam::DecodeGroup(value));
        if (iam::LowerName(r.name) != tail) return Status::Corruption("IAM group key mismatch");
        out.groups.push_back(std::move(r));
        break;
      }
      case iam::kPolicySubTag: {
        MAXIOFS_ASSIGN_OR_RETURN(auto r, iam::DecodePolicy(value));
        if (iam::LowerName(r.name) != tail) return Status::Corruption("IAM policy key mismatch");
        out.policies.push_back(std::move(r));
        break;
      }
      case iam::kSessionSubTag: {
        MAXIOFS_ASSIGN_OR_RETURN(auto r, iam::DecodeSession(value));
        out.sessions.emplace_back(tail, std::move(r));
        break;
      }
      default:
        return Status::Corruption("unknown IAM record kind");
    }
  }
  if (!it->status().ok()) return Status::IOError("read IAM records: " + it->status().ToString());
  return out;
}

}  // namespace

Status IdentityStore::Load() {
  State& st = *state_;
  std::lock_guard wlock(st.write_mu);
  std::unique_lock lock(st.mu);
  const int64_t now = IdentityNowNs();
  const std::string& master =
      st.options.master_secret.empty() ? st.options.root_secret_key : st.options.master_secret;

  {
    auto deny = iam::Policy::Parse(kDenyAllPolicy, iam::PolicyKind::kIdentity);
    if (deny.has_value()) st.deny_all = std::move(deny).value();
  }

  MAXIOFS_ASSIGN_OR_RETURN(LoadedRecords recs, ReadRecords(st.db));

  // The sealing key: the stored one, verified against the configured master secret. A
  // mismatch matters only when some sealed secret is stored.
  st.check_stored = false;
  if (recs.check) {
    auto box = iam::SecretBox::FromCheckRecord(master, *recs.check);
    if (box.has_value()) {
      st.box = std::move(box).value();
      st.check_stored = true;
    } else if (box.error().code() != Status::Code::kInvalidArgument || !recs.keys.empty() ||
               !recs.sessions.empty()) {
      return box.error();
    }
  }
  if (!st.box) st.box = iam::SecretBox::Create(master);

  auto parse_or_deny = [&](const std::string& doc,
                           std::string_view what) -> std::shared_ptr<const iam::Policy> {
    auto p = iam::Policy::Parse(doc, iam::PolicyKind::kIdentity);
    if (p.has_value()) return std::move(p).value();
    Log()->warn("IAM {} no longer parses ({}); it denies everything until replaced", what,
                p.error().ToString());
    return st.deny_all;
  };

  st.users.clear();
  st.keys.clear();
  st.groups.clear();
  st.policies.clear();
  st.sessions.clear();
  for (auto& r : recs.policies) {
    IdentityPolicy p;
    p.parsed = parse_or_deny(r.document, "policy " + r.name);
    p.rec = std::move(r);
    st.policies.emplace(iam::LowerName(p.rec.name), std::move(p));
  }
  for (auto& r : recs.groups) {
    IdentityGroup g;
    g.rec = std::move(r);
    st.groups.emplace(iam::LowerName(g.rec.name), std::move(g));
  }
  for (auto& r : recs.users) {
    const std::string lower = iam::LowerName(r.name);
    for (const std::string& g : r.groups) {
      auto it = st.groups.find(iam::LowerName(g));
      if (it == st.groups.end()) return Status::Corruption("IAM user in an unknown group");
      it->second.members.insert(lower);
    }
    IdentityUser u;
    u.rec = std::move(r);
    st.users.emplace(lower, std::move(u));
  }
  for (auto& [id, r] : recs.keys) {
    auto user = st.users.find(iam::LowerName(r.user));
    if (user == st.users.end()) return Status::Corruption("IAM access key of an unknown user");
    auto secret = st.box->Open(r.sealed_secret, SecretAad("key", id, "secret"));
    if (!secret.has_value()) return secret.error().WithContext("access key " + id);
    auto k = std::make_unique<IdentityKey>();
    k->secret = std::move(secret).value();
    k->last_used.store(r.last_used_ns, std::memory_order_relaxed);
    k->user = &user->second;
    k->rec = std::move(r);
    user->second.keys.insert(id);
    st.keys.emplace(id, std::move(k));
  }
  leveldb::WriteBatch drop;
  size_t dropped = 0;
  for (auto& [id, r] : recs.sessions) {
    if (r.expires_ns <= now || (!r.user.empty() && !st.users.contains(iam::LowerName(r.user)))) {
      drop.Delete(iam::SessionKey(id));
      ++dropped;
      continue;
    }
    auto secret = st.box->Open(r.sealed_secret, SecretAad("session", id, "secret"));
    if (!secret.has_value()) return secret.error().WithContext("session " + id);
    auto token = st.box->Open(r.sealed_token, SecretAad("session", id, "token"));
    if (!token.has_value()) return token.error().WithContext("session " + id);
    IdentitySession s;
    s.secret = std::move(secret).value();
    s.token = std::move(token).value();
    if (!r.policy.empty()) s.policy = parse_or_deny(r.policy, "session policy of " + id);
    s.rec = std::move(r);
    st.sessions.emplace(id, std::move(s));
  }
  if (dropped > 0) {
    // Not synced: an expired session found again after a crash is dropped again.
    MAXIOFS_RETURN_IF_ERROR(st.Write(&drop, /*durable=*/false));
  }
  st.next_flush_ns.store(now + kFlushIntervalNs, std::memory_order_relaxed);
  return Status::OK();
}

Result<Credential> IdentityStore::LookupCredential(std::string_view access_key, int64_t now_ns) {
  State& st = *state_;
  Credential c;
  if (access_key == st.options.root_access_key) {
    c.access_key = st.options.root_access_key;
    c.secret_key = st.options.root_secret_key;
    c.principal.kind = PrincipalKind::kRoot;
    c.principal.access_key = c.access_key;
    c.principal.arn = st.root_arn;
    return c;
  }
  {
    std::shared_lock lock(st.mu);
    if (auto k = st.keys.find(access_key); k != st.keys.end()) {
      IdentityKey& key = *k->second;
      const IdentityUser* user = key.user;
      if (!key.rec.active || !user->rec.enabled) return InvalidKeyId();
      if (key.last_used.load(std::memory_order_relaxed) < now_ns) {
        key.last_used.store(now_ns, std::memory_order_relaxed);
      }
      c.access_key = k->first;
      c.secret_key = key.secret;
      c.principal.kind = PrincipalKind::kUser;
      c.principal.user = user->rec.name;
      c.principal.access_key = k->first;
      c.principal.arn = UserArn(user->rec.name);
    } else if (auto s = st.sessions.find(access_key); s != st.sessions.end()) {
      const IdentitySession& session = s->second;
      if (now_ns >= session.rec.expires_ns) {
        return Status::Error(Status::Code::kExpiredToken, "The provided token has expired.");
      }
      if (!session.rec.user.empty()) {
        const IdentityUser* user = st.FindUser(session.rec.user);
        if (user == nullptr || !user->rec.enabled) return InvalidKeyId();
      }
      c.access_key = s->first;
      c.secret_key = session.secret;
      c.session_token = session.token;
      c.expires_ns = session.rec.expires_ns;
      c.principal.kind = PrincipalKind::kSession;
      c.principal.user = session.rec.user;
      c.principal.access_key = s->first;
      c.principal.arn = session.rec.arn;
      c.principal.session_policy = session.rec.policy;
    } else {
      return InvalidKeyId();
    }
  }
  // A NoWaitScope's thread must not write (a LevelDB write may stall): a later request flushes.
  if (!NoWaitActive() && now_ns >= st.next_flush_ns.load(std::memory_order_relaxed)) {
    // Never wait behind a mutation: the next request will try again.
    std::unique_lock wlock(st.write_mu, std::try_to_lock);
    if (wlock.owns_lock() && now_ns >= st.next_flush_ns.load(std::memory_order_relaxed)) {
      st.FlushLocked(now_ns);
    }
  }
  return c;
}

void IdentityStore::FlushLastUsed() {
  std::lock_guard wlock(state_->write_mu);
  if (state_->box) state_->FlushLocked(IdentityNowNs());
}

PrincipalPolicies IdentityStore::PoliciesFor(const Principal& p) const {
  const State& st = *state_;
  PrincipalPolicies out;
  if (p.kind != PrincipalKind::kUser && p.kind != PrincipalKind::kSession) return out;
  std::shared_lock lock(st.mu);
  std::string user_name = p.user;
  if (p.kind == PrincipalKind::kSession) {
    auto s = st.sessions.find(p.access_key);
    if (s == st.sessions.end()) {
      // A session that is gone allows nothing.
      out.session = st.deny_all;
      return out;
    }
    out.session = s->second.policy;
    user_name = s->second.rec.user;
    if (user_name.empty()) return out;  // a session of root
  }
  const IdentityUser* user = st.FindUser(user_name);
  if (user == nullptr) {
    if (p.kind == PrincipalKind::kSession) out.session = st.deny_all;
    return out;
  }
  out.user_id = user->rec.id;
  auto add = [&](const std::vector<std::string>& names) {
    for (const std::string& n : names) {
      const IdentityPolicy* pol = st.FindPolicy(n);
      if (pol != nullptr && pol->parsed) out.identity.push_back(pol->parsed);
    }
  };
  add(user->rec.policies);
  for (const std::string& g : user->rec.groups) {
    if (const IdentityGroup* group = st.FindGroup(g)) add(group->rec.policies);
  }
  return out;
}

}  // namespace maxiofs::engine
