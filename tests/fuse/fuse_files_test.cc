// Files through the mount: create/read/write/append, random writes against a reference
// buffer, truncate, O_EXCL, unlink of an open file, last-close-wins, fsync, large files.
#include "fuse_fixture.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace maxiofs::fuse::testing {
namespace {

TEST_F(FuseTest, CreateWriteReadAndAppend) {
  WriteFile(B("hello.txt"), "hello");
  EXPECT_EQ(ReadFile(B("hello.txt")), "hello");
  EXPECT_EQ(GetObject("hello.txt"), "hello");
  int fd = ::open(B("hello.txt").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, " world", 6), 6);
  ASSERT_EQ(::close(fd), 0);
  EXPECT_EQ(ReadFile(B("hello.txt")), "hello world");
  EXPECT_EQ(GetObject("hello.txt"), "hello world");
  struct stat st {};
  ASSERT_EQ(::stat(B("hello.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 11);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(FuseTest, RandomWritesMatchReferenceBuffer) {
  std::mt19937 rng(12345);
  std::string ref;
  int fd = ::open(B("random.bin").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 300; ++i) {
    size_t off = rng() % (2 << 20);
    size_t len = 1 + rng() % 70000;
    std::string chunk(len, '\0');
    for (char& c : chunk) c = static_cast<char>(rng());
    ASSERT_EQ(::pwrite(fd, chunk.data(), len, static_cast<off_t>(off)), static_cast<ssize_t>(len));
    if (ref.size() < off + len) ref.resize(off + len, '\0');
    ref.replace(off, len, chunk);
    if (i % 25 == 0) {  // read back a random range through the same fd
      size_t roff = rng() % ref.size();
      size_t rlen = std::min<size_t>(1 + rng() % 100000, ref.size() - roff);
      std::string got(rlen, '\0');
      ASSERT_EQ(::pread(fd, got.data(), rlen, static_cast<off_t>(roff)),
                static_cast<ssize_t>(rlen));
      ASSERT_EQ(got, ref.substr(roff, rlen)) << "at " << roff;
    }
  }
  struct stat st {};
  ASSERT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(static_cast<size_t>(st.st_size), ref.size());
  ASSERT_EQ(::close(fd), 0);
  EXPECT_EQ(ReadFile(B("random.bin")), ref);
  EXPECT_EQ(GetObject("random.bin"), ref);

  // Lazy staging: reopen without O_TRUNC, overwrite a middle range, lseek + write.
  fd = ::open(B("random.bin").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::lseek(fd, 1000, SEEK_SET), 1000);
  ASSERT_EQ(::write(fd, "XYZ", 3), 3);
  ASSERT_EQ(::close(fd), 0);
  ref.replace(1000, 3, "XYZ");
  EXPECT_EQ(GetObject("random.bin"), ref);
  // Random-offset reads on a fresh fd (reopens inside the object).
  fd = ::open(B("random.bin").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 50; ++i) {
    size_t roff = rng() % ref.size();
    size_t rlen = std::min<size_t>(1 + rng() % 200000, ref.size() - roff);
    std::string got(rlen, '\0');
    ASSERT_EQ(::pread(fd, got.data(), rlen, static_cast<off_t>(roff)), static_cast<ssize_t>(rlen));
    ASSERT_EQ(got, ref.substr(roff, rlen));
  }
  ::close(fd);
}

TEST_F(FuseTest, TruncateUpAndDown) {
  WriteFile(B("t.txt"), "0123456789");
  ASSERT_EQ(::truncate(B("t.txt").c_str(), 4), 0);
  EXPECT_EQ(GetObject("t.txt"), "0123");
  ASSERT_EQ(::truncate(B("t.txt").c_str(), 8), 0);
  EXPECT_EQ(GetObject("t.txt"), std::string("0123\0\0\0\0", 8));
  int fd = ::open(B("t.txt").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 2), 0);
  ASSERT_EQ(::ftruncate(fd, 5), 0);
  struct stat st {};
  ASSERT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(st.st_size, 5);
  ASSERT_EQ(::close(fd), 0);
  EXPECT_EQ(GetObject("t.txt"), std::string("01\0\0\0", 5));
  EXPECT_EQ(ReadFile(B("t.txt")), std::string("01\0\0\0", 5));
  // O_TRUNC empties it.
  fd = ::open(B("t.txt").c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::close(fd), 0);
  EXPECT_EQ(GetObject("t.txt"), "");
}

TEST_F(FuseTest, ExclusiveCreate) {
  int fd = ::open(B("x").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  ASSERT_GE(fd, 0);
  // The file exists (as an empty object) before the first close.
  EXPECT_EQ(GetObject("x"), "");
  errno = 0;
  EXPECT_EQ(::open(B("x").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600), -1);
  EXPECT_EQ(errno, EEXIST);
  ::close(fd);
  struct stat st {};
  ASSERT_EQ(::stat(B("x").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(FuseTest, UnlinkedOpenFileStaysReadable) {
  std::string body(50000, 'q');
  WriteFile(B("doomed"), body);
  int fd = ::open(B("doomed").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::unlink(B("doomed").c_str()), 0);
  struct stat st {};
  EXPECT_EQ(::stat(B("doomed").c_str(), &st), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_FALSE(GetObject("doomed").has_value());
  std::string got(body.size(), '\0');
  EXPECT_EQ(::read(fd, got.data(), got.size()), static_cast<ssize_t>(body.size()));
  EXPECT_EQ(got, body);
  ASSERT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(st.st_size, static_cast<off_t>(body.size()));
  ::close(fd);
  errno = 0;
  EXPECT_EQ(::unlink(B("doomed").c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(FuseTest, UnlinkedOrReplacedOpenFileServesRandomReads) {
  std::string body(700000, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 + i / 991);
  WriteFile(B("big-doomed"), body);
  WriteFile(B("replaced"), body);
  int fd = ::open(B("big-doomed").c_str(), O_RDONLY);
  int fd2 = ::open(B("replaced").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_GE(fd2, 0);
  ASSERT_EQ(::unlink(B("big-doomed").c_str()), 0);
  WriteFile(B("newer"), "other");
  ASSERT_EQ(::rename(B("newer").c_str(), B("replaced").c_str()), 0);
  // Drop the page cache so the reads below reach the mount, not the kernel's copy.
  ASSERT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  ASSERT_EQ(::posix_fadvise(fd2, 0, 0, POSIX_FADV_DONTNEED), 0);
  std::mt19937 rng(7);
  for (int i = 0; i < 40; ++i) {
    size_t off = rng() % body.size();
    size_t len = std::min<size_t>(1 + rng() % 150000, body.size() - off);
    std::string got(len, '\0');
    ASSERT_EQ(::pread(fd, got.data(), len, static_cast<off_t>(off)), static_cast<ssize_t>(len));
    ASSERT_EQ(got, body.substr(off, len)) << off;
    ASSERT_EQ(::pread(fd2, got.data(), len, static_cast<off_t>(off)), static_cast<ssize_t>(len));
    ASSERT_EQ(got, body.substr(off, len)) << off;
  }
  ::close(fd);
  ::close(fd2);
  EXPECT_EQ(ReadFile(B("replaced")), "other");
}

TEST_F(FuseTest, TwoWritersLastCloseWinsWithoutMixing) {
  int a = ::open(B("w").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int b = ::open(B("w").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  std::string da(100000, 'a'), db(60000, 'b');
  ASSERT_EQ(::write(a, da.data(), da.size()), static_cast<ssize_t>(da.size()));
  ASSERT_EQ(::write(b, db.data(), db.size()), static_cast<ssize_t>(db.size()));
  ASSERT_EQ(::close(a), 0);
  EXPECT_EQ(GetObject("w"), da);
  ASSERT_EQ(::close(b), 0);
  EXPECT_EQ(GetObject("w"), db);
}

TEST_F(FuseTest, FsyncCommitsBeforeClose) {
  int fd = ::open(B("synced").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "durable", 7), 7);
  ASSERT_EQ(::fsync(fd), 0);
  EXPECT_EQ(GetObject("synced"), "durable");
  ASSERT_EQ(::write(fd, "!", 1), 1);
  ASSERT_EQ(::close(fd), 0);
  EXPECT_EQ(GetObject("synced"), "durable!");
}

// Blob-sized: fsync hands the staged file itself to the engine (no copy). The handle must keep
// working: reads see the data, later writes go to a new staging copy, never into the object
// fsync just committed, and the file stays readable through the fd after an unlink.
TEST_F(FuseTest, WritesAfterFsyncOfABlobSizedFileDoNotTouchTheCommittedObject) {
  std::string want(300 * 1024, '\0');
  for (size_t i = 0; i < want.size(); ++i) want[i] = static_cast<char>('a' + i % 23);
  int fd = ::open(B("big-synced").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, want.data(), want.size()), static_cast<ssize_t>(want.size()));
  ASSERT_EQ(::fsync(fd), 0);
  const std::string committed = want;
  EXPECT_EQ(GetObject("big-synced"), committed);
  ASSERT_EQ(::pwrite(fd, "XYZ", 3, 1000), 3);
  want.replace(1000, 3, "XYZ");
  std::string back(want.size(), '\0');
  ASSERT_EQ(::pread(fd, back.data(), back.size(), 0), static_cast<ssize_t>(back.size()));
  EXPECT_EQ(back, want);
  EXPECT_EQ(GetObject("big-synced"), committed);  // not committed yet, and not modified
  ASSERT_EQ(::fsync(fd), 0);
  EXPECT_EQ(GetObject("big-synced"), want);
  ASSERT_EQ(::unlink(B("big-synced").c_str()), 0);
  std::string after(want.size(), '\0');
  ASSERT_EQ(::pread(fd, after.data(), after.size(), 0), static_cast<ssize_t>(after.size()));
  EXPECT_EQ(after, want);
  ASSERT_EQ(::close(fd), 0);
  EXPECT_FALSE(GetObject("big-synced").has_value());
}

TEST_F(FuseTest, LargeFileStreams) {
  constexpr size_t kChunk = 1 << 20, kChunks = 24;
  std::string chunk(kChunk, '\0');
  int fd = ::open(B("large.bin").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  for (size_t i = 0; i < kChunks; ++i) {
    std::fill(chunk.begin(), chunk.end(), static_cast<char>('A' + i));
    ASSERT_EQ(::write(fd, chunk.data(), kChunk), static_cast<ssize_t>(kChunk));
  }
  ASSERT_EQ(::close(fd), 0);
  fd = ::open(B("large.bin").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  for (size_t i = 0; i < kChunks; ++i) {
    ASSERT_EQ(::read(fd, chunk.data(), kChunk), static_cast<ssize_t>(kChunk));
    ASSERT_EQ(chunk.find_first_not_of(static_cast<char>('A' + i)), std::string::npos) << i;
  }
  ::close(fd);
}

TEST_F(FuseTest, NamesThatCannotBeKeys) {
  errno = 0;
  EXPECT_EQ(::open(B("bad-\xff\xfe").c_str(), O_WRONLY | O_CREAT, 0644), -1);
  EXPECT_EQ(errno, EINVAL);  // not UTF-8: no S3 key can hold it
  std::string deep;
  for (int i = 0; i < 4; ++i) {  // 1,004 bytes of directories
    deep += std::string(250, static_cast<char>('a' + i));
    ASSERT_EQ(::mkdir(B(deep).c_str(), 0755), 0) << i;
    deep += "/";
  }
  errno = 0;
  EXPECT_EQ(::open(B(deep + std::string(30, 'f')).c_str(), O_WRONLY | O_CREAT, 0644), -1);
  EXPECT_EQ(errno, ENAMETOOLONG);  // the key would pass 1,024 bytes
  struct stat st {};
  errno = 0;
  EXPECT_EQ(::stat(B(deep + std::string(30, 'f')).c_str(), &st), -1);
  EXPECT_EQ(errno, ENAMETOOLONG);
}

// A write is acknowledged before its bytes reach the staging file; when storing them then fails
// (here: the staging file system is full), the handle fails from then on: the next write or
// fsync and the close report ENOSPC, and the object keeps its old content.
TEST_F(FuseTest, AFailedStagingWriteFailsTheHandleAndCommitsNothing) {
  PutObject("full", "old content");
  Unmount();
  const std::string tmp = data_ + "/tmp";
  ::mkdir(tmp.c_str(), 0700);
  ASSERT_EQ(::mount("tmpfs", tmp.c_str(), "tmpfs", 0, "size=1m"), 0) << std::strerror(errno);
  struct Detach {
    std::string path;
    ~Detach() { ::umount2(path.c_str(), MNT_DETACH); }
  } detach{tmp};
  Mount();

  int fd = ::open(B("full").c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  const std::string chunk(256 * 1024, 'x');
  int err = 0;
  for (int i = 0; i < 16 && err == 0; ++i) {
    if (::write(fd, chunk.data(), chunk.size()) < 0) err = errno;
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  EXPECT_EQ(err, ENOSPC);
  EXPECT_EQ(::fsync(fd), -1);  // sticky
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(::ftruncate(fd, 10), -1);
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(::close(fd), -1);
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(GetObject("full"), std::optional<std::string>("old content"));
  EXPECT_EQ(ReadFile(B("full")), "old content");
  Unmount();  // before the staging file system goes
}

// The disk of the data dir is full (below the engine's metadata reserve, space_reserve.h): a
// file written through the mount answers ENOSPC at close (not EIO), the object keeps its old
// content, and once space is freed the same write succeeds without a restart.
TEST_F(FuseTest, AFullDataDiskAnswersEnospcAndRecoversWhenSpaceIsFreed) {
  Unmount();
  engine_.reset();
  std::filesystem::remove_all(data_);
  ASSERT_EQ(::mkdir(data_.c_str(), 0700), 0);
  ASSERT_EQ(::mount("tmpfs", data_.c_str(), "tmpfs", 0, "size=8m"), 0) << std::strerror(errno);
  struct Detach {
    std::string path;
    ~Detach() { ::umount2(path.c_str(), MNT_DETACH); }
  } detach{data_};
  engine::EngineOptions eo;
  eo.data_dir = data_;
  eo.sync = false;
  auto e = engine::Engine::Open(eo);
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  engine_ = std::move(e).value();
  ASSERT_TRUE(engine_->CreateBucket({.bucket = kBucket}).ok());
  PutObject("full", "old content");
  // Leave less than the reserve (half of this 8 MiB disk) free.
  const std::string ballast = data_ + "/ballast";
  {
    std::ofstream f(ballast, std::ios::binary);
    const std::string mib(1 << 20, '\0');
    for (int i = 0; i < 5; ++i) f.write(mib.data(), mib.size());
    ASSERT_TRUE(f.good());
  }
  Mount();

  const std::string body(100 * 1024, 'n');
  int fd = ::open(B("full").c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::write(fd, body.data(), body.size()), static_cast<ssize_t>(body.size()));
  errno = 0;
  EXPECT_EQ(::close(fd), -1);
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(GetObject("full"), std::optional<std::string>("old content"));

  ASSERT_EQ(::unlink(ballast.c_str()), 0);
  WriteFile(B("full"), body);
  EXPECT_EQ(GetObject("full"), std::optional<std::string>(body));
  Unmount();
  engine_.reset();  // before its disk goes
}

}  // namespace
}  // namespace maxiofs::fuse::testing
