// A mount acting as a limited IAM user (fuse.user): every operation is authorized by the
// engine as that user's S3 request would be; refusals are EACCES and change nothing.
#include "fuse_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace maxiofs::fuse::testing {
namespace {

constexpr const char* kPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bkt"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*"},
    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
     "Resource": "arn:aws:s3:::bkt/drop/*"}
  ]
})";

class FuseIamTest : public FuseTest {
 protected:
  void SetUp() override {
    FuseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Unmount();
    engine::Iam& iam = engine().iam();
    ASSERT_TRUE(iam.CreateUser("reader").has_value());
    ASSERT_TRUE(iam.CreatePolicy("bkt-read-drop", kPolicy, "").has_value());
    ASSERT_TRUE(iam.AttachUserPolicy("reader", "bkt-read-drop").ok());
    PutObject("a.txt", "hello");
    PutObject("drop/old.txt", "old");
    iam_user_ = "reader";
    Mount();
  }
};

int OpenErrno(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd >= 0) {
    ::close(fd);
    return 0;
  }
  return errno;
}

TEST_F(FuseIamTest, AllowedOperationsWork) {
  EXPECT_EQ(ReadFile(B("a.txt")), "hello");
  std::vector<std::string> names = ReadDirNames(P(kBucket));
  EXPECT_NE(std::find(names.begin(), names.end(), "a.txt"), names.end());
  WriteFile(B("drop/new.txt"), "new");
  EXPECT_EQ(GetObject("drop/new.txt"), "new");
  EXPECT_EQ(::unlink(B("drop/old.txt").c_str()), 0) << std::strerror(errno);
  EXPECT_FALSE(GetObject("drop/old.txt").has_value());
}

TEST_F(FuseIamTest, RefusedOperationsAreEaccesAndChangeNothing) {
  // Listing the root needs s3:ListAllMyBuckets.
  EXPECT_EQ(::opendir(P("").c_str()), nullptr);
  EXPECT_EQ(errno, EACCES);
  // Writing outside drop/.
  EXPECT_EQ(OpenErrno(B("new.txt"), O_CREAT | O_WRONLY), EACCES);
  EXPECT_FALSE(GetObject("new.txt").has_value());
  EXPECT_EQ(OpenErrno(B("a.txt"), O_WRONLY | O_TRUNC), EACCES);
  EXPECT_EQ(::truncate(B("a.txt").c_str(), 1), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(::chmod(B("a.txt").c_str(), 0600), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(::unlink(B("a.txt").c_str()), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(::rename(B("a.txt").c_str(), B("drop/a.txt").c_str()), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(::mkdir(B("newdir").c_str(), 0755), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(::mkdir(P("newbucket").c_str(), 0755), -1);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(GetObject("a.txt"), "hello");
  EXPECT_FALSE(engine().HeadBucket("newbucket").has_value());
}

TEST_F(FuseIamTest, UnknownOrDisabledUserCannotMount) {
  Unmount();
  iam_user_ = "nobody";
  FuseOptions o;
  o.mountpoint = mnt_;
  o.iam_user = "nobody";
  auto missing = FuseMount::Start(o, engine());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(missing.error().message().find("fuse.user"), std::string_view::npos);
  ASSERT_TRUE(engine().iam().SetUserEnabled("reader", false).ok());
  o.iam_user = "reader";
  auto disabled = FuseMount::Start(o, engine());
  ASSERT_FALSE(disabled.has_value());
  EXPECT_EQ(disabled.error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace maxiofs::fuse::testing
