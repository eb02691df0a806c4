#include "bucket_logging.h"

#include "../checksums.h"
#include "../engine_impl.h"
#include "../iam/acl_rules.h"
#include "../key_codec.h"
#include "../seal.h"
#include "log_keys.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <span>

namespace maxiofs::engine {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}

Status InvalidTarget(std::string_view why) {
  return Status::InvalidArgument(why).WithSubCode(Status::SubCode::kInvalidTargetBucketForLogging);
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

BucketLogging::BucketLogging(leveldb::DB* db, EngineImpl& engine, AccessLogOptions options)
    : db_(db), engine_(engine), options_(std::move(options)) {}

BucketLogging::~BucketLogging() { Stop(); }

Status BucketLogging::Load() {
  std::map<std::string, StoredBucketLogging, std::less<>> all;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  const std::string prefix = AccessKeyPrefix(kAccessLoggingKind);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string bucket = it->key().ToString().substr(prefix.size());
    std::string ignored;
    leveldb::Status exists = db_->Get(leveldb::ReadOptions(), BucketKey(bucket), &ignored);
    if (exists.IsNotFound()) continue;  // left by an older binary's bucket deletion
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(exists, "load bucket logging"));
    auto stored = DecodeBucketLogging(View(it->value()));
    if (!stored.has_value()) {
      return Status::Corruption("the stored logging configuration of bucket " + bucket +
                                " is damaged");
    }
    all.emplace(bucket, std::move(*stored));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "load bucket logging"));
  {
    std::unique_lock<std::shared_mutex> l(mu_);
    configs_ = std::move(all);
  }
  thread_ = std::thread([this] { Run(); });
  return Status::OK();
}

