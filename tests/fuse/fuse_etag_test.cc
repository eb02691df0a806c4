// The ETag of a file written through the mount is the one `aws s3 cp` gives it: its MD5 under
// 8 MiB, else the MD5 of its 8 MiB parts' MD5s and the part count (fuse.parts_etag; with it
// off, always the MD5). That holds however the file was written: in order (the MD5s are kept
// while writing, StagedPrefix, several parts hashed side by side), or with random writes,
// truncates, holes, appends after a reopen and fsyncs midway (the engine reads the file back).
// The reference digests are md5sum's, of the content read back through the engine.
#include "fuse_fixture.h"
#include "staging_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

namespace maxiofs::fuse::testing {
namespace {

constexpr size_t kMiB = 1 << 20;
constexpr size_t kPart = 8 * kMiB;  // aws s3 cp's threshold and part size

class FuseEtagTest : public FuseTest {
 protected:
  // md5sum of `data`, as lower-case hex.
  std::string Md5Hex(std::string_view data) {
    const std::string in = root_ + "/md5-input";
    {
      std::ofstream out(in, std::ios::binary | std::ios::trunc);
      out.write(data.data(), static_cast<std::streamsize>(data.size()));
    }
    std::string output;
    EXPECT_EQ(Shell("md5sum < '" + in + "'", &output), 0) << output;
    std::remove(in.c_str());
    return output.substr(0, 32);
  }

  // The ETag aws s3 cp gives `data` (with parts_etag_; else its MD5).
  std::string AwsEtag(std::string_view data) {
    if (!parts_etag_ || data.size() < kPart) return Md5Hex(data);
    std::string md5s;
    size_t parts = 0;
    for (size_t at = 0; at < data.size(); at += kPart, ++parts) {
      const std::string hex = Md5Hex(data.substr(at, kPart));
      for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        md5s += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      }
    }
    return Md5Hex(md5s) + "-" + std::to_string(parts);
  }

  // The object `key` holds `want` and its ETag is the one aws s3 cp gives it.
  void ExpectObject(const std::string& key, const std::string& want) {
    std::optional<std::string> got = GetObject(key);
    ASSERT_TRUE(got.has_value()) << key;
    ASSERT_EQ(got->size(), want.size()) << key;
    EXPECT_TRUE(*got == want) << key << ": content differs";
    auto info = engine().HeadObject({.bucket = kBucket, .key = key});
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    EXPECT_EQ(info->etag, AwsEtag(*got)) << key;
  }

  static std::string RandomBytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  }

  // Writes `data` at the file offset of `fd` in writes of `step` bytes.
  static void WriteInSteps(int fd, const std::string& data, size_t step) {
    for (size_t off = 0; off < data.size(); off += step) {
      size_t n = std::min(step, data.size() - off);
      ASSERT_EQ(::write(fd, data.data() + off, n), static_cast<ssize_t>(n));
    }
  }
};

