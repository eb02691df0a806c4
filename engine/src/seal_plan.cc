// Which key seals what: resolving a request's encryption mode, making data keys and wrapping them
// (master key, customer key or key-service key), the master-key check at open, the built-in key
// service and master-key rotation.
//
// Key hierarchy:  master key (config)  --wraps-->  KMS key (LevelDB 'M')  --wraps-->  data key
//                 master key           --wraps-->  data key (SSE-S3)
//                 customer key (request, never stored) --wraps--> data key (SSE-C)
#include "codec_primitives.h"
#include "engine_impl.h"
#include "key_codec.h"

#include <cctype>
#include <memory>

namespace maxiofs::engine {

// CompressionOptions names the on-disk chunk codecs by number.
static_assert(static_cast<uint8_t>(CompressionCodec::kZstd) ==
              static_cast<uint8_t>(ChunkCodec::kZstd));
static_assert(static_cast<uint8_t>(CompressionCodec::kGzip) ==
              static_cast<uint8_t>(ChunkCodec::kGzip));
static_assert(static_cast<uint8_t>(CompressionCodec::kLz4) ==
              static_cast<uint8_t>(ChunkCodec::kLz4));
namespace {

constexpr std::string_view kDefaultKmsKey = "aws/s3";

std::string DataKeyAad(const SealInfo& s) {
  std::string aad = "maxiofs-dk-v1";
  aad.push_back(static_cast<char>(s.mode));
  aad.append(s.seal_id);
  aad.append(s.key_id);
  return aad;
}

std::string CustomerKeyCheck(std::string_view customer_key, std::string_view salt) {
  return HmacSha256(customer_key, "maxiofs-ssec-v1" + std::string(salt));
}

std::string KmsAad(std::string_view name) { return "maxiofs-kms-v1" + std::string(name); }

std::string CheckKey(std::string_view id) { return kKeyCheckTag + std::string(id); }
std::string KmsKey(std::string_view name) { return kKmsKeyTag + std::string(name); }

struct KmsRecord {
  std::string master_key_id;
  std::string wrapped;
  int64_t created_ns = 0;
};

using codec::PutStr;
using codec::PutVarint;

std::string EncodeKms(const KmsRecord& r) {
  std::string out(1, '\x01');
  PutStr(&out, r.master_key_id);
  PutStr(&out, r.wrapped);
  PutVarint(&out, static_cast<uint64_t>(r.created_ns));
  return out;
}

Result<KmsRecord> DecodeKms(std::string_view in) {
  if (in.empty() || in[0] != '\x01') return Status::Corruption("kms key record: unknown format");
  codec::Reader rd(in.substr(1));
  KmsRecord r;
  r.master_key_id = rd.Str();
  r.wrapped = rd.Str();
  const uint64_t ns = rd.Varint();
  if (!rd.ok() || !rd.done()) return Status::Corruption("kms key record: truncated");
  r.created_ns = static_cast<int64_t>(ns);
  return r;
}

bool IsValidKmsName(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (suffix.size() > s.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char a = s[s.size() - suffix.size() + i], b = suffix[i];
    if (std::tolower(static_cast<unsigned char>(a)) != std::tolower(static_cast<unsigned char>(b)))
      return false;
  }
  return true;
}

// True when compression is pointless for this content (already compressed formats).
bool Excluded(const CompressionOptions& c, std::string_view key, const ObjectMeta& meta) {
  std::string_view type = meta.content_type;
  type = type.substr(0, type.find(';'));
  for (const std::string& t : c.excluded_content_types) {
    if (t.ends_with("/*") ? type.starts_with(std::string_view(t).substr(0, t.size() - 1))
                          : type == t) {
      return true;
    }
  }
  for (const std::string& ext : c.excluded_extensions) {
    if (EndsWithNoCase(key, ext)) return true;
  }
  return false;
}

}  // namespace

EncryptionRequest EngineImpl::ResolveEncryption(const EncryptionRequest& req,
                                                const BucketRecord& b) const {
  if (req.kind != EncryptionRequest::Kind::kDefault) return req;
  EncryptionRequest out = req;
  if (b.default_sse == Sse::kS3) {
    out.kind = EncryptionRequest::Kind::kS3;
    return out;
  }
  if (b.default_sse == Sse::kKms) {
    out.kind = EncryptionRequest::Kind::kKms;
    out.kms_key_id = b.default_kms_key;
    return out;
  }
  out.kind = options_.encryption.encrypt_new_data ? EncryptionRequest::Kind::kS3
                                                  : EncryptionRequest::Kind::kNone;
  return out;
}

EncryptionRequest EngineImpl::RequestFor(const SealInfo& tmpl, std::string_view customer_key) {
  EncryptionRequest r;
  switch (tmpl.mode) {
    case Sse::kNone:
      r.kind = EncryptionRequest::Kind::kNone;
      break;
    case Sse::kS3:
      r.kind = EncryptionRequest::Kind::kS3;
      break;
    case Sse::kC:
      r.kind = EncryptionRequest::Kind::kC;
      r.customer_key = std::string(customer_key);
      break;
    case Sse::kKms:
      r.kind = EncryptionRequest::Kind::kKms;
      r.kms_key_id = tmpl.key_id;
      r.kms_context = tmpl.kms_context;
      break;
  }
  return r;
}

Result<SealInfo> EngineImpl::NewUploadTemplate(const EncryptionRequest& req,
                                               const BucketRecord& b) {
  MAXIOFS_ASSIGN_OR_RETURN(SealPlan p, NewSealPlan(req, b, "", ObjectMeta{}, std::nullopt));
  SealInfo t;
  t.mode = p.info.mode;
  t.key_id = p.info.mode == Sse::kKms ? p.info.key_id : std::string();
  t.kms_context = p.info.kms_context;
  t.seal_id = p.info.seal_id;
  t.key_hmac = p.info.key_hmac;  // SSE-C: later parts must bring the same key
  return t;
}

Result<SealPlan> EngineImpl::NewSealPlan(const EncryptionRequest& request, const BucketRecord& b,
                                         std::string_view key, const ObjectMeta& meta,
                                         std::optional<uint64_t> size) {
  const EncryptionRequest req = ResolveEncryption(request, b);
  SealPlan p;
  const CompressionOptions& c = options_.compression;
  p.compress.enabled = c.enabled && !Excluded(c, key, meta) && !(size && *size < c.min_size) &&
                       !(size && *size == 0);
  p.compress.codec = static_cast<ChunkCodec>(c.codec);
  p.compress.level = c.level != 0 ? c.level : LevelsOf(p.compress.codec).standard;
  if (req.kind == EncryptionRequest::Kind::kNone) return p;
  p.info.seal_id = RandomBytes(kSealIdSize);
  p.data_key = RandomBytes(kDataKeySize);
  std::string kek;
  switch (req.kind) {
    case EncryptionRequest::Kind::kS3: {
      if (keyring_.empty()) {
        return Status::InvalidRequest(
            "server-side encryption needs a master key: set storage.encryption.key");
      }
      p.info.mode = Sse::kS3;
      p.info.key_id = keyring_.active_id();
      kek = *keyring_.Find(p.info.key_id);
      break;
    }
    case EncryptionRequest::Kind::kC:
      if (req.customer_key.size() != kDataKeySize) {
        return Status::InvalidArgument(
            "The secret key was invalid for the specified algorithm (it must be 256 bits)");
      }
      p.info.mode = Sse::kC;
      p.info.key_hmac = CustomerKeyCheck(req.customer_key, p.info.seal_id);
      kek = req.customer_key;
      break;
    case EncryptionRequest::Kind::kKms: {
      p.info.mode = Sse::kKms;
      p.info.key_id = req.kms_key_id.empty() ? std::string(kDefaultKmsKey) : req.kms_key_id;
      p.info.kms_context = req.kms_context;
      Result<std::string> k = LoadKmsKey(p.info.key_id);
      if (!k.has_value() && req.kms_key_id.empty()) {
        // The default key is made on first use, as AWS makes aws/s3.
        Status s = CreateKmsKey(kDefaultKmsKey);
        if (!s.ok() && s.code() != Status::Code::kInvalidRequest) return s;
        k = LoadKmsKey(p.info.key_id);
      }
      if (!k.has_value()) return k.error();
      kek = std::move(k).value();
      break;
    }
    default:
      return Status::Internal("unresolved encryption mode");
  }
  p.info.wrapped_key = WrapKey(kek, p.data_key, DataKeyAad(p.info));
  return p;
}

Status EngineImpl::CheckCustomerKey(const SealInfo& s, std::string_view customer_key) {
  if (s.mode != Sse::kC) {
    if (!customer_key.empty()) {
      return Status::InvalidRequest("The encryption parameters are not applicable to this object.");
    }
    return Status::OK();
  }
  if (customer_key.empty()) {
    return Status::InvalidRequest(
        "The object was stored using a form of Server Side Encryption. The correct parameters "
        "must be provided to retrieve the object.");
  }
  if (customer_key.size() != kDataKeySize ||
      CustomerKeyCheck(customer_key, s.seal_id) != s.key_hmac) {
    return Status::AccessDenied(
        "The provided encryption key does not match the key the object was stored with");
  }
  return Status::OK();
}

Result<std::string> EngineImpl::OpenDataKey(const SealInfo& s, std::string_view customer_key) {
  std::string kek;
  switch (s.mode) {
    case Sse::kNone:
      return std::string();
    case Sse::kS3: {
      const std::string* k = keyring_.Find(s.key_id);
      if (!k) {
        return Status::InvalidArgument("the data is sealed with master key '" + s.key_id +
                                       "', which is not configured");
      }
      kek = *k;
      break;
    }
    case Sse::kC:
      MAXIOFS_RETURN_IF_ERROR(CheckCustomerKey(s, customer_key));
      kek = std::string(customer_key);
      break;
    case Sse::kKms: {
      MAXIOFS_ASSIGN_OR_RETURN(kek, LoadKmsKey(s.key_id));
      break;
    }
  }
  return UnwrapKey(kek, s.wrapped_key, DataKeyAad(s));
}

// --- master keys ---------------------------------------------------------------------------------

Status EngineImpl::CheckMasterKeys() {
  const std::string prefix(1, kKeyCheckTag);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  bool active_known = false;
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    const std::string id(View(it->key()).substr(1));
    const std::string* k = keyring_.Find(id);
    if (!k) {
      return Status::InvalidArgument(
          "the data dir has used master key '" + id +
          "' (data sealed with it needs it), which is not configured "
          "(storage.encryption.key, key_file or keys; rotate-key retires a key)");
    }
    if (Keyring::CheckValue(*k) != View(it->value())) {
      return Status::InvalidArgument("master key '" + id +
                                     "' is not the key this data dir was sealed with");
    }
    active_known = active_known || id == keyring_.active_id();
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "read key check values"));
  if (!keyring_.empty() && !active_known) {
    leveldb::WriteOptions wo;
    wo.sync = true;
    leveldb::Status s = db_->Put(wo, CheckKey(keyring_.active_id()),
                                 Keyring::CheckValue(*keyring_.Find(keyring_.active_id())));
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(s, "store key check value"));
  }
  return Status::OK();
}

