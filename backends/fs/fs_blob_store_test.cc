#include "maxiofs/backends/fs_blob_store.h"

#include "maxiofs/common/no_wait.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace maxiofs::backends {
namespace {

namespace fs = std::filesystem;

class FsBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("maxiofs-blob-" + NewBlobId());
    auto r = OpenFsBlobStore(root_.string());
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    store_ = std::move(r).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }
  static size_t CountFiles(const fs::path& dir) {
    size_t n = 0;
    if (!fs::exists(dir)) return 0;
    for (auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
    return n;
  }
  fs::path root_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(FsBlobStoreTest, NewBlobsShareAtMost256FoldersAndOldPlacesStillWork) {
  std::set<BlobId> ids;
  for (int i = 0; i < 600; ++i) {
    auto w = store_->Create();
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->Append(std::string_view("x")).ok());
    ASSERT_TRUE((*w)->Commit(false).ok());
    EXPECT_EQ((*w)->id().substr(2, 2), "00");
    ids.insert((*w)->id());
  }
  EXPECT_EQ(ids.size(), 600u);
  size_t first = 0;
  for (const auto& l1 : fs::directory_iterator(root_ / "objects")) {
    ++first;
    for (const auto& l2 : fs::directory_iterator(l1.path())) {
      EXPECT_EQ(l2.path().filename(), "00") << l2.path();
    }
  }
  EXPECT_LE(first, 256u);
  // A blob written by an older version, in a folder with any second byte, is still found,
  // listed and deleted.
  const BlobId old = "1234" + std::string(28, 'e');
  fs::create_directories(root_ / "objects" / "12" / "34");
  { std::ofstream(root_ / "objects" / "12" / "34" / old) << "old"; }
  auto r = store_->Open(old);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)->size(), 3u);
  bool listed = false;
  ASSERT_TRUE(store_->ForEach([&](const BlobId& id) { listed |= id == old; }).ok());
  EXPECT_TRUE(listed);
  EXPECT_TRUE(store_->Delete(old).ok());
  EXPECT_FALSE(fs::exists(root_ / "objects" / "12" / "34" / old));
}

TEST_F(FsBlobStoreTest, WriteCommitReadBack) {
  auto w = store_->Create();
  ASSERT_TRUE(w.has_value());
  std::string data(100000, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  ASSERT_TRUE((*w)->Append(data).ok());
  EXPECT_EQ((*w)->size(), data.size());
  const BlobId id = (*w)->id();
  EXPECT_TRUE(IsValidBlobId(id));
  // Not visible before commit.
  EXPECT_TRUE(store_->Open(id).error().IsNotFound());
  ASSERT_TRUE((*w)->Commit(true).ok());
  EXPECT_TRUE(fs::exists(root_ / "objects" / id.substr(0, 2) / id.substr(2, 2) / id));
  auto r = store_->Open(id);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)->size(), data.size());
  std::string back(data.size(), '\0');
  auto n = (*r)->ReadAt(0, back);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, data.size());
  EXPECT_EQ(back, data);
  // Partial read at an offset, and a read past the end.
  std::string part(10, '\0');
  ASSERT_EQ(*(*r)->ReadAt(99995, part), 5u);
  EXPECT_EQ(part.substr(0, 5), data.substr(99995));
  EXPECT_EQ(*(*r)->ReadAt(200000, part), 0u);
}

TEST_F(FsBlobStoreTest, ReadsInsideANoWaitScopeRefuseToWaitForTheDisk) {
  auto w = store_->Create();
  ASSERT_TRUE(w.has_value());
  std::string data(64 * 1024, 'n');
  ASSERT_TRUE((*w)->Append(data).ok());
  const BlobId id = (*w)->id();
  ASSERT_TRUE((*w)->Commit(true).ok());
  auto r = store_->Open(id);
  ASSERT_TRUE(r.has_value());
  std::string back(data.size(), '\0');
  {
    // Written through the page cache: readable at once.
    NoWaitScope scope;
    auto n = (*r)->ReadAt(0, back);
    ASSERT_TRUE(n.has_value()) << n.error().ToString();
    EXPECT_EQ(*n, data.size());
    EXPECT_FALSE(scope.would_block());
  }
  // Dropped from the page cache: the scope refuses, a plain read waits and gets the bytes.
  const fs::path path = root_ / "objects" / id.substr(0, 2) / id.substr(2, 2) / id;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  ::close(fd);
  {
    NoWaitScope scope;
    auto n = (*r)->ReadAt(0, back);
    ASSERT_FALSE(n.has_value());
    EXPECT_TRUE(n.error().IsWouldBlock()) << n.error().ToString();
    EXPECT_TRUE(scope.would_block());
  }
  std::fill(back.begin(), back.end(), '\0');
  auto n = (*r)->ReadAt(0, back);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, data.size());
  EXPECT_EQ(back, data);
}

