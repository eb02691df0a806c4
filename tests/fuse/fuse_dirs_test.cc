// Directories: mkdir/rmdir (markers, ENOTEMPTY), buckets at the root, renames of files and
// whole directories (atomic in the engine), RENAME_NOREPLACE, hidden keys, big listings.
#include "fuse_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>

namespace maxiofs::fuse::testing {
namespace {

TEST_F(FuseTest, MkdirMakesMarkerAndRmdirChecksEmptiness) {
  ASSERT_EQ(::mkdir(B("d").c_str(), 0750), 0);
  EXPECT_EQ(GetObject("d/"), "");
  struct stat st {};
  ASSERT_EQ(::stat(B("d").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  errno = 0;
  EXPECT_EQ(::mkdir(B("d").c_str(), 0750), -1);
  EXPECT_EQ(errno, EEXIST);
  WriteFile(B("d/f"), "x");
  errno = 0;
  EXPECT_EQ(::rmdir(B("d").c_str()), -1);
  EXPECT_EQ(errno, ENOTEMPTY);
  ASSERT_EQ(::unlink(B("d/f").c_str()), 0);
  ASSERT_EQ(::rmdir(B("d").c_str()), 0);
  EXPECT_FALSE(GetObject("d/").has_value());
  EXPECT_EQ(::stat(B("d").c_str(), &st), -1);
}

TEST_F(FuseTest, ImplicitDirectoriesFromKeys) {
  PutObject("a/b/c.txt", "deep");
  EXPECT_EQ(ReadDirNames(B("")), std::vector<std::string>{"a"});
  EXPECT_EQ(ReadDirNames(B("a")), std::vector<std::string>{"b"});
  EXPECT_EQ(ReadFile(B("a/b/c.txt")), "deep");
  struct stat st {};
  ASSERT_EQ(::stat(B("a/b").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST_F(FuseTest, BucketsAtTheRoot) {
  ASSERT_EQ(::mkdir(P("second-bucket").c_str(), 0755), 0);
  EXPECT_TRUE(engine().HeadBucket("second-bucket").has_value());
  auto names = ReadDirNames(mnt_);
  EXPECT_EQ(names, (std::vector<std::string>{"bkt", "second-bucket"}));
  WriteFile(P("second-bucket/f"), "1");
  errno = 0;
  EXPECT_EQ(::rmdir(P("second-bucket").c_str()), -1);
  EXPECT_EQ(errno, ENOTEMPTY);
  ASSERT_EQ(::unlink(P("second-bucket/f").c_str()), 0);
  ASSERT_EQ(::rmdir(P("second-bucket").c_str()), 0);
  EXPECT_FALSE(engine().HeadBucket("second-bucket").has_value());
  errno = 0;
  EXPECT_EQ(::mkdir(P("Bad_Bucket").c_str(), 0755), -1);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(::open(P("file-at-root").c_str(), O_WRONLY | O_CREAT, 0644), -1);
  EXPECT_EQ(errno, EPERM);
}

TEST_F(FuseTest, RenameFileOverExisting) {
  WriteFile(B("src"), "new content");
  WriteFile(B("dst"), "old");
  ASSERT_EQ(::rename(B("src").c_str(), B("dst").c_str()), 0);
  EXPECT_EQ(ReadFile(B("dst")), "new content");
  EXPECT_FALSE(GetObject("src").has_value());
  EXPECT_EQ(GetObject("dst"), "new content");
  struct stat st {};
  EXPECT_EQ(::stat(B("src").c_str(), &st), -1);
}

TEST_F(FuseTest, RenameNoReplace) {
  WriteFile(B("one"), "1");
  WriteFile(B("two"), "2");
  errno = 0;
  EXPECT_EQ(::renameat2(AT_FDCWD, B("one").c_str(), AT_FDCWD, B("two").c_str(), RENAME_NOREPLACE),
            -1);
  EXPECT_EQ(errno, EEXIST);
  EXPECT_EQ(::renameat2(AT_FDCWD, B("one").c_str(), AT_FDCWD, B("three").c_str(), RENAME_NOREPLACE),
            0);
  EXPECT_EQ(GetObject("three"), "1");
  EXPECT_EQ(GetObject("two"), "2");
}

TEST_F(FuseTest, RenameDirectoryWithNestedContentIsAtomic) {
  ASSERT_EQ(::mkdir(B("old").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(B("old/empty").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(B("old/sub").c_str(), 0755), 0);
  constexpr int kFiles = 60;
  for (int i = 0; i < kFiles; ++i) WriteFile(B("old/sub/f" + std::to_string(i)), "data");
  WriteFile(B("old/top"), "top");
  const size_t total = ListKeys("old/").size();
  ASSERT_EQ(total, kFiles + 4u);  // old/, old/empty/, old/sub/, files, old/top

  // An observer listing the whole bucket (one engine page) never sees a half-moved tree.
  std::atomic<bool> stop{false}, mixed{false};
  std::thread observer([&] {
    while (!stop.load()) {
      auto keys = ListKeys("");
      size_t o = 0, n = 0;
      for (const auto& k : keys) {
        o += k.starts_with("old/");
        n += k.starts_with("new/");
      }
      if (!((o == total && n == 0) || (o == 0 && n == total))) mixed = true;
    }
  });
  int fd = ::open(B("old/sub/f1").c_str(), O_RDONLY);  // an inode the kernel holds
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::rename(B("old").c_str(), B("new").c_str()), 0);
  stop = true;
  observer.join();
  EXPECT_FALSE(mixed.load());
  ::close(fd);
  EXPECT_EQ(ListKeys("old/").size(), 0u);
  EXPECT_EQ(ListKeys("new/").size(), total);
  EXPECT_EQ(ReadFile(B("new/sub/f1")), "data");
  EXPECT_EQ(ReadFile(B("new/top")), "top");
  struct stat st {};
  EXPECT_EQ(::stat(B("old").c_str(), &st), -1);
  ASSERT_EQ(::stat(B("new/empty").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  // Over an empty directory works; over a non-empty one is ENOTEMPTY.
  ASSERT_EQ(::mkdir(B("target").c_str(), 0755), 0);
  ASSERT_EQ(::rename(B("new/sub").c_str(), B("target").c_str()), 0);
  EXPECT_EQ(ReadFile(B("target/f2")), "data");
  errno = 0;
  EXPECT_EQ(::rename(B("new").c_str(), B("target").c_str()), -1);
  EXPECT_EQ(errno, ENOTEMPTY);
}

TEST_F(FuseTest, KeysThatCannotBePathsAreHiddenAndCounted) {
  PutObject("h/good", "1");
  PutObject("h//double", "2");
  PutObject("h/./dot", "3");
  PutObject("h/" + std::string(300, 'z'), "4");
  PutObject("h/../up", "5");
  uint64_t before = mount().hidden_keys();
  EXPECT_EQ(ReadDirNames(B("h")), std::vector<std::string>{"good"});
  EXPECT_GE(mount().hidden_keys() - before, 4u);
}

TEST_F(FuseTest, ThousandEntryListingAndLsL) {
  constexpr int kN = 1000;
  for (int i = 0; i < kN; ++i) PutObject("many/f" + std::to_string(i), "x");
  auto start = std::chrono::steady_clock::now();
  DIR* d = ::opendir(B("many").c_str());
  ASSERT_NE(d, nullptr);
  int count = 0;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    struct stat st {};
    ASSERT_EQ(::lstat((B("many/") + n).c_str(), &st), 0) << n;
    ++count;
  }
  ::closedir(d);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  EXPECT_EQ(count, kN);
  std::printf("[fuse-metric] ls -l (readdir + lstat) of %d entries: %.1f ms\n", kN, us / 1000.0);
}

TEST_F(FuseTest, ReaddirAcrossPagesWithRewindAndSeek) {
  constexpr int kN = 2500;  // three engine pages
  for (int i = 0; i < kN; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "pages/%05d", i);
    PutObject(key, "");
  }
  DIR* d = ::opendir(B("pages").c_str());
  ASSERT_NE(d, nullptr);
  auto next_name = [&]() -> std::string {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") return n;
    }
    return "";
  };
  long mark = 0;
  for (int i = 0; i < 1200; ++i) {
    if (i == 1100) mark = ::telldir(d);
    ASSERT_EQ(next_name(), [&] {
      char want[8];
      std::snprintf(want, sizeof(want), "%05d", i);
      return std::string(want);
    }());
  }
  ::rewinddir(d);
  int count = 0;
  while (!next_name().empty()) ++count;
  EXPECT_EQ(count, kN);
  ::seekdir(d, mark);
  EXPECT_EQ(next_name(), "01100");
  ::closedir(d);
}

TEST_F(FuseTest, HundredThousandEntryReaddirStreams) {
  constexpr int kN = 100000;
  auto put_start = std::chrono::steady_clock::now();
  for (int i = 0; i < kN; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "huge/%06d", i);
    engine::PutObjectRequest req;
    req.bucket = kBucket;
    req.key = key;
    auto w = engine().BeginPut(req);
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->Commit().has_value());
  }
  auto put_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - put_start)
                    .count();
  auto start = std::chrono::steady_clock::now();
  DIR* d = ::opendir(B("huge").c_str());
  ASSERT_NE(d, nullptr);
  int count = 0;
  std::string last;
  bool ordered = true;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    if (!last.empty() && n <= last) ordered = false;
    last = n;
    ++count;
  }
  ::closedir(d);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  EXPECT_EQ(count, kN);
  EXPECT_TRUE(ordered);
  std::printf("[fuse-metric] readdir of %d entries: %lld ms (engine puts took %lld ms)\n", kN,
              static_cast<long long>(ms), static_cast<long long>(put_ms));
  // `ls -l`: readdirplus (attributes of every entry) over the whole directory.
  std::string out;
  start = std::chrono::steady_clock::now();
  ASSERT_EQ(Shell("ls -l " + B("huge") + " | wc -l", &out), 0) << out;
  ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                             start)
           .count();
  EXPECT_EQ(out, std::to_string(kN + 1) + "\n");  // plus the "total" line
  std::printf("[fuse-metric] ls -l of %d entries: %lld ms\n", kN, static_cast<long long>(ms));
}

}  // namespace
}  // namespace maxiofs::fuse::testing
