// IamImpl: Iam over the IdentityStore and BucketAccess; Authorize lives in authorize.cc.
#include "iam_impl.h"

namespace maxiofs::engine {

IamImpl::IamImpl(const IamOptions& options, leveldb::DB* db, EngineImpl& engine)
    : options_(options), identities_(options, db), buckets_(db, engine) {}
IamImpl::~IamImpl() { identities_.FlushLastUsed(); }

Status IamImpl::Load() {
  MAXIOFS_RETURN_IF_ERROR(identities_.Load());
  return buckets_.Load();
}

Status IamImpl::ValidatePolicy(std::string_view document, bool resource_policy,
                               std::string_view bucket) {
  auto parsed = iam::Policy::Parse(
      document, resource_policy ? iam::PolicyKind::kResource : iam::PolicyKind::kIdentity, bucket);
  return parsed.has_value() ? Status::OK() : parsed.error();
}

Result<Credential> IamImpl::LookupCredential(std::string_view access_key, int64_t now_ns) {
  return identities_.LookupCredential(access_key, now_ns);
}
Result<UserInfo> IamImpl::CreateUser(std::string_view name) { return identities_.CreateUser(name); }
Result<UserInfo> IamImpl::GetUser(std::string_view name) { return identities_.GetUser(name); }
Result<std::vector<UserInfo>> IamImpl::ListUsers() { return identities_.ListUsers(); }
Status IamImpl::SetUserEnabled(std::string_view name, bool enabled) {
  return identities_.SetUserEnabled(name, enabled);
}
Status IamImpl::DeleteUser(std::string_view name, bool force) {
  return identities_.DeleteUser(name, force);
}
Status IamImpl::SetConsolePassword(std::string_view user, std::string_view password) {
  return identities_.SetConsolePassword(user, password);
}
Status IamImpl::DeleteConsolePassword(std::string_view user) {
  return identities_.DeleteConsolePassword(user);
}
Result<bool> IamImpl::PutConsolePassword(std::string_view user, std::string_view password) {
  return identities_.PutConsolePassword(user, password);
}
Result<Principal> IamImpl::CheckConsolePassword(std::string_view user, std::string_view password) {
  return identities_.CheckConsolePassword(user, password);
}
Result<AccessKeyInfo> IamImpl::CreateAccessKey(std::string_view user) {
  return identities_.CreateAccessKey(user);
}
Result<std::vector<AccessKeyInfo>> IamImpl::ListAccessKeys(std::string_view user) {
  return identities_.ListAccessKeys(user);
}
Result<bool> IamImpl::PutAccessKey(std::string_view user, std::string_view access_key,
                                   std::string_view secret_key, AccessKeyStatus status) {
  return identities_.PutAccessKey(user, access_key, secret_key, status);
}
Status IamImpl::SetAccessKeyStatus(std::string_view user, std::string_view access_key,
                                   AccessKeyStatus status) {
  return identities_.SetAccessKeyStatus(user, access_key, status);
}
Status IamImpl::DeleteAccessKey(std::string_view user, std::string_view access_key) {
  return identities_.DeleteAccessKey(user, access_key);
}
Result<GroupInfo> IamImpl::CreateGroup(std::string_view name) {
  return identities_.CreateGroup(name);
}
Result<GroupInfo> IamImpl::GetGroup(std::string_view name) { return identities_.GetGroup(name); }
Result<std::vector<GroupInfo>> IamImpl::ListGroups() { return identities_.ListGroups(); }
Status IamImpl::DeleteGroup(std::string_view name, bool force) {
  return identities_.DeleteGroup(name, force);
}
Status IamImpl::AddUserToGroup(std::string_view group, std::string_view user) {
  return identities_.AddUserToGroup(group, user);
}
Status IamImpl::RemoveUserFromGroup(std::string_view group, std::string_view user) {
  return identities_.RemoveUserFromGroup(group, user);
}
Result<ManagedPolicyInfo> IamImpl::CreatePolicy(std::string_view name, std::string_view document,
                                                std::string_view description) {
  return identities_.CreatePolicy(name, document, description);
}
Result<ManagedPolicyInfo> IamImpl::GetPolicy(std::string_view name) {
  return identities_.GetPolicy(name);
}
Result<std::vector<ManagedPolicyInfo>> IamImpl::ListPolicies() {
  return identities_.ListPolicies();
}
Status IamImpl::UpdatePolicy(std::string_view name, std::string_view document) {
  return identities_.UpdatePolicy(name, document);
}
Status IamImpl::DeletePolicy(std::string_view name) { return identities_.DeletePolicy(name); }
Status IamImpl::AttachUserPolicy(std::string_view user, std::string_view policy) {
  return identities_.AttachUserPolicy(user, policy);
}
Status IamImpl::DetachUserPolicy(std::string_view user, std::string_view policy) {
  return identities_.DetachUserPolicy(user, policy);
}
Status IamImpl::AttachGroupPolicy(std::string_view group, std::string_view policy) {
  return identities_.AttachGroupPolicy(group, policy);
}
Status IamImpl::DetachGroupPolicy(std::string_view group, std::string_view policy) {
  return identities_.DetachGroupPolicy(group, policy);
}
Result<SessionCredentials> IamImpl::CreateSession(const SessionRequest& req, int64_t now_ns) {
  return identities_.CreateSession(req, now_ns);
}
Status IamImpl::PutBucketPolicy(std::string_view bucket, std::string_view document) {
  return buckets_.PutBucketPolicy(bucket, document);
}
Result<std::string> IamImpl::GetBucketPolicy(std::string_view bucket) {
  return buckets_.GetBucketPolicy(bucket);
}
Status IamImpl::DeleteBucketPolicy(std::string_view bucket) {
  return buckets_.DeleteBucketPolicy(bucket);
}
Result<bool> IamImpl::GetBucketPolicyStatus(std::string_view bucket) {
  return buckets_.GetBucketPolicyStatus(bucket);
}
Status IamImpl::PutBucketAcl(std::string_view bucket, const Acl& acl) {
  return buckets_.PutBucketAcl(bucket, acl);
}
Result<Acl> IamImpl::GetBucketAcl(std::string_view bucket) { return buckets_.GetBucketAcl(bucket); }
Status IamImpl::PutObjectAcl(std::string_view bucket, std::string_view key,
                             std::string_view version_id, const Acl& acl) {
  return buckets_.PutObjectAcl(bucket, key, version_id, acl);
}
Result<Acl> IamImpl::GetObjectAcl(std::string_view bucket, std::string_view key,
                                  std::string_view version_id) {
  return buckets_.GetObjectAcl(bucket, key, version_id);
}
Status IamImpl::PutBucketOwnershipControls(std::string_view bucket, ObjectOwnership o) {
  return buckets_.PutBucketOwnershipControls(bucket, o);
}
Result<ObjectOwnership> IamImpl::GetBucketOwnershipControls(std::string_view bucket) {
  return buckets_.GetBucketOwnershipControls(bucket);
}
Status IamImpl::DeleteBucketOwnershipControls(std::string_view bucket) {
  return buckets_.DeleteBucketOwnershipControls(bucket);
}
Status IamImpl::PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& cfg) {
  return buckets_.PutPublicAccessBlock(bucket, cfg);
}
Result<PublicAccessBlock> IamImpl::GetPublicAccessBlock(std::string_view bucket) {
  return buckets_.GetPublicAccessBlock(bucket);
}
Status IamImpl::DeletePublicAccessBlock(std::string_view bucket) {
  return buckets_.DeletePublicAccessBlock(bucket);
}

}  // namespace maxiofs::engine
