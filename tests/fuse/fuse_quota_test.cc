// Bucket quotas through the mount: a file that would take the bucket past its quota fails
// with EDQUOT ("Disk quota exceeded") from fsync and close, and none of its data is committed.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace maxiofs::fuse::testing {
namespace {

TEST_F(FuseTest, AWriteOverTheBucketQuotaFailsWithEdquot) {
  ASSERT_TRUE(engine().PutBucketQuota(kBucket, {4096, 0}).ok());
  WriteFile(B("small"), std::string(1000, 's'));
  EXPECT_EQ(GetObject("small"), std::optional<std::string>(std::string(1000, 's')));

  int fd = ::open(B("big").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  const std::string data(5000, 'b');
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  EXPECT_EQ(::fsync(fd), -1);
  EXPECT_EQ(errno, EDQUOT);
  EXPECT_EQ(::close(fd), -1);
  EXPECT_EQ(errno, EDQUOT);
  // The file open(O_CREAT) made is still empty: none of the 5000 bytes was committed.
  EXPECT_EQ(GetObject("big"), std::optional<std::string>(""));
  EXPECT_EQ(engine().GetBucketUsage(kBucket)->version_bytes, 1000u);

  // Overwriting a file with as many bytes fits (the old content is freed); lifting the quota
  // lets the big file in.
  WriteFile(B("small"), std::string(3000, 't'));
  ASSERT_TRUE(engine().PutBucketQuota(kBucket, {}).ok());
  WriteFile(B("big"), data);
  EXPECT_EQ(GetObject("big"), std::optional<std::string>(data));
}

}  // namespace
}  // namespace maxiofs::fuse::testing