Result<bool> EngineImpl::Rewrap(SealInfo* s) {
  if (s->mode != Sse::kS3 || s->key_id == keyring_.active_id()) return false;
  MAXIOFS_ASSIGN_OR_RETURN(std::string dk, OpenDataKey(*s, ""));
  s->key_id = keyring_.active_id();
  s->wrapped_key = WrapKey(*keyring_.Find(s->key_id), dk, DataKeyAad(*s));
  return true;
}

Result<uint64_t> EngineImpl::RotateMasterKey() {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  if (keyring_.empty()) return Status::InvalidRequest("no master key is configured");
  const std::string& active = *keyring_.Find(keyring_.active_id());
  uint64_t changed = 0;
  leveldb::WriteBatch batch;
  auto flush = [&]() -> Status {
    if (batch.ApproximateSize() < (4 << 20)) return Status::OK();
    MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
    batch.Clear();
    return Status::OK();
  };
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view k = View(it->key());
    const char tag = k.empty() ? '\0' : k[0];
    if (tag == kObjectTag || tag == kVersionTag) {
      MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(View(it->value())));
      bool any = false;
      MAXIOFS_ASSIGN_OR_RETURN(bool c, Rewrap(&r.seal));
      any = any || c;
      changed += c;
      for (auto& p : r.parts) {
        MAXIOFS_ASSIGN_OR_RETURN(bool pc, Rewrap(&p.seal));
        any = any || pc;
        changed += pc;
      }
      if (any) batch.Put(it->key(), EncodeObjectRecord(r));
    } else if (tag == kPartTag) {
      MAXIOFS_ASSIGN_OR_RETURN(PartRecord r, DecodePartRecord(View(it->value())));
      MAXIOFS_ASSIGN_OR_RETURN(bool c, Rewrap(&r.seal));
      if (c) batch.Put(it->key(), EncodePartRecord(r));
      changed += c;
    } else if (tag == kKmsKeyTag) {
      MAXIOFS_ASSIGN_OR_RETURN(KmsRecord r, DecodeKms(View(it->value())));
      if (r.master_key_id == keyring_.active_id()) continue;
      const std::string name(k.substr(1));
      const std::string* old = keyring_.Find(r.master_key_id);
      if (!old) {
        return Status::InvalidArgument("KMS key '" + name + "' is sealed with master key '" +
                                       r.master_key_id + "', which is not configured");
      }
      MAXIOFS_ASSIGN_OR_RETURN(std::string plain, UnwrapKey(*old, r.wrapped, KmsAad(name)));
      r.master_key_id = keyring_.active_id();
      r.wrapped = WrapKey(active, plain, KmsAad(name));
      batch.Put(it->key(), EncodeKms(r));
      ++changed;
    } else if (tag == kKeyCheckTag) {
      if (k.substr(1) != keyring_.active_id()) batch.Delete(it->key());
    } else {
      continue;
    }
    MAXIOFS_RETURN_IF_ERROR(flush());
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "rotate master key"));
  batch.Put(CheckKey(keyring_.active_id()), Keyring::CheckValue(active));
  MAXIOFS_RETURN_IF_ERROR(Commit(&batch));
  return changed;
}

