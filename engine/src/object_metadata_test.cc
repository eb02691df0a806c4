// UpdateObjectMetadata and the bucket's own metadata: changed in place, in one batch, with no
// new version and no change to the data, ETag, Last-Modified or checksums.
#include "test_util.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace maxiofs::engine {
namespace {

using UserMeta = std::vector<std::pair<std::string, std::string>>;

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class MetadataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    e_ = OpenOrDie(dir_.str(), 64);
    ASSERT_NE(e_, nullptr);
    ASSERT_TRUE(e_->CreateBucket({.bucket = "bkt"}).ok());
  }
  Result<ObjectInfo> Update(const std::string& key, std::vector<MetadataChange> changes,
                            std::string version = "") {
    UpdateObjectMetadataRequest r;
    r.bucket = "bkt";
    r.key = key;
    r.version_id = std::move(version);
    r.changes = std::move(changes);
    return e_->UpdateObjectMetadata(r);
  }
  size_t VersionCount(const std::string& key) {
    auto l = e_->ListObjectVersions({.bucket = "bkt", .prefix = key});
    EXPECT_TRUE(l.has_value());
    return l ? l->versions.size() : 0;
  }

  TempDir dir_;
  std::unique_ptr<Engine> e_;
};

TEST_F(MetadataTest, ChangesInPlaceWithoutANewVersion) {
  ASSERT_TRUE(e_->PutBucketVersioning("bkt", VersioningState::kEnabled).ok());
  PutObjectRequest req;
  req.meta.user = {{"color", "red"}, {"mode", "33188"}};
  req.checksum_algorithm = ChecksumAlgorithm::kCRC32;
  const std::string body = Pattern(1000, 1);  // a blob (inline threshold 64)
  auto put = Put(*e_, "bkt", "k", body, req);
  ASSERT_TRUE(put.has_value()) << put.error().ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));

  auto updated = Update("k", {{.name = "mode", .value = "33261"},
                              {.name = "color", .value = std::nullopt},
                              {.name = "owner", .value = "ann"}});
  ASSERT_TRUE(updated.has_value()) << updated.error().ToString();
  EXPECT_EQ(updated->meta.user, (UserMeta{{"mode", "33261"}, {"owner", "ann"}}));

  auto head = e_->HeadObject(HeadReq("bkt", "k"));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->meta.user, (UserMeta{{"mode", "33261"}, {"owner", "ann"}}));
  EXPECT_EQ(head->etag, put->etag);
  EXPECT_EQ(head->last_modified_ns, put->last_modified_ns);
  EXPECT_EQ(head->version_id, put->version_id);
  EXPECT_EQ(head->checksum, put->checksum);
  EXPECT_EQ(VersionCount("k"), 1u);
  EXPECT_EQ(Get(*e_, "bkt", "k").value(), body);
  // The version record and the current record agree.
  auto by_id = e_->HeadObject(HeadReq("bkt", "k", {}, put->version_id));
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->meta.user, head->meta.user);
  // Listings with user metadata see it too.
  auto l = e_->ListObjects({.bucket = "bkt", .with_user_meta = true});
  ASSERT_TRUE(l.has_value());
  ASSERT_EQ(l->objects.size(), 1u);
  EXPECT_EQ(l->objects[0].meta.user, head->meta.user);
}

TEST_F(MetadataTest, ANoncurrentVersionByIdLeavesTheCurrentOne) {
  ASSERT_TRUE(e_->PutBucketVersioning("bkt", VersioningState::kEnabled).ok());
  auto v1 = Put(*e_, "bkt", "k", "one");
  auto v2 = Put(*e_, "bkt", "k", "two");
  ASSERT_TRUE(v1 && v2);
  ASSERT_TRUE(Update("k", {{.name = "tag", .value = "old"}}, v1->version_id).has_value());
  EXPECT_TRUE(e_->HeadObject(HeadReq("bkt", "k"))->meta.user.empty());
  EXPECT_EQ(e_->HeadObject(HeadReq("bkt", "k", {}, v1->version_id))->meta.user,
            (UserMeta{{"tag", "old"}}));
  EXPECT_EQ(VersionCount("k"), 2u);
}

TEST_F(MetadataTest, RequirementsAndPreconditionsChangeNothingWhenTheyFail) {
  PutObjectRequest req;
  req.meta.user = {{"a", "1"}};
  auto put = Put(*e_, "bkt", "k", "x", req);
  ASSERT_TRUE(put.has_value());
  auto absent =
      Update("k", {{.name = "b", .value = "2"},
                   {.name = "a", .value = "9", .require = MetadataChange::Require::kAbsent}});
  ASSERT_FALSE(absent.has_value());
  EXPECT_EQ(absent.error().code(), Status::Code::kPreconditionFailed);
  auto present = Update(
      "k", {{.name = "z", .value = std::nullopt, .require = MetadataChange::Require::kPresent}});
  ASSERT_FALSE(present.has_value());
  EXPECT_EQ(present.error().code(), Status::Code::kPreconditionFailed);
  UpdateObjectMetadataRequest r{
      .bucket = "bkt", .key = "k", .changes = {{.name = "c", .value = "3"}}};
  r.preconditions.if_match = {"0123456789abcdef0123456789abcdef"};
  auto mismatch = e_->UpdateObjectMetadata(r);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code(), Status::Code::kPreconditionFailed);
  EXPECT_EQ(e_->HeadObject(HeadReq("bkt", "k"))->meta.user, (UserMeta{{"a", "1"}}));
  r.preconditions.if_match = {put->etag};
  EXPECT_TRUE(e_->UpdateObjectMetadata(r).has_value());
  EXPECT_EQ(e_->HeadObject(HeadReq("bkt", "k"))->meta.user, (UserMeta{{"a", "1"}, {"c", "3"}}));
}