TEST_F(FuseEtagTest, SequentialWritesOfAnySize) {
  struct Case {
    const char* name;
    size_t size, step;
  };
  // Empty, inline-sized, blob-sized, odd write sizes, around the 8 MiB part size, and large
  // enough for early writeback and several parts hashed side by side.
  for (Case c : {Case{"empty", 0, 1}, Case{"tiny", 10, 3}, Case{"small", 100 * 1024, 4096},
                 Case{"blob", 300 * 1024, 65536}, Case{"odd", 3 * kMiB + 17, 7777},
                 Case{"under-a-part", kPart - 1, kMiB}, Case{"one-part", kPart, kMiB},
                 Case{"part-and-a-byte", kPart + 1, 100000}, Case{"large", 24 * kMiB, kMiB},
                 Case{"large-odd", 21 * kMiB + 3, 123457}}) {
    const std::string data = RandomBytes(c.size, static_cast<uint32_t>(c.size));
    int fd = ::open(B(c.name).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    WriteInSteps(fd, data, c.step);
    ASSERT_EQ(::close(fd), 0);
    ExpectObject(c.name, data);
  }
}

TEST_F(FuseEtagTest, SequentialThenRandomWritesAndAHole) {
  std::string ref = RandomBytes(10 * kMiB, 1);  // two parts, hashed on read-back
  int fd = ::open(B("mixed").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  WriteInSteps(fd, ref, 1 << 20);
  // Over bytes already hashed, then past the end (a hole of zeros in between).
  ASSERT_EQ(::pwrite(fd, "overwritten", 11, 1000), 11);
  ref.replace(1000, 11, "overwritten");
  ASSERT_EQ(::pwrite(fd, "tail", 4, static_cast<off_t>(ref.size() + 5000)), 4);
  ref.resize(ref.size() + 5000, '\0');
  ref += "tail";
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("mixed", ref);
}

TEST_F(FuseEtagTest, TruncateDownAndUpBetweenWrites) {
  std::string ref = RandomBytes(2 << 20, 2);
  int fd = ::open(B("trunc").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  WriteInSteps(fd, ref, 1 << 20);
  ASSERT_EQ(::ftruncate(fd, 1 << 20), 0);
  ref.resize(1 << 20);
  const std::string more = RandomBytes(500 * 1024, 3);
  ASSERT_EQ(::pwrite(fd, more.data(), more.size(), 1 << 20), static_cast<ssize_t>(more.size()));
  ref += more;
  ASSERT_EQ(::fsync(fd), 0);
  ExpectObject("trunc", ref);
  ASSERT_EQ(::ftruncate(fd, 3 << 20), 0);
  ref.resize(3 << 20, '\0');
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("trunc", ref);
  // A truncate to the current size changes nothing.
  fd = ::open(B("trunc2").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const std::string data = RandomBytes(400 * 1024, 4);
  WriteInSteps(fd, data, 100 * 1024);
  ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(data.size())), 0);
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("trunc2", data);
}

TEST_F(FuseEtagTest, AppendAndOverwriteAfterReopen) {
  std::string ref = RandomBytes(1536 * 1024, 5);
  WriteFile(B("reopened"), ref);
  ExpectObject("reopened", ref);
  int fd = ::open(B("reopened").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  const std::string more = RandomBytes(1 << 20, 6);
  WriteInSteps(fd, more, 128 * 1024);
  ref += more;
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("reopened", ref);
  fd = ::open(B("reopened").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, "head", 4, 0), 4);
  ref.replace(0, 4, "head");
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("reopened", ref);
}

TEST_F(FuseEtagTest, FsyncMidwayThenMoreWrites) {
  std::string ref;
  int fd = ::open(B("synced").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  for (uint32_t round = 0; round < 3; ++round) {
    const std::string part = RandomBytes(1 << 20, 10 + round);
    WriteInSteps(fd, part, 256 * 1024);
    ref += part;
    ASSERT_EQ(::fsync(fd), 0);
    ExpectObject("synced", ref);
  }
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("synced", ref);
}

// Writers racing on one descriptor: writes arrive in an order no one controls, some in order,
// some not; whichever way the staged MD5 goes, the ETag must match the content.
TEST_F(FuseEtagTest, ConcurrentWritersOnOneDescriptor) {
  constexpr size_t kChunk = 256 * 1024, kChunks = 64, kThreads = 4;
  const std::string ref = RandomBytes(kChunk * kChunks, 7);
  int fd = ::open(B("racy").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < kChunks; i += kThreads) {
        EXPECT_EQ(::pwrite(fd, ref.data() + i * kChunk, kChunk, static_cast<off_t>(i * kChunk)),
                  static_cast<ssize_t>(kChunk));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(::close(fd), 0);
  ExpectObject("racy", ref);
}

TEST_F(FuseEtagTest, WithPartsEtagOffEveryFileGetsItsMd5) {
  Unmount();
  parts_etag_ = false;
  Mount();
  for (size_t size : {kPart - 1, kPart, 17 * kMiB + 5}) {
    const std::string data = RandomBytes(size, static_cast<uint32_t>(size));
    const std::string key = "plain-" + std::to_string(size);
    int fd = ::open(B(key).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    WriteInSteps(fd, data, kMiB);
    ASSERT_EQ(::close(fd), 0);
    ExpectObject(key, data);
    EXPECT_EQ(engine().HeadObject({.bucket = kBucket, .key = key})->etag.find('-'),
              std::string::npos);
  }
}

// StagingFile's kept MD5s directly: present exactly when the file was written in order, one per
// part, and the engine's ETag from them is aws s3 cp's.
TEST_F(FuseEtagTest, StagingFileKeepsThePartMd5sOfInOrderWritesOnly) {
  const std::string staging_dir = data_ + "/tmp";
  auto slots = std::make_shared<HashSlots>(4);
  // Part digests from the engine, as the mount makes them: parts hashed at once share lanes.
  auto hashing = [&](std::shared_ptr<HashSlots> s, uint64_t part_size) {
    return PrefixHashing{.slots = std::move(s), .part_size = part_size, .new_md5 = [this] {
                           return engine().NewContentMd5();
                         }};
  };
  const std::string data = RandomBytes(2 * kPart + 600 * 1024, 8);  // three parts
  auto commit = [&](StagingFile& f, const std::string& key,
                    std::vector<std::unique_ptr<engine::ContentMd5>> md5s) {
    auto w = engine().BeginPut(
        {.bucket = kBucket, .key = key, .expected_size = f.size(), .parts_etag = true});
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->AppendFileWithMd5s(f.fd(), f.size(), std::move(md5s)).has_value());
    ASSERT_TRUE((*w)->Commit().has_value());
  };
  auto sizes = [](const std::vector<std::unique_ptr<engine::ContentMd5>>& md5s) {
    std::vector<uint64_t> out;
    for (const auto& m : md5s) out.push_back(m->size());
    return out;
  };

  // In order, hashed by threads racing each other and the writer, as FUSE workers do.
  auto f = StagingFile::Create(staging_dir, hashing(slots, kPart));
  ASSERT_TRUE(f.has_value());
  ASSERT_NE((*f)->prefix(), nullptr);
  std::vector<std::thread> hashers;
  for (size_t off = 0; off < data.size(); off += 500 * 1024) {
    std::span<const char> piece(data.data() + off, std::min<size_t>(500 * 1024, data.size() - off));
    ASSERT_TRUE((*f)->WriteAt(off, piece).ok());
    hashers.emplace_back([p = (*f)->prefix(), off, piece] { p->CatchUp(off, piece); });
  }
  ASSERT_EQ((*f)->size(), data.size());
  std::vector<std::unique_ptr<engine::ContentMd5>> md5s = (*f)->TakeMd5s();
  for (std::thread& t : hashers) t.join();
  EXPECT_EQ(sizes(md5s), (std::vector<uint64_t>{kPart, kPart, 600 * 1024}));
  EXPECT_TRUE((*f)->TakeMd5s().empty());  // once only
  commit(**f, "in-order", std::move(md5s));
  ExpectObject("in-order", data);

  // One part as large as any file: the whole file's MD5.
  const std::string small = data.substr(0, 600 * 1024);
  f = StagingFile::Create(staging_dir, hashing(slots, UINT64_MAX));
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->WriteAt(0, small).ok());
  (*f)->prefix()->CatchUp(0, small);
  md5s = (*f)->TakeMd5s();
  EXPECT_EQ(sizes(md5s), std::vector<uint64_t>{small.size()});
  commit(**f, "whole", std::move(md5s));
  ExpectObject("whole", small);

  // No hash slot free: CatchUp leaves the hashing to TakeMd5s, which reads the file back.
  f = StagingFile::Create(staging_dir, hashing(std::make_shared<HashSlots>(0), kPart));
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->WriteAt(0, data).ok());
  (*f)->prefix()->CatchUp(0, data);
  md5s = (*f)->TakeMd5s();
  EXPECT_EQ(md5s.size(), 3u);
  commit(**f, "no-slot", std::move(md5s));
  ExpectObject("no-slot", data);

  // Past max_size the digests would not be used: the prefix ends there.
  PrefixHashing capped = hashing(slots, kPart);
  capped.max_size = data.size() - 1;
  f = StagingFile::Create(staging_dir, capped);
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->WriteAt(0, {data.data(), data.size() - 1}).ok());
  ASSERT_TRUE((*f)->WriteAt(data.size() - 1, {data.data() + data.size() - 1, 1}).ok());
  EXPECT_TRUE((*f)->TakeMd5s().empty());
  commit(**f, "capped", {});
  ExpectObject("capped", data);

  // An empty file: one empty part.
  f = StagingFile::Create(staging_dir, hashing(slots, kPart));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(sizes((*f)->TakeMd5s()), std::vector<uint64_t>{0});

  // A write out of order, or a truncate to another size, ends it.
  f = StagingFile::Create(staging_dir, hashing(slots, kPart));
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->WriteAt(0, {data.data(), 1000}).ok());
  ASSERT_TRUE((*f)->WriteAt(2000, {data.data() + 2000, 1000}).ok());
  EXPECT_TRUE((*f)->TakeMd5s().empty());
  f = StagingFile::Create(staging_dir, hashing(slots, kPart));
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->WriteAt(0, data).ok());
  ASSERT_TRUE((*f)->Truncate(data.size()).ok());  // same size: no change
  ASSERT_TRUE((*f)->Truncate(data.size() - 1).ok());
  EXPECT_TRUE((*f)->TakeMd5s().empty());
  commit(**f, "truncated", {});
  ExpectObject("truncated", data.substr(0, data.size() - 1));
  f = StagingFile::Create(staging_dir, hashing(slots, kPart));
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->WriteAt(0, data).ok());
  ASSERT_TRUE((*f)->Truncate(data.size()).ok());
  EXPECT_EQ((*f)->TakeMd5s().size(), 3u);
}

}  // namespace
}  // namespace maxiofs::fuse::testing
