// UpdateObjectMetadata: a version's user metadata changed in place, in one batch. No new
// version is made and the data, ETag, Last-Modified and checksums stay, so a chmod through the
// mount costs one small record write instead of a copy of the object onto itself.
#include "engine_impl.h"
#include "key_codec.h"
#include "preconditions.h"

#include <algorithm>
#include <memory>

namespace maxiofs::engine {
namespace {

using UserMeta = std::vector<std::pair<std::string, std::string>>;

// S3 metadata names are HTTP header tokens, sent in lower case.
bool IsMetadataName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

UserMeta::iterator FindName(UserMeta& user, std::string_view name) {
  return std::lower_bound(user.begin(), user.end(), name,
                          [](const auto& e, std::string_view n) { return e.first < n; });
}

}  // namespace

Status ValidateMetadataChanges(const std::vector<MetadataChange>& changes) {
  for (const MetadataChange& c : changes) {
    if (!IsMetadataName(c.name)) {
      return Status::InvalidArgument("invalid user metadata name: " + c.name);
    }
  }
  return Status::OK();
}

Status ApplyMetadataChanges(const std::vector<MetadataChange>& changes, bool check,
                            UserMeta* user) {
  UserMeta out = *user;
  for (const MetadataChange& c : changes) {
    auto it = FindName(out, c.name);
    const bool present = it != out.end() && it->first == c.name;
    if (check && c.require == MetadataChange::Require::kPresent && !present) {
      return Status::PreconditionFailed("the metadata entry " + c.name + " does not exist");
    }
    if (check && c.require == MetadataChange::Require::kAbsent && present) {
      return Status::PreconditionFailed("the metadata entry " + c.name + " exists");
    }
    if (!c.value) {
      if (present) out.erase(it);
    } else if (present) {
      it->second = *c.value;
    } else {
      out.insert(it, {c.name, *c.value});
    }
  }
  size_t bytes = 0;
  for (const auto& [k, v] : out) bytes += k.size() + v.size();
  if (bytes > kMaxUserMetadataBytes) {
    return Status::EntityTooLarge("the user metadata would exceed its size limit");
  }
  *user = std::move(out);
  return Status::OK();
}

Result<ObjectInfo> EngineImpl::UpdateObjectMetadata(const UpdateObjectMetadataRequest& req) {
  MAXIOFS_RETURN_IF_ERROR(ValidateObjectKey(req.key));
  MAXIOFS_RETURN_IF_ERROR(ValidateMetadataChanges(req.changes));
  if (req.all_links && !req.version_id.empty()) {
    return Status::InvalidArgument("all_links applies to the current version only");
  }
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  std::shared_lock<std::shared_mutex> bl(BucketLock(req.bucket));
  MAXIOFS_RETURN_IF_ERROR(CheckBucketExists(req.bucket));
  // The key's stripe first: a record not flagged as linked is in no link group, and cannot
  // join one while the stripe is held (every join holds the joining key's stripe), so the
  // common case costs no link-group reads.
  LinkedNames names;
  names.names.emplace_back(req.key);
  names.guard = std::make_unique<StripeGuard<kKeyStripes>>(
      key_locks(), std::vector<size_t>{KeyStripe(req.bucket, req.key)});
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> v,
                           LoadVersion(req.bucket, req.key, req.version_id));
  if (req.all_links && v && v->linked) {
    names.guard.reset();  // LockLinkedNames takes this stripe again, with the group's
    MAXIOFS_ASSIGN_OR_RETURN(names, LockLinkedNames(req.bucket, req.key, {}));
    MAXIOFS_ASSIGN_OR_RETURN(v, LoadVersion(req.bucket, req.key, req.version_id));
  }
  if (!v) {
    return req.version_id.empty() ? Status::NoSuchKey("the specified key does not exist")
                                  : Status::NoSuchVersion("the specified version does not exist");
  }
  if (v->delete_marker) return Status::MethodNotAllowed("a delete marker has no metadata");
  MAXIOFS_RETURN_IF_ERROR(
      CheckCopySourcePreconditions(req.preconditions, v->etag, v->last_modified_ns));
  UserMeta user = v->meta.user;
  MAXIOFS_RETURN_IF_ERROR(ApplyMetadataChanges(req.changes, true, &user));
  ObjectInfo info;
  if (user == v->meta.user) {
    info = ToObjectInfo(req.bucket, req.key, *v);
    if (req.version_id.empty()) {
      MAXIOFS_RETURN_IF_ERROR(FillLinkInfo(req.bucket, req.key, *v, &info));
    }
    return info;
  }
  leveldb::WriteBatch batch;
  // The addressed version, and (all_links) the current version of every other name.
  MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> cur, LoadObject(req.bucket, req.key));
  v->meta.user = std::move(user);
  std::string encoded = EncodeObjectRecord(*v);
  batch.Put(VersionKey(req.bucket, req.key, v->vkey), encoded);
  if (cur && cur->vkey == v->vkey) batch.Put(ObjectKey(req.bucket, req.key), encoded);
  std::vector<std::string> changed = {req.key};
  for (const std::string& name : names.names) {
    if (name == req.key) continue;
    MAXIOFS_ASSIGN_OR_RETURN(std::optional<ObjectRecord> other, LoadObject(req.bucket, name));
    if (!other) continue;
    MAXIOFS_RETURN_IF_ERROR(ApplyMetadataChanges(req.changes, false, &other->meta.user));
    encoded = EncodeObjectRecord(*other);
    batch.Put(VersionKey(req.bucket, name, other->vkey), encoded);
    batch.Put(ObjectKey(req.bucket, name), encoded);
    changed.push_back(name);
  }
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch, req.durable));
  for (const std::string& name : changed) {
    Publish(ChangeEvent::Kind::kObjectWritten, req.bucket, name);
  }
  info = ToObjectInfo(req.bucket, req.key, *v);
  if (req.version_id.empty()) MAXIOFS_RETURN_IF_ERROR(FillLinkInfo(req.bucket, req.key, *v, &info));
  return info;
}

}  // namespace maxiofs::engine
