// POSIX permission rules for users other than root, through a mount with allow_other: each
// check runs a small python3 script under setpriv as an unprivileged user (uid 65534 and
// friends) and compares the errno names it prints. The rules are the kernel's
// (default_permissions) over the mode, owner and group the mount stores; the mount's part is
// to store and report them right (owners of new files, set-group-ID directories, suid/sgid
// cleared on write and chown, EPERM for chmod/chown by a non-owner).
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace maxiofs::fuse::testing {
namespace {

constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;
constexpr uid_t kOther = 65533;
constexpr gid_t kTeam = 4242;

class FusePermissionsTest : public FuseTest {
 protected:
  void SetUp() override {
    allow_other_ = true;
    FuseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::string out;
    if (Shell("command -v setpriv && test -x /usr/bin/python3", &out) != 0) {
      GTEST_SKIP() << "setpriv or /usr/bin/python3 missing: " << out;
    }
    // Other users must reach the mount (mkdtemp made the test root 0700).
    ASSERT_EQ(::chmod(root_.c_str(), 0755), 0);
    ASSERT_EQ(::chmod(B("").c_str(), 0777), 0);
  }

  // Runs python3 `body` as uid:gid with supplementary `groups`; `t(f, *args)` in the body prints
  // "ok" or the errno name of the OSError f raised. Returns the printed lines.
  std::string As(uid_t uid, gid_t gid, const std::string& groups, const std::string& body) {
    const std::string script = root_ + "/as-user.py";
    {
      std::ofstream f(script);
      f << "import errno, os, sys\n"
           "def t(f, *a):\n"
           "    try:\n"
           "        f(*a)\n"
           "        print('ok')\n"
           "    except OSError as e:\n"
           "        print(errno.errorcode[e.errno])\n"
           "def write(p, data, flags=os.O_WRONLY):\n"
           "    fd = os.open(p, flags, 0o644)\n"
           "    os.write(fd, data)\n"
           "    os.close(fd)\n"
           "def read(p):\n"
           "    fd = os.open(p, os.O_RDONLY)\n"
           "    os.read(fd, 100)\n"
           "    os.close(fd)\n"
           "os.chdir(sys.argv[1])\n"
        << body << "\n";
    }
    ::chmod(script.c_str(), 0644);
    std::string cmd = "setpriv --reuid=" + std::to_string(uid) + " --regid=" + std::to_string(gid) +
                      (groups.empty() ? " --clear-groups" : " --groups=" + groups) +
                      " /usr/bin/python3 " + script + " " + B("");
    std::string out;
    int rc = Shell(cmd, &out, 60);
    EXPECT_EQ(rc, 0) << out;
    return out;
  }

  static struct stat Stat(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st;
  }
};

TEST_F(FusePermissionsTest, ModeBitsDecideWhoReadsAndWrites) {
  WriteFile(B("private"), "secret");
  ASSERT_EQ(::chmod(B("private").c_str(), 0600), 0);
  WriteFile(B("public"), "hello");
  ASSERT_EQ(::chmod(B("public").c_str(), 0644), 0);
  WriteFile(B("team"), "t");
  ASSERT_EQ(::chown(B("team").c_str(), 0, kTeam), 0);
  ASSERT_EQ(::chmod(B("team").c_str(), 0660), 0);
  EXPECT_EQ(As(kNobody, kNogroup, "",
               "t(read, 'private')\n"
               "t(read, 'public')\n"
               "t(write, 'public', b'x')\n"
               "t(read, 'team')\n"),
            "EACCES\nok\nEACCES\nEACCES\n");
  // A supplementary group is enough for the group bits.
  EXPECT_EQ(As(kNobody, kNogroup, std::to_string(kTeam),
               "t(read, 'team')\n"
               "t(write, 'team', b'y')\n"),
            "ok\nok\n");
  EXPECT_EQ(ReadFile(B("team")), "y");
  EXPECT_EQ(ReadFile(B("public")), "hello");
}

TEST_F(FusePermissionsTest, OnlyTheOwnerChangesModesAndOnlyRootChangesOwners) {
  WriteFile(B("rootfile"), "r");
  ASSERT_EQ(::chmod(B("rootfile").c_str(), 0666), 0);
  EXPECT_EQ(As(kNobody, kNogroup, "",
               "t(os.chmod, 'rootfile', 0o600)\n"
               "t(os.chown, 'rootfile', 65534, 65534)\n"
               "t(os.utime, 'rootfile', (1, 1))\n"  // explicit times: owner only
               "t(os.utime, 'rootfile', None)\n"    // now: anyone who may write
               "write('mine', b'm', os.O_WRONLY | os.O_CREAT)\n"
               "t(os.chmod, 'mine', 0o640)\n"
               "t(os.chown, 'mine', 0, 65534)\n"     // giving a file away: root only
               "t(os.chown, 'mine', -1, 65534)\n"),  // own group: fine
            "EPERM\nEPERM\nEPERM\nok\nok\nEPERM\nok\n");
  struct stat st = Stat(B("rootfile"));
  EXPECT_EQ(st.st_mode & 07777, 0666u);
  EXPECT_EQ(st.st_uid, 0u);
  st = Stat(B("mine"));
  EXPECT_EQ(st.st_uid, kNobody);  // new files belong to their creator
  EXPECT_EQ(st.st_gid, kNogroup);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(FusePermissionsTest, StickyDirectoriesProtectOthersFiles) {
  ASSERT_EQ(::mkdir(B("tmp").c_str(), 01777), 0);
  ASSERT_EQ(::chmod(B("tmp").c_str(), 01777), 0);
  EXPECT_EQ(As(kNobody, kNogroup, "", "write('tmp/n', b'n', os.O_WRONLY | os.O_CREAT)"), "");
  EXPECT_EQ(As(kOther, kOther, "",
               "write('tmp/o', b'o', os.O_WRONLY | os.O_CREAT)\n"
               "t(os.unlink, 'tmp/n')\n"
               "t(os.rename, 'tmp/n', 'tmp/stolen')\n"
               "t(os.unlink, 'tmp/o')\n"),
            "EPERM\nEPERM\nok\n");
  EXPECT_EQ(ReadFile(B("tmp/n")), "n");
  // Without the sticky bit, write permission on the directory is enough.
  ASSERT_EQ(::chmod(B("tmp").c_str(), 0777), 0);
  EXPECT_EQ(As(kOther, kOther, "", "t(os.unlink, 'tmp/n')"), "ok\n");
}

TEST_F(FusePermissionsTest, SetIdBitsAreClearedOnWriteAndChown) {
  WriteFile(B("suid"), "x");
  ASSERT_EQ(::chmod(B("suid").c_str(), 06777), 0);
  EXPECT_EQ(Stat(B("suid")).st_mode & 07777, 06777u);
  EXPECT_EQ(As(kNobody, kNogroup, "", "t(write, 'suid', b'y')"), "ok\n");
  EXPECT_EQ(Stat(B("suid")).st_mode & 07777, 0777u);  // a write by someone else drops them
  ASSERT_EQ(::chmod(B("suid").c_str(), 04755), 0);
  ASSERT_EQ(::chown(B("suid").c_str(), 1000, 1000), 0);
  EXPECT_EQ(Stat(B("suid")).st_mode & 07777, 0755u);  // so does a chown
  // chmod by a non-member of the file's group cannot set the set-group-ID bit.
  ASSERT_EQ(::chown(B("suid").c_str(), kNobody, 1000), 0);
  EXPECT_EQ(As(kNobody, kNogroup, "", "t(os.chmod, 'suid', 0o2755)"), "ok\n");
  EXPECT_EQ(Stat(B("suid")).st_mode & 07777, 0755u);
}

TEST_F(FusePermissionsTest, SetGroupIdDirectoriesHandDownTheirGroup) {
  ASSERT_EQ(::mkdir(B("shared").c_str(), 0777), 0);
  ASSERT_EQ(::chown(B("shared").c_str(), 0, kTeam), 0);
  ASSERT_EQ(::chmod(B("shared").c_str(), 02777), 0);
  EXPECT_EQ(As(kNobody, kNogroup, "",
               "write('shared/f', b'f', os.O_WRONLY | os.O_CREAT)\n"
               "os.mkdir('shared/d')\n"),
            "");
  struct stat f = Stat(B("shared/f")), d = Stat(B("shared/d"));
  EXPECT_EQ(f.st_uid, kNobody);
  EXPECT_EQ(f.st_gid, kTeam);
  EXPECT_EQ(d.st_gid, kTeam);
  EXPECT_TRUE(d.st_mode & S_ISGID);
}

TEST_F(FusePermissionsTest, BucketDirectoriesKeepTheirOwnerAndMode) {
  // The bucket directory's mode was set in SetUp (0777); give it an owner and the sticky bit.
  ASSERT_EQ(::chown(B("").c_str(), kOther, kOther), 0);
  ASSERT_EQ(::chmod(B("").c_str(), 01755), 0);
  EXPECT_EQ(As(kNobody, kNogroup, "", "t(write, 'x', b'x', os.O_WRONLY | os.O_CREAT)"), "EACCES\n");
  Unmount();
  Mount();
  struct stat st = Stat(B(""));
  EXPECT_EQ(st.st_mode, S_IFDIR | 01755u);
  EXPECT_EQ(st.st_uid, kOther);
  EXPECT_EQ(As(kOther, kOther, "", "t(write, 'x', b'x', os.O_WRONLY | os.O_CREAT)"), "ok\n");
  // A bucket made through the mount belongs to its maker.
  ASSERT_EQ(::chmod(P("").c_str(), 0777), 0);  // the root keeps no metadata: a no-op
  ASSERT_EQ(::mkdir(P("newbucket").c_str(), 0750), 0);
  st = Stat(P("newbucket"));
  EXPECT_EQ(st.st_mode, S_IFDIR | 0750u);
  EXPECT_EQ(st.st_uid, ::getuid());
}

}  // namespace
}  // namespace maxiofs::fuse::testing
