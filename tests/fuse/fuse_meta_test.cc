// Metadata: chmod/chown/utimens persist across a remount, s3fs-style metadata written by
// S3 shows up, symlinks, xattrs, statfs.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>

namespace maxiofs::fuse::testing {
namespace {

const std::string* Meta(const engine::ObjectInfo& info, const std::string& name) {
  for (const auto& [k, v] : info.meta.user) {
    if (k == name) return &v;
  }
  return nullptr;
}

TEST_F(FuseTest, ChmodChownUtimesPersistAfterRemount) {
  WriteFile(B("f"), "content");
  ASSERT_EQ(::mkdir(B("d").c_str(), 0755), 0);
  ASSERT_EQ(::chmod(B("f").c_str(), 0604), 0);
  ASSERT_EQ(::chown(B("f").c_str(), 1234, 5678), 0);
  struct timespec times[2] = {{1500000000, 0}, {1600000000, 123456789}};
  ASSERT_EQ(::utimensat(AT_FDCWD, B("f").c_str(), times, 0), 0);
  ASSERT_EQ(::chmod(B("d").c_str(), 0711), 0);
  struct timespec dtimes[2] = {{1500000000, 0}, {1400000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, B("d").c_str(), dtimes, 0), 0);

  Unmount();
  Mount();

  struct stat st {};
  ASSERT_EQ(::stat(B("f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode, S_IFREG | 0604u);
  EXPECT_EQ(st.st_uid, 1234u);
  EXPECT_EQ(st.st_gid, 5678u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1600000000);
  EXPECT_EQ(st.st_mtim.tv_nsec, 123456789);
  EXPECT_EQ(ReadFile(B("f")), "content");
  ASSERT_EQ(::stat(B("d").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode, S_IFDIR | 0711u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1400000000);

  auto info = engine().HeadObject({.bucket = kBucket, .key = "f", .preconditions = {}});
  ASSERT_TRUE(info.has_value());
  ASSERT_NE(Meta(*info, "mode"), nullptr);
  EXPECT_EQ(*Meta(*info, "mode"), std::to_string(S_IFREG | 0604));
  EXPECT_EQ(*Meta(*info, "uid"), "1234");
  EXPECT_EQ(*Meta(*info, "mtime"), "1600000000.123456789");
}

TEST_F(FuseTest, FutimensBeforeCloseIsKept) {
  // cp -a and tar set times on the fd before closing it.
  int fd = ::open(B("timed").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "abc", 3), 3);
  struct timespec times[2] = {{1000000000, 0}, {1000000001, 5}};
  ASSERT_EQ(::futimens(fd, times), 0);
  ASSERT_EQ(::close(fd), 0);
  struct stat st {};
  ASSERT_EQ(::stat(B("timed").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1000000001);
  EXPECT_EQ(st.st_mtim.tv_nsec, 5);
  EXPECT_EQ(st.st_size, 3);
}

TEST_F(FuseTest, S3fsMetadataFromS3IsShown) {
  PutObject("from-s3", "abc",
            {{"gid", "42"},
             {"mode", std::to_string(S_IFREG | 0600)},
             {"mtime", "1234567890"},
             {"uid", "7"}});
  struct stat st {};
  ASSERT_EQ(::stat(B("from-s3").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode, S_IFREG | 0600u);
  EXPECT_EQ(st.st_uid, 7u);
  EXPECT_EQ(st.st_gid, 42u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1234567890);
  EXPECT_EQ(st.st_size, 3);
  PutObject("plain", "xy");
  ASSERT_EQ(::stat(B("plain").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode, S_IFREG | 0644u);  // default 0666 & ~022
  EXPECT_EQ(st.st_uid, ::getuid());
}

TEST_F(FuseTest, Symlinks) {
  ASSERT_EQ(::symlink("../target/file", B("link").c_str()), 0);
  char buf[256] = {};
  ASSERT_EQ(::readlink(B("link").c_str(), buf, sizeof(buf)), 14);
  EXPECT_STREQ(buf, "../target/file");
  struct stat st {};
  ASSERT_EQ(::lstat(B("link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(st.st_size, 14);
  EXPECT_EQ(GetObject("link"), "../target/file");  // s3fs layout: the target is the body
  auto info = engine().HeadObject({.bucket = kBucket, .key = "link", .preconditions = {}});
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(*Meta(*info, "mode"), std::to_string(S_IFLNK | 0777));
  // Through the link.
  ASSERT_EQ(::mkdir(B("dir").c_str(), 0755), 0);
  WriteFile(B("dir/real"), "real");
  ASSERT_EQ(::symlink("real", B("dir/alias").c_str()), 0);
  EXPECT_EQ(ReadFile(B("dir/alias")), "real");
  errno = 0;
  EXPECT_EQ(::readlink(B("dir/real").c_str(), buf, sizeof(buf)), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(FuseTest, ExtendedAttributes) {
  WriteFile(B("x"), "1");
  const std::string p = B("x");
  ASSERT_EQ(::setxattr(p.c_str(), "user.color", "blue", 4, 0), 0);
  ASSERT_EQ(::setxattr(p.c_str(), "user.size", "XL", 2, XATTR_CREATE), 0);
  errno = 0;
  EXPECT_EQ(::setxattr(p.c_str(), "user.size", "S", 1, XATTR_CREATE), -1);
  EXPECT_EQ(errno, EEXIST);
  errno = 0;
  EXPECT_EQ(::setxattr(p.c_str(), "user.none", "S", 1, XATTR_REPLACE), -1);
  EXPECT_EQ(errno, ENODATA);
  char buf[256];
  ASSERT_EQ(::getxattr(p.c_str(), "user.color", buf, sizeof(buf)), 4);
  EXPECT_EQ(std::string(buf, 4), "blue");
  EXPECT_EQ(::getxattr(p.c_str(), "user.color", nullptr, 0), 4);
  errno = 0;
  EXPECT_EQ(::getxattr(p.c_str(), "user.missing", buf, sizeof(buf)), -1);
  EXPECT_EQ(errno, ENODATA);
  ssize_t n = ::listxattr(p.c_str(), buf, sizeof(buf));
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), std::string("user.color\0user.size\0", 21));
  auto info = engine().HeadObject({.bucket = kBucket, .key = "x", .preconditions = {}});
  ASSERT_TRUE(info.has_value());
  ASSERT_NE(Meta(*info, "color"), nullptr);
  EXPECT_EQ(*Meta(*info, "color"), "blue");
  ASSERT_EQ(::removexattr(p.c_str(), "user.color"), 0);
  errno = 0;
  EXPECT_EQ(::getxattr(p.c_str(), "user.color", buf, sizeof(buf)), -1);
  EXPECT_EQ(errno, ENODATA);
  errno = 0;
  EXPECT_EQ(::setxattr(p.c_str(), "user.mode", "1", 1, 0), -1);  // reserved
  EXPECT_EQ(errno, EPERM);
  errno = 0;
  EXPECT_EQ(::setxattr(p.c_str(), "trusted.x", "1", 1, 0), -1);
  EXPECT_TRUE(errno == ENOTSUP || errno == EPERM) << errno;
  // Namespaces other than user. are unsupported (so ls stops asking for SELinux labels).
  EXPECT_EQ(::getxattr(p.c_str(), "security.selinux", buf, sizeof(buf)), -1);
  EXPECT_EQ(errno, ENOTSUP);
  EXPECT_EQ(::removexattr(p.c_str(), "trusted.x"), -1);
  EXPECT_EQ(errno, ENOTSUP);
  EXPECT_EQ(ReadFile(p), "1");  // content untouched by metadata edits
}

TEST_F(FuseTest, StatfsReportsTheDataDirectory) {
  struct statvfs sv {};
  ASSERT_EQ(::statvfs(B("").c_str(), &sv), 0);
  EXPECT_GT(sv.f_bsize, 0u);
  EXPECT_GT(sv.f_blocks, 0u);
  EXPECT_EQ(sv.f_namemax, 255u);
}

TEST_F(FuseTest, MountpointChecks) {
  FuseOptions o;
  o.mountpoint = mnt_;  // already mounted
  auto busy = FuseMount::Start(o, engine());
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().code(), Status::Code::kBusy);
  o.mountpoint = root_ + "/missing";
  auto missing = FuseMount::Start(o, engine());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kNotFound);
  std::string nonempty = root_ + "/nonempty";
  ASSERT_EQ(::mkdir(nonempty.c_str(), 0755), 0);
  WriteFile(nonempty + "/file", "x");
  o.mountpoint = nonempty;
  auto full = FuseMount::Start(o, engine());
  ASSERT_FALSE(full.has_value());
  EXPECT_EQ(full.error().code(), Status::Code::kBusy);
  o.mountpoint = nonempty + "/file";
  auto notdir = FuseMount::Start(o, engine());
  ASSERT_FALSE(notdir.has_value());
  EXPECT_EQ(notdir.error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace maxiofs::fuse::testing
