#include "event_queue.h"

#include "../engine_impl.h"
#include "../key_codec.h"
#include "notify_config.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace maxiofs::engine {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}

constexpr char kEntryFormat = 0x01;

std::string EncodeEntry(int64_t enqueued_ns, std::string_view message) {
  std::string v;
  v.reserve(9 + message.size());
  v.push_back(kEntryFormat);
  const auto t = static_cast<uint64_t>(enqueued_ns);
  for (int i = 0; i < 8; ++i) v.push_back(static_cast<char>(t >> (8 * i)));
  v.append(message);
  return v;
}

// False when damaged.
bool DecodeEntry(std::string_view v, int64_t* enqueued_ns, std::string_view* message) {
  if (v.size() < 9 || v[0] != kEntryFormat) return false;
  uint64_t t = 0;
  for (int i = 0; i < 8; ++i)
    t |= static_cast<uint64_t>(static_cast<unsigned char>(v[1 + i])) << (8 * i);
  *enqueued_ns = static_cast<int64_t>(t);
  *message = v.substr(9);
  return true;
}

uint64_t SeqOf(std::string_view key) {
  uint64_t seq = 0;
  for (char c : key.substr(key.size() - 8)) seq = (seq << 8) | static_cast<unsigned char>(c);
  return seq;
}

bool ValidTargetName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

}  // namespace

Notifications::Notifications(leveldb::DB* db, EngineImpl& engine, NotifyOptions options)
    : db_(db), engine_(engine), options_(std::move(options)) {}

Notifications::~Notifications() { Stop(); }

Status Notifications::Load() {
  std::map<std::string, NotificationConfiguration, std::less<>> all;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  const std::string prefix = AccessKeyPrefix(kAccessNotifyKind);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string bucket = it->key().ToString().substr(prefix.size());
    MAXIOFS_ASSIGN_OR_RETURN(NotificationConfiguration c,
                             DecodeNotificationConfiguration(View(it->value())));
    all.emplace(bucket, std::move(c));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "load bucket notifications"));
  // The queue: entries per target, and the highest sequence number in use.
  uint64_t max_seq = 0;
  const std::string qprefix(1, kEventTag);
  for (it->Seek(qprefix); it->Valid() && it->key().starts_with(qprefix); it->Next()) {
    const std::string_view k = View(it->key());
    const size_t nul = k.find('\0', 1);
    if (nul == std::string_view::npos || k.size() != nul + 9) {
      return Status::Corruption("a queued event's key is damaged");
    }
    ++loaded_counts_[std::string(k.substr(1, nul - 1))];
    max_seq = std::max(max_seq, SeqOf(k));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "load queued events"));
  next_seq_.store(max_seq + 1);
  std::unique_lock<std::shared_mutex> l(mu_);
  configs_ = std::move(all);
  any_config_.store(!configs_.empty());
  return Status::OK();
}

Status Notifications::Start(std::vector<std::unique_ptr<NotificationTarget>> targets) {
  if (started_.load()) return Status::InvalidRequest("notifications are already started");
  for (auto& t : targets) {
    if (!t || !ValidTargetName(t->name())) {
      return Status::InvalidArgument("a notification target's name must be 1-64 of [A-Za-z0-9_.-]");
    }
    if (queues_.count(t->name()) != 0) {
      queues_.clear();
      return Status::InvalidArgument("two notification targets are named " + t->name());
    }
    auto q = std::make_unique<TargetQueue>();
    q->name = t->name();
    q->prefix = EventKeyPrefix(q->name);
    q->stats.name = q->name;
    q->stats.type = std::string(t->type());
    q->stats.latency_buckets.assign(std::size(kNotifyLatencyBoundsMs), 0);
    q->target = std::move(t);
    auto found = loaded_counts_.find(q->name);
    if (found != loaded_counts_.end()) {
      q->count = found->second;
      loaded_counts_.erase(found);
    }
    q->stats.queued = q->count;
    queues_.emplace(q->name, std::move(q));
  }
  for (const auto& [name, count] : loaded_counts_) DropOrphans(name, count);
  loaded_counts_.clear();
  started_.store(true);
  for (auto& [name, q] : queues_) {
    TargetQueue* raw = q.get();
    q->thread = std::thread([this, raw] { Run(raw); });
  }
  return Status::OK();
}

void Notifications::DropOrphans(const std::string& name, uint64_t count) {
  Log()->error("notify: {} queued event(s) for target '{}' dropped: no such target is configured",
               count, name);
  const std::string prefix = EventKeyPrefix(name);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  leveldb::WriteBatch batch;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    batch.Delete(it->key());
  }
  leveldb::Status s = db_->Write(leveldb::WriteOptions(), &batch);
  if (!s.ok()) Log()->error("notify: dropping the events of target '{}': {}", name, s.ToString());
}

