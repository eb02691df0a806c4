// NoWaitEnv against real LevelDB files: inside a NoWaitScope a table read whose bytes were
// dropped from the page cache refuses to wait; outside, the same read works; once the bytes
// are in memory the scope no longer refuses.
#include "no_wait_env.h"

#include "test_util.h"

#include "maxiofs/common/no_wait.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

namespace maxiofs::engine {
namespace {

// Drops every file under `dir` from the page cache (clean pages; nobody maps them).
void DropFromPageCache(const std::filesystem::path& dir) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0) << e.path();
    ::fdatasync(fd);
    EXPECT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    ::close(fd);
  }
}

class NoWaitEnvTest : public ::testing::Test {
 protected:
  std::unique_ptr<leveldb::DB> Open() {
    leveldb::Options o;
    o.create_if_missing = true;
    o.env = &env_;
    o.block_cache = cache_.get();
    leveldb::DB* raw = nullptr;
    leveldb::Status s = leveldb::DB::Open(o, dir_.str() + "/db", &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return std::unique_ptr<leveldb::DB>(raw);
  }

  TempDir dir_;
  NoWaitEnv env_;
  std::unique_ptr<leveldb::Cache> cache_{leveldb::NewLRUCache(1 << 20)};
};

TEST_F(NoWaitEnvTest, TableReadsRefuseToWaitOnlyInsideAScope) {
  {
    auto db = Open();
    for (int i = 0; i < 2000; ++i) {
      ASSERT_TRUE(db->Put({}, "key" + std::to_string(i), std::string(100, 'v')).ok());
    }
  }
  { auto db = Open(); }  // recovery turns the log into a table file
  cache_.reset(leveldb::NewLRUCache(1 << 20));
  DropFromPageCache(dir_.path() / "db");

  auto db = Open();
  std::string value;
  {
    NoWaitScope scope;
    leveldb::Status s = db->Get({}, "key1234", &value);
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_TRUE(scope.would_block());
  }
  EXPECT_FALSE(NoWaitActive());
  ASSERT_TRUE(db->Get({}, "key1234", &value).ok());
  EXPECT_EQ(value, std::string(100, 'v'));
  {
    NoWaitScope scope;
    EXPECT_TRUE(db->Get({}, "key1234", &value).ok());
    EXPECT_FALSE(scope.would_block());
    // A missing key is an answer, not a wait.
    EXPECT_TRUE(db->Get({}, "key1234x", &value).IsNotFound());
    EXPECT_FALSE(scope.would_block());
  }
}

TEST(NoWaitScopeTest, RecordsOnlyInsideAScope) {
  NoteWouldBlock();  // no scope: nothing to record
  EXPECT_FALSE(NoWaitBlocked());
  {
    NoWaitScope scope;
    EXPECT_TRUE(NoWaitActive());
    EXPECT_FALSE(scope.would_block());
    NoteWouldBlock();
    EXPECT_TRUE(scope.would_block());
  }
  EXPECT_FALSE(NoWaitActive());
  EXPECT_FALSE(NoWaitBlocked());
}

}  // namespace
}  // namespace maxiofs::engine
