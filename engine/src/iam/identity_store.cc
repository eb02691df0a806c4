// SCAFFOLD (replaced by issue 8's identity work): only the root credential exists.
#include "identity_store.h"

namespace maxiofs::engine {

struct IdentityStore::State {
  IamOptions options;
};

IdentityStore::IdentityStore(const IamOptions& options, leveldb::DB*)
    : state_(std::make_unique<State>(State{options})) {}
IdentityStore::~IdentityStore() = default;
Status IdentityStore::Load() { return Status::OK(); }
void IdentityStore::FlushLastUsed() {}
PrincipalPolicies IdentityStore::PoliciesFor(const Principal&) const { return {}; }

Result<Credential> IdentityStore::LookupCredential(std::string_view access_key, int64_t) {
  if (access_key != state_->options.root_access_key) {
    return Status::Error(Status::Code::kInvalidAccessKeyId,
                         "The AWS Access Key Id you provided does not exist in our records.");
  }
  Credential c;
  c.access_key = state_->options.root_access_key;
  c.secret_key = state_->options.root_secret_key;
  c.principal.kind = PrincipalKind::kRoot;
  c.principal.access_key = c.access_key;
  c.principal.arn = "arn:aws:iam::" + std::string(kAccountId) + ":root";
  return c;
}
Result<UserInfo> IdentityStore::CreateUser(std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<UserInfo> IdentityStore::GetUser(std::string_view) { return Status::NotImplemented("IAM"); }
Result<std::vector<UserInfo>> IdentityStore::ListUsers() { return Status::NotImplemented("IAM"); }
Status IdentityStore::SetUserEnabled(std::string_view, bool) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::DeleteUser(std::string_view, bool) { return Status::NotImplemented("IAM"); }
Status IdentityStore::SetConsolePassword(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::DeleteConsolePassword(std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<Principal> IdentityStore::CheckConsolePassword(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<AccessKeyInfo> IdentityStore::CreateAccessKey(std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<std::vector<AccessKeyInfo>> IdentityStore::ListAccessKeys(std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::SetAccessKeyStatus(std::string_view, std::string_view, AccessKeyStatus) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::DeleteAccessKey(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<GroupInfo> IdentityStore::CreateGroup(std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<GroupInfo> IdentityStore::GetGroup(std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<std::vector<GroupInfo>> IdentityStore::ListGroups() { return Status::NotImplemented("IAM"); }
Status IdentityStore::DeleteGroup(std::string_view, bool) { return Status::NotImplemented("IAM"); }
Status IdentityStore::AddUserToGroup(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::RemoveUserFromGroup(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<ManagedPolicyInfo> IdentityStore::CreatePolicy(std::string_view, std::string_view,
                                                      std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<ManagedPolicyInfo> IdentityStore::GetPolicy(std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<std::vector<ManagedPolicyInfo>> IdentityStore::ListPolicies() {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::UpdatePolicy(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::DeletePolicy(std::string_view) { return Status::NotImplemented("IAM"); }
Status IdentityStore::AttachUserPolicy(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::DetachUserPolicy(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::AttachGroupPolicy(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status IdentityStore::DetachGroupPolicy(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<SessionCredentials> IdentityStore::CreateSession(const SessionRequest&, int64_t) {
  return Status::NotImplemented("IAM");
}

}  // namespace maxiofs::engine
