// Real tools against the in-process mount (the FUSE loop runs on other threads of this
// process, so forked tools can use it): cp -a, rsync -a, tar, git clone/status/fsck.
#include "fuse_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

namespace maxiofs::fuse::testing {
namespace {

class FuseToolsTest : public FuseTest {
 protected:
  void SetUp() override {
    FuseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    src_ = root_ + "/src";
    // A small tree with modes, a symlink, an empty dir, nested dirs and a 3 MiB file.
    std::string out;
    int rc = Shell("set -e; mkdir -p " + src_ + "/a/b " + src_ + "/empty; cd " + src_ +
                       "; echo hello > a/hello.txt; printf 'x%.0s' $(seq 1 1000) > a/b/k.txt;"
                       " head -c 3145728 /dev/urandom > big.bin; chmod 600 a/hello.txt;"
                       " chmod 751 a/b; ln -s a/hello.txt link; touch -d '2001-02-03 04:05:06'"
                       " a/b/k.txt",
                   &out);
    ASSERT_EQ(rc, 0) << out;
  }
  std::string src_;
};

TEST_F(FuseToolsTest, CpArchive) {
  std::string out;
  ASSERT_EQ(Shell("cp -a " + src_ + " " + B("copy"), &out), 0) << out;
  ASSERT_EQ(Shell("diff -r " + src_ + " " + B("copy"), &out), 0) << out;
  struct stat a {
  }, b{};
  ASSERT_EQ(::stat((src_ + "/a/hello.txt").c_str(), &a), 0);
  ASSERT_EQ(::stat(B("copy/a/hello.txt").c_str(), &b), 0);
  EXPECT_EQ(a.st_mode, b.st_mode);
  ASSERT_EQ(::stat((src_ + "/a/b/k.txt").c_str(), &a), 0);
  ASSERT_EQ(::stat(B("copy/a/b/k.txt").c_str(), &b), 0);
  EXPECT_EQ(a.st_mtim.tv_sec, b.st_mtim.tv_sec);
  ASSERT_EQ(::stat((src_ + "/a/b").c_str(), &a), 0);
  ASSERT_EQ(::stat(B("copy/a/b").c_str(), &b), 0);
  EXPECT_EQ(a.st_mode, b.st_mode);
  ASSERT_EQ(::lstat(B("copy/link").c_str(), &b), 0);
  EXPECT_TRUE(S_ISLNK(b.st_mode));
}

TEST_F(FuseToolsTest, RsyncArchiveKeepsModesAndTimes) {
  std::string out;
  if (Shell("command -v rsync", &out) != 0) GTEST_SKIP() << "rsync not installed";
  ASSERT_EQ(Shell("rsync -a " + src_ + "/ " + B("rs") + "/", &out), 0) << out;
  ASSERT_EQ(Shell("diff -r " + src_ + " " + B("rs"), &out), 0) << out;
  // A second run finds nothing to do: modes, times and sizes all came through.
  ASSERT_EQ(Shell("rsync -a --itemize-changes " + src_ + "/ " + B("rs") + "/", &out), 0) << out;
  EXPECT_EQ(out, "") << "rsync wanted to change:\n" << out;
}

TEST_F(FuseToolsTest, TarExtractAndCompare) {
  std::string out;
  std::string tarball = root_ + "/tree.tar";
  ASSERT_EQ(Shell("tar -C " + src_ + " -cf " + tarball + " .", &out), 0) << out;
  ASSERT_EQ(::mkdir(B("untar").c_str(), 0755), 0);
  ASSERT_EQ(Shell("tar -C " + B("untar") + " -xpf " + tarball, &out), 0) << out;
  ASSERT_EQ(Shell("tar -C " + B("untar") + " -df " + tarball, &out), 0) << out;
}

TEST_F(FuseToolsTest, GitCloneStatusFsck) {
  std::string out;
  std::string repo = root_ + "/repo";
  ASSERT_EQ(Shell("set -e; git init -q " + repo + "; cd " + repo +
                      "; git config user.email t@example.com; git config user.name t;"
                      " cp -a " +
                      src_ +
                      "/. .; git add -A; git commit -q -m one;"
                      " echo more >> a/hello.txt; git commit -q -am two",
                  &out),
            0)
      << out;
  ASSERT_EQ(Shell("git clone -q " + repo + " " + B("clone"), &out), 0) << out;
  ASSERT_EQ(Shell("cd " + B("clone") + " && git status --porcelain", &out), 0) << out;
  EXPECT_EQ(out, "");
  ASSERT_EQ(Shell("cd " + B("clone") + " && git fsck --full", &out), 0) << out;
  ASSERT_EQ(Shell("cd " + B("clone") +
                      " && echo change >> a/hello.txt && git commit -q -am three"
                      " && git log --oneline | wc -l",
                  &out),
            0)
      << out;
  EXPECT_EQ(out, "3\n");
}

}  // namespace
}  // namespace maxiofs::fuse::testing