void Notifications::Stop() {
  if (stopping_.exchange(true)) return;
  for (auto& [name, q] : queues_) {
    { std::lock_guard<std::mutex> l(q->mu); }
    q->wake.notify_all();
  }
  for (auto& [name, q] : queues_) {
    if (q->thread.joinable()) q->thread.join();
  }
}

Status Notifications::Put(std::string_view bucket, NotificationConfiguration config,
                          const RequestOrigin& origin) {
  std::set<std::string, std::less<>> names;
  if (started_.load()) {
    for (const auto& [name, q] : queues_) names.insert(name);
  }
  MAXIOFS_RETURN_IF_ERROR(ValidateNotificationConfiguration(&config, names));
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckWritable());
  std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(bucket));
  std::lock_guard<std::mutex> wl(write_mu_);
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  leveldb::WriteBatch batch;
  std::vector<Staged> staged;
  if (config.rules.empty()) {
    batch.Delete(AccessKey(kAccessNotifyKind, bucket));
  } else {
    batch.Put(AccessKey(kAccessNotifyKind, bucket), EncodeNotificationConfiguration(config));
    // S3 sends a test event to each destination of the new configuration.
    const int64_t now = NowNs();
    const std::string message = BuildTestEventMessage(bucket, origin, now);
    std::set<std::string> sent;
    for (const NotificationRule& r : config.rules) {
      const std::string name = NotificationTargetName(r.arn);
      if (!sent.insert(name).second) continue;
      TargetQueue* q = queues_.find(name)->second.get();  // validated above
      const uint64_t seq = next_seq_.fetch_add(1);
      batch.Put(EventKey(name, seq), EncodeEntry(now, message));
      staged.push_back({q, seq});
    }
  }
  MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(&batch, RefChanges{}));
  Committed(staged);
  std::unique_lock<std::shared_mutex> l(mu_);
  if (config.rules.empty()) {
    configs_.erase(std::string(bucket));
  } else {
    configs_[std::string(bucket)] = std::move(config);
  }
  any_config_.store(!configs_.empty());
  return Status::OK();
}

Result<NotificationConfiguration> Notifications::Get(std::string_view bucket) {
  MAXIOFS_RETURN_IF_ERROR(engine_.CheckBucketExists(bucket));
  std::shared_lock<std::shared_mutex> l(mu_);
  auto it = configs_.find(bucket);
  if (it == configs_.end()) return NotificationConfiguration{};
  return it->second;
}

void Notifications::ForgetBucket(std::string_view bucket) {
  std::unique_lock<std::shared_mutex> l(mu_);
  configs_.erase(std::string(bucket));
  any_config_.store(!configs_.empty());
}

bool Notifications::HasRules(std::string_view bucket) const {
  if (!any_config_.load(std::memory_order_relaxed)) return false;
  std::shared_lock<std::shared_mutex> l(mu_);
  return configs_.find(bucket) != configs_.end();
}

std::vector<NotificationTargetStats> Notifications::Stats() const {
  std::vector<NotificationTargetStats> out;
  if (!started_.load()) return out;
  for (const auto& [name, q] : queues_) {
    std::lock_guard<std::mutex> l(q->mu);
    out.push_back(q->stats);
    out.back().queued = q->count;
  }
  return out;
}

void Notifications::Stage(const std::vector<EventDraft>& drafts, leveldb::WriteBatch* batch,
                          std::vector<Staged>* staged) {
  if (drafts.empty() || !any_config_.load(std::memory_order_relaxed) || !started_.load()) return;
  std::shared_lock<std::shared_mutex> l(mu_);
  const int64_t now = NowNs();
  for (const EventDraft& d : drafts) {
    auto it = configs_.find(d.bucket);
    if (it == configs_.end()) continue;
    const std::string name = "s3:" + d.name;
    std::set<std::string, std::less<>> sent;  // one message per target and change
    for (const NotificationRule& r : it->second.rules) {
      if (!NotificationRuleMatches(r, name, d.key)) continue;
      std::string target = NotificationTargetName(r.arn);
      auto q = queues_.find(target);
      if (q == queues_.end()) continue;  // a target removed from the server's config since
      if (!sent.insert(target).second) continue;
      const uint64_t seq = next_seq_.fetch_add(1);
      EventContext ctx{options_.region, r.id, seq, now};
      batch->Put(EventKey(target, seq), EncodeEntry(now, BuildEventMessage(d, ctx)));
      staged->push_back({q->second.get(), seq});
    }
  }
}

void Notifications::Committed(const std::vector<Staged>& staged) {
  for (const Staged& s : staged) {
    TargetQueue* q = s.queue;
    {
      std::lock_guard<std::mutex> l(q->mu);
      ++q->count;
      ++q->stats.enqueued;
      if (s.seq <= q->cursor) q->cursor = s.seq - 1;
      if (q->count > options_.queue_limit) TrimLocked(q);
    }
    q->wake.notify_one();
  }
}

