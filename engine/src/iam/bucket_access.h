// BucketAccess: the access settings of buckets and objects — bucket policies, bucket and object
// ACLs, public-access blocks — and the checks made when they are set (validation, public-ness
// against the block). Bucket-level settings live in LevelDB under their own prefixes and are
// mirrored in memory; object ACLs live in the version records (record_codec), so they go with
// the version they belong to.
//
// Stored under 'X' kind bucket keys (key_codec.h). Every bucket (with settings or not) has an
// entry in memory, so Snapshot also answers "does the bucket exist".
//
// Thread-safety: all methods are safe to call concurrently. Mutations hold the engine's bucket
// lock (shared; create/delete bucket hold it exclusively) and then the store's writer mutex.
#pragma once

#include "policy.h"

#include "maxiofs/engine/iam.h"
#include "maxiofs/engine/types.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace leveldb {
class DB;
class WriteBatch;
}  // namespace leveldb

namespace maxiofs::engine {

class EngineImpl;

// A bucket's settings as Authorize needs them (a consistent snapshot).
struct BucketAccessSettings {
  bool exists = false;
  std::shared_ptr<const iam::Policy> policy;   // null when none
  Acl acl;                                     // "private" when never set
  PublicAccessBlock block;                     // all false when never set
  std::optional<ObjectOwnership> ownership{};  // nullopt when never set
  // BucketOwnerEnforced: ACLs grant nothing and show as private.
  bool acls_disabled() const { return ownership == ObjectOwnership::kBucketOwnerEnforced; }
};

class BucketAccess {
 public:
  // `db` and `engine` must outlive this object.
  BucketAccess(leveldb::DB* db, EngineImpl& engine);
  ~BucketAccess();
  BucketAccess(const BucketAccess&) = delete;
  BucketAccess& operator=(const BucketAccess&) = delete;

  Status Load();

  // The methods of Iam with the same names (see maxiofs/engine/iam.h for their contracts).
  Status PutBucketPolicy(std::string_view bucket, std::string_view document);
  Result<std::string> GetBucketPolicy(std::string_view bucket);
  Status DeleteBucketPolicy(std::string_view bucket);
  Result<bool> GetBucketPolicyStatus(std::string_view bucket);
  Status PutBucketAcl(std::string_view bucket, const Acl& acl);
  Result<Acl> GetBucketAcl(std::string_view bucket);
  Status PutObjectAcl(std::string_view bucket, std::string_view key, std::string_view version_id,
                      const Acl& acl);
  Result<Acl> GetObjectAcl(std::string_view bucket, std::string_view key,
                           std::string_view version_id);
  // The tags of one object version (for s3:ExistingObjectTag); the engine's errors.
  Result<TagSet> LoadObjectTags(std::string_view bucket, std::string_view key,
                                std::string_view version_id);
  Status PutBucketOwnershipControls(std::string_view bucket, ObjectOwnership o);
  Result<ObjectOwnership> GetBucketOwnershipControls(std::string_view bucket);
  Status DeleteBucketOwnershipControls(std::string_view bucket);
  Status PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& cfg);
  Result<PublicAccessBlock> GetPublicAccessBlock(std::string_view bucket);
  Status DeletePublicAccessBlock(std::string_view bucket);

  // From memory.
  BucketAccessSettings SettingsFor(std::string_view bucket) const;
  // The same as an immutable snapshot shared with the store (no copy; Authorize's path).
  // Null when the bucket does not exist.
  std::shared_ptr<const BucketAccessSettings> Snapshot(std::string_view bucket) const;

  // --- for the engine's bucket and object writes ---------------------------------------------
  // The ACL a write asks for, a canned name (x-amz-acl) or explicit grants (x-amz-grant-*),
  // for a new object version: nullopt for neither and for ACLs equal to "private" (records
  // keep no ACL then). InvalidRequest for both; InvalidArgument for an unknown canned name or
  // a bad grant (kUnresolvableGrant for an unknown e-mail); AccessDenied for a public ACL when
  // `bucket` blocks public ACLs.
  Result<std::optional<Acl>> ResolveRequestAcl(std::string_view bucket, std::string_view canned,
                                               const std::optional<Acl>& grants) const;
  // `acl` with its e-mail grantees resolved, checked as CheckAcl does.
  Result<Acl> PrepareAcl(std::string_view bucket, Acl acl) const;
  // InvalidArgument for an ACL S3 would refuse (unknown grantee, over 100 grants);
  // AccessDenied for a public ACL when `bucket` blocks public ACLs; InvalidRequest
  // (kAclNotSupported) for an ACL other than private when the bucket's ACLs are off.
  Status CheckAcl(std::string_view bucket, const Acl& acl) const;
  // Stages a new bucket's ACL (nullopt: nothing to store). REQUIRES: the bucket lock held
  // exclusively until AddBucket.
  static void StageNewBucket(std::string_view bucket, const std::optional<Acl>& acl,
                             std::optional<ObjectOwnership> ownership, leveldb::WriteBatch* batch);
  // After the batch of StageNewBucket committed.
  void AddBucket(std::string_view bucket, std::optional<Acl> acl,
                 std::optional<ObjectOwnership> ownership);
  // Stages the deletion of every stored setting of `bucket` (then call ForgetBucket once the
  // batch committed). REQUIRES: the bucket lock held exclusively.
  static void StageDeleteBucket(std::string_view bucket, leveldb::WriteBatch* batch);
  // Forgets a deleted bucket's settings (the engine deletes the stored keys in the same batch
  // as the bucket).
  void ForgetBucket(std::string_view bucket);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace maxiofs::engine
