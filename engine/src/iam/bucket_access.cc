// SCAFFOLD (replaced by issue 8's bucket access work).
#include "bucket_access.h"

namespace maxiofs::engine {

struct BucketAccess::State {};

BucketAccess::BucketAccess(leveldb::DB*, EngineImpl&) : state_(std::make_unique<State>()) {}
BucketAccess::~BucketAccess() = default;
Status BucketAccess::Load() { return Status::OK(); }
BucketAccessSettings BucketAccess::SettingsFor(std::string_view) const { return {}; }
void BucketAccess::ForgetBucket(std::string_view) {}

Status BucketAccess::PutBucketPolicy(std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Result<std::string> BucketAccess::GetBucketPolicy(std::string_view) {
  return Status::NotImplemented("IAM");
}
Status BucketAccess::DeleteBucketPolicy(std::string_view) { return Status::NotImplemented("IAM"); }
Result<bool> BucketAccess::GetBucketPolicyStatus(std::string_view) {
  return Status::NotImplemented("IAM");
}
Status BucketAccess::PutBucketAcl(std::string_view, const Acl&) {
  return Status::NotImplemented("IAM");
}
Result<Acl> BucketAccess::GetBucketAcl(std::string_view) { return Status::NotImplemented("IAM"); }
Status BucketAccess::PutObjectAcl(std::string_view, std::string_view, std::string_view,
                                  const Acl&) {
  return Status::NotImplemented("IAM");
}
Result<Acl> BucketAccess::GetObjectAcl(std::string_view, std::string_view, std::string_view) {
  return Status::NotImplemented("IAM");
}
Status BucketAccess::PutPublicAccessBlock(std::string_view, const PublicAccessBlock&) {
  return Status::NotImplemented("IAM");
}
Result<PublicAccessBlock> BucketAccess::GetPublicAccessBlock(std::string_view) {
  return Status::NotImplemented("IAM");
}
Status BucketAccess::DeletePublicAccessBlock(std::string_view) {
  return Status::NotImplemented("IAM");
}

}  // namespace maxiofs::engine
