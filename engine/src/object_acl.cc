// Object ACLs: kept in the version record, so each version has its own and it goes away with
// the version. Checks against the bucket's public-access block are made by BucketAccess.
#include "engine_impl.h"

namespace maxiofs::engine {

Status EngineImpl::SetObjectAcl(std::string_view bucket, std::string_view key,
                                std::string_view version_id, std::optional<Acl> acl) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  std::lock_guard<std::mutex> kl(key_locks()[KeyStripe(bucket, key)]);
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord v, LoadLiveVersion(bucket, key, version_id));
  if (v.acl == acl) return Status::OK();
  v.acl = std::move(acl);
  return RewriteVersion(bucket, key, v);
}

Result<std::optional<Acl>> EngineImpl::LoadObjectAcl(std::string_view bucket, std::string_view key,
                                                     std::string_view version_id) {
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(bucket));
  MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord v, LoadLiveVersion(bucket, key, version_id));
  return std::move(v.acl);
}

}  // namespace maxiofs::engine