void BucketLogging::Stop() {
  {
    std::lock_guard<std::mutex> l(buffer_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();  // it delivers everything before it ends
}

Status BucketLogging::CheckTarget(std::string_view source, const BucketLoggingConfig& config) {
  auto target = engine_.LoadBucket(config.target_bucket);
  if (!target.has_value()) {
    if (target.error().IsNoSuchBucket()) {
      return InvalidTarget("The target bucket for logging does not exist");
    }
    return target.error();
  }
  if (target->lock_enabled && target->default_retention.mode != LockMode::kNone) {
    return InvalidTarget(
        "The target bucket for logging must not have a default Object Lock retention period");
  }
  // AWS: the target's bucket policy lets the logging service put objects under the prefix for
  // this source, or (older buckets) its ACL grants the log-delivery group WRITE.
  std::shared_ptr<const BucketAccessSettings> access =
      engine_.bucket_access().Snapshot(config.target_bucket);
  if (access == nullptr) return InvalidTarget("The target bucket for logging does not exist");
  bool allowed = false;
  if (access->policy) {
    const std::string resource =
        "arn:aws:s3:::" + config.target_bucket + "/" + config.target_prefix;
    iam::ConditionValues ctx;
    ctx["aws:sourcearn"] = {"arn:aws:s3:::" + std::string(source)};
    // One account: its id, and its canonical id as some tools write it.
    ctx["aws:sourceaccount"] = {std::string(kAccountId), std::string(kCanonicalUserId)};
    iam::EvalRequest er;
    er.action = "s3:PutObject";
    er.resource = resource;
    er.service = kLoggingServicePrincipal;
    er.conditions = &ctx;
    const iam::Decision d = access->policy->Evaluate(er);
    if (d == iam::Decision::kDeny) {
      return InvalidTarget(
          "The target bucket's policy denies the logging service (logging.s3.amazonaws.com)");
    }
    allowed = d == iam::Decision::kAllow;
  }
  if (!allowed && !access->acls_disabled()) {
    for (const AclGrant& g : access->acl.grants) {
      if (g.type == AclGrant::GranteeType::kGroup && g.grantee == kLogDeliveryUri &&
          (g.permission == AclPermission::kWrite || g.permission == AclPermission::kFullControl)) {
        allowed = true;
      }
    }
  }
  if (!allowed) {
    return InvalidTarget(
        "You must either provide the necessary permissions to the logging service using a "
        "bucket policy or give the log-delivery group WRITE and READ_ACP permissions to the "
        "target bucket");
  }
  return Status::OK();
}

Status BucketLogging::Put(std::string_view bucket,
                          const std::optional<BucketLoggingConfig>& config) {
  std::optional<BucketLoggingConfig> next = config;
  if (next) {
    if (next->target_prefix.size() > kMaxLogTargetPrefixBytes || !ValidUtf8(next->target_prefix)) {
      return Status::InvalidArgument("The target prefix must be valid UTF-8 of at most " +
                                     std::to_string(kMaxLogTargetPrefixBytes) + " bytes");
    }
    if (next->target_grants.size() > 100) {
      return Status::InvalidArgument("At most 100 target grants are allowed");
    }
    Acl grants;
    grants.grants = next->target_grants;
    for (const AclGrant& g : grants.grants) {
      if (g.permission != AclPermission::kRead && g.permission != AclPermission::kWrite &&
          g.permission != AclPermission::kFullControl) {
        return Status::InvalidArgument(
            "A target grant's permission must be READ, WRITE or FULL_CONTROL");
      }
    }
    MAXIOFS_RETURN_IF_ERROR(ResolveEmailGrants(grants, engine_.options().iam.account_email));
    MAXIOFS_RETURN_IF_ERROR(ValidateAcl(grants));
    next->target_grants = std::move(grants.grants);
  }
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(write_mu_);
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  if (next) MAXIOFS_RETURN_IF_ERROR(CheckTarget(bucket, *next));
  std::optional<StoredBucketLogging> current;
  {
    std::shared_lock<std::shared_mutex> l(mu_);
    if (auto it = configs_.find(bucket); it != configs_.end()) current = it->second;
  }
  if (!next && !current) return Status::OK();
  if (next && current && current->config == *next) return Status::OK();  // Last-Modified stays
  leveldb::WriteBatch batch;
  StoredBucketLogging stored;
  if (next) {
    stored.config = *next;
    stored.modified_ns = NowNs();
    batch.Put(AccessKey(kAccessLoggingKind, bucket), EncodeBucketLogging(stored));
  } else {
    batch.Delete(AccessKey(kAccessLoggingKind, bucket));
  }
  MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(&batch, RefChanges{}));
  std::unique_lock<std::shared_mutex> l(mu_);
  if (next) {
    configs_[std::string(bucket)] = std::move(stored);
  } else {
    configs_.erase(std::string(bucket));
  }
  return Status::OK();
}

Result<StoredBucketLogging> BucketLogging::Get(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  std::shared_lock<std::shared_mutex> l(mu_);
  auto it = configs_.find(bucket);
  if (it == configs_.end()) return StoredBucketLogging{};
  return it->second;
}

bool BucketLogging::IsLogged(std::string_view bucket) const {
  std::shared_lock<std::shared_mutex> l(mu_);
  return configs_.find(bucket) != configs_.end();
}

void BucketLogging::ForgetBucket(std::string_view bucket) {
  std::unique_lock<std::shared_mutex> l(mu_);
  configs_.erase(std::string(bucket));
}

void BucketLogging::Append(std::string_view bucket, int64_t time_ns, std::string record) {
  BucketLoggingConfig config;
  {
    std::shared_lock<std::shared_mutex> l(mu_);
    auto it = configs_.find(bucket);
    if (it == configs_.end()) return;
    config = it->second.config;
  }
  const uint64_t size = record.size() + 1;
  bool wake = false;
  {
    std::lock_guard<std::mutex> l(buffer_mu_);
    if (stopping_ || buffered_bytes_ + size > options_.max_buffered_bytes) {
      ++stats_.records_dropped;
      return;
    }
    auto it = open_.find(bucket);
    if (it != open_.end() && !(it->second.config == config)) {
      // The configuration changed: what was buffered goes where it was meant to go.
      ready_.push_back(std::move(it->second));
      open_.erase(it);
      it = open_.end();
      wake = true;
    }
    if (it == open_.end()) {
      Buffer b;
      b.source = std::string(bucket);
      b.config = std::move(config);
      b.first_ns = time_ns;
      it = open_.emplace(b.source, std::move(b)).first;
      wake = true;  // a new deadline
    }
    it->second.data.append(record).push_back('\n');
    buffered_bytes_ += size;
    ++stats_.records_accepted;
    if (it->second.data.size() >= options_.flush_bytes) {
      ready_.push_back(std::move(it->second));
      open_.erase(it);
      wake = true;
    }
  }
  if (wake) wake_.notify_all();
}

void BucketLogging::TakeDue(bool all, int64_t now_ns, std::deque<Buffer>& out) {
  while (!ready_.empty()) {
    out.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
  const int64_t period_ns = int64_t{options_.flush_seconds} * 1000000000;
  for (auto it = open_.begin(); it != open_.end();) {
    if (all || (options_.flush_seconds > 0 && it->second.first_ns + period_ns <= now_ns)) {
      out.push_back(std::move(it->second));
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
}

bool BucketLogging::Deliver(Buffer& buffer) {
  const BucketLoggingConfig& config = buffer.config;
  // The target may have changed since the configuration was set: check it again, as S3 does
  // before each delivery.
  Status allowed = [&] {
    std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(buffer.source));
    return CheckTarget(buffer.source, config);
  }();
  if (!allowed.ok()) {
    Log()->warn("bucket logging: {} records of bucket {} not delivered to {}: {}",
                std::count(buffer.data.begin(), buffer.data.end(), '\n'), buffer.source,
                config.target_bucket, allowed.ToString());
    return false;
  }
  LogKeyInputs in;
  in.source_bucket = buffer.source;
  in.source_account = kAccountId;
  in.region = options_.region;
  in.event_ns = buffer.first_ns;
  in.delivery_ns = NowNs();
  const std::string unique = HexEncode(RandomBytes(8));
  in.unique = unique;
  PutObjectRequest req;
  req.bucket = config.target_bucket;
  req.key = LogObjectKey(config, in);
  req.meta.content_type = "text/plain";
  req.expected_size = buffer.data.size();
  if (!config.target_grants.empty()) {
    Acl acl;
    acl.grants.push_back(AclGrant{AclGrant::GranteeType::kCanonicalUser,
                                  std::string(kCanonicalUserId), AclPermission::kFullControl});
    for (const AclGrant& g : config.target_grants) acl.grants.push_back(g);
    req.grants = std::move(acl);
  }
  auto put = [&]() -> Status {
    MAXIOFS_ASSIGN_OR_RETURN(std::unique_ptr<ObjectWriter> w, engine_.BeginPut(req));
    MAXIOFS_RETURN_IF_ERROR(w->Append(std::span<const char>(buffer.data)));
    return w->Commit().status();
  };
  Status st = put();
  if (!st.ok() && req.grants) {
    req.grants.reset();  // the target's ACLs are off (BucketOwnerEnforced): no grants, as S3
    st = put();
  }
  if (!st.ok()) {
    Log()->warn("bucket logging: log object {}/{} of bucket {} not written: {}",
                config.target_bucket, req.key, buffer.source, st.ToString());
    return false;
  }
  return true;
}

void BucketLogging::Settle(const Buffer& buffer, bool delivered) {
  const uint64_t records = std::count(buffer.data.begin(), buffer.data.end(), '\n');
  std::lock_guard<std::mutex> g(buffer_mu_);
  buffered_bytes_ -= buffer.data.size();
  --in_flight_;
  if (delivered) {
    ++stats_.objects_delivered;
  } else {
    ++stats_.delivery_failures;
    stats_.records_dropped += records;
  }
}

void BucketLogging::Run() {
  std::unique_lock<std::mutex> l(buffer_mu_);
  for (;;) {
    std::deque<Buffer> due;
    TakeDue(stopping_, NowNs(), due);
    if (due.empty()) {
      if (stopping_) break;
      // Sleep until the earliest deadline (or a wake-up).
      int64_t next = 0;
      if (options_.flush_seconds > 0) {
        for (const auto& [name, b] : open_) {
          const int64_t at = b.first_ns + int64_t{options_.flush_seconds} * 1000000000;
          if (next == 0 || at < next) next = at;
        }
      }
      if (next == 0) {
        wake_.wait(l);
      } else {
        const int64_t wait_ns = std::max<int64_t>(next - NowNs(), 1000000);
        wake_.wait_for(l, std::chrono::nanoseconds(wait_ns));
      }
      continue;
    }
    in_flight_ += static_cast<int>(due.size());
    l.unlock();
    for (Buffer& b : due) Settle(b, Deliver(b));
    l.lock();
    settled_.notify_all();
  }
  stopped_ = true;
  settled_.notify_all();
}

Result<uint64_t> BucketLogging::Flush() {
  std::deque<Buffer> due;
  {
    std::unique_lock<std::mutex> l(buffer_mu_);
    TakeDue(/*all=*/true, NowNs(), due);
    in_flight_ += static_cast<int>(due.size());
  }
  uint64_t written = 0;
  for (Buffer& b : due) {
    const bool ok = Deliver(b);
    Settle(b, ok);
    written += ok ? 1 : 0;
  }
  // Deliveries the thread had already taken end before this returns.
  std::unique_lock<std::mutex> l(buffer_mu_);
  settled_.wait(l, [&] { return in_flight_ == 0 || stopped_; });
  return written;
}

AccessLogStats BucketLogging::Stats() const {
  std::lock_guard<std::mutex> l(buffer_mu_);
  AccessLogStats s = stats_;
  s.buffered_bytes = buffered_bytes_;
  return s;
}

}  // namespace maxiofs::engine
