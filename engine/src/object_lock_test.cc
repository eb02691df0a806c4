// Object lock: every way to remove or weaken a locked version is refused by the engine, and the
// allowed ways (bypass for GOVERNANCE, expiry, lifting a legal hold) work.
#include "test_util.h"

#include <gtest/gtest.h>

#include <thread>

namespace maxiofs::engine {
namespace {

constexpr int64_t kSec = 1000000000;

class ObjectLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(dir_.str(), 100);
    ASSERT_NE(engine_, nullptr);
    CreateBucketRequest c;
    c.bucket = "locked";
    c.object_lock_enabled = true;
    ASSERT_TRUE(engine_->CreateBucket(c).ok());
    ASSERT_TRUE(engine_->CreateBucket({"plain"}).ok());
  }
  Result<ObjectInfo> PutLocked(const std::string& key, LockMode mode, int64_t secs,
                               bool hold = false) {
    PutObjectRequest req;
    if (mode != LockMode::kNone) req.lock.retention = Retention{mode, NowNs() + secs * kSec};
    if (hold) req.lock.legal_hold = true;
    return Put(*engine_, "locked", key, Pattern(5000, 1), req);
  }
  static int64_t NowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(ObjectLockTest, BucketConfiguration) {
  auto info = engine_->HeadBucket("locked");
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->object_lock_enabled);
  EXPECT_EQ(info->versioning, VersioningState::kEnabled);
  EXPECT_EQ(engine_->PutBucketVersioning("locked", VersioningState::kSuspended).code(),
            Status::Code::kInvalidBucketState);
  EXPECT_EQ(engine_->GetObjectLockConfiguration("plain").error().code(),
            Status::Code::kObjectLockConfigurationNotFound);
  ObjectLockConfig cfg{true, {LockMode::kGovernance, 1, 0}};
  EXPECT_EQ(engine_->PutObjectLockConfiguration("plain", cfg).code(),
            Status::Code::kInvalidBucketState);  // versioning is not enabled
  ASSERT_TRUE(engine_->PutObjectLockConfiguration("locked", cfg).ok());
  EXPECT_EQ(engine_->GetObjectLockConfiguration("locked")->default_retention,
            cfg.default_retention);
  EXPECT_EQ(
      engine_->PutObjectLockConfiguration("locked", {true, {LockMode::kGovernance, 1, 1}}).code(),
      Status::Code::kInvalidArgument);
  // Lock settings on a bucket without object lock are refused before any byte is written.
  PutObjectRequest req;
  req.lock.legal_hold = true;
  EXPECT_EQ(Put(*engine_, "plain", "k", "x", req).error().code(), Status::Code::kInvalidRequest);
}

TEST_F(ObjectLockTest, DefaultRetentionAppliesToNewVersions) {
  ASSERT_TRUE(
      engine_->PutObjectLockConfiguration("locked", {true, {LockMode::kCompliance, 1, 0}}).ok());
  auto v = Put(*engine_, "locked", "d", "data");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->retention.mode, LockMode::kCompliance);
  EXPECT_NEAR(static_cast<double>(v->retention.retain_until_ns - NowNs()), 86400.0 * kSec,
              60.0 * kSec);
  EXPECT_EQ(engine_->DeleteObject(DelReq("locked", "d", v->version_id)).error().code(),
            Status::Code::kObjectLocked);
}

