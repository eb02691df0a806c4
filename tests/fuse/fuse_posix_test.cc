// The mount as a POSIX file system: special files (FIFOs, devices, sockets) as zero-length
// objects with s3fs's metadata, cp -a and tar of such trees, metadata-only attribute changes
// (no new version, no new ETag or Last-Modified), ctime and directory times, relatime.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace maxiofs::fuse::testing {
namespace {

const std::string* Meta(const engine::ObjectInfo& info, const std::string& name) {
  for (const auto& [k, v] : info.meta.user) {
    if (k == name) return &v;
  }
  return nullptr;
}

int64_t Ns(const struct timespec& ts) { return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec; }

struct stat Lstat(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p << ": " << std::strerror(errno);
  return st;
}

TEST_F(FuseTest, SpecialFilesAreObjectsWithTheirTypeInMetadata) {
  const mode_t old_umask = ::umask(0);
  ASSERT_EQ(::mkfifo(B("fifo").c_str(), 0640), 0) << std::strerror(errno);
  ASSERT_EQ(::mknod(B("null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << std::strerror(errno);
  ASSERT_EQ(::mknod(B("disk").c_str(), S_IFBLK | 0660, makedev(8, 1)), 0) << std::strerror(errno);
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock = B("sock");
  ASSERT_LT(sock.size(), sizeof(addr.sun_path));
  std::strcpy(addr.sun_path, sock.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << std::strerror(errno);
  ::close(s);
  ::umask(old_umask);

  auto check = [&] {
    EXPECT_TRUE(S_ISFIFO(Lstat(B("fifo")).st_mode));
    EXPECT_EQ(Lstat(B("fifo")).st_mode & 07777, 0640u);
    struct stat null = Lstat(B("null")), disk = Lstat(B("disk"));
    EXPECT_TRUE(S_ISCHR(null.st_mode));
    EXPECT_EQ(null.st_rdev, makedev(1, 3));
    EXPECT_TRUE(S_ISBLK(disk.st_mode));
    EXPECT_EQ(disk.st_rdev, makedev(8, 1));
    EXPECT_EQ(disk.st_size, 0);
    EXPECT_TRUE(S_ISSOCK(Lstat(sock).st_mode));
  };
  check();
  // As s3fs stores them: zero-length objects, the type in "mode", the device in "rdev".
  auto info = engine().HeadObject({.bucket = kBucket, .key = "null"});
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, 0u);
  ASSERT_NE(Meta(*info, "mode"), nullptr);
  EXPECT_EQ(*Meta(*info, "mode"), std::to_string(S_IFCHR | 0666));
  ASSERT_NE(Meta(*info, "rdev"), nullptr);
  EXPECT_EQ(*Meta(*info, "rdev"), std::to_string(makedev(1, 3)));
  // The mount is nodev (libfuse's default): its device nodes describe devices, they do not
  // open them.
  errno = 0;
  EXPECT_EQ(::open(B("null").c_str(), O_RDONLY), -1);
  EXPECT_EQ(errno, EACCES);
  // Readdir reports their types (d_type) too.
  std::string out;
  ASSERT_EQ(Shell("find " + B("") + " -mindepth 1 -printf '%f %y\\n' | sort", &out), 0);
  EXPECT_EQ(out, "disk b\nfifo p\nnull c\nsock s\n");
  Unmount();
  Mount();
  check();
}

TEST_F(FuseTest, CpArchiveAndTarOfATreeWithAFifoAndADeviceRoundTrip) {
  const std::string src = root_ + "/special-src";
  std::string out;
  ASSERT_EQ(Shell("set -e; mkdir -p " + src + "/sub; cd " + src +
                      "; mkfifo -m 0620 sub/pipe; mknod -m 0600 tty c 5 0;"
                      " mknod -m 0640 blk b 7 3; echo data > sub/file; chmod 751 sub;"
                      " chown 1234:5678 tty; touch -h -d '2003-04-05 06:07:08' sub/pipe",
                  &out),
            0)
      << out;
  auto describe = [&](const std::string& dir) {
    std::string d;
    EXPECT_EQ(Shell("cd " + dir + " && find . -printf '%p %y %m %U:%G\\n' | sort; cd " + dir +
                        " && stat -c '%n %t:%T' tty blk; stat -c '%n %Y' sub/pipe",
                    &d),
              0)
        << d;
    return d;
  };
  const std::string want = describe(src);
  ASSERT_EQ(Shell("cp -a " + src + " " + B("copy"), &out), 0) << out;
  EXPECT_EQ(describe(B("copy")), want);
  // And back out of the mount, as a restore would.
  ASSERT_EQ(Shell("cp -a " + B("copy") + " " + root_ + "/restored", &out), 0) << out;
  EXPECT_EQ(describe(root_ + "/restored"), want);
  // tar keeps them too.
  ASSERT_EQ(Shell("mkdir " + B("untar") + " && tar -C " + src + " -cf - . | tar -C " + B("untar") +
                      " -xpf -",
                  &out),
            0)
      << out;
  EXPECT_EQ(describe(B("untar")), want);
}

TEST_F(FuseTest, AttributeChangesAreMetadataOnly) {
  ASSERT_TRUE(engine().PutBucketVersioning(kBucket, engine::VersioningState::kEnabled).ok());
  WriteFile(B("f"), std::string(300000, 'z'));  // a blob
  auto before = engine().HeadObject({.bucket = kBucket, .key = "f"});
  ASSERT_TRUE(before.has_value());
  auto versions0 = engine().ListObjectVersions({.bucket = kBucket, .prefix = "f"});
  ASSERT_TRUE(versions0.has_value());
  const struct stat st0 = Lstat(B("f"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(::chmod(B("f").c_str(), 0600), 0);
  ASSERT_EQ(::chown(B("f").c_str(), 77, 88), 0);
  struct timespec times[2] = {{1000, 0}, {2000, 5}};
  ASSERT_EQ(::utimensat(AT_FDCWD, B("f").c_str(), times, 0), 0);
  ASSERT_EQ(::setxattr(B("f").c_str(), "user.note", "n", 1, 0), 0);
  auto after = engine().HeadObject({.bucket = kBucket, .key = "f"});
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->etag, before->etag);
  EXPECT_EQ(after->last_modified_ns, before->last_modified_ns);
  EXPECT_EQ(after->version_id, before->version_id);
  auto versions = engine().ListObjectVersions({.bucket = kBucket, .prefix = "f"});
  ASSERT_TRUE(versions.has_value());
  EXPECT_EQ(versions->versions.size(), versions0->versions.size());  // no copy onto itself
  const struct stat st1 = Lstat(B("f"));
  EXPECT_EQ(st1.st_mode & 07777, 0600u);
  EXPECT_EQ(st1.st_uid, 77u);
  EXPECT_EQ(st1.st_gid, 88u);
  EXPECT_EQ(st1.st_atim.tv_sec, 1000);
  EXPECT_EQ(Ns(st1.st_mtim), 2000'000'000'005);
  EXPECT_GT(Ns(st1.st_ctim), Ns(st0.st_ctim));  // every change moves ctime
  EXPECT_EQ(ReadFile(B("f")), std::string(300000, 'z'));
}

TEST_F(FuseTest, CtimeAndDirectoryTimesFollowChanges) {
  ASSERT_EQ(::mkdir(B("d").c_str(), 0755), 0);
  const struct stat d0 = Lstat(B("d"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  WriteFile(B("d/f"), "1");
  const struct stat d1 = Lstat(B("d"));
  EXPECT_GT(Ns(d1.st_mtim), Ns(d0.st_mtim));  // a new entry
  EXPECT_GT(Ns(d1.st_ctim), Ns(d0.st_ctim));
  const struct stat f1 = Lstat(B("d/f"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(::chmod(B("d/f").c_str(), 0640), 0);
  const struct stat f2 = Lstat(B("d/f"));
  EXPECT_GT(Ns(f2.st_ctim), Ns(f1.st_ctim));
  EXPECT_EQ(Ns(f2.st_mtim), Ns(f1.st_mtim));  // chmod leaves mtime
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  WriteFile(B("d/f"), "22");
  const struct stat f3 = Lstat(B("d/f"));
  EXPECT_GT(Ns(f3.st_mtim), Ns(f2.st_mtim));
  EXPECT_GE(Ns(f3.st_ctim), Ns(f3.st_mtim));
  ASSERT_EQ(::rename(B("d/f").c_str(), B("d/g").c_str()), 0);
  ASSERT_EQ(::unlink(B("d/g").c_str()), 0);
  const struct stat d2 = Lstat(B("d"));
  EXPECT_GT(Ns(d2.st_mtim), Ns(d1.st_mtim));
  // The bucket directory's times move as well.
  const struct stat b0 = Lstat(B(""));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(::mkdir(B("e").c_str(), 0755), 0);
  EXPECT_GT(Ns(Lstat(B("")).st_mtim), Ns(b0.st_mtim));
}

TEST_F(FuseTest, NoatimeByDefault) {
  WriteFile(B("f"), "x");
  struct timespec times[2] = {{1000, 0}, {UTIME_OMIT, UTIME_OMIT}};
  ASSERT_EQ(::utimensat(AT_FDCWD, B("f").c_str(), times, 0), 0);
  EXPECT_EQ(ReadFile(B("f")), "x");
  Unmount();
  Mount();
  EXPECT_EQ(Lstat(B("f")).st_atim.tv_sec, 1000);
}

class FuseRelatimeTest : public FuseTest {
 protected:
  void SetUp() override {
    atime_ = AtimeMode::kRelatime;
    FuseTest::SetUp();
  }
};

TEST_F(FuseRelatimeTest, AReadMovesAnOldAtime) {
  WriteFile(B("f"), "x");
  struct timespec times[2] = {{1000, 0}, {UTIME_OMIT, UTIME_OMIT}};
  ASSERT_EQ(::utimensat(AT_FDCWD, B("f").c_str(), times, 0), 0);
  EXPECT_EQ(ReadFile(B("f")), "x");
  Unmount();
  Mount();
  const int64_t atime = Lstat(B("f")).st_atim.tv_sec;
  EXPECT_GT(atime, 1000);
  // A fresh atime (after mtime and ctime, under a day old) stays: reads cost no write.
  EXPECT_EQ(ReadFile(B("f")), "x");
  Unmount();
  Mount();
  EXPECT_EQ(Lstat(B("f")).st_atim.tv_sec, atime);
}

}  // namespace
}  // namespace maxiofs::fuse::testing
