// BucketAccess: bucket policies, bucket ACLs and public-access blocks in LevelDB ('X' keys,
// key_codec.h) mirrored in memory as one immutable snapshot per bucket; object ACLs are
// delegated to the engine, which keeps them in the version records.
#include "bucket_access.h"

#include "../engine_impl.h"
#include "../key_codec.h"
#include "../record_codec.h"
#include "acl_rules.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <map>
#include <mutex>
#include <shared_mutex>

namespace maxiofs::engine {
namespace {

using Snap = std::shared_ptr<const BucketAccessSettings>;

std::string EncodeBlock(const PublicAccessBlock& b) {
  const uint8_t flags = (b.block_public_acls ? 1 : 0) | (b.ignore_public_acls ? 2 : 0) |
                        (b.block_public_policy ? 4 : 0) | (b.restrict_public_buckets ? 8 : 0);
  return std::string(1, static_cast<char>(flags));
}

Result<PublicAccessBlock> DecodeBlock(std::string_view in) {
  if (in.size() != 1 || (static_cast<uint8_t>(in[0]) & ~0x0f) != 0) {
    return Status::Corruption("public access block: malformed");
  }
  const uint8_t f = static_cast<uint8_t>(in[0]);
  return PublicAccessBlock{(f & 1) != 0, (f & 2) != 0, (f & 4) != 0, (f & 8) != 0};
}

Status NoSuchBucket() { return Status::NoSuchBucket("the specified bucket does not exist"); }

// Ownership controls: one byte, the ObjectOwnership value.
std::string EncodeOwnership(ObjectOwnership o) {
  return std::string(1, static_cast<char>(static_cast<uint8_t>(o)));
}

Result<ObjectOwnership> DecodeOwnership(std::string_view in) {
  if (in.size() != 1 || static_cast<uint8_t>(in[0]) > 2) {
    return Status::Corruption("ownership controls: malformed");
  }
  return static_cast<ObjectOwnership>(static_cast<uint8_t>(in[0]));
}

Status AclNotSupported() {
  return Status::InvalidRequest("The bucket does not allow ACLs")
      .WithSubCode(Status::SubCode::kAclNotSupported);
}

}  // namespace

struct BucketAccess::State {
  State(leveldb::DB* d, EngineImpl& e) : db(d), engine(e) {}
  leveldb::DB* db;
  EngineImpl& engine;
  // Guards `buckets` (readers: Authorize and the getters). Lock order: after the engine's
  // bucket lock and after write_mu.
  mutable std::shared_mutex mu;
  // Every existing bucket -> its settings. A snapshot is never changed once published.
  std::map<std::string, Snap, std::less<>> buckets;
  // Serializes mutations (LevelDB write + memory update) so memory follows the write order.
  // Lock order: after the engine's bucket lock, before `mu`.
  std::mutex write_mu;
  // Which settings are present (as opposed to defaulted), for the Get* calls.
  std::map<std::string, PublicAccessBlock, std::less<>> blocks;  // guarded by mu

  Snap Find(std::string_view bucket) const {
    std::shared_lock<std::shared_mutex> l(mu);
    auto it = buckets.find(bucket);
    return it == buckets.end() ? nullptr : it->second;
  }

