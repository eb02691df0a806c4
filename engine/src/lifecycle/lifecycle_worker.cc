#include "lifecycle/lifecycle_worker.h"

#include "engine_impl.h"
#include "key_codec.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace maxiofs::engine::lifecycle {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  auto l = spdlog::get("engine");
  return l ? l : spdlog::default_logger();
}

// One chunk of a key's version records, newest first.
struct Chunk {
  std::vector<ObjectRecord> records;
  bool has_more = false;  // an older version of the key follows
  std::string next_vkey;  // its vkey, when has_more
};

// Reads up to `limit` versions of `key` starting at `start_vkey` ("" : the newest).
Result<Chunk> ReadChunk(leveldb::DB& db, std::string_view bucket, std::string_view key,
                        std::string_view start_vkey, size_t limit) {
  Chunk c;
  const std::string prefix = VersionKeyPrefix(bucket, key);
  std::unique_ptr<leveldb::Iterator> it(db.NewIterator(leveldb::ReadOptions()));
  it->Seek(start_vkey.empty() ? prefix : VersionKey(bucket, key, start_vkey));
  for (; it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    if (c.records.size() == limit) {
      c.has_more = true;
      c.next_vkey = std::string(View(it->key()).substr(prefix.size()));
      break;
    }
    MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(View(it->value())));
    c.records.push_back(std::move(r));
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "read versions for lifecycle"));
  return c;
}

std::vector<VersionView> Views(const std::vector<ObjectRecord>& records) {
  std::vector<VersionView> v;
  v.reserve(records.size());
  for (const ObjectRecord& r : records) {
    v.push_back(VersionView{r.delete_marker, r.size, r.last_modified_ns,
                            r.tags.empty() ? nullptr : &r.tags});
  }
  return v;
}

}  // namespace

// --- ConfigTable -------------------------------------------------------------------------------

void ConfigTable::Set(std::string_view bucket, LifecycleConfiguration config) {
  auto shared = std::make_shared<const LifecycleConfiguration>(std::move(config));
  std::unique_lock<std::shared_mutex> l(mu_);
  configs_[std::string(bucket)] = std::move(shared);
  count_.store(configs_.size(), std::memory_order_release);
}

void ConfigTable::Erase(std::string_view bucket) {
  std::unique_lock<std::shared_mutex> l(mu_);
  auto it = configs_.find(bucket);
  if (it != configs_.end()) configs_.erase(it);
  count_.store(configs_.size(), std::memory_order_release);
}

std::shared_ptr<const LifecycleConfiguration> ConfigTable::Get(std::string_view bucket) const {
  if (count_.load(std::memory_order_acquire) == 0) return nullptr;
  std::shared_lock<std::shared_mutex> l(mu_);
  auto it = configs_.find(bucket);
  return it == configs_.end() ? nullptr : it->second;
}

std::vector<std::string> ConfigTable::Buckets() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  std::vector<std::string> out;
  out.reserve(configs_.size());
  for (const auto& [name, c] : configs_) out.push_back(name);
  return out;
}

// --- Worker ------------------------------------------------------------------------------------

struct Worker::Candidate {
  std::string key;
  std::string start_vkey;  // "" : the key's newest version
  ChunkPlace place;
};

// What one batch did, added to the statistics once it is committed.
struct Worker::Counts {
  uint64_t objects = 0, bytes = 0, versions = 0, version_bytes = 0, markers = 0, locked = 0;
  uint64_t actions() const { return objects + versions + markers; }
};

Worker::Worker(EngineImpl& engine, const LifecycleOptions& options, const ConfigTable& configs)
    : engine_(engine),
      day_ns_(static_cast<int64_t>(std::max<uint32_t>(options.day_seconds, 1)) * 1000000000LL),
      interval_ns_(static_cast<int64_t>(options.interval_seconds) * 1000000000LL),
      configs_(configs) {}

Worker::~Worker() { Stop(); }

