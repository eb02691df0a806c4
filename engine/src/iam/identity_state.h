// The in-memory mirror of the IdentityStore and the helpers its operation files share
// (identity_store.cc: load, lookups, flush; identity_users.cc; identity_groups.cc;
// identity_policies.cc; identity_sessions.cc). Private to those files.
//
// Lock discipline:
//   write_mu  serializes every mutation and flush: it is held from the checks through the
//             LevelDB write to the update of memory, so a check and its write cannot be
//             separated. Holders may read the maps without `mu` (only holders of write_mu
//             change them).
//   mu        guards the maps (and records in them): shared for readers, exclusive only
//             while a committed change is applied to memory.
//   Order: write_mu, then mu. Neither is held across anything but LevelDB and memory work.
//   KeyEntry::last_used is atomic: LookupCredential records use under the shared lock.
#pragma once

#include "identity_records.h"
#include "identity_store.h"
#include "policy.h"
#include "secret_box.h"

#include "maxiofs/engine/iam.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace leveldb {
class DB;
class WriteBatch;
}  // namespace leveldb

namespace maxiofs::engine {

struct IdentityUser {
  iam::UserRecord rec;
  std::set<std::string> keys;  // access key ids of the user
};

struct IdentityKey {
  iam::AccessKeyRecord rec;  // rec.last_used_ns: the value last written
  // The key's user (map nodes are stable; DeleteUser erases the user's keys with it).
  const IdentityUser* user = nullptr;
  std::string secret;  // plain text
  std::atomic<int64_t> last_used{0};
};

struct IdentityGroup {
  iam::GroupRecord rec;
  std::set<std::string> members;  // lower-case user names
};

struct IdentityPolicy {
  iam::PolicyRecord rec;
  std::shared_ptr<const iam::Policy> parsed;  // deny_all when the stored text no longer parses
};

struct IdentitySession {
  iam::SessionRecord rec;
  std::string secret;
  std::string token;
  std::shared_ptr<const iam::Policy> policy;  // parsed rec.policy; null when none
};

// Hash for maps keyed by std::string that are searched with a std::string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct IdentityStore::State {
  State(const IamOptions& o, leveldb::DB* d) : options(o), db(d) {}

  const IamOptions options;
  leveldb::DB* const db;
  std::string root_arn;

  std::mutex write_mu;
  // Guarded by write_mu:
  std::optional<iam::SecretBox> box;  // set by Load
  bool check_stored = false;          // the box's check record is on disk
  Status write_error;                 // sticky: a failed synced write stops further mutations

  mutable std::shared_mutex mu;
  // Guarded by mu (writes also need write_mu). Keyed by lower-case name / access key id.
  std::map<std::string, IdentityUser> users;
  StringMap<std::unique_ptr<IdentityKey>> keys;
  std::map<std::string, IdentityGroup> groups;
  std::map<std::string, IdentityPolicy> policies;
  StringMap<IdentitySession> sessions;

  // Stands in for a stored policy that no longer parses: denies everything (never null once
  // Load succeeded, unless the policy language refuses even that).
  std::shared_ptr<const iam::Policy> deny_all;

  std::atomic<int64_t> next_flush_ns{0};

  // REQUIRES: write_mu held. Writes `batch` (synced unless `durable` is false). A failed synced
  // write is sticky: this and every later call answer ReadOnly.
  Status Write(leveldb::WriteBatch* batch, bool durable = true);
  // REQUIRES: write_mu held. Adds the box's check record to `batch` when it is not stored yet
  // (call in every batch that stores a sealed secret); MarkCheckStored after the write.
  void StageCheckRecord(leveldb::WriteBatch* batch);
  // REQUIRES: write_mu held.
  void MarkCheckStored() { check_stored = true; }

  // Writes last-used times and drops long-expired sessions. REQUIRES: write_mu held.
  void FlushLocked(int64_t now_ns);

  // Lookups by name (case-insensitive); null when absent. REQUIRES: mu or write_mu held.
  const IdentityUser* FindUser(std::string_view name) const;
  const IdentityGroup* FindGroup(std::string_view name) const;
  const IdentityPolicy* FindPolicy(std::string_view name) const;
  // The number of users and groups `policy` (lower-case name) is attached to.
  uint32_t AttachmentCount(const std::string& lower_policy) const;

  UserInfo UserInfoOf(const IdentityUser& u) const;
  GroupInfo GroupInfoOf(const IdentityGroup& g) const;
  ManagedPolicyInfo PolicyInfoOf(const IdentityPolicy& p, uint32_t attachments) const;
  AccessKeyInfo KeyInfoOf(const std::string& access_key, const IdentityKey& k) const;

  // A key id ("AKIA"/"ASIA" + 16) not used by any key, session or the root.
  // REQUIRES: write_mu held.
  std::string NewAccessKeyId(std::string_view prefix) const;
};

// AAD that binds a sealed secret to its record: kind ("key"/"session"), id and field.
std::string SecretAad(std::string_view kind, std::string_view access_key, std::string_view field);

// ARNs of the account's identities.
std::string UserArn(std::string_view name);
std::string GroupArn(std::string_view name);
std::string PolicyArn(std::string_view name);

// Wall-clock Unix ns.
int64_t IdentityNowNs();

// Error helpers with IAM's wording.
Status NoSuchUser(std::string_view name);
Status NoSuchGroup(std::string_view name);
Status NoSuchPolicy(std::string_view name);

// Names in a record's list are kept sorted case-insensitively (the order of the maps).
// Inserts `name` into the sorted vector `v` unless an equal name (case-insensitively) is in
// it; returns false when it was. EraseName removes it; false when absent.
bool InsertName(std::vector<std::string>* v, std::string_view name);
bool EraseName(std::vector<std::string>* v, std::string_view name);
bool ContainsName(const std::vector<std::string>& v, std::string_view name);

}  // namespace maxiofs::engine