  // Commits `batch` and then publishes `next` for the bucket. REQUIRES: write_mu held.
  Status CommitAndPublish(std::string_view bucket, leveldb::WriteBatch* batch,
                          BucketAccessSettings next) {
    MAXIOFS_RETURN_IF_ERROR(engine.CommitWithRefs(batch, RefChanges{}));
    auto snap = std::make_shared<const BucketAccessSettings>(std::move(next));
    std::unique_lock<std::shared_mutex> l(mu);
    buckets[std::string(bucket)] = std::move(snap);
    return Status::OK();
  }
};

BucketAccess::BucketAccess(leveldb::DB* db, EngineImpl& engine)
    : state_(std::make_unique<State>(db, engine)) {}
BucketAccess::~BucketAccess() = default;

Status BucketAccess::Load() {
  std::map<std::string, BucketAccessSettings, std::less<>> all;
  std::unique_ptr<leveldb::Iterator> it(state_->db->NewIterator(leveldb::ReadOptions()));
  const std::string bprefix = BucketKeyPrefix();
  for (it->Seek(bprefix); it->Valid() && it->key().starts_with(bprefix); it->Next()) {
    BucketAccessSettings& b = all[it->key().ToString().substr(bprefix.size())];
    b.exists = true;
    b.acl = PrivateAcl();
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "load buckets"));
  std::map<std::string, PublicAccessBlock, std::less<>> blocks;
  for (char kind : {kAccessPolicyKind, kAccessAclKind, kAccessBlockKind, kAccessOwnershipKind}) {
    const std::string prefix = AccessKeyPrefix(kind);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      const std::string bucket = it->key().ToString().substr(prefix.size());
      auto b = all.find(bucket);
      if (b == all.end()) continue;  // left over from a bucket deleted by an older version
      const std::string_view value = View(it->value());
      if (kind == kAccessPolicyKind) {
        auto p = iam::Policy::Parse(value, iam::PolicyKind::kResource, bucket);
        if (!p.has_value()) {
          return Status::Corruption("the stored policy of bucket " + bucket +
                                    " no longer parses: " + p.error().ToString());
        }
        b->second.policy = std::move(*p);
      } else if (kind == kAccessAclKind) {
        MAXIOFS_ASSIGN_OR_RETURN(b->second.acl, DecodeAcl(value));
      } else if (kind == kAccessOwnershipKind) {
        MAXIOFS_ASSIGN_OR_RETURN(b->second.ownership, DecodeOwnership(value));
      } else {
        MAXIOFS_ASSIGN_OR_RETURN(b->second.block, DecodeBlock(value));
        blocks[bucket] = b->second.block;
      }
    }
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "load bucket access settings"));
  }
  std::unique_lock<std::shared_mutex> l(state_->mu);
  state_->buckets.clear();
  for (auto& [name, settings] : all) {
    state_->buckets.emplace(name,
                            std::make_shared<const BucketAccessSettings>(std::move(settings)));
  }
  state_->blocks = std::move(blocks);
  return Status::OK();
}

BucketAccessSettings BucketAccess::SettingsFor(std::string_view bucket) const {
  Snap s = state_->Find(bucket);
  return s ? *s : BucketAccessSettings{};
}

std::shared_ptr<const BucketAccessSettings> BucketAccess::Snapshot(std::string_view bucket) const {
  return state_->Find(bucket);
}

// --- bucket policy ------------------------------------------------------------------------------

Status BucketAccess::PutBucketPolicy(std::string_view bucket, std::string_view document) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  MAXIOFS_ASSIGN_OR_RETURN(std::shared_ptr<const iam::Policy> policy,
                           iam::Policy::Parse(document, iam::PolicyKind::kResource, bucket));
  if (cur->block.block_public_policy && policy->IsPublic()) {
    return Status::AccessDenied(
        "the bucket's public access block (BlockPublicPolicy) forbids a public bucket policy");
  }
  leveldb::WriteBatch batch;
  batch.Put(AccessKey(kAccessPolicyKind, bucket), leveldb::Slice(document.data(), document.size()));
  BucketAccessSettings next = *cur;
  next.policy = std::move(policy);
  return state_->CommitAndPublish(bucket, &batch, std::move(next));
}

Result<std::string> BucketAccess::GetBucketPolicy(std::string_view bucket) {
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (!cur->policy)
    return Status::Error(Status::Code::kNoSuchBucketPolicy, "The bucket policy does not exist");
  return cur->policy->text();
}

Status BucketAccess::DeleteBucketPolicy(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (!cur->policy) return Status::OK();  // S3: deleting a missing policy succeeds (204)
  leveldb::WriteBatch batch;
  batch.Delete(AccessKey(kAccessPolicyKind, bucket));
  BucketAccessSettings next = *cur;
  next.policy.reset();
  return state_->CommitAndPublish(bucket, &batch, std::move(next));
}

Result<bool> BucketAccess::GetBucketPolicyStatus(std::string_view bucket) {
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  return (cur->policy && cur->policy->IsPublic()) || IsPublicAcl(cur->acl);
}

// --- ACLs ---------------------------------------------------------------------------------------

