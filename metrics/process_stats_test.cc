#include "maxiofs/metrics/process_stats.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <vector>

namespace maxiofs::metrics {
namespace {

TEST(ProcessStatsTest, ReadsMemoryAndCountsOpenFiles) {
  const ProcessStats before = ReadProcessStats();
  EXPECT_GT(before.resident_bytes, 0u);
  EXPECT_GE(before.virtual_bytes, before.resident_bytes);
  EXPECT_GE(before.open_fds, 3u);  // stdin, stdout, stderr at least
  std::vector<int> fds;
  for (int i = 0; i < 5; ++i) fds.push_back(open("/dev/null", O_RDONLY | O_CLOEXEC));
  const ProcessStats during = ReadProcessStats();
  for (int fd : fds) close(fd);
  EXPECT_EQ(during.open_fds, before.open_fds + 5);
}

TEST(ProcessStatsTest, DiskSpaceOfAPath) {
  auto space = ReadDiskSpace("/");
  ASSERT_TRUE(space.has_value());
  EXPECT_GT(space->total_bytes, 0u);
  EXPECT_LE(space->free_bytes, space->total_bytes);
  EXPECT_FALSE(ReadDiskSpace("/nonexistent/path/for/statvfs").has_value());
}

}  // namespace
}  // namespace maxiofs::metrics
