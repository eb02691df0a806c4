// IdentityStore: users, access keys, groups, managed policies, console passwords and sessions
// (temporary credentials), kept in LevelDB under their own key prefixes and mirrored in memory
// so that credential lookups and authorization never touch the disk. Secrets (access-key and
// session secrets) are stored encrypted (AES-256-GCM under a key derived with HKDF-SHA256 from
// IamOptions::master_secret, or root_secret_key when that is empty); console passwords as a
// salted PBKDF2-HMAC-SHA256 hash.
//
// Thread-safety: all methods are safe to call concurrently (readers share a lock; each mutation
// is one synced LevelDB batch made under the writer lock and then applied to memory).
#pragma once

#include "policy.h"

#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/options.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leveldb {
class DB;
}

namespace maxiofs::engine {

// The identity-side policies that apply to a principal, for Authorize.
struct PrincipalPolicies {
  // Managed policies attached to the user and to each of its groups (kUser, kSession).
  std::vector<std::shared_ptr<const iam::Policy>> identity;
  // kSession: the session policy, when the session has one.
  std::shared_ptr<const iam::Policy> session;
  std::string user_id;  // for aws:userid; "" for root/anonymous
};

class IdentityStore {
 public:
  // `db` must outlive the store.
  IdentityStore(const IamOptions& options, leveldb::DB* db);
  ~IdentityStore();
  IdentityStore(const IdentityStore&) = delete;
  IdentityStore& operator=(const IdentityStore&) = delete;

  // Reads everything into memory and drops expired sessions. InvalidArgument when stored
  // secrets cannot be decrypted with the configured master secret (the message names
  // auth.iam_master_secret); Corruption for unreadable records.
  Status Load();

  // The methods of Iam with the same names (see maxiofs/engine/iam.h for their contracts).
  Result<Credential> LookupCredential(std::string_view access_key, int64_t now_ns);
  Result<UserInfo> CreateUser(std::string_view name);
  Result<UserInfo> GetUser(std::string_view name);
  Result<std::vector<UserInfo>> ListUsers();
  Status SetUserEnabled(std::string_view name, bool enabled);
  Status DeleteUser(std::string_view name, bool force);
  Status SetConsolePassword(std::string_view user, std::string_view password);
  Status DeleteConsolePassword(std::string_view user);
  Result<bool> PutConsolePassword(std::string_view user, std::string_view password);
  Result<Principal> CheckConsolePassword(std::string_view user, std::string_view password);
  Result<AccessKeyInfo> CreateAccessKey(std::string_view user);
  Result<std::vector<AccessKeyInfo>> ListAccessKeys(std::string_view user);
  Result<bool> PutAccessKey(std::string_view user, std::string_view access_key,
                            std::string_view secret_key, AccessKeyStatus status);
  Status SetAccessKeyStatus(std::string_view user, std::string_view access_key,
                            AccessKeyStatus status);
  Status DeleteAccessKey(std::string_view user, std::string_view access_key);
  Result<GroupInfo> CreateGroup(std::string_view name);
  Result<GroupInfo> GetGroup(std::string_view name);
  Result<std::vector<GroupInfo>> ListGroups();
  Status DeleteGroup(std::string_view name, bool force);
  Status AddUserToGroup(std::string_view group, std::string_view user);
  Status RemoveUserFromGroup(std::string_view group, std::string_view user);
  Result<ManagedPolicyInfo> CreatePolicy(std::string_view name, std::string_view document,
                                         std::string_view description);
  Result<ManagedPolicyInfo> GetPolicy(std::string_view name);
  Result<std::vector<ManagedPolicyInfo>> ListPolicies();
  Status UpdatePolicy(std::string_view name, std::string_view document);
  Status DeletePolicy(std::string_view name);
  Status AttachUserPolicy(std::string_view user, std::string_view policy);
  Status DetachUserPolicy(std::string_view user, std::string_view policy);
  Status AttachGroupPolicy(std::string_view group, std::string_view policy);
  Status DetachGroupPolicy(std::string_view group, std::string_view policy);
  Result<SessionCredentials> CreateSession(const SessionRequest& req, int64_t now_ns);

  // The identity policies of `p` (from memory). Empty for root and anonymous. A session of
  // root has no identity policies, only its session policy. A session (found by
  // p.access_key) or user that no longer exists gets a deny-everything session policy, and a
  // stored policy that no longer parses is replaced by a deny-everything one.
  PrincipalPolicies PoliciesFor(const Principal& p) const;

  // Writes pending last-used times (not synced). Called now and then and at shutdown.
  void FlushLastUsed();

  // The in-memory mirror and its locks (identity_state.h); opaque to everyone else.
  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace maxiofs::engine
