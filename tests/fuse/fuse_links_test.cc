// Hard links through the mount: one inode for all names, st_nlink, writes and attribute
// changes through any name, unlink of one name, the refusals link(2) defines, and git clone
// --local (which hard-links the object files of the source repository).
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace maxiofs::fuse::testing {
namespace {

struct stat Lstat(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p << ": " << std::strerror(errno);
  return st;
}

TEST_F(FuseTest, HardLinksShareOneInode) {
  ASSERT_EQ(::mkdir(B("d").c_str(), 0755), 0);
  WriteFile(B("a"), "first");
  ASSERT_EQ(::link(B("a").c_str(), B("d/b").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(::link(B("d/b").c_str(), B("c").c_str()), 0) << std::strerror(errno);
  struct stat a = Lstat(B("a")), b = Lstat(B("d/b")), c = Lstat(B("c"));
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_EQ(a.st_ino, c.st_ino);
  EXPECT_EQ(a.st_nlink, 3u);
  EXPECT_EQ(b.st_nlink, 3u);
  // A write through one name is read through the others, and so are attribute changes.
  WriteFile(B("d/b"), "second, longer");
  EXPECT_EQ(ReadFile(B("a")), "second, longer");
  EXPECT_EQ(ReadFile(B("c")), "second, longer");
  ASSERT_EQ(::chmod(B("c").c_str(), 0604), 0);
  ASSERT_EQ(::chown(B("c").c_str(), 12, 34), 0);
  for (const char* n : {"a", "d/b", "c"}) {
    struct stat st = Lstat(B(n));
    EXPECT_EQ(st.st_mode & 07777, 0604u) << n;
    EXPECT_EQ(st.st_uid, 12u) << n;
    EXPECT_EQ(st.st_gid, 34u) << n;
  }
  // S3 sees three independent-looking objects with the same content.
  EXPECT_EQ(GetObject("d/b"), "second, longer");
  auto info = engine().HeadObject({.bucket = kBucket, .key = "c"});
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->link_count, 3u);
  // Unlinking one name keeps the file under the others.
  ASSERT_EQ(::unlink(B("a").c_str()), 0);
  EXPECT_EQ(Lstat(B("c")).st_nlink, 2u);
  EXPECT_EQ(ReadFile(B("d/b")), "second, longer");
  // Renaming a name keeps it linked.
  ASSERT_EQ(::rename(B("c").c_str(), B("e").c_str()), 0);
  EXPECT_EQ(Lstat(B("e")).st_ino, b.st_ino);
  EXPECT_EQ(Lstat(B("e")).st_nlink, 2u);
  WriteFile(B("e"), "third");
  EXPECT_EQ(ReadFile(B("d/b")), "third");
  ASSERT_EQ(::unlink(B("d/b").c_str()), 0);
  EXPECT_EQ(Lstat(B("e")).st_nlink, 1u);
  // Still linked after a remount (the engine keeps the group).
  ASSERT_EQ(::link(B("e").c_str(), B("f").c_str()), 0);
  Unmount();
  Mount();
  EXPECT_EQ(Lstat(B("e")).st_ino, Lstat(B("f")).st_ino);
  EXPECT_EQ(Lstat(B("f")).st_nlink, 2u);
  WriteFile(B("f"), "after remount");
  EXPECT_EQ(ReadFile(B("e")), "after remount");
}

TEST_F(FuseTest, LinkRefusals) {
  WriteFile(B("a"), "x");
  WriteFile(B("b"), "y");
  ASSERT_EQ(::mkdir(B("dir").c_str(), 0755), 0);
  errno = 0;
  EXPECT_EQ(::link(B("a").c_str(), B("b").c_str()), -1);
  EXPECT_EQ(errno, EEXIST);
  errno = 0;
  EXPECT_EQ(::link(B("dir").c_str(), B("dir2").c_str()), -1);
  EXPECT_EQ(errno, EPERM);
  errno = 0;
  EXPECT_EQ(::link(B("missing").c_str(), B("m").c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
  ASSERT_EQ(::mkdir(P("other-bucket").c_str(), 0755), 0);
  errno = 0;
  EXPECT_EQ(::link(B("a").c_str(), P("other-bucket/a").c_str()), -1);
  EXPECT_EQ(errno, EXDEV);
  EXPECT_EQ(ReadFile(B("b")), "y");
  EXPECT_EQ(Lstat(B("a")).st_nlink, 1u);
}

TEST_F(FuseTest, AnS3WriteDetachesOneName) {
  WriteFile(B("a"), "linked");
  ASSERT_EQ(::link(B("a").c_str(), B("b").c_str()), 0);
  PutObject("b", "from s3");
  // The kernel is told; the two names are two files now.
  ASSERT_TRUE(WaitFor([&] { return ReadFile(B("b")) == "from s3"; }, std::chrono::seconds(5)));
  EXPECT_EQ(ReadFile(B("a")), "linked");
  EXPECT_TRUE(WaitFor([&] { return Lstat(B("a")).st_nlink == 1; }, std::chrono::seconds(5)));
  EXPECT_NE(Lstat(B("a")).st_ino, Lstat(B("b")).st_ino);
}

// rename(2) over one name of a hard-linked file: the other name stays, with one link less and
// a new ctime (pjdfstest rename/23).
TEST_F(FuseTest, RenameOverANameOfALinkedFile) {
  WriteFile(B("src"), "new");
  WriteFile(B("dst"), "old");
  ASSERT_EQ(::link(B("dst").c_str(), B("other").c_str()), 0) << std::strerror(errno);
  const struct stat before = Lstat(B("other"));
  EXPECT_EQ(before.st_nlink, 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // ctime has ns resolution
  ASSERT_EQ(::rename(B("src").c_str(), B("dst").c_str()), 0) << std::strerror(errno);
  EXPECT_EQ(ReadFile(B("dst")), "new");
  EXPECT_EQ(ReadFile(B("other")), "old");
  const struct stat after = Lstat(B("other"));
  EXPECT_EQ(after.st_nlink, 1u);
  EXPECT_GT(after.st_ctim.tv_sec * 1'000'000'000LL + after.st_ctim.tv_nsec,
            before.st_ctim.tv_sec * 1'000'000'000LL + before.st_ctim.tv_nsec);
  EXPECT_NE(Lstat(B("dst")).st_ino, after.st_ino);
}

TEST_F(FuseTest, GitCloneLocalHardLinksAndWorks) {
  std::string out;
  if (Shell("command -v git", &out) != 0) GTEST_SKIP() << "git not installed";
  const std::string git = "git -c user.name=t -c user.email=t@e -c init.defaultBranch=main ";
  ASSERT_EQ(Shell("set -e; cd " + B("") + "; " + git + "init -q src; cd src; " +
                      "for i in 1 2 3; do echo v$i > f$i; " + git + "add f$i; " + git +
                      "commit -qm c$i; done",
                  &out),
            0)
      << out;
  ASSERT_EQ(Shell("cd " + B("") + " && " + git + "clone -q --local src clone", &out), 0) << out;
  // git hard-linked the object files rather than copying them.
  ASSERT_EQ(Shell("cd " + B("clone") + " && find .git/objects -type f -links +1 | wc -l", &out), 0);
  EXPECT_GT(std::stoi(out), 0) << "no hard-linked objects";
  ASSERT_EQ(Shell("cd " + B("clone") + " && git fsck --strict 2>&1 && git log --format=%s", &out),
            0)
      << out;
  EXPECT_NE(out.find("c3\nc2\nc1\n"), std::string::npos) << out;
  ASSERT_EQ(Shell("cd " + B("clone") + " && cat f1 f2 f3 && git status --porcelain", &out), 0)
      << out;
  EXPECT_EQ(out, "v1\nv2\nv3\n");
  // The clone goes its own way: a commit there leaves the source as it was.
  ASSERT_EQ(Shell("set -e; cd " + B("clone") + "; echo new > f1; " + git + "commit -qam c4; cd " +
                      B("src") + "; git log --format=%s | head -1; git fsck --strict",
                  &out),
            0)
      << out;
  EXPECT_EQ(out.substr(0, 3), "c3\n");
}

}  // namespace
}  // namespace maxiofs::fuse::testing