void Worker::Start() {
  if (interval_ns_ <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void Worker::Stop() {
  {
    std::lock_guard<std::mutex> l(wake_mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::Loop() {
  auto next = std::chrono::steady_clock::now();  // the first pass at once
  for (;;) {
    {
      std::unique_lock<std::mutex> l(wake_mu_);
      wake_.wait_until(l, next, [&] { return stop_; });
      if (stop_) return;
    }
    next = std::chrono::steady_clock::now() + std::chrono::nanoseconds(interval_ns_);
    Result<uint64_t> done = RunPass(NowNs());  // failures are logged and counted by it
    static_cast<void>(done);
  }
}

Result<uint64_t> Worker::RunPass(int64_t now_ns) {
  std::lock_guard<std::mutex> run(run_mu_);
  const auto started = std::chrono::steady_clock::now();
  uint64_t actions = 0;
  for (const std::string& bucket : configs_.Buckets()) {
    {
      std::lock_guard<std::mutex> l(wake_mu_);
      if (stop_) break;
    }
    Result<uint64_t> n = ProcessBucket(bucket, now_ns);
    if (n.has_value()) {
      actions += *n;
    } else if (!n.error().IsNoSuchBucket()) {
      errors_.fetch_add(1, std::memory_order_relaxed);
      Log()->warn("lifecycle: bucket={} failed: {} (retried next pass)", bucket,
                  n.error().ToString());
    }
  }
  const int64_t took = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  last_pass_duration_ns_.store(took, std::memory_order_relaxed);
  last_pass_end_ns_.store(NowNs(), std::memory_order_relaxed);
  passes_.fetch_add(1, std::memory_order_relaxed);
  if (actions > 0) {
    Log()->info("lifecycle pass: actions={} duration_ms={:.1f}", actions, took / 1e6);
  }
  return actions;
}

Result<uint64_t> Worker::ProcessBucket(const std::string& bucket, int64_t now_ns) {
  Cursor cursor;
  cursor.pass_start_ns = now_ns;
  std::string saved;
  leveldb::Status ls = engine_.db().Get(leveldb::ReadOptions(), LifecycleCursorKey(bucket), &saved);
  if (ls.ok()) {
    MAXIOFS_ASSIGN_OR_RETURN(cursor, DecodeCursor(saved));  // a pass cut short: resume it
  } else if (!ls.IsNotFound()) {
    return FromLevelDb(ls, "read lifecycle cursor");
  }
  uint64_t actions = 0;
  while (cursor.phase == Cursor::Phase::kVersions) {
    // The rules may change between slices: each slice uses the current ones.
    std::shared_ptr<const LifecycleConfiguration> config = configs_.Get(bucket);
    if (!config) return actions;
    {
      std::lock_guard<std::mutex> l(wake_mu_);
      if (stop_) return actions;  // the cursor says where to resume
    }
    std::vector<Candidate> candidates;
    bool done = false;
    const Cursor before = cursor;
    const auto step_started = std::chrono::steady_clock::now();
    const uint64_t commits_before = engine_.CommitCount();
    MAXIOFS_RETURN_IF_ERROR(Scan(bucket, *config, now_ns, &cursor, &candidates, &done));
    if (done) {
      cursor.phase = Cursor::Phase::kUploads;
      cursor.key.clear();
      cursor.vkey.clear();
    }
    if (!candidates.empty()) {
      MAXIOFS_ASSIGN_OR_RETURN(uint64_t n, Apply(bucket, *config, now_ns, candidates, cursor));
      actions += n;
    } else if (!(cursor == before)) {
      MAXIOFS_RETURN_IF_ERROR(SaveCursor(bucket, cursor));
    }
    // Apply and SaveCursor commit one batch each.
    if (!YieldToForeground(step_started, commits_before, 1)) return actions;
  }
  if (std::shared_ptr<const LifecycleConfiguration> config = configs_.Get(bucket)) {
    MAXIOFS_ASSIGN_OR_RETURN(uint64_t n, AbortUploads(bucket, *config, now_ns));
    actions += n;
  }
  leveldb::WriteBatch batch;
  batch.Delete(LifecycleCursorKey(bucket));
  MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(&batch, RefChanges{}, /*durable=*/false));
  return actions;
}

Status Worker::Scan(const std::string& bucket, const LifecycleConfiguration& config, int64_t now_ns,
                    Cursor* cursor, std::vector<Candidate>* out, bool* done) {
  const std::string base = VersionBucketPrefix(bucket);
  leveldb::ReadOptions ro;
  ro.fill_cache = false;  // a pass over every key must not evict the hot working set
  std::unique_ptr<leveldb::Iterator> it(engine_.db().NewIterator(ro));
  if (cursor->key.empty()) {
    it->Seek(base);
  } else if (!cursor->vkey.empty()) {
    it->Seek(VersionKey(bucket, cursor->key, cursor->vkey));
  } else {
    it->Seek(base + cursor->key + '\x01');  // past every version of the key
  }
  size_t chunks = 0;
  while (it->Valid() && View(it->key()).starts_with(base)) {
    std::string_view tail = View(it->key()).substr(base.size());
    std::string_view key_view, vkey_view;
    if (!SplitVersionTail(tail, &key_view, &vkey_view)) {
      return Status::Corruption("malformed version key");
    }
    const std::string key(key_view);
    if (!AnyRuleMayMatch(config, key)) {
      cursor->key = key;
      cursor->vkey.clear();
      it->Seek(base + key + '\x01');
    } else {
      Candidate c;
      c.key = key;
      const bool resumed = key == cursor->key && !cursor->vkey.empty() && vkey_view == cursor->vkey;
      if (resumed) {
        c.start_vkey = cursor->vkey;
        c.place.first = false;
        c.place.newer_count = cursor->newer_count;
        c.place.successor_mtime_ns = cursor->successor_mtime_ns;
      }
      const std::string prefix = base + key + '\0';
      std::vector<ObjectRecord> records;
      bool has_more = false;
      std::string next_vkey;
      for (; it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
        if (records.size() == limits_.chunk_versions) {
          has_more = true;
          next_vkey = std::string(View(it->key()).substr(prefix.size()));
          break;
        }
        MAXIOFS_ASSIGN_OR_RETURN(ObjectRecord r, DecodeObjectRecord(View(it->value())));
        records.push_back(std::move(r));
      }
      MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan versions for lifecycle"));
      c.place.last = !has_more;
      const std::vector<VersionView> views = Views(records);
      if (!EvaluateKey(config, key, views, c.place, now_ns, day_ns_).empty()) {
        out->push_back(c);
      }
      cursor->key = key;
      if (has_more) {
        cursor->vkey = next_vkey;
        cursor->newer_count =
            (c.place.first ? records.size() - 1 : c.place.newer_count + records.size());
        cursor->successor_mtime_ns = views.back().mtime_ns;  // `it` is at next_vkey
      } else {
        cursor->vkey.clear();
      }
    }
    ++chunks;
    if (out->size() >= limits_.batch_keys || chunks >= limits_.slice_keys) {
      return FromLevelDb(it->status(), "scan versions for lifecycle");
    }
  }
  MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan versions for lifecycle"));
  *done = true;
  return Status::OK();
}

bool Worker::YieldToForeground(std::chrono::steady_clock::time_point started,
                               uint64_t commits_before, uint64_t own_commits) {
  if (limits_.yield <= 0 || engine_.CommitCount() - commits_before <= own_commits) return true;
  const auto took = std::chrono::steady_clock::now() - started;
  const auto pause = std::min<std::chrono::steady_clock::duration>(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(took * limits_.yield),
      std::chrono::milliseconds(limits_.max_pause_ms));
  std::unique_lock<std::mutex> l(wake_mu_);
  return !wake_.wait_for(l, pause, [&] { return stop_; });
}

Result<uint64_t> Worker::Apply(const std::string& bucket, const LifecycleConfiguration& config,
                               int64_t now_ns, const std::vector<Candidate>& candidates,
                               const Cursor& cursor) {
  std::vector<LifecycleEvent> events;
  std::vector<std::string> changed_keys;
  std::vector<std::string> unreferenced;  // blobs to delete once the locks are released
  Counts counts;
  {
    std::shared_lock<std::shared_mutex> bl(engine_.BucketLock(bucket));
    MAXIOFS_ASSIGN_OR_RETURN(BucketRecord b, engine_.LoadBucket(bucket));
    std::vector<size_t> stripes;
    for (const Candidate& c : candidates) stripes.push_back(engine_.KeyStripe(bucket, c.key));
    StripeGuard<EngineImpl::kKeyStripes> guard(engine_.key_locks(), std::move(stripes));
    leveldb::WriteBatch batch;
    RefChanges refs;
    const int64_t real_now = NowNs();  // locks are judged by the clock, never by `now_ns`
    for (const Candidate& c : candidates) {
      // Decide again from the live records: they may have changed since the scan.
      MAXIOFS_ASSIGN_OR_RETURN(Chunk chunk, ReadChunk(engine_.db(), bucket, c.key, c.start_vkey,
                                                      limits_.chunk_versions));
      if (chunk.records.empty()) continue;
      if (!c.start_vkey.empty() && chunk.records.front().vkey != c.start_vkey) continue;
      ChunkPlace place = c.place;
      place.last = !chunk.has_more;
      const std::vector<VersionView> views = Views(chunk.records);
      const std::vector<Decision> decisions =
          EvaluateKey(config, c.key, views, place, now_ns, day_ns_);
      if (decisions.empty()) continue;
      const std::vector<ObjectRecord>& recs = chunk.records;
      if (decisions.front().kind == Decision::Kind::kExpireCurrent) {
        const ObjectRecord& cur = recs.front();
        if (b.versioning == VersioningState::kUnversioned) {
          if (!CheckRemovable(cur, false, real_now).ok()) {
            ++counts.locked;
            continue;
          }
          MAXIOFS_RETURN_IF_ERROR(
              engine_.StageRemoveVersions(bucket, c.key, {&cur}, &batch, &refs));
          events.push_back({LifecycleEvent::Action::kObjectExpired, bucket, c.key, cur.version_id(),
                            decisions.front().rule_id, cur.size});
        } else {
          MAXIOFS_ASSIGN_OR_RETURN(
              VersionState vs,
              engine_.LoadVersionState(bucket, c.key, b.versioning != VersioningState::kEnabled));
          if (vs.null_version && b.versioning == VersioningState::kSuspended &&
              !CheckRemovable(*vs.null_version, false, real_now).ok()) {
            ++counts.locked;  // the null delete marker would replace a locked null version
            continue;
          }
          ObjectRecord marker;
          marker.delete_marker = true;
          MAXIOFS_RETURN_IF_ERROR(
              engine_.StageNewVersion(b, bucket, c.key, vs, &marker, &batch, &refs));
          events.push_back({LifecycleEvent::Action::kDeleteMarkerAdded, bucket, c.key,
                            marker.version_id(), decisions.front().rule_id, 0});
        }
        ++counts.objects;
        counts.bytes += cur.size;
        changed_keys.push_back(c.key);
        continue;
      }
      std::vector<const ObjectRecord*> remove;
      const Decision* marker_decision = nullptr;
      bool skipped = false;
      for (const Decision& d : decisions) {
        if (d.kind == Decision::Kind::kRemoveDeleteMarker) {
          marker_decision = &d;
          continue;
        }
        const ObjectRecord& v = recs[d.index];
        if (!CheckRemovable(v, false, real_now).ok()) {
          ++counts.locked;
          skipped = true;
          continue;
        }
        remove.push_back(&v);
        ++counts.versions;
        counts.version_bytes += v.delete_marker ? 0 : v.size;
        events.push_back({LifecycleEvent::Action::kVersionExpired, bucket, c.key, v.version_id(),
                          d.rule_id, v.delete_marker ? 0 : v.size});
      }
      // The marker is expired only when every other version goes with it.
      if (marker_decision && !skipped) {
        remove.push_back(&recs.front());
        ++counts.markers;
        events.push_back({LifecycleEvent::Action::kDeleteMarkerRemoved, bucket, c.key,
                          recs.front().version_id(), marker_decision->rule_id, 0});
      }
      if (remove.empty()) continue;
      MAXIOFS_RETURN_IF_ERROR(engine_.StageRemoveVersions(bucket, c.key, remove, &batch, &refs));
      changed_keys.push_back(c.key);
    }
    batch.Put(LifecycleCursorKey(bucket), EncodeCursor(cursor));
    for (const LifecycleEvent& e : events) {
      if (e.action == LifecycleEvent::Action::kUploadAborted) continue;  // not an S3 event
      const bool marker_added = e.action == LifecycleEvent::Action::kDeleteMarkerAdded;
      refs.events.push_back(EventDraft{
          marker_added ? "LifecycleExpiration:DeleteMarkerCreated" : "LifecycleExpiration:Delete",
          e.bucket, e.key, false, 0, "", e.version_id, RequestOrigin{"s3.amazonaws.com", "", ""}});
    }
    MAXIOFS_RETURN_IF_ERROR(engine_.CommitWithRefs(&batch, refs, /*durable=*/true, &unreferenced));
  }
  engine_.DeleteUnreferencedBlobs(unreferenced);
  objects_expired_.fetch_add(counts.objects, std::memory_order_relaxed);
  bytes_expired_.fetch_add(counts.bytes, std::memory_order_relaxed);
  versions_expired_.fetch_add(counts.versions, std::memory_order_relaxed);
  version_bytes_expired_.fetch_add(counts.version_bytes, std::memory_order_relaxed);
  markers_removed_.fetch_add(counts.markers, std::memory_order_relaxed);
  locked_skipped_.fetch_add(counts.locked, std::memory_order_relaxed);
  for (const std::string& key : changed_keys) {
    engine_.Publish(ChangeEvent::Kind::kObjectRemoved, bucket, key);
  }
  Notify(events);
  if (after_batch_) after_batch_();
  return counts.actions();
}

Result<uint64_t> Worker::AbortUploads(const std::string& bucket,
                                      const LifecycleConfiguration& config, int64_t now_ns) {
  if (std::none_of(config.rules.begin(), config.rules.end(), [](const LifecycleRule& r) {
        return r.enabled && r.abort_incomplete_upload_days;
      })) {
    return uint64_t{0};
  }
  struct Victim {
    std::string key, id, rule;
  };
  std::vector<Victim> victims;
  const std::string base = UploadBucketPrefix(bucket);
  {
    std::unique_ptr<leveldb::Iterator> it(engine_.db().NewIterator(leveldb::ReadOptions()));
    for (it->Seek(base); it->Valid() && View(it->key()).starts_with(base); it->Next()) {
      std::string_view key, id;
      if (!SplitUploadTail(View(it->key()).substr(base.size()), &key, &id)) {
        return Status::Corruption("malformed upload key");
      }
      MAXIOFS_ASSIGN_OR_RETURN(UploadRecord r, DecodeUploadRecord(View(it->value())));
      if (auto rule = AbortUploadRule(config, key, r.initiated_ns, now_ns, day_ns_)) {
        victims.push_back({std::string(key), std::string(id), std::move(*rule)});
      }
    }
    MAXIOFS_RETURN_IF_ERROR(FromLevelDb(it->status(), "scan uploads for lifecycle"));
  }
  uint64_t n = 0;
  std::vector<LifecycleEvent> events;
  for (const Victim& v : victims) {
    Status st = engine_.AbortMultipartUpload(bucket, v.key, v.id);
    if (st.code() == Status::Code::kNoSuchUpload) continue;  // completed or aborted meanwhile
    MAXIOFS_RETURN_IF_ERROR(st);
    ++n;
    events.push_back({LifecycleEvent::Action::kUploadAborted, bucket, v.key, v.id, v.rule, 0});
  }
  uploads_aborted_.fetch_add(n, std::memory_order_relaxed);
  Notify(events);
  return n;
}

Status Worker::SaveCursor(const std::string& bucket, const Cursor& cursor) {
  // Not synced: a cursor lost with the power only makes the pass redo some reading.
  leveldb::WriteBatch batch;
  batch.Put(LifecycleCursorKey(bucket), EncodeCursor(cursor));
  return engine_.CommitWithRefs(&batch, RefChanges{}, /*durable=*/false);
}

void Worker::Notify(const std::vector<LifecycleEvent>& events) {
  if (events.empty()) return;
  std::shared_lock<std::shared_mutex> l(listeners_mu_);
  for (LifecycleListener* listener : listeners_) {
    for (const LifecycleEvent& e : events) listener->OnLifecycle(e);
  }
}

LifecycleStats Worker::Stats() const {
  LifecycleStats s;
  s.objects_expired = objects_expired_.load(std::memory_order_relaxed);
  s.bytes_expired = bytes_expired_.load(std::memory_order_relaxed);
  s.versions_expired = versions_expired_.load(std::memory_order_relaxed);
  s.version_bytes_expired = version_bytes_expired_.load(std::memory_order_relaxed);
  s.delete_markers_removed = markers_removed_.load(std::memory_order_relaxed);
  s.uploads_aborted = uploads_aborted_.load(std::memory_order_relaxed);
  s.locked_skipped = locked_skipped_.load(std::memory_order_relaxed);
  s.passes = passes_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.last_pass_duration_ns = last_pass_duration_ns_.load(std::memory_order_relaxed);
  s.last_pass_end_ns = last_pass_end_ns_.load(std::memory_order_relaxed);
  return s;
}

void Worker::Subscribe(LifecycleListener* listener) {
  std::unique_lock<std::shared_mutex> l(listeners_mu_);
  listeners_.push_back(listener);
}

void Worker::Unsubscribe(LifecycleListener* listener) {
  std::unique_lock<std::shared_mutex> l(listeners_mu_);
  std::erase(listeners_, listener);
}

}  // namespace maxiofs::engine::lifecycle