TEST_F(ObjectLockTest, EveryWayToRemoveALockedVersionIsRefused) {
  auto comp = PutLocked("comp", LockMode::kCompliance, 3600);
  auto gov = PutLocked("gov", LockMode::kGovernance, 3600);
  auto held = PutLocked("held", LockMode::kNone, 0, true);
  ASSERT_TRUE(comp.has_value() && gov.has_value() && held.has_value());
  using C = Status::Code;
  // 1. DeleteObject of the version: refused (GOVERNANCE without bypass, COMPLIANCE always,
  //    legal hold always).
  EXPECT_EQ(engine_->DeleteObject(DelReq("locked", "comp", comp->version_id)).error().code(),
            C::kObjectLocked);
  auto bypass = DelReq("locked", "comp", comp->version_id);
  bypass.bypass_governance = true;
  EXPECT_EQ(engine_->DeleteObject(bypass).error().code(), C::kObjectLocked);
  EXPECT_EQ(engine_->DeleteObject(DelReq("locked", "gov", gov->version_id)).error().code(),
            C::kObjectLocked);
  auto held_bypass = DelReq("locked", "held", held->version_id);
  held_bypass.bypass_governance = true;
  EXPECT_EQ(engine_->DeleteObject(held_bypass).error().code(), C::kObjectLocked);
  // 2. Shortening or removing retention: COMPLIANCE never; GOVERNANCE only with bypass.
  PutRetentionRequest pr{
      "locked", "comp", comp->version_id, {LockMode::kCompliance, NowNs() + 60 * kSec}, true};
  EXPECT_EQ(engine_->PutObjectRetention(pr).code(), C::kObjectLocked);
  pr.retention = {LockMode::kGovernance, NowNs() + 7200 * kSec};
  EXPECT_EQ(engine_->PutObjectRetention(pr).code(), C::kObjectLocked);  // weaker mode
  pr.retention = {};
  EXPECT_EQ(engine_->PutObjectRetention(pr).code(), C::kObjectLocked);
  PutRetentionRequest gr{"locked", "gov", gov->version_id, {}, false};
  EXPECT_EQ(engine_->PutObjectRetention(gr).code(), C::kObjectLocked);
  // GOVERNANCE -> COMPLIANCE, even for longer, changes the retention: only with the bypass.
  gr.retention = {LockMode::kCompliance, NowNs() + 7200 * kSec};
  EXPECT_EQ(engine_->PutObjectRetention(gr).code(), C::kObjectLocked);
  gr.retention = {LockMode::kGovernance, NowNs() + 7200 * kSec};  // extending: no bypass needed
  EXPECT_TRUE(engine_->PutObjectRetention(gr).ok());
  gr.retention = {LockMode::kCompliance, NowNs() + 7300 * kSec};
  gr.bypass_governance = true;
  EXPECT_TRUE(engine_->PutObjectRetention(gr).ok());
  EXPECT_EQ(engine_->GetObjectRetention("locked", "gov", gov->version_id)->mode,
            LockMode::kCompliance);
  // 3. A delete without version id only adds a marker: the locked data stays.
  auto marker = engine_->DeleteObject(DelReq("locked", "comp"));
  ASSERT_TRUE(marker.has_value());
  EXPECT_TRUE(marker->delete_marker);
  GetObjectRequest g;
  g.bucket = "locked";
  g.key = "comp";
  g.version_id = comp->version_id;
  EXPECT_EQ(*ReadAll(**engine_->GetObject(g)), Pattern(5000, 1));
  // 4. Renames (the FUSE path) keep the locked version too.
  ASSERT_TRUE(engine_->RenameObject({"locked", "gov", "gov-moved", false}).has_value());
  g.key = "gov";
  g.version_id = gov->version_id;
  EXPECT_TRUE(engine_->GetObject(g).has_value());
  // Every locked version is still there, with its data.
  EXPECT_EQ(CountFiles(dir_.path() / "objects"), 3u);
  // Extending COMPLIANCE is allowed.
  pr.retention = {LockMode::kCompliance, NowNs() + 7200 * kSec};
  EXPECT_TRUE(engine_->PutObjectRetention(pr).ok());
  EXPECT_EQ(engine_->GetObjectRetention("locked", "comp", comp->version_id)->retain_until_ns,
            pr.retention.retain_until_ns);
}

TEST_F(ObjectLockTest, ProtectLockedGivesPosixSemantics) {
  auto held = PutLocked("held", LockMode::kNone, 0, true);
  auto gov = PutLocked("dir/gov", LockMode::kGovernance, 3600);
  ASSERT_TRUE(held.has_value() && gov.has_value());
  ASSERT_TRUE(Put(*engine_, "locked", "free", "free").has_value());
  using C = Status::Code;
  auto del = DelReq("locked", "held");
  del.protect_locked = true;
  EXPECT_EQ(engine_->DeleteObject(del).error().code(), C::kObjectLocked);
  PutObjectRequest over;
  over.protect_locked = true;
  EXPECT_EQ(Put(*engine_, "locked", "held", "new", over).error().code(), C::kObjectLocked);
  RenameObjectRequest mv{"locked", "held", "moved", false, true};
  EXPECT_EQ(engine_->RenameObject(mv).error().code(), C::kObjectLocked);
  RenameObjectRequest onto{"locked", "free", "held", false, true};
  EXPECT_EQ(engine_->RenameObject(onto).error().code(), C::kObjectLocked);
  RenamePrefixRequest dir{"locked", "dir/", "dir2/", 100000, true};
  EXPECT_EQ(engine_->RenamePrefix(dir).error().code(), C::kObjectLocked);
  // Nothing changed: no marker, no new version, the data is current.
  auto versions = engine_->ListObjectVersions({"locked", "", "", "", "", 100});
  ASSERT_TRUE(versions.has_value());
  EXPECT_EQ(versions->versions.size(), 3u);
  EXPECT_EQ(*Get(*engine_, "locked", "held"), Pattern(5000, 1));
  // Without the flag, S3 semantics: the delete only adds a marker, and an unlocked key is free.
  auto free = DelReq("locked", "free");
  free.protect_locked = true;
  EXPECT_TRUE(engine_->DeleteObject(free).has_value());
  EXPECT_TRUE(engine_->DeleteObject(DelReq("locked", "held")).has_value());
}