Status BucketAccess::CheckAcl(std::string_view bucket, const Acl& acl) const {
  MAXIOFS_RETURN_IF_ERROR(ValidateAcl(acl));
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (cur->acls_disabled() && NormalizeAcl(acl)) return AclNotSupported();
  if (cur->block.block_public_acls && IsPublicAcl(acl)) {
    return Status::AccessDenied(
        "the bucket's public access block (BlockPublicAcls) forbids ACLs that grant to AllUsers "
        "or AuthenticatedUsers");
  }
  return Status::OK();
}

Result<Acl> BucketAccess::PrepareAcl(std::string_view bucket, Acl acl) const {
  MAXIOFS_RETURN_IF_ERROR(ResolveEmailGrants(acl, state_->engine.options().iam.account_email));
  MAXIOFS_RETURN_IF_ERROR(CheckAcl(bucket, acl));
  return acl;
}

Result<std::optional<Acl>> BucketAccess::ResolveRequestAcl(std::string_view bucket,
                                                           std::string_view canned,
                                                           const std::optional<Acl>& grants) const {
  if (!canned.empty() && grants) {
    return Status::InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
  }
  if (grants) {
    MAXIOFS_ASSIGN_OR_RETURN(Acl acl, PrepareAcl(bucket, *grants));
    return NormalizeAcl(std::move(acl));
  }
  if (canned.empty()) return std::optional<Acl>();
  MAXIOFS_ASSIGN_OR_RETURN(Acl acl, CannedAcl(canned));
  MAXIOFS_RETURN_IF_ERROR(CheckAcl(bucket, acl));
  return NormalizeAcl(std::move(acl));
}

Status BucketAccess::PutBucketAcl(std::string_view bucket, const Acl& requested) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  MAXIOFS_ASSIGN_OR_RETURN(Acl acl, PrepareAcl(bucket, requested));
  Snap cur = state_->Find(bucket);
  std::optional<Acl> norm = NormalizeAcl(acl);
  leveldb::WriteBatch batch;
  if (norm) {
    batch.Put(AccessKey(kAccessAclKind, bucket), EncodeAcl(*norm));
  } else {
    batch.Delete(AccessKey(kAccessAclKind, bucket));
  }
  BucketAccessSettings next = *cur;
  next.acl = norm ? std::move(*norm) : PrivateAcl();
  return state_->CommitAndPublish(bucket, &batch, std::move(next));
}

Result<Acl> BucketAccess::GetBucketAcl(std::string_view bucket) {
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (cur->acls_disabled()) return PrivateAcl();
  return cur->acl;
}

Status BucketAccess::PutObjectAcl(std::string_view bucket, std::string_view key,
                                  std::string_view version_id, const Acl& requested) {
  MAXIOFS_ASSIGN_OR_RETURN(Acl acl, PrepareAcl(bucket, requested));
  return state_->engine.SetObjectAcl(bucket, key, version_id, NormalizeAcl(std::move(acl)));
}

Result<Acl> BucketAccess::GetObjectAcl(std::string_view bucket, std::string_view key,
                                       std::string_view version_id) {
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<Acl> acl,
                           state_->engine.LoadObjectAcl(bucket, key, version_id));
  Snap cur = state_->Find(bucket);
  if (!acl || (cur && cur->acls_disabled())) return PrivateAcl();
  return std::move(*acl);
}

Result<TagSet> BucketAccess::LoadObjectTags(std::string_view bucket, std::string_view key,
                                            std::string_view version_id) {
  return state_->engine.LoadObjectTags(bucket, key, version_id);
}

// --- ownership controls -----------------------------------------------------------------------

Status BucketAccess::PutBucketOwnershipControls(std::string_view bucket, ObjectOwnership o) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (o == ObjectOwnership::kBucketOwnerEnforced && NormalizeAcl(cur->acl)) {
    return Status::InvalidRequest(
               "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
        .WithSubCode(Status::SubCode::kAclConflictsWithOwnership);
  }
  leveldb::WriteBatch batch;
  batch.Put(AccessKey(kAccessOwnershipKind, bucket), EncodeOwnership(o));
  BucketAccessSettings next = *cur;
  next.ownership = o;
  return state_->CommitAndPublish(bucket, &batch, std::move(next));
}

