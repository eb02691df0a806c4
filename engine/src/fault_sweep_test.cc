// The fault sweep (issue 23): every mutation is run again and again with I/O call k = 1, 2, 3,
// ... failing (LevelDB's fault_injection_test, SQLite's I/O error tests), counting the calls
// of LevelDB's Env (fault_env.h) and of the blob store (fault_blob_store.h) on one FaultPlan,
// until the operation runs without meeting its fault. After each failure:
//   - the call answered an error (it never claims a success it did not have);
//   - the engine still open, and a reopened one, show either the whole old state or the whole
//     new one (contents, versions, uploads, settings), listings agree with GETs and HEADs, and
//     the usage counters agree with the records;
//   - after the reopen no blob is left that no record references, no intent is left, and the
//     store's tmp/ is empty;
//   - everything acknowledged before the operation is still there (it is part of both states).
// The power-loss mode also drops every byte LevelDB had not synced before the reopen:
// acknowledged writes must survive it, and an acknowledged operation must show its new state.
#include "engine_testing.h"
#include "fault_env.h"
#include "key_codec.h"
#include "no_wait_env.h"
#include "test_util.h"

#include "maxiofs/backends/fault_blob_store.h"
#include "maxiofs/backends/fs_blob_store.h"
#include "maxiofs/engine/iam.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace maxiofs::engine {
namespace {

namespace fs = std::filesystem;
using Plan = backends::FaultPlan;

constexpr uint64_t kInline = 1024;   // bodies up to this are inline in LevelDB
constexpr uint64_t kMinPart = 1024;  // multipart's minimum size of a non-last part
constexpr uint64_t kMaxCalls = 200;  // no operation here makes this many I/O calls
constexpr int64_t kSec = 1'000'000'000;
// Fixed retention dates, so that every run's states compare equal.
constexpr int64_t kYear2100 = 4'102'444'800 * kSec;

// A data dir on tmpfs when there is a roomy one: the sweep opens hundreds of engines, and
// every acknowledged write is an fsync. (Roomy: a small /dev/shm, as containers have, would
// fall under the engine's metadata reserve, space_reserve.h, and refuse the PUTs.)
fs::path SweepBase() {
  std::error_code ec;
  const fs::space_info shm = fs::space("/dev/shm", ec);
  if (!ec && ::access("/dev/shm", W_OK) == 0 && shm.available >= (256ull << 20)) {
    return "/dev/shm";
  }
  return fs::temp_directory_path();
}

class SweepDir {
 public:
  SweepDir() {
    std::error_code ec;
    static const fs::path base = SweepBase();
    path_ = base / ("maxiofs-sweep-" + backends::NewBlobId());
    fs::create_directories(path_, ec);
  }
  ~SweepDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string Hash(std::string_view s) { return std::to_string(std::hash<std::string_view>{}(s)); }

// What a scenario's operation leaves behind, in a form that does not depend on the random
// version and upload ids: compared between runs.
std::string Observe(Engine& e) {
  std::string out;
  auto users = e.iam().ListUsers();
  if (!users.has_value()) return "ListUsers: " + users.error().ToString();
  for (const UserInfo& u : *users) {
    auto keys = e.iam().ListAccessKeys(u.name);
    out += "user " + u.name +
           " keys=" + (keys.has_value() ? std::to_string(keys->size()) : keys.error().ToString()) +
           "\n";
  }
  auto buckets = e.ListBuckets();
  if (!buckets.has_value()) return "ListBuckets: " + buckets.error().ToString();
  for (const BucketInfo& b : *buckets) {
    out +=
        "bucket " + b.name + " versioning=" + std::to_string(static_cast<int>(b.versioning)) + "\n";
    // Current objects: the listing, each GET and HEAD agreeing with it.
    ListObjectsRequest lr;
    lr.bucket = b.name;
    auto list = e.ListObjects(lr);
    if (!list.has_value()) return out + "ListObjects: " + list.error().ToString();
    for (const ObjectInfo& o : list->objects) {
      auto body = Get(e, b.name, o.key);
      auto head = e.HeadObject(HeadReq(b.name, o.key));
      if (!body.has_value()) {
        out += " GET " + o.key + " failed: " + body.error().ToString() + "\n";
        continue;
      }
      EXPECT_EQ(body->size(), o.size) << b.name << "/" << o.key << ": listing and GET differ";
      EXPECT_TRUE(head.has_value() && head->etag == o.etag && head->size == o.size)
          << b.name << "/" << o.key << ": listing and HEAD differ";
      out += " object " + o.key + " size=" + std::to_string(o.size) + " etag=" + o.etag +
             " data=" + Hash(*body) + "\n";
    }
    ListVersionsRequest vr;
    vr.bucket = b.name;
    auto versions = e.ListObjectVersions(vr);
    if (!versions.has_value()) return out + "ListObjectVersions: " + versions.error().ToString();
    for (const ObjectInfo& v : versions->versions) {
      out += " version " + v.key + (v.delete_marker ? " marker" : " etag=" + v.etag);
      if (!v.delete_marker) {
        GetObjectRequest g;
        g.bucket = b.name;
        g.key = v.key;
        g.version_id = v.version_id;
        auto r = e.GetObject(g);
        auto body = r.has_value() ? ReadAll(**r) : Result<std::string>(r.error());
        out +=
            body.has_value() ? " data=" + Hash(*body) : " GET failed: " + body.error().ToString();
      }
      out += "\n";
    }
    ListUploadsRequest ur;
    ur.bucket = b.name;
    auto uploads = e.ListMultipartUploads(ur);
    if (!uploads.has_value()) return out + "ListUploads: " + uploads.error().ToString();
    for (const UploadInfo& u : uploads->uploads) {
      out += " upload " + u.key;
      ListPartsRequest pr;
      pr.bucket = b.name;
      pr.key = u.key;
      pr.upload_id = u.upload_id;
      auto parts = e.ListParts(pr);
      if (!parts.has_value()) return out + " ListParts: " + parts.error().ToString();
      for (const PartInfo& p : parts->parts) {
        out += " part" + std::to_string(p.part_number) + "=" + p.etag;
      }
      out += "\n";
    }
    auto tags = e.GetBucketTagging(b.name);
    out += " tags:";
    if (tags.has_value()) {
      for (const Tag& t : *tags) out += " " + t.key + "=" + t.value;
    }
    auto acl = e.iam().GetBucketAcl(b.name);
    out += acl.has_value() ? " acl-grants=" + std::to_string(acl->grants.size()) : " acl-error";
    if (b.object_lock_enabled) {
      auto ret = e.GetObjectRetention(b.name, "k", "");
      out += ret.has_value() ? " retention=" + std::to_string(ret->retain_until_ns)
                             : " retention=none";
    }
    out += "\n";
    auto usage = e.VerifyBucketUsage(b.name, false);
    EXPECT_TRUE(usage.has_value() && usage->matches())
        << b.name << ": usage counters disagree with the records";
  }
  return out;
}

// Blobs in the store that no reference count names, intents left, and tmp/ files. REQUIRES: no
// engine open on `dir`.
std::string Leftovers(const fs::path& dir) {
  std::set<std::string> referenced;
  size_t intents = 0;
  {
    leveldb::DB* raw = nullptr;
    leveldb::Options o;
    leveldb::Status s = leveldb::DB::Open(o, (dir / "meta").string(), &raw);
    if (!s.ok()) return "cannot open meta: " + s.ToString();
    std::unique_ptr<leveldb::DB> db(raw);
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
    for (it->Seek(std::string(1, kRefTag)); it->Valid() && it->key()[0] == kRefTag; it->Next()) {
      referenced.insert(it->key().ToString().substr(1));
    }
    for (it->Seek(IntentKeyPrefix()); it->Valid() && it->key()[0] == kIntentTag; it->Next()) {
      ++intents;
    }
  }
  std::string out;
  if (intents != 0) out += std::to_string(intents) + " intents left; ";
  for (auto& f : fs::recursive_directory_iterator(dir / "objects")) {
    const std::string name = f.path().filename().string();
    if (f.is_regular_file() && backends::IsValidBlobId(name) && referenced.erase(name) == 0) {
      out += "orphan blob " + name + "; ";
    }
  }
  for (const std::string& id : referenced) out += "referenced blob missing " + id + "; ";
  if (fs::exists(dir / "tmp") && !fs::is_empty(dir / "tmp")) out += "tmp/ not empty; ";
  return out;
}

// One engine on a sweep dir, its LevelDB on a FaultEnv and its blobs in a fault store over the
// real filesystem store, both counting on one plan.
class Rig {
 public:
  Rig() : env_(&nowait_, &faults_->plan) {
    auto store = backends::OpenFsBlobStore(dir_.path().string());
    EXPECT_TRUE(store.has_value());
    base_ = std::move(store).value();
  }
  // `tweak` adjusts the options (master keys) before the open.
  Engine& Open(const std::function<void(EngineOptions&)>& tweak = {}) {
    engine_.reset();
    EngineOptions o;
    o.data_dir = dir_.path().string();
    o.inline_threshold = kInline;
    o.min_part_size = kMinPart;
    if (tweak) tweak(o);
    auto r = TEST_OpenEngine(o, backends::NewFaultBlobStore(base_, faults_), &env_);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (r.has_value()) engine_ = std::move(r).value();
    return *engine_;
  }
  void Close() { engine_.reset(); }
  bool open() const { return engine_ != nullptr; }
  Plan& plan() { return faults_->plan; }
  FaultEnv& env() { return env_; }
  const fs::path& dir() const { return dir_.path(); }

