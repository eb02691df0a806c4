// CopyObject: a new version that shares the source's blobs (reference count + 1) or duplicates
// its inline bytes. No blob data is copied.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

namespace maxiofs::engine {
namespace {

using Kind = EncryptionRequest::Kind;

// True when the copy may share the source's sealed data: the destination ends up with the same
// mode and key. With no mode asked for, an encrypted source stays as it is (never decrypted).
bool CanShare(const EngineImpl& e, const ObjectRecord& src, const BucketRecord& dst,
              const CopyObjectRequest& req) {
  const Sse mode = src.seal.mode;
  const Kind want = e.ResolveEncryption(req.encryption, dst).kind;
  switch (mode) {
    case Sse::kNone:
      return want == Kind::kNone;
    case Sse::kS3:
      return want == Kind::kS3 || req.encryption.kind == Kind::kDefault;
    case Sse::kKms:
      return req.encryption.kind == Kind::kDefault ||
             (want == Kind::kKms &&
              (req.encryption.kms_key_id.empty() || req.encryption.kms_key_id == src.seal.key_id));
    case Sse::kC:
      return want == Kind::kC && req.encryption.customer_key == req.src_customer_key;
  }
  return false;
}

}  // namespace

// A copy whose encryption differs from the source's: the data is read (opened) and written again
// (sealed) as a new object; ETag and checksums stay those of the plaintext.
Result<ObjectInfo> EngineImpl::CopyBySealing(const CopyObjectRequest& req,
                                             const ObjectRecord& src) {
  GetObjectRequest g;
  g.bucket = req.src_bucket;
  g.key = req.src_key;
  g.version_id = req.src_version_id.empty() ? std::string() : req.src_version_id;
  g.customer_key = req.src_customer_key;
  MAXIOFS_ASSIGN_OR_RETURN(std::unique_ptr<ObjectReader> r, GetObject(g));
  const ObjectInfo& si = r->info();
  if (si.etag != src.etag) return Status::PreconditionFailed("the copy source changed");
  MAXIOFS_RETURN_IF_ERROR(
      CheckCopySourcePreconditions(req.source_preconditions, si.etag, si.last_modified_ns));
  PutObjectRequest p;
  p.bucket = req.dst_bucket;
  p.key = req.dst_key;
  p.meta = req.replace_metadata ? req.meta : si.meta;
  p.expected_size = si.size;
  p.checksum_algorithm = si.checksum.algorithm;
  p.lock = req.lock;
  p.durable = req.durable;
  p.preconditions = req.dest_preconditions;
  p.encryption = req.encryption;
  p.canned_acl = req.canned_acl;  // never the source's ACL (S3)
  p.grants = req.grants;
  p.tags = req.replace_tags ? req.tags : src.tags;  // x-amz-tagging-directive
  p.origin = req.origin;
  p.created_by = PutObjectRequest::CreatedBy::kCopy;
  MAXIOFS_ASSIGN_OR_RETURN(std::unique_ptr<ObjectWriter> w, BeginPut(p));
  std::string buf(1 << 20, '\0');
  for (;;) {
    MAXIOFS_ASSIGN_OR_RETURN(size_t n, r->Read(buf));
    if (n == 0) break;
    MAXIOFS_RETURN_IF_ERROR(w->Append(std::string_view(buf.data(), n)));
  }
  return w->Commit();
}

Result<ObjectInfo> EngineImpl::CopyObject(const CopyObjectRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.src_key));
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.dst_key));
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  if (req.replace_tags) MAXIOFS_RETURN_IF_ERROR(ValidateObjectTags(req.tags));
  // The copy gets the requested canned ACL or none (private), never the source's (S3).
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<Acl> acl, bucket_access().ResolveRequestAcl(
                                                       req.dst_bucket, req.canned_acl, req.grants));
  {
    // Encryption decides between sharing the data and sealing it anew.
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> peek,
                             LoadVersion(req.src_bucket, req.src_key, req.src_version_id));
    if (peek && !peek->delete_marker) {
      MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(KeySeal(*peek), req.src_customer_key));
      MAXIOFS_ASSIGN_OR_RETURN(BucketRecord dst, LoadBucket(req.dst_bucket));
      if (!CanShare(*this, *peek, dst, req)) return CopyBySealing(req, *peek);
    }
  }
  const bool same = req.src_bucket == req.dst_bucket && req.src_key == req.dst_key;
  if (same && !req.replace_metadata && req.src_version_id.empty()) {
    return Status::InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without "
        "changing the object's metadata, storage class, website redirect location or encryption "
        "attributes.");
  }
  // Bucket locks (shared) in stripe order; the same stripe is locked once.
  std::shared_mutex* b1 = &BucketLock(req.src_bucket);
  std::shared_mutex* b2 = &BucketLock(req.dst_bucket);
  if (b2 < b1) std::swap(b1, b2);
  std::shared_lock<std::shared_mutex> bl1(*b1);
  std::shared_lock<std::shared_mutex> bl2;
  if (b2 != b1) bl2 = std::shared_lock<std::shared_mutex>(*b2);
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.src_bucket));
  MAXIOFS_ASSIGN_OR_RETURN(BucketRecord dst_bucket, LoadBucket(req.dst_bucket));
  StripeGuard<kKeyStripes> key_guard(key_locks(), {KeyStripe(req.src_bucket, req.src_key),
                                                   KeyStripe(req.dst_bucket, req.dst_key)});

  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> src,
                           LoadVersion(req.src_bucket, req.src_key, req.src_version_id));
  if (!src) {
    if (!req.src_version_id.empty())
      return Status::NoSuchVersion("the copy source version does not exist");
    return Status::NoSuchKey("the specified copy source key does not exist");
  }
  if (src->delete_marker) {
    return Status::InvalidRequest(
        "The source of a copy request may not specifically refer to a delete marker by version "
        "id.");
  }
  MAXIOFS_RETURN_IF_ERROR(
      CheckCopySourcePreconditions(req.source_preconditions, src->etag, src->last_modified_ns));
  MAXIOFS_ASSIGN_OR_RETURN(VersionState vs,
                           LoadVersionState(req.dst_bucket, req.dst_key,
                                            dst_bucket.versioning != VersioningState::kEnabled));
  const ObjectRecord* cur = vs.current();
  MAXIOFS_RETURN_IF_ERROR(CheckWritePreconditions(
      req.dest_preconditions, cur ? std::optional<std::string>(cur->etag) : std::nullopt));

  ObjectRecord rec;
  rec.size = src->size;
  rec.etag = src->etag;
  rec.storage = src->storage;
  rec.data_id = src->data_id;
  rec.parts = src->parts;
  rec.checksum = src->checksum;
  rec.seal = src->seal;
  rec.meta = req.replace_metadata ? req.meta : src->meta;
  rec.acl = std::move(acl);
  rec.tags = req.replace_tags ? req.tags : src->tags;  // x-amz-tagging-directive
  MAXIOFS_RETURN_IF_ERROR(ApplyLockSettings(dst_bucket, req.lock, &rec));
  leveldb::WriteBatch batch;
  RefChanges refs;
  MAXIOFS_RETURN_IF_ERROR(StageShareData(*src, &rec, &batch, &refs));
  MAXIOFS_RETURN_IF_ERROR(
      StageNewVersion(dst_bucket, req.dst_bucket, req.dst_key, vs, &rec, &batch, &refs));
  refs.events.push_back(EventDraft{"ObjectCreated:Copy", req.dst_bucket, req.dst_key, true,
                                   rec.size, rec.etag, rec.version_id(), req.origin});
  MAXIOFS_RETURN_IF_ERROR(CommitWithRefs(&batch, refs, req.durable));
  Publish(ChangeEvent::Kind::kObjectWritten, req.dst_bucket, req.dst_key);
  ObjectInfo info = ToObjectInfo(req.dst_bucket, req.dst_key, rec);
  info.expiration = ExpirationOf(req.dst_bucket, req.dst_key, rec);
  return info;
}

}  // namespace maxiofs::engine
