// IamImpl: the engine's Iam (see maxiofs/engine/iam.h). Owned by EngineImpl; shares its LevelDB.
// Identities are kept by IdentityStore, bucket/object access settings by BucketAccess; the one
// decision, Authorize (authorize.cc), combines both with the policy language (policy.h).
#pragma once

#include "bucket_access.h"
#include "identity_store.h"

#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/options.h"

#include <memory>
#include <string>

namespace leveldb {
class DB;
}

namespace maxiofs::engine {

class EngineImpl;

class IamImpl final : public Iam {
 public:
  // `db` and `engine` must outlive this object. Load() must succeed before any other call.
  IamImpl(const IamOptions& options, leveldb::DB* db, EngineImpl& engine);
  ~IamImpl() override;
  // Reads the stored identities and settings into memory. Corruption / InvalidArgument (wrong
  // master secret) when they cannot be read.
  Status Load();

  Status Authorize(const AuthzRequest& req) override;  // authorize.cc
  bool CannotBeRefused(const Principal& principal, std::string_view bucket) override;
  Result<Credential> LookupCredential(std::string_view access_key, int64_t now_ns) override;

  Result<UserInfo> CreateUser(std::string_view name) override;
  Result<UserInfo> GetUser(std::string_view name) override;
  Result<std::vector<UserInfo>> ListUsers() override;
  Status SetUserEnabled(std::string_view name, bool enabled) override;
  Status DeleteUser(std::string_view name, bool force) override;
  Status SetConsolePassword(std::string_view user, std::string_view password) override;
  Status DeleteConsolePassword(std::string_view user) override;
  Result<bool> PutConsolePassword(std::string_view user, std::string_view password) override;
  Result<Principal> CheckConsolePassword(std::string_view user, std::string_view password) override;

  Result<AccessKeyInfo> CreateAccessKey(std::string_view user) override;
  Result<std::vector<AccessKeyInfo>> ListAccessKeys(std::string_view user) override;
  Result<bool> PutAccessKey(std::string_view user, std::string_view access_key,
                            std::string_view secret_key, AccessKeyStatus status) override;
  Status SetAccessKeyStatus(std::string_view user, std::string_view access_key,
                            AccessKeyStatus status) override;
  Status DeleteAccessKey(std::string_view user, std::string_view access_key) override;

  Result<GroupInfo> CreateGroup(std::string_view name) override;
  Result<GroupInfo> GetGroup(std::string_view name) override;
  Result<std::vector<GroupInfo>> ListGroups() override;
  Status DeleteGroup(std::string_view name, bool force) override;
  Status AddUserToGroup(std::string_view group, std::string_view user) override;
  Status RemoveUserFromGroup(std::string_view group, std::string_view user) override;

  Result<ManagedPolicyInfo> CreatePolicy(std::string_view name, std::string_view document,
                                         std::string_view description) override;
  Result<ManagedPolicyInfo> GetPolicy(std::string_view name) override;
  Result<std::vector<ManagedPolicyInfo>> ListPolicies() override;
  Status UpdatePolicy(std::string_view name, std::string_view document) override;
  Status DeletePolicy(std::string_view name) override;
  Status AttachUserPolicy(std::string_view user, std::string_view policy) override;
  Status DetachUserPolicy(std::string_view user, std::string_view policy) override;
  Status AttachGroupPolicy(std::string_view group, std::string_view policy) override;
  Status DetachGroupPolicy(std::string_view group, std::string_view policy) override;
  Status ValidatePolicy(std::string_view document, bool resource_policy,
                        std::string_view bucket) override;

  Result<SessionCredentials> CreateSession(const SessionRequest& req, int64_t now_ns) override;

  Status PutBucketPolicy(std::string_view bucket, std::string_view document) override;
  Result<std::string> GetBucketPolicy(std::string_view bucket) override;
  Status DeleteBucketPolicy(std::string_view bucket) override;
  Result<bool> GetBucketPolicyStatus(std::string_view bucket) override;
  Status PutBucketOwnershipControls(std::string_view bucket, ObjectOwnership o) override;
  Result<ObjectOwnership> GetBucketOwnershipControls(std::string_view bucket) override;
  Status DeleteBucketOwnershipControls(std::string_view bucket) override;
  Status PutBucketAcl(std::string_view bucket, const Acl& acl) override;
  Result<Acl> GetBucketAcl(std::string_view bucket) override;
  Status PutObjectAcl(std::string_view bucket, std::string_view key, std::string_view version_id,
                      const Acl& acl) override;
  Result<Acl> GetObjectAcl(std::string_view bucket, std::string_view key,
                           std::string_view version_id) override;
  Status PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& cfg) override;
  Result<PublicAccessBlock> GetPublicAccessBlock(std::string_view bucket) override;
  Status DeletePublicAccessBlock(std::string_view bucket) override;

  // For the engine's bucket and object writes (canned ACLs, bucket create/delete).
  BucketAccess& bucket_access() { return buckets_; }

 private:
  IamOptions options_;
  IdentityStore identities_;
  BucketAccess buckets_;
};

}  // namespace maxiofs::engine