Result<ObjectOwnership> BucketAccess::GetBucketOwnershipControls(std::string_view bucket) {
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (!cur->ownership) {
    return Status::Error(Status::Code::kOwnershipControlsNotFound,
                         "The bucket ownership controls were not found");
  }
  return *cur->ownership;
}

Status BucketAccess::DeleteBucketOwnershipControls(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  if (!cur->ownership) return Status::OK();
  leveldb::WriteBatch batch;
  batch.Delete(AccessKey(kAccessOwnershipKind, bucket));
  BucketAccessSettings next = *cur;
  next.ownership.reset();
  return state_->CommitAndPublish(bucket, &batch, std::move(next));
}

// --- public access block ------------------------------------------------------------------------

Status BucketAccess::PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& cfg) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  leveldb::WriteBatch batch;
  batch.Put(AccessKey(kAccessBlockKind, bucket), EncodeBlock(cfg));
  BucketAccessSettings next = *cur;
  next.block = cfg;
  MAXIOFS_RETURN_IF_ERROR(state_->CommitAndPublish(bucket, &batch, std::move(next)));
  std::unique_lock<std::shared_mutex> l(state_->mu);
  state_->blocks[std::string(bucket)] = cfg;
  return Status::OK();
}

Result<PublicAccessBlock> BucketAccess::GetPublicAccessBlock(std::string_view bucket) {
  if (!state_->Find(bucket)) return NoSuchBucket();
  std::shared_lock<std::shared_mutex> l(state_->mu);
  auto it = state_->blocks.find(bucket);
  if (it == state_->blocks.end()) {
    return Status::Error(Status::Code::kNoSuchPublicAccessBlockConfiguration,
                         "The public access block configuration was not found");
  }
  return it->second;
}

Status BucketAccess::DeletePublicAccessBlock(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(state_->engine.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(state_->engine.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  Snap cur = state_->Find(bucket);
  if (!cur) return NoSuchBucket();
  leveldb::WriteBatch batch;
  batch.Delete(AccessKey(kAccessBlockKind, bucket));
  BucketAccessSettings next = *cur;
  next.block = PublicAccessBlock{};
  MAXIOFS_RETURN_IF_ERROR(state_->CommitAndPublish(bucket, &batch, std::move(next)));
  std::unique_lock<std::shared_mutex> l(state_->mu);
  state_->blocks.erase(std::string(bucket));
  return Status::OK();
}

// --- bucket lifecycle ---------------------------------------------------------------------------

void BucketAccess::StageNewBucket(std::string_view bucket, const std::optional<Acl>& acl,
                                  std::optional<ObjectOwnership> ownership,
                                  leveldb::WriteBatch* batch) {
  for (char kind : kBucketSettingKinds) batch->Delete(AccessKey(kind, bucket));
  if (acl) batch->Put(AccessKey(kAccessAclKind, bucket), EncodeAcl(*acl));
  if (ownership) batch->Put(AccessKey(kAccessOwnershipKind, bucket), EncodeOwnership(*ownership));
}

void BucketAccess::AddBucket(std::string_view bucket, std::optional<Acl> acl,
                             std::optional<ObjectOwnership> ownership) {
  BucketAccessSettings s;
  s.exists = true;
  s.acl = acl ? std::move(*acl) : PrivateAcl();
  s.ownership = ownership;
  auto snap = std::make_shared<const BucketAccessSettings>(std::move(s));
  std::lock_guard<std::mutex> wl(state_->write_mu);
  std::unique_lock<std::shared_mutex> l(state_->mu);
  state_->buckets[std::string(bucket)] = std::move(snap);
  state_->blocks.erase(std::string(bucket));
}

void BucketAccess::StageDeleteBucket(std::string_view bucket, leveldb::WriteBatch* batch) {
  for (char kind : kBucketSettingKinds) batch->Delete(AccessKey(kind, bucket));
}

void BucketAccess::ForgetBucket(std::string_view bucket) {
  std::lock_guard<std::mutex> wl(state_->write_mu);
  std::unique_lock<std::shared_mutex> l(state_->mu);
  auto it = state_->buckets.find(bucket);
  if (it != state_->buckets.end()) state_->buckets.erase(it);
  state_->blocks.erase(std::string(bucket));
}

}  // namespace maxiofs::engine