TEST_F(ObjectLockTest, AllowedRemovals) {
  auto gov = PutLocked("gov", LockMode::kGovernance, 3600);
  auto held = PutLocked("held", LockMode::kNone, 0, true);
  auto soon = PutLocked("soon", LockMode::kCompliance, 1);
  ASSERT_TRUE(gov.has_value() && held.has_value() && soon.has_value());
  auto bypass = DelReq("locked", "gov", gov->version_id);
  bypass.bypass_governance = true;
  EXPECT_TRUE(engine_->DeleteObject(bypass).has_value());
  EXPECT_TRUE(engine_->GetObjectLegalHold("locked", "held", held->version_id).value());
  ASSERT_TRUE(engine_->PutObjectLegalHold("locked", "held", held->version_id, false).ok());
  EXPECT_TRUE(engine_->DeleteObject(DelReq("locked", "held", held->version_id)).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_TRUE(engine_->DeleteObject(DelReq("locked", "soon", soon->version_id)).has_value());
  EXPECT_EQ(CountFiles(dir_.path() / "objects"), 0u);
}

TEST_F(ObjectLockTest, RetentionErrors) {
  auto v = Put(*engine_, "locked", "k", "x");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(engine_->GetObjectRetention("locked", "k", "").error().code(),
            Status::Code::kNoSuchObjectLockConfiguration);
  PutRetentionRequest past{"locked", "k", "", {LockMode::kGovernance, NowNs() - kSec}, false};
  EXPECT_EQ(engine_->PutObjectRetention(past).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->GetObjectRetention("plain", "k", "").error().code(),
            Status::Code::kInvalidRequest);
  EXPECT_TRUE(engine_->GetObjectLegalHold("locked", "nope", "").error().IsNoSuchKey());
  PutObjectRequest req;
  req.lock.retention = Retention{LockMode::kGovernance, NowNs() - kSec};
  EXPECT_EQ(Put(*engine_, "locked", "k2", "x", req).error().code(), Status::Code::kInvalidArgument);
}

// storage.object_lock.enabled: false. No bucket may get object lock any more; the buckets that
// have it keep it, and their locks still hold.
TEST_F(ObjectLockTest, TurnedOffRefusesNewLocksAndKeepsOldOnes) {
  auto v = PutLocked("kept", LockMode::kCompliance, 3600);
  ASSERT_TRUE(v.has_value());
  ASSERT_TRUE(engine_->PutBucketVersioning("plain", VersioningState::kEnabled).ok());
  engine_.reset();
  EngineOptions o;
  o.data_dir = dir_.str();
  o.inline_threshold = 100;
  o.object_lock_enabled = false;
  auto opened = Engine::Open(o);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  engine_ = std::move(opened).value();

  CreateBucketRequest c;
  c.bucket = "new-locked";
  c.object_lock_enabled = true;
  const Status refused = engine_->CreateBucket(c);
  EXPECT_EQ(refused.code(), Status::Code::kInvalidRequest);
  EXPECT_NE(refused.message().find("storage.object_lock.enabled"), std::string::npos);
  EXPECT_EQ(engine_->HeadBucket("new-locked").error().code(), Status::Code::kNoSuchBucket);
  EXPECT_TRUE(engine_->CreateBucket({"new-plain"}).ok());
  // Nor on an existing versioned bucket.
  ObjectLockConfig cfg{true, {LockMode::kGovernance, 1, 0}};
  EXPECT_EQ(engine_->PutObjectLockConfiguration("plain", cfg).code(),
            Status::Code::kInvalidRequest);
  EXPECT_EQ(engine_->GetObjectLockConfiguration("plain").error().code(),
            Status::Code::kObjectLockConfigurationNotFound);
  // The locked bucket keeps its lock, may change its default, and its locks hold.
  EXPECT_TRUE(engine_->HeadBucket("locked")->object_lock_enabled);
  EXPECT_TRUE(engine_->PutObjectLockConfiguration("locked", cfg).ok());
  EXPECT_EQ(engine_->DeleteObject(DelReq("locked", "kept", v->version_id)).error().code(),
            Status::Code::kObjectLocked);
  EXPECT_TRUE(PutLocked("new-version", LockMode::kGovernance, 60).has_value());
}

}  // namespace
}  // namespace maxiofs::engine
