// The read-only versions view: <bucket>/.versions/<path>/ lists a file's versions by time and
// version id, each readable; it is hidden from the bucket's listing (unless visible), absent in
// unversioned buckets, keeps deleted files' versions, and shows retention in an xattr.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace maxiofs::fuse::testing {
namespace {

class FuseVersionsTest : public FuseTest {
 protected:
  void SetUp() override {
    FuseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(engine().PutBucketVersioning(kBucket, engine::VersioningState::kEnabled).ok());
  }
};

TEST_F(FuseVersionsTest, ThreeOverwritesGiveThreeReadableVersions) {
  ASSERT_EQ(::mkdir(B("docs").c_str(), 0755), 0);
  for (const char* v : {"one", "two", "three"}) WriteFile(B("docs/report.txt"), v);
  const std::string dir = B(".versions/docs/report.txt");
  std::vector<std::string> names = ReadDirNames(dir);
  ASSERT_EQ(names.size(), 3u);
  // Named by time, so sorted by name they are oldest first.
  EXPECT_EQ(ReadFile(dir + "/" + names[0]), "one");
  EXPECT_EQ(ReadFile(dir + "/" + names[1]), "two");
  EXPECT_EQ(ReadFile(dir + "/" + names[2]), "three");
  auto versions = engine().ListObjectVersions({.bucket = kBucket, .prefix = "docs/report.txt"});
  ASSERT_TRUE(versions.has_value());
  ASSERT_EQ(versions->versions.size(), 3u);
  EXPECT_NE(names[2].find("_" + versions->versions[0].version_id), std::string::npos);
  EXPECT_EQ(names[0].size(), std::string("2025-01-31T23-59-58.123456Z_").size() + 32);
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/" + names[1]).c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0222, 0u);  // read-only
  EXPECT_EQ(st.st_size, 3);
  char buf[64];
  ssize_t n =
      ::getxattr((dir + "/" + names[0]).c_str(), "user.maxiofs.version-id", buf, sizeof(buf));
  ASSERT_EQ(n, 32);
  EXPECT_EQ(std::string(buf, 32), versions->versions[2].version_id);
  // The directories of the view mirror the bucket.
  EXPECT_EQ(ReadDirNames(B(".versions")), std::vector<std::string>{"docs"});
  EXPECT_EQ(ReadDirNames(B(".versions/docs")), std::vector<std::string>{"report.txt"});
  // Seeks inside a version work (a reread from the middle).
  int fd = ::open((dir + "/" + names[2]).c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pread(fd, buf, 3, 2), 3);
  EXPECT_EQ(std::string(buf, 3), "ree");
  ASSERT_EQ(::pread(fd, buf, 2, 0), 2);
  EXPECT_EQ(std::string(buf, 2), "th");
  ::close(fd);
}

TEST_F(FuseVersionsTest, HiddenReadOnlyAndKeepsDeletedFiles) {
  WriteFile(B("gone"), "before delete");
  WriteFile(B("keep"), "k");
  EXPECT_EQ(ReadDirNames(B("")), (std::vector<std::string>{"gone", "keep"}));  // hidden
  ASSERT_EQ(::unlink(B("gone").c_str()), 0);
  std::vector<std::string> names = ReadDirNames(B(".versions/gone"));
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(ReadFile(B(".versions/gone/") + names[0]), "before delete");
  const std::string v = B(".versions/gone/") + names[0];
  errno = 0;
  EXPECT_EQ(::open(v.c_str(), O_WRONLY), -1);
  EXPECT_EQ(errno, EROFS);
  errno = 0;
  EXPECT_EQ(::unlink(v.c_str()), -1);
  EXPECT_EQ(errno, EROFS);
  errno = 0;
  EXPECT_EQ(::chmod(v.c_str(), 0777), -1);
  EXPECT_EQ(errno, EROFS);
  errno = 0;
  EXPECT_EQ(::mkdir(B(".versions/new").c_str(), 0755), -1);
  EXPECT_EQ(errno, EROFS);
  errno = 0;
  EXPECT_EQ(::open(B(".versions/gone/x").c_str(), O_WRONLY | O_CREAT, 0644), -1);
  EXPECT_EQ(errno, EROFS);
  errno = 0;
  EXPECT_EQ(::rename(v.c_str(), B("restored").c_str()), -1);
  EXPECT_EQ(errno, EROFS);
  // Restoring is a copy.
  std::string out;
  ASSERT_EQ(Shell("cp " + v + " " + B("gone"), &out), 0) << out;
  EXPECT_EQ(ReadFile(B("gone")), "before delete");
}

TEST_F(FuseVersionsTest, VisibleWhenAskedAndAbsentInUnversionedBuckets) {
  WriteFile(B("f"), "x");
  Unmount();
  versions_ = VersionsView::kVisible;
  Mount();
  EXPECT_EQ(ReadDirNames(B("")), (std::vector<std::string>{".versions", "f"}));
  ASSERT_EQ(::mkdir(P("plain").c_str(), 0755), 0);
  struct stat st {};
  errno = 0;
  EXPECT_EQ(::stat(P("plain/.versions").c_str(), &st), -1);
  EXPECT_EQ(errno, ENOENT);
  Unmount();
  versions_ = VersionsView::kOff;
  Mount();
  errno = 0;
  EXPECT_EQ(::stat(B(".versions").c_str(), &st), -1);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(FuseVersionsTest, LockedVersionsShowTheirRetention) {
  ASSERT_TRUE(engine().CreateBucket({.bucket = "locked", .object_lock_enabled = true}).ok());
  engine::PutObjectRequest req{.bucket = "locked", .key = "doc"};
  const int64_t until = int64_t{4102444800} * 1'000'000'000;  // 2100-01-01T00:00:00Z
  req.lock.retention = engine::Retention{engine::LockMode::kCompliance, until};
  req.lock.legal_hold = true;
  auto w = engine().BeginPut(req);
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append(std::string_view("locked data")).ok());
  ASSERT_TRUE((*w)->Commit().has_value());
  std::vector<std::string> names = ReadDirNames(P("locked/.versions/doc"));
  ASSERT_EQ(names.size(), 1u);
  const std::string v = P("locked/.versions/doc/") + names[0];
  char buf[128];
  ssize_t n = ::getxattr(v.c_str(), "user.maxiofs.retention", buf, sizeof(buf));
  ASSERT_GT(n, 0) << std::strerror(errno);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "COMPLIANCE until 2100-01-01T00:00:00Z");
  n = ::getxattr(v.c_str(), "user.maxiofs.legal-hold", buf, sizeof(buf));
  ASSERT_EQ(n, 2);
  EXPECT_EQ(std::string(buf, 2), "ON");
  EXPECT_EQ(ReadFile(v), "locked data");
}

}  // namespace
}  // namespace maxiofs::fuse::testing
