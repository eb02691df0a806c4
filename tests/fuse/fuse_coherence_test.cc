// Coherence: changes made directly through the engine (as the S3 front end makes them) are
// seen by stat/readdir/read in the mount at once; plus stale-mount recovery.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace maxiofs::fuse::testing {
namespace {

using std::chrono::milliseconds;

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

TEST_F(FuseTest, EngineWritesAreSeenAtOnce) {
  // Prime the kernel's caches: a negative entry, a positive one with cached data.
  EXPECT_FALSE(Exists(B("news")));
  PutObject("doc", "version one");
  EXPECT_EQ(ReadFile(B("doc")), "version one");

  PutObject("news", "fresh");
  auto d1 = WaitFor([&] { return Exists(B("news")); }, milliseconds(5000));
  ASSERT_TRUE(d1.has_value()) << "a new object never appeared";

  PutObject("doc", "version two, longer");
  auto d2 =
      WaitFor([&] { return ReadFile(B("doc")) == "version two, longer"; }, milliseconds(5000));
  ASSERT_TRUE(d2.has_value()) << "an overwrite never became visible";

  auto del = engine().DeleteObject({.bucket = kBucket, .key = "doc", .preconditions = {}});
  ASSERT_TRUE(del.has_value());
  auto d3 = WaitFor([&] { return !Exists(B("doc")); }, milliseconds(5000));
  ASSERT_TRUE(d3.has_value()) << "a delete never became visible";

  auto names_now = [&] { return ReadDirNames(B("")); };
  PutObject("dir/inner", "1");
  auto d4 = WaitFor(
      [&] {
        auto n = names_now();
        return std::find(n.begin(), n.end(), "dir") != n.end() && Exists(B("dir/inner"));
      },
      milliseconds(5000));
  ASSERT_TRUE(d4.has_value());
  std::printf(
      "[fuse-metric] coherence delay (engine write -> visible in mount): new=%lld us "
      "overwrite=%lld us delete=%lld us new-dir=%lld us\n",
      static_cast<long long>(d1->count()), static_cast<long long>(d2->count()),
      static_cast<long long>(d3->count()), static_cast<long long>(d4->count()));
  EXPECT_GT(mount().invalidations(), 0u);
}

TEST_F(FuseTest, BucketCreatedThroughEngineAppears) {
  EXPECT_FALSE(Exists(P("late-bucket")));
  ASSERT_TRUE(engine().CreateBucket({.bucket = "late-bucket"}).ok());
  ASSERT_TRUE(WaitFor([&] { return Exists(P("late-bucket")); }, milliseconds(5000)).has_value());
}

TEST_F(FuseTest, StopReturnsWhileAFileIsStillOpen) {
  WriteFile(B("held"), "x");
  int fd = ::open(B("held").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  auto start = std::chrono::steady_clock::now();
  Unmount();  // lazy unmount cannot end a busy connection: Stop aborts it
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_LT(secs, 30);
  char c;
  EXPECT_EQ(::read(fd, &c, 1) == 1 ? 0 : errno, ENOTCONN);  // the fd is dead, not hung
  ::close(fd);
  Mount();  // and the mountpoint is usable again
  EXPECT_EQ(ReadFile(B("held")), "x");
}

TEST_F(FuseTest, StaleMountIsCleared) {
  std::string stale = root_ + "/stale";
  ASSERT_EQ(::mkdir(stale.c_str(), 0755), 0);
  int fd = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::string opts = "fd=" + std::to_string(fd) + ",rootmode=40000,user_id=0,group_id=0";
  ASSERT_EQ(::mount("stale", stale.c_str(), "fuse.stale", MS_NOSUID | MS_NODEV, opts.c_str()), 0)
      << std::strerror(errno);
  ::close(fd);  // the "server" dies
  struct stat st {};
  errno = 0;
  EXPECT_EQ(::stat(stale.c_str(), &st), -1);
  EXPECT_EQ(errno, ENOTCONN);
  FuseOptions o;
  o.mountpoint = stale;
  o.data_dir = data_;
  auto m = FuseMount::Start(o, engine());
  if (!m.has_value()) ::umount2(stale.c_str(), MNT_DETACH);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_TRUE(Exists(stale + "/" + kBucket));
  (*m)->Stop();
}

}  // namespace
}  // namespace maxiofs::fuse::testing