TEST_F(FsBlobStoreTest, UncommittedWriterLeavesNothing) {
  {
    auto w = store_->Create();
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->Append(std::string(5000, 'a')).ok());
    EXPECT_EQ(CountFiles(root_ / "tmp"), 1u);
  }
  EXPECT_EQ(CountFiles(root_ / "tmp"), 0u);
  EXPECT_EQ(CountFiles(root_ / "objects"), 0u);
}

TEST_F(FsBlobStoreTest, AdoptsAnUnnamedFileWithoutCopying) {
  std::string data(300000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 13);
  int fd = ::open((root_ / "tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  struct stat before {};
  ASSERT_EQ(::fstat(fd, &before), 0);
  // A size that does not match the file is refused (the caller then copies).
  EXPECT_EQ(store_->Adopt(fd, data.size() + 1).error().code(), Status::Code::kNotImplemented);
  BlobId id;
  {
    auto w = store_->Adopt(fd, data.size());
    ASSERT_TRUE(w.has_value()) << w.error().ToString();
    EXPECT_EQ((*w)->size(), data.size());
    EXPECT_FALSE((*w)->Append("x").ok());  // an adopted blob takes no more bytes
    id = (*w)->id();
  }
  // Dropped before Commit: nothing published, no name left in tmp/, the caller's file intact.
  // A file can be linked once only, so a second try is refused (the caller then copies).
  EXPECT_TRUE(store_->Open(id).error().IsNotFound());
  EXPECT_EQ(CountFiles(root_ / "tmp"), 0u);
  EXPECT_EQ(store_->Adopt(fd, data.size()).error().code(), Status::Code::kNotImplemented);
  std::string again(data.size(), '\0');
  ASSERT_EQ(::pread(fd, again.data(), again.size(), 0), static_cast<ssize_t>(again.size()));
  EXPECT_EQ(again, data);
  ::close(fd);

  fd = ::open((root_ / "tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  ASSERT_EQ(::fstat(fd, &before), 0);
  auto w = store_->Adopt(fd, data.size());
  ASSERT_TRUE(w.has_value()) << w.error().ToString();
  id = (*w)->id();
  ASSERT_TRUE((*w)->Commit(true).ok());
  ::close(fd);
  const fs::path published = root_ / "objects" / id.substr(0, 2) / id.substr(2, 2) / id;
  struct stat after {};
  ASSERT_EQ(::stat(published.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // the same file, not a copy
  auto r = store_->Open(id);
  ASSERT_TRUE(r.has_value());
  std::string back(data.size(), '\0');
  ASSERT_EQ(*(*r)->ReadAt(0, back), data.size());
  EXPECT_EQ(back, data);
  EXPECT_EQ(CountFiles(root_ / "tmp"), 0u);
}

TEST_F(FsBlobStoreTest, RefusesToAdoptANamedFile) {
  const fs::path named = root_ / "named";
  int fd = ::open(named.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "abc", 3), 3);
  EXPECT_EQ(store_->Adopt(fd, 3).error().code(), Status::Code::kNotImplemented);
  ::unlink(named.c_str());  // unlinked but not O_TMPFILE: cannot be linked back either
  EXPECT_EQ(store_->Adopt(fd, 3).error().code(), Status::Code::kNotImplemented);
  ::close(fd);
  EXPECT_EQ(CountFiles(root_ / "objects"), 0u);
}

TEST_F(FsBlobStoreTest, DeleteAndForEachAndOpenReaderSurvivesDelete) {
  std::set<BlobId> ids;
  for (int i = 0; i < 5; ++i) {
    auto w = store_->Create();
    ASSERT_TRUE((*w)->Append(std::to_string(i)).ok());
    ASSERT_TRUE((*w)->Commit(false).ok());
    ids.insert((*w)->id());
  }
  std::set<BlobId> seen;
  ASSERT_TRUE(store_->ForEach([&](const BlobId& id) { seen.insert(id); }).ok());
  EXPECT_EQ(seen, ids);
  const BlobId victim = *ids.begin();
  auto reader = store_->Open(victim);
  ASSERT_TRUE(reader.has_value());
  ASSERT_TRUE(store_->Delete(victim).ok());
  EXPECT_TRUE(store_->Delete(victim).IsNotFound());
  EXPECT_TRUE(store_->Open(victim).error().IsNotFound());
  char c = 0;
  ASSERT_EQ(*(*reader)->ReadAt(0, std::span<char>(&c, 1)), 1u);  // POSIX keeps unlinked data
}

TEST_F(FsBlobStoreTest, RejectsIdsThatCouldEscapeTheRoot) {
  EXPECT_FALSE(IsValidBlobId("../../etc/passwd"));
  EXPECT_FALSE(IsValidBlobId("ABCDEF0123456789abcdef0123456789"));
  EXPECT_TRUE(store_->Open("../../../../../../etc/passwd").error().IsNotFound());
  EXPECT_TRUE(store_->Delete("..").IsNotFound());
}

TEST_F(FsBlobStoreTest, RemoveUnfinishedClearsTmp) {
  std::ofstream(root_ / "tmp" / "leftover") << "junk";
  auto n = store_->RemoveUnfinished();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(CountFiles(root_ / "tmp"), 0u);
}

TEST_F(FsBlobStoreTest, SpaceReportsTheDevice) {
  auto s = store_->Space();
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->total_bytes, 0u);
  EXPECT_LE(s->free_bytes, s->total_bytes);
}

TEST_F(FsBlobStoreTest, LabelIsWrittenDurablyAndReadBack) {
  auto none = store_->ReadLabel();
  ASSERT_TRUE(none.has_value()) << none.error().ToString();
  EXPECT_EQ(*none, "");
  ASSERT_TRUE(store_->WriteLabel("0123abcd").ok());
  EXPECT_EQ(*store_->ReadLabel(), "0123abcd");
  ASSERT_TRUE(store_->WriteLabel("replaced").ok());
  EXPECT_EQ(*store_->ReadLabel(), "replaced");
  EXPECT_TRUE(fs::exists(root_ / "objects" / "STORE"));
  EXPECT_EQ(CountFiles(root_ / "tmp"), 0u);
  // Not a blob: ForEach never offers it to the sweep.
  size_t seen = 0;
  ASSERT_TRUE(store_->ForEach([&](const BlobId&) { ++seen; }).ok());
  EXPECT_EQ(seen, 0u);
  EXPECT_EQ(store_->WriteLabel("two\nlines").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->WriteLabel("").code(), Status::Code::kInvalidArgument);
  std::ofstream(root_ / "objects" / "STORE", std::ios::trunc) << std::string(300, 'x');
  EXPECT_TRUE(store_->ReadLabel().error().IsCorruption());
}

TEST(FsBlobStoreOpen, SeparateObjectsAndTmpDirectories) {
  const fs::path root = fs::temp_directory_path() / ("maxiofs-blobdir-" + NewBlobId());
  fs::create_directory(root);  // the blob directory is created; its parent must exist
  auto r = OpenFsBlobStoreAt((root / "blobs").string(), (root / "blobs" / ".tmp").string());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  auto w = (*r)->Create();
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append(std::string_view("data")).ok());
  EXPECT_TRUE(fs::exists(root / "blobs" / ".tmp" / (*w)->id()));
  ASSERT_TRUE((*w)->Commit(true).ok());
  const BlobId id = (*w)->id();
  EXPECT_TRUE(fs::exists(root / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id));
  std::vector<BlobId> ids;
  ASSERT_TRUE((*r)->ForEach([&](const BlobId& b) { ids.push_back(b); }).ok());
  EXPECT_EQ(ids, std::vector<BlobId>{id});  // ".tmp" is no blob folder
  fs::remove_all(root);
}

TEST(FsBlobStoreOpen, UnwritableRootFails) {
  // A regular file where the root should be.
  fs::path f = fs::temp_directory_path() / ("maxiofs-file-" + NewBlobId());
  std::ofstream(f) << "x";
  auto r = OpenFsBlobStore(f.string());
  EXPECT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().IsIOError()) << r.error().ToString();
  fs::remove(f);
}

}  // namespace
}  // namespace maxiofs::backends
