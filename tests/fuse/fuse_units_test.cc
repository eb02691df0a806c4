// Unit tests of the mount's pure parts: node paths, POSIX metadata encoding, errno mapping.
#include "errno_map.h"
#include "inode_table.h"
#include "node_path.h"
#include "posix_attrs.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace maxiofs::fuse {
namespace {

TEST(NodePath, SplitAndChildren) {
  EXPECT_EQ(SplitPath("b/").bucket, "b");
  EXPECT_EQ(SplitPath("b/").key, "");
  EXPECT_EQ(SplitPath("b/a/x").key, "a/x");
  EXPECT_EQ(ChildPath("", "b", true), "b/");
  EXPECT_EQ(ChildPath("b/a/", "x", false), "b/a/x");
  auto [p, n] = ParentAndName("b/a/x");
  EXPECT_EQ(p, "b/a/");
  EXPECT_EQ(n, "x");
  auto [p2, n2] = ParentAndName("b/a/");
  EXPECT_EQ(p2, "b/");
  EXPECT_EQ(n2, "a");
}

TEST(NodePath, RepresentableKeys) {
  EXPECT_TRUE(IsRepresentableKey("a/b/c"));
  EXPECT_TRUE(IsRepresentableKey("a/b/"));
  EXPECT_FALSE(IsRepresentableKey("a//b"));
  EXPECT_FALSE(IsRepresentableKey("/a"));
  EXPECT_FALSE(IsRepresentableKey("a/./b"));
  EXPECT_FALSE(IsRepresentableKey("../a"));
  EXPECT_FALSE(IsRepresentableKey(std::string(256, 'x')));
  EXPECT_TRUE(IsRepresentableKey(std::string(255, 'x')));
}

TEST(PosixAttrs, RoundTripsS3fsEncoding) {
  UserMeta user = {{"color", "blue"}};
  PosixAttrs a{.mode = S_IFREG | 0640, .uid = 1000, .gid = 100, .mtime_ns = 1600000000123456789};
  StoreAttrs(a, &user);
  ASSERT_NE(FindUserMeta(user, "mode"), nullptr);
  EXPECT_EQ(*FindUserMeta(user, "mode"), std::to_string(S_IFREG | 0640));
  EXPECT_EQ(*FindUserMeta(user, "mtime"), "1600000000.123456789");
  EXPECT_TRUE(std::is_sorted(user.begin(), user.end()));
  PosixAttrs b{.mode = S_IFREG | 0644};
  ApplyUserMeta(user, true, &b);
  EXPECT_EQ(b.mode, a.mode);
  EXPECT_EQ(b.uid, 1000u);
  EXPECT_EQ(b.gid, 100u);
  EXPECT_EQ(b.mtime_ns, a.mtime_ns);
  EXPECT_EQ(ParseMtime("1600000000"), 1600000000000000000);
  EXPECT_EQ(ParseMtime("12.5"), 12500000000);
  EXPECT_FALSE(ParseMtime("abc").has_value());
  EXPECT_FALSE(ParseMtime("1.").has_value());
  // Garbage is ignored, never an error.
  PosixAttrs c{.mode = S_IFREG | 0644};
  ApplyUserMeta({{"mode", "junk"}, {"uid", "-1"}}, true, &c);
  EXPECT_EQ(c.mode, S_IFREG | 0644u);
}

TEST(PosixAttrs, SpecialFilesTimesAndReservedNames) {
  UserMeta user;
  PosixAttrs dev{.mode = S_IFCHR | 0600, .uid = 1, .gid = 2, .rdev = 0x0801};
  dev.mtime_ns = 10;
  dev.ctime_ns = 20;
  dev.atime_ns = 30;
  StoreAttrs(dev, &user);
  EXPECT_EQ(*FindUserMeta(user, "rdev"), "2049");
  EXPECT_EQ(*FindUserMeta(user, "ctime"), "0.000000020");
  PosixAttrs got{.mode = S_IFREG | 0644};
  ApplyUserMeta(user, /*is_file=*/true, &got);
  EXPECT_EQ(got.mode, S_IFCHR | 0600u);
  EXPECT_EQ(got.rdev, 0x0801u);
  EXPECT_EQ(got.ctime_ns, 20);
  EXPECT_EQ(got.atime_ns, 30);
  // A directory keeps its type whatever "mode" says; files take FIFO, socket, block types.
  PosixAttrs dir{.mode = S_IFDIR | 0755};
  ApplyUserMeta({{"mode", std::to_string(S_IFIFO | 0700)}}, false, &dir);
  EXPECT_EQ(dir.mode, S_IFDIR | 0700u);
  for (mode_t type : {S_IFIFO, S_IFSOCK, S_IFBLK, S_IFLNK}) {
    PosixAttrs f{.mode = S_IFREG | 0644};
    ApplyUserMeta({{"mode", std::to_string(type | 0640)}}, true, &f);
    EXPECT_EQ(f.mode, type | 0640u);
  }
  // Without ctime/atime (older s3fs, or written before them) both follow mtime.
  PosixAttrs old{.mode = S_IFREG | 0644};
  ApplyUserMeta({{"mtime", "5"}}, true, &old);
  EXPECT_EQ(old.ctime_ns, 5'000'000'000);
  EXPECT_EQ(old.atime_ns, 5'000'000'000);
  for (const char* n : {"mode", "uid", "gid", "mtime", "ctime", "atime", "rdev"}) {
    EXPECT_TRUE(IsPosixMetaName(n)) << n;
  }
  EXPECT_FALSE(IsPosixMetaName("color"));
}

TEST(NodePath, VersionNames) {
  const std::string id = "0123456789abcdef0123456789abcdef";
  // 2021-02-03T04:05:06.789012Z
  std::string name = VersionName(int64_t{1612325106} * 1'000'000'000 + 789'012'345, id);
  EXPECT_EQ(name, "2021-02-03T04-05-06.789012Z_" + id);
  EXPECT_EQ(VersionIdOfName(name), id);
  EXPECT_EQ(VersionIdOfName(VersionName(0, "null")), "null");
  EXPECT_EQ(VersionIdOfName("report.txt"), "");
  EXPECT_EQ(VersionIdOfName("x_0123"), "");
  EXPECT_EQ(VersionIdOfName("x_0123456789ABCDEF0123456789ABCDEF"), "");
  EXPECT_TRUE(IsVersionsPath("@b/"));
  EXPECT_FALSE(IsVersionsPath("b/"));
  EXPECT_FALSE(IsVersionsPath(""));
}

TEST(ErrnoMap, KeyCodes) {
  EXPECT_EQ(ToErrno(Status::OK()), 0);
  EXPECT_EQ(ToErrno(Status::NoSuchKey("")), ENOENT);
  EXPECT_EQ(ToErrno(Status::NoSuchBucket("")), ENOENT);
  EXPECT_EQ(ToErrno(Status::ObjectLocked("")), EPERM);
  EXPECT_EQ(ToErrno(Status::BucketNotEmpty("")), ENOTEMPTY);
  EXPECT_EQ(ToErrno(Status::InvalidKey("")), EINVAL);
  EXPECT_EQ(ToErrno(Status::StorageFull("")), ENOSPC);
  EXPECT_EQ(ToErrno(Status::ReadOnly("")), EROFS);
  EXPECT_EQ(ToErrno(Status::PreconditionFailed("")), EEXIST);
  EXPECT_EQ(ToErrno(Status::IOError("")), EIO);
}

TEST(InodeTable, NumbersAreStableAcrossForgetAndFollowRenames) {
  InodeTable t;
  fuse_ino_t a = t.Ref("b/dir/a");
  fuse_ino_t d = t.Ref("b/dir/");
  EXPECT_NE(a, d);
  EXPECT_EQ(t.Ref("b/dir/a"), a);
  t.Forget(a, 2);
  EXPECT_FALSE(t.Find("b/dir/a").has_value());
  EXPECT_EQ(t.Ref("b/dir/a"), a);  // same number after the kernel forgot it
  t.Forget(a, 1);
  t.Move("b/dir/", "b/new/");
  EXPECT_EQ(t.Find("b/new/"), d);
  EXPECT_EQ(t.Ref("b/new/a"), a);  // a forgotten child keeps its number across the move
  t.Detach("b/new/a");
  EXPECT_TRUE(t.Get(a)->detached);
  fuse_ino_t again = t.Ref("b/new/a");
  EXPECT_NE(again, a);  // a new file at the path is a new inode
  t.Pin(a);
  t.Forget(a, 1);
  EXPECT_TRUE(t.Get(a).has_value());  // open handles keep it
  t.Unpin(a);
  EXPECT_FALSE(t.Get(a).has_value());
}

TEST(InodeTable, HardLinkedNamesShareAnInode) {
  InodeTable t;
  const std::string id = std::string("b") + '\0' + "link-1";
  fuse_ino_t a = t.Ref("b/a");     // known before it was linked
  EXPECT_EQ(t.Ref("b/a", id), a);  // the first link gives the file its identity
  fuse_ino_t b = t.Ref("b/d/b", id);
  EXPECT_EQ(b, a);
  EXPECT_EQ(t.PathsOf(a).size(), 2u);
  EXPECT_EQ(t.Find("b/d/b"), a);
  t.Detach("b/a");  // one name unlinked: the inode lives on under the other
  EXPECT_FALSE(t.Get(a)->detached);
  EXPECT_EQ(t.Get(a)->path, "b/d/b");
  t.Move("b/d/", "b/e/");  // a directory rename moves the name
  EXPECT_EQ(t.Get(a)->path, "b/e/b");
  // The name left its group (an S3 write): while other names are known it gets an inode of
  // its own.
  EXPECT_EQ(t.Ref("b/x", id), a);
  fuse_ino_t own = t.Ref("b/x");
  EXPECT_NE(own, a);
  EXPECT_EQ(t.PathsOf(a), std::vector<std::string>{"b/e/b"});
  t.Detach("b/e/b");
  EXPECT_TRUE(t.Get(a)->detached);
  EXPECT_EQ(t.Get(a)->path, "b/e/b");
}

}  // namespace
}  // namespace maxiofs::fuse