void Notifications::TrimLocked(TargetQueue* q) {
  const uint64_t excess = q->count - options_.queue_limit;
  leveldb::WriteBatch batch;
  uint64_t n = 0;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(q->prefix); n < excess && it->Valid() && it->key().starts_with(q->prefix);
       it->Next()) {
    if (SeqOf(View(it->key())) == q->in_flight) continue;
    batch.Delete(it->key());
    ++n;
  }
  leveldb::Status s = db_->Write(leveldb::WriteOptions(), &batch);
  if (!s.ok()) {
    Log()->error("notify: target '{}': dropping events failed: {}", q->name, s.ToString());
    return;
  }
  q->count -= n;
  q->stats.dropped += n;
  q->dropped_since_log += n;
  const int64_t now = NowNs();
  if (now - q->last_drop_log_ns >= 1'000'000'000) {
    Log()->error(
        "notify: target '{}' queue is full ({} events, notify.queue_limit): dropped the {} "
        "oldest event(s) ({} dropped since start)",
        q->name, options_.queue_limit, q->dropped_since_log, q->stats.dropped);
    q->dropped_since_log = 0;
    q->last_drop_log_ns = now;
  }
}

std::chrono::milliseconds Notifications::Backoff(uint32_t attempt) {
  uint64_t ms = options_.retry_min_ms;
  for (uint32_t i = 1; i < attempt && ms < options_.retry_max_ms; ++i) ms *= 2;
  ms = std::min<uint64_t>(ms, options_.retry_max_ms);
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  return std::chrono::milliseconds(static_cast<int64_t>(static_cast<double>(ms) * jitter(rng)));
}

void Notifications::Run(TargetQueue* q) {
  std::unique_lock<std::mutex> l(q->mu);
  while (!stopping_.load()) {
    if (q->count == 0) {
      q->wake.wait(l, [&] { return stopping_.load() || q->count > 0; });
      continue;
    }
    if (std::chrono::steady_clock::now() < q->retry_at) {
      q->wake.wait_until(l, q->retry_at, [&] { return stopping_.load(); });
      continue;
    }
    // The next entry after the cursor.
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    it->Seek(EventKey(q->name, q->cursor + 1));
    if (!it->Valid() || !it->key().starts_with(q->prefix)) {
      if (!it->status().ok()) {
        Log()->error("notify: target '{}': reading the queue: {}", q->name,
                     it->status().ToString());
        q->retry_at = std::chrono::steady_clock::now() + Backoff(++q->attempt);
      } else if (q->cursor > 0) {
        q->cursor = 0;  // look from the start once (an entry may sit before the cursor)
      } else {
        q->count = 0;  // nothing is queued after all
      }
      continue;
    }
    const std::string key = it->key().ToString();
    const std::string value = it->value().ToString();
    it.reset();
    const uint64_t seq = SeqOf(key);
    int64_t enqueued_ns = 0;
    std::string_view message;
    if (!DecodeEntry(value, &enqueued_ns, &message)) {
      Log()->error("notify: target '{}': a queued event is damaged; dropped", q->name);
      leveldb::WriteBatch del;
      del.Delete(key);
      if (db_->Write(leveldb::WriteOptions(), &del).ok()) {
        --q->count;
        ++q->stats.dropped;
      }
      q->cursor = seq;
      continue;
    }
    q->in_flight = seq;
    l.unlock();
    const Status sent = q->target->Send(message);
    l.lock();
    q->in_flight = 0;
    if (!sent.ok()) {
      ++q->stats.failed;
      if (++q->attempt == 1 || q->attempt % 20 == 0) {
        Log()->warn("notify: target '{}' ({}): delivery failed (attempt {}), will retry: {}",
                    q->name, q->stats.type, q->attempt, sent.ToString());
      }
      q->retry_at = std::chrono::steady_clock::now() + Backoff(q->attempt);
      continue;
    }
    if (q->attempt > 0) {
      Log()->info("notify: target '{}' is delivering again after {} failed attempt(s)", q->name,
                  q->attempt);
    }
    q->attempt = 0;
    q->retry_at = {};
    q->cursor = seq;
    // Not synced: a crash may lose the deletion and send the event again (at least once).
    leveldb::WriteBatch del;
    del.Delete(key);
    leveldb::Status s = db_->Write(leveldb::WriteOptions(), &del);
    if (!s.ok())
      Log()->error("notify: target '{}': deleting a sent event: {}", q->name, s.ToString());
    // A concurrent trim may have counted this entry already only if it was not in flight.
    if (q->count > 0) --q->count;
    ++q->stats.delivered;
    const int64_t latency_ns = std::max<int64_t>(0, NowNs() - enqueued_ns);
    ++q->stats.latency_count;
    q->stats.latency_sum_us += static_cast<uint64_t>(latency_ns / 1000);
    const double ms = static_cast<double>(latency_ns) / 1e6;
    for (size_t i = 0; i < std::size(kNotifyLatencyBoundsMs); ++i) {
      if (ms <= kNotifyLatencyBoundsMs[i]) ++q->stats.latency_buckets[i];
    }
  }
}

}  // namespace maxiofs::engine