// --- the built-in key service ----------------------------------------------------------------

Result<std::string> EngineImpl::LoadKmsKey(std::string_view name) {
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), KmsKey(name), &v);
  if (s.IsNotFound()) {
    return Status::InvalidArgument("Invalid keyId " + std::string(name) +
                                   ": no such key in the key service");
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(s, "read kms key"));
  MAXIOFS_ASSIGN_OR_RETURN(KmsRecord r, DecodeKms(v));
  const std::string* mk = keyring_.Find(r.master_key_id);
  if (!mk) {
    return Status::InvalidArgument("KMS key '" + std::string(name) +
                                   "' is sealed with master key '" + r.master_key_id +
                                   "', which is not configured");
  }
  return UnwrapKey(*mk, r.wrapped, KmsAad(name));
}

Status EngineImpl::CreateKmsKey(std::string_view name) {
  MAXIOFS_RETURN_IF_ERROR(CheckWritable());
  if (!IsValidKmsName(name)) {
    return Status::InvalidArgument("KMS key names are 1-256 characters of [A-Za-z0-9/._:-]");
  }
  if (keyring_.empty()) {
    return Status::InvalidRequest("the key service needs a master key: set storage.encryption.key");
  }
  std::lock_guard<std::mutex> l(kms_mu_);
  std::string v;
  leveldb::Status s = db_->Get(leveldb::ReadOptions(), KmsKey(name), &v);
  if (s.ok()) return Status::InvalidRequest("KMS key '" + std::string(name) + "' already exists");
  if (!s.IsNotFound()) return FromLevelDb(s, "read kms key");
  KmsRecord r;
  r.master_key_id = keyring_.active_id();
  r.wrapped = WrapKey(*keyring_.Find(r.master_key_id), RandomBytes(kDataKeySize), KmsAad(name));
  r.created_ns = NowNs();
  leveldb::WriteBatch batch;
  batch.Put(KmsKey(name), EncodeKms(r));
  return Commit(&batch);
}

Result<std::vector<KmsKeyInfo>> EngineImpl::ListKmsKeys() {
  std::vector<KmsKeyInfo> out;
  const std::string prefix(1, kKmsKeyTag);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    MAXIOFS_ASSIGN_OR_RETURN(KmsRecord r, DecodeKms(View(it->value())));
    out.push_back(
        KmsKeyInfo{std::string(View(it->key()).substr(1)), r.created_ns, r.master_key_id});
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "list kms keys"));
  return out;
}

}  // namespace maxiofs::engine
