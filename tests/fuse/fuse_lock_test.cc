// Object lock through the mount: every way to remove or replace a locked file fails with EPERM
// and changes nothing; the rule is the engine's (protect_locked), not the mount's.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

namespace maxiofs::fuse::testing {
namespace {

class FuseLockTest : public FuseTest {
 protected:
  void SetUp() override {
    FuseTest::SetUp();
    engine::CreateBucketRequest c;
    c.bucket = "locked";
    c.object_lock_enabled = true;
    ASSERT_TRUE(engine().CreateBucket(c).ok());
  }
  void PutLocked(const std::string& key, std::string_view body, bool hold, int64_t retain_s) {
    engine::PutObjectRequest req;
    req.bucket = "locked";
    req.key = key;
    if (hold) req.lock.legal_hold = true;
    if (retain_s > 0) {
      const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      req.lock.retention =
          engine::Retention{engine::LockMode::kCompliance, now + retain_s * 1000000000LL};
    }
    auto w = engine().BeginPut(req);
    ASSERT_TRUE(w.has_value()) << w.error().ToString();
    ASSERT_TRUE((*w)->Append(body).ok());
    ASSERT_TRUE((*w)->Commit().has_value());
  }
  std::string Current(const std::string& key) {
    engine::GetObjectRequest g;
    g.bucket = "locked";
    g.key = key;
    auto r = engine().GetObject(g);
    if (!r.has_value()) return "<" + std::string(Status::CodeName(r.error().code())) + ">";
    std::string out(static_cast<size_t>((*r)->length()), '\0');
    size_t got = 0;
    while (got < out.size()) {
      auto n = (*r)->Read(std::span<char>(out).subspan(got));
      if (!n.has_value() || *n == 0) break;
      got += *n;
    }
    return out;
  }
};

TEST_F(FuseLockTest, LockedFilesRefuseUnlinkOverwriteTruncateAndRename) {
  PutLocked("held.txt", "legal hold", true, 0);
  PutLocked("dir/kept.txt", "compliance", false, 3600);
  const std::string held = P("locked/held.txt");
  ASSERT_EQ(ReadFile(held), "legal hold");

  errno = 0;
  EXPECT_EQ(unlink(held.c_str()), -1);
  EXPECT_EQ(errno, EPERM);
  // Overwrite: the error surfaces at open (O_TRUNC commits) or at close.
  int fd = open(held.c_str(), O_WRONLY | O_TRUNC);
  if (fd >= 0) {
    ssize_t w = write(fd, "new", 3);
    (void)w;
    errno = 0;
    EXPECT_EQ(close(fd), -1);
    EXPECT_EQ(errno, EPERM);
  } else {
    EXPECT_EQ(errno, EPERM);
  }
  errno = 0;
  EXPECT_EQ(truncate(held.c_str(), 0), -1);
  EXPECT_EQ(errno, EPERM);
  errno = 0;
  EXPECT_EQ(rename(held.c_str(), P("locked/moved.txt").c_str()), -1);
  EXPECT_EQ(errno, EPERM);
  WriteFile(P("locked/other.txt"), "other");
  errno = 0;
  EXPECT_EQ(rename(P("locked/other.txt").c_str(), held.c_str()), -1);  // rename over it
  EXPECT_EQ(errno, EPERM);
  errno = 0;
  EXPECT_EQ(rename(P("locked/dir").c_str(), P("locked/dir2").c_str()), -1);
  EXPECT_EQ(errno, EPERM);

  // Nothing changed, seen through the engine (as S3 would see it) and through the mount.
  EXPECT_EQ(Current("held.txt"), "legal hold");
  EXPECT_EQ(Current("dir/kept.txt"), "compliance");
  EXPECT_EQ(Current("moved.txt"), "<NoSuchKey>");
  EXPECT_EQ(ReadFile(held), "legal hold");
  EXPECT_EQ(ReadFile(P("locked/dir/kept.txt")), "compliance");

  // Unlocked files in the same bucket behave normally.
  EXPECT_EQ(unlink(P("locked/other.txt").c_str()), 0);
  // Lifting the legal hold makes the file removable.
  ASSERT_TRUE(engine().PutObjectLegalHold("locked", "held.txt", "", false).ok());
  EXPECT_EQ(unlink(held.c_str()), 0);
}

}  // namespace
}  // namespace maxiofs::fuse::testing