 private:
  SweepDir dir_;
  NoWaitEnv nowait_;
  std::shared_ptr<backends::FaultSwitches> faults_ = std::make_shared<backends::FaultSwitches>();
  FaultEnv env_;
  std::shared_ptr<backends::BlobStore> base_;
  std::unique_ptr<Engine> engine_;
};

// --- the scenarios -----------------------------------------------------------------------------

struct Context {
  std::string upload_id;
};

using Op = std::function<Status(Engine&, Context&)>;

struct Scenario {
  const char* name;
  std::function<void(Engine&, Context&)> setup;  // acknowledged before the operation
  Op op;
  // Requests that follow `op` (DeleteObjects: one delete per key, each atomic on its own), run
  // until one fails; a failure may leave the state after any of them.
  std::vector<Op> then = {};
};

// Runs a scenario's requests in order, stopping at the first error.
Status RunOps(const Scenario& sc, Engine& e, Context& c) {
  MAXIOFS_RETURN_IF_ERROR(sc.op(e, c));
  for (const Op& op : sc.then) MAXIOFS_RETURN_IF_ERROR(op(e, c));
  return Status::OK();
}

Status PutData(Engine& e, const std::string& bucket, const std::string& key, size_t n,
               uint32_t seed) {
  return Put(e, bucket, key, Pattern(n, seed)).status();
}

void MustPut(Engine& e, const std::string& bucket, const std::string& key, size_t n,
             uint32_t seed) {
  Status s = PutData(e, bucket, key, n, seed);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

void Bucket(Engine& e, const std::string& name, bool versioned = false, bool locked = false) {
  CreateBucketRequest c;
  c.bucket = name;
  c.object_lock_enabled = locked;
  Status s = e.CreateBucket(c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  if (versioned && !locked) {
    ASSERT_TRUE(e.PutBucketVersioning(name, VersioningState::kEnabled).ok());
  }
}

// An unversioned bucket "bkt" with an earlier blob "keep" and an inline "k".
void Plain(Engine& e, Context&) {
  Bucket(e, "bkt");
  MustPut(e, "bkt", "keep", 3000, 1);
  MustPut(e, "bkt", "k", 200, 2);
}

Result<PartInfo> UploadPart(Engine& e, const Context& c, uint32_t n, size_t size) {
  UploadPartRequest u;
  u.bucket = "bkt";
  u.key = "mp";
  u.upload_id = c.upload_id;
  u.part_number = n;
  u.expected_size = size;
  MAXIOFS_ASSIGN_OR_RETURN(auto w, e.BeginUploadPart(u));
  MAXIOFS_RETURN_IF_ERROR(w->Append(Pattern(size, 40 + n)));
  MAXIOFS_ASSIGN_OR_RETURN(ObjectInfo info, w->Commit());
  return PartInfo{n, info.size, info.etag};
}

void WithUpload(Engine& e, Context& c) {
  Plain(e, c);
  CreateMultipartRequest r;
  r.bucket = "bkt";
  r.key = "mp";
  auto u = e.CreateMultipartUpload(r);
  ASSERT_TRUE(u.has_value());
  c.upload_id = u->upload_id;
}

void WithParts(Engine& e, Context& c) {
  WithUpload(e, c);
  ASSERT_TRUE(UploadPart(e, c, 1, 1500).has_value());
  ASSERT_TRUE(UploadPart(e, c, 2, 300).has_value());
}

// A versioned bucket "ver" whose "k" has two blob versions, and an earlier "keep".
void Versioned(Engine& e, Context&) {
  Bucket(e, "ver", true);
  MustPut(e, "ver", "keep", 2500, 5);
  MustPut(e, "ver", "k", 2000, 6);
  MustPut(e, "ver", "k", 2100, 7);
}

std::vector<Scenario> Scenarios() {
  return {
      {"PutInline", Plain, [](Engine& e, Context&) { return PutData(e, "bkt", "k", 300, 9); }},
      {"PutBlob", Plain, [](Engine& e, Context&) { return PutData(e, "bkt", "k", 4000, 9); }},
      {"PutBlobOverBlob", Plain,
       [](Engine& e, Context&) { return PutData(e, "bkt", "keep", 4000, 9); }},
      {"MultipartCreate", Plain,
       [](Engine& e, Context&) {
         CreateMultipartRequest r;
         r.bucket = "bkt";
         r.key = "mp";
         return e.CreateMultipartUpload(r).status();
       }},
      {"MultipartUploadPart", WithUpload,
       [](Engine& e, Context& c) { return UploadPart(e, c, 1, 1500).status(); }},
      {"MultipartComplete", WithParts,
       [](Engine& e, Context& c) {
         ListPartsRequest lp;
         lp.bucket = "bkt";
         lp.key = "mp";
         lp.upload_id = c.upload_id;
         MAXIOFS_ASSIGN_OR_RETURN(ListPartsResult parts, e.ListParts(lp));
         CompleteMultipartRequest r;
         r.bucket = "bkt";
         r.key = "mp";
         r.upload_id = c.upload_id;
         for (const PartInfo& p : parts.parts) r.parts.push_back({p.part_number, p.etag});
         return e.CompleteMultipartUpload(r).status();
       }},
      {"MultipartAbort", WithParts,
       [](Engine& e, Context& c) { return e.AbortMultipartUpload("bkt", "mp", c.upload_id); }},
      {"CopyObject", Plain,
       [](Engine& e, Context&) {
         CopyObjectRequest r;
         r.src_bucket = "bkt";
         r.src_key = "keep";
         r.dst_bucket = "bkt";
         r.dst_key = "k";
         return e.CopyObject(r).status();
       }},
      {"DeleteUnversioned", Plain,
       [](Engine& e, Context&) { return e.DeleteObject(DelReq("bkt", "keep")).status(); }},
      {"DeleteVersioned", Versioned,
       [](Engine& e, Context&) { return e.DeleteObject(DelReq("ver", "k")).status(); }},
      {"DeleteVersionId", Versioned,
       [](Engine& e, Context&) {
         ListVersionsRequest lr;
         lr.bucket = "ver";
         lr.prefix = "k";
         MAXIOFS_ASSIGN_OR_RETURN(ListVersionsResult vs, e.ListObjectVersions(lr));
         // The older version of "k": its blob is freed.
         std::string older;
         for (const ObjectInfo& v : vs.versions) {
           if (v.key == "k") older = v.version_id;
         }
         return e.DeleteObject(DelReq("ver", "k", older)).status();
       }},
      {"DeleteObjects",
       [](Engine& e, Context& c) {
         Plain(e, c);
         MustPut(e, "bkt", "d1", 100, 11);
         MustPut(e, "bkt", "d2", 2000, 12);
       },
       // S3's DeleteObjects: one delete per key (each atomic on its own).
       [](Engine& e, Context&) { return e.DeleteObject(DelReq("bkt", "d1")).status(); },
       {[](Engine& e, Context&) { return e.DeleteObject(DelReq("bkt", "d2")).status(); },
        [](Engine& e, Context&) { return e.DeleteObject(DelReq("bkt", "k")).status(); }}},
      {"RenameObjectFromTheMount", Plain,
       [](Engine& e, Context&) {
         RenameObjectRequest r;
         r.bucket = "bkt";
         r.src_key = "keep";
         r.dst_key = "moved";
         r.protect_locked = true;
         return e.RenameObject(r).status();
       }},
      {"IamCreateUser", Plain,
       [](Engine& e, Context&) { return e.iam().CreateUser("alice").status(); }},
      {"IamCreateAccessKey",
       [](Engine& e, Context& c) {
         Plain(e, c);
         ASSERT_TRUE(e.iam().CreateUser("alice").has_value());
       },
       [](Engine& e, Context&) { return e.iam().CreateAccessKey("alice").status(); }},
      {"IamDeleteUserWithKey",
       [](Engine& e, Context& c) {
         Plain(e, c);
         ASSERT_TRUE(e.iam().CreateUser("alice").has_value());
         ASSERT_TRUE(e.iam().CreateAccessKey("alice").has_value());
       },
       [](Engine& e, Context&) { return e.iam().DeleteUser("alice", true); }},
      {"PutBucketVersioning", Plain,
       [](Engine& e, Context&) { return e.PutBucketVersioning("bkt", VersioningState::kEnabled); }},
      {"PutBucketTagging", Plain,
       [](Engine& e, Context&) {
         return e.PutBucketTagging("bkt", TagSet{{"team", "storage"}});
       }},
      {"PutBucketAcl", Plain,
       [](Engine& e, Context&) {
         MAXIOFS_ASSIGN_OR_RETURN(Acl acl, CannedAcl("public-read"));
         return e.iam().PutBucketAcl("bkt", acl);
       }},
      {"PutObjectRetention",
       [](Engine& e, Context&) {
         Bucket(e, "lck", true, true);
         PutObjectRequest r;
         r.lock.retention = Retention{LockMode::kGovernance, kYear2100};
         ASSERT_TRUE(Put(e, "lck", "k", Pattern(1500, 3), r).has_value());
       },
       [](Engine& e, Context&) {
         PutRetentionRequest r{
             "lck", "k", "", {LockMode::kGovernance, kYear2100 + 3600 * kSec}, false};
         return e.PutObjectRetention(r);
       }},
  };
}

// --- the sweep ---------------------------------------------------------------------------------

enum class Mode {
  kOnceIo,          // call k fails with EIO, later calls work
  kStickyNoSpace,   // call k and every later one fail with ENOSPC (a full disk)
  kOnceIoPowerLoss  // as kOnceIo, then unsynced LevelDB data is dropped before the reopen
};

struct Case {
  size_t scenario;
  Mode mode;
};

std::string CaseText(const Case& c) {
  const char* mode = c.mode == Mode::kOnceIo          ? "OnceEIO"
                     : c.mode == Mode::kStickyNoSpace ? "StickyENOSPC"
                                                      : "OnceEIOPowerLoss";
  return std::string(Scenarios()[c.scenario].name) + "_" + mode;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return CaseText(info.param); }

// For gtest's messages (and ctest's test list): the case's name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << CaseText(c); }

class FaultSweep : public ::testing::TestWithParam<Case> {};

// The old and new states of a scenario (a run without faults, reopened once), and those
// between its requests.
struct States {
  std::string before;
  std::string after;
  std::vector<std::string> between;
  bool Allowed(const std::string& s) const {
    return s == before || s == after || std::ranges::find(between, s) != between.end();
  }
  std::string Describe() const {
    std::string out = "old:\n" + before + "\nnew:\n" + after;
    for (const std::string& b : between) out += "\nor:\n" + b;
    return out;
  }
};

States Reference(const Scenario& sc) {
  Rig rig;
  Context c;
  Engine& e = rig.Open();
  sc.setup(e, c);
  States st;
  st.before = Observe(e);
  Status s = sc.op(e, c);
  for (const Op& op : sc.then) {
    st.between.push_back(Observe(e));
    if (s.ok()) s = op(e, c);
  }
  EXPECT_TRUE(s.ok()) << "without faults: " << s.ToString();
  st.after = Observe(e);
  rig.Close();
  EXPECT_EQ(Observe(rig.Open()), st.after) << "a reopen changed the state";
  return st;
}

TEST_P(FaultSweep, EveryFailurePointLeavesOldOrNewState) {
  const Scenario sc = Scenarios()[GetParam().scenario];
  const Mode mode = GetParam().mode;
  const States st = Reference(sc);
  ASSERT_NE(st.before, st.after) << "the operation changes nothing observable";
  if (HasFailure()) return;

  uint64_t faults = 0;
  bool finished = false;
  for (uint64_t k = 1; k <= kMaxCalls && !finished && !HasFailure(); ++k) {
    SCOPED_TRACE("I/O call " + std::to_string(k) + " fails");
    Rig rig;
    Context c;
    Engine& e = rig.Open();
    sc.setup(e, c);
    if (HasFailure()) return;
    rig.plan().Arm(k, mode == Mode::kStickyNoSpace ? Plan::Error::kNoSpace : Plan::Error::kIO,
                   mode == Mode::kStickyNoSpace);
    const Status s = RunOps(sc, e, c);
    rig.plan().Disarm();
    if (rig.plan().injected() == 0) {
      // Call k is past the operation's last one: it ran whole.
      EXPECT_TRUE(s.ok()) << s.ToString();
      finished = true;
    } else {
      ++faults;
    }
    // The engine still open shows the old or the new state (a success: the new one).
    const std::string live = Observe(e);
    if (s.ok()) {
      EXPECT_EQ(live, st.after) << "acknowledged, but the new state is not what is read";
    } else {
      EXPECT_TRUE(st.Allowed(live)) << s.ToString() << "\nlive state:\n"
                                    << live << "\n"
                                    << st.Describe();
    }
    rig.Close();
    if (mode == Mode::kOnceIoPowerLoss) rig.env().DropUnsyncedData();
    const std::string reopened = Observe(rig.Open());
    if (s.ok()) {
      EXPECT_EQ(reopened, st.after) << "acknowledged, but lost by the reopen";
    } else {
      EXPECT_TRUE(st.Allowed(reopened)) << s.ToString() << "\nafter reopen:\n"
                                        << reopened << "\n"
                                        << st.Describe();
    }
    rig.Close();
    EXPECT_EQ(Leftovers(rig.dir()), "") << s.ToString();
  }
  EXPECT_TRUE(finished) << "the operation never ran without meeting a fault";
  EXPECT_GT(faults, 0u) << "no I/O call of the operation was failed";
  RecordProperty("failure_points", static_cast<int>(faults));
}

std::vector<Case> AllCases() {
  std::vector<Case> out;
  for (size_t i = 0; i < Scenarios().size(); ++i) {
    for (Mode m : {Mode::kOnceIo, Mode::kStickyNoSpace, Mode::kOnceIoPowerLoss}) {
      out.push_back({i, m});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Mutations, FaultSweep, ::testing::ValuesIn(AllCases()), CaseName);

// Key rotation re-wraps one record after another, so a failure may leave some data keys under
// the new master key and some under the old: every object must still read back whole with
// both keys configured, and a rotation run again must finish the job, after which the new key
// alone opens the data dir.
TEST(FaultSweepKeys, RotationInterruptedAtEveryCallLosesNothing) {
  const MasterKey k1{"k1", std::string(32, '1')};
  const MasterKey k2{"k2", std::string(32, '2')};
  auto only_k1 = [&](EngineOptions& o) {
    o.encryption.master_keys = {k1};
    o.encryption.encrypt_new_data = true;
  };
  auto rotating = [&](EngineOptions& o) {
    o.encryption.master_keys = {k1, k2};
    o.encryption.active_key_id = "k2";
    o.encryption.encrypt_new_data = true;
  };
  auto only_k2 = [&](EngineOptions& o) {
    o.encryption.master_keys = {k2};
    o.encryption.encrypt_new_data = true;
  };
  uint64_t faults = 0;
  bool finished = false;
  for (uint64_t k = 1; k <= kMaxCalls && !finished && !::testing::Test::HasFailure(); ++k) {
    SCOPED_TRACE("I/O call " + std::to_string(k) + " fails");
    Rig rig;
    Context c;
    Plain(rig.Open(only_k1), c);
    MustPut(rig.Open(only_k1), "bkt", "big", 5000, 21);
    const std::string before = Observe(rig.Open(only_k1));
    Engine& e = rig.Open(rotating);
    rig.plan().Arm(k, Plan::Error::kIO, false);
    const Result<uint64_t> n = e.RotateMasterKey();
    rig.plan().Disarm();
    if (rig.plan().injected() == 0) {
      EXPECT_TRUE(n.has_value()) << n.error().ToString();
      finished = true;
    } else {
      ++faults;
    }
    EXPECT_EQ(Observe(e), before);
    EXPECT_EQ(Observe(rig.Open(rotating)), before) << "after a reopen";
    const Result<uint64_t> again = rig.Open(rotating).RotateMasterKey();
    EXPECT_TRUE(again.has_value()) << again.error().ToString();
    EXPECT_EQ(Observe(rig.Open(only_k2)), before) << "the new key alone";
    rig.Close();
    EXPECT_EQ(Leftovers(rig.dir()), "");
  }
  EXPECT_TRUE(finished) << "the rotation never ran without meeting a fault";
  EXPECT_GT(faults, 0u);
  ::testing::Test::RecordProperty("failure_points", static_cast<int>(faults));
}

}  // namespace
}  // namespace maxiofs::engine