TEST_F(MetadataTest, BadRequestsAreRefused) {
  ASSERT_TRUE(Put(*e_, "bkt", "k", "x").has_value());
  for (std::string bad :
       std::vector<std::string>{"", "Upper", "sp ace", "new\nline", std::string(256, 'a')}) {
    auto r = Update("k", {{.name = bad, .value = "v"}});
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), Status::Code::kInvalidArgument) << bad;
  }
  auto big = Update("k", {{.name = "big", .value = std::string(kMaxUserMetadataBytes, 'v')}});
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code(), Status::Code::kEntityTooLarge);
  auto missing = Update("nope", {{.name = "a", .value = "1"}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kNoSuchKey);
  auto no_bucket = e_->UpdateObjectMetadata(
      {.bucket = "nob", .key = "k", .changes = {{.name = "a", .value = "1"}}});
  ASSERT_FALSE(no_bucket.has_value());
  EXPECT_EQ(no_bucket.error().code(), Status::Code::kNoSuchBucket);
  ASSERT_TRUE(e_->PutBucketVersioning("bkt", VersioningState::kEnabled).ok());
  auto del = e_->DeleteObject(DelReq("bkt", "k"));
  ASSERT_TRUE(del.has_value());
  auto marker = Update("k", {{.name = "a", .value = "1"}}, del->version_id);
  ASSERT_FALSE(marker.has_value());
  EXPECT_EQ(marker.error().code(), Status::Code::kMethodNotAllowed);
  EXPECT_EQ(Update("k", {{.name = "a", .value = "1"}}).error().code(), Status::Code::kNoSuchKey);
}

TEST_F(MetadataTest, LockedVersionsMayChangeMetadataButNotData) {
  ASSERT_TRUE(e_->CreateBucket({.bucket = "locked", .object_lock_enabled = true}).ok());
  PutObjectRequest req;
  req.lock.retention = Retention{LockMode::kCompliance, Now() + int64_t{3600} * 1'000'000'000};
  auto put = Put(*e_, "locked", "k", "data", req);
  ASSERT_TRUE(put.has_value()) << put.error().ToString();
  auto r = e_->UpdateObjectMetadata(
      {.bucket = "locked", .key = "k", .changes = {{.name = "mode", .value = "33188"}}});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->retention, *req.lock.retention);
  EXPECT_EQ(Get(*e_, "locked", "k").value(), "data");
  auto d = e_->DeleteObject(DelReq("locked", "k", put->version_id));
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code(), Status::Code::kObjectLocked);
}

TEST_F(MetadataTest, SurvivesAReopen) {
  ASSERT_TRUE(Put(*e_, "bkt", "k", "x").has_value());
  ASSERT_TRUE(Update("k", {{.name = "uid", .value = "42"}}).has_value());
  ASSERT_TRUE(
      e_->UpdateBucketMetadata({.bucket = "bkt", .changes = {{.name = "mode", .value = "1"}}})
          .ok());
  e_.reset();
  e_ = OpenOrDie(dir_.str(), 64);
  ASSERT_NE(e_, nullptr);
  EXPECT_EQ(e_->HeadObject(HeadReq("bkt", "k"))->meta.user, (UserMeta{{"uid", "42"}}));
  EXPECT_EQ(e_->GetBucketMetadata("bkt").value(), (UserMeta{{"mode", "1"}}));
}

TEST_F(MetadataTest, BucketMetadataLivesAndDiesWithTheBucket) {
  EXPECT_TRUE(e_->GetBucketMetadata("bkt").value().empty());
  ASSERT_TRUE(e_->UpdateBucketMetadata({.bucket = "bkt",
                                        .changes = {{.name = "mode", .value = "16877"},
                                                    {.name = "uid", .value = "7"}}})
                  .ok());
  EXPECT_EQ(e_->GetBucketMetadata("bkt").value(), (UserMeta{{"mode", "16877"}, {"uid", "7"}}));
  Status dup = e_->UpdateBucketMetadata(
      {.bucket = "bkt",
       .changes = {{.name = "uid", .value = "8", .require = MetadataChange::Require::kAbsent}}});
  EXPECT_EQ(dup.code(), Status::Code::kPreconditionFailed);
  EXPECT_EQ(
      e_->UpdateBucketMetadata({.bucket = "bkt", .changes = {{.name = "B", .value = "1"}}}).code(),
      Status::Code::kInvalidArgument);
  EXPECT_EQ(e_->GetBucketMetadata("nob").error().code(), Status::Code::kNoSuchBucket);
  // S3 never sees it: not an object of the bucket.
  auto l = e_->ListObjects({.bucket = "bkt"});
  ASSERT_TRUE(l.has_value());
  EXPECT_TRUE(l->objects.empty());
  ASSERT_TRUE(e_->DeleteBucket("bkt").ok());
  ASSERT_TRUE(e_->CreateBucket({.bucket = "bkt"}).ok());
  EXPECT_TRUE(e_->GetBucketMetadata("bkt").value().empty());
}

}  // namespace
}  // namespace maxiofs::engine
