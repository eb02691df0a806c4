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

}  // namespace
}  // namespace maxiofs::fuse
