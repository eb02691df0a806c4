// A data dir and its blob directory (EngineOptions::blob_dir): where blobs go, and the binding
// that keeps a data dir from opening (and sweeping) another data dir's blobs.
#include "key_codec.h"
#include "test_util.h"

#include <leveldb/db.h>

#include <fstream>

namespace maxiofs::engine {
namespace {

namespace fs = std::filesystem;

Result<std::unique_ptr<Engine>> OpenWith(const fs::path& data, const fs::path& blobs) {
  EngineOptions o;
  o.data_dir = data.string();
  o.blob_dir = blobs.empty() ? std::string() : blobs.string();
  o.inline_threshold = 1024;
  return Engine::Open(o);
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

// Replaces (or, with an empty value, deletes) the store key of a closed data dir.
void SetStoreKey(const fs::path& data, const std::string& value) {
  leveldb::DB* raw = nullptr;
  leveldb::Options o;
  ASSERT_TRUE(leveldb::DB::Open(o, (data / "meta").string(), &raw).ok());
  std::unique_ptr<leveldb::DB> db(raw);
  leveldb::WriteOptions wo;
  wo.sync = true;
  if (value.empty()) {
    ASSERT_TRUE(db->Delete(wo, std::string(kStoreKey)).ok());
  } else {
    ASSERT_TRUE(db->Put(wo, std::string(kStoreKey), value).ok());
  }
}

class StoreBindingTest : public ::testing::Test {
 protected:
  fs::path Data(const char* name) const { return dir_.path() / name; }
  // Opens, writes one blob-backed object and one inline object, closes.
  void Fill(const fs::path& data, const fs::path& blobs) {
    auto e = OpenWith(data, blobs);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    ASSERT_TRUE((*e)->CreateBucket({"bkt"}).ok());
    ASSERT_TRUE(Put(**e, "bkt", "big", Pattern(5000, 1)).has_value());
    ASSERT_TRUE(Put(**e, "bkt", "small", "tiny").has_value());
  }
  void ExpectReadable(const fs::path& data, const fs::path& blobs) {
    auto e = OpenWith(data, blobs);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    auto big = Get(**e, "bkt", "big");
    ASSERT_TRUE(big.has_value()) << big.error().ToString();
    EXPECT_EQ(*big, Pattern(5000, 1));
    EXPECT_EQ(Get(**e, "bkt", "small").value(), "tiny");
  }
  TempDir dir_;
};

TEST_F(StoreBindingTest, DefaultLayoutKeepsBlobsUnderTheDataDir) {
  Fill(Data("d"), {});
  EXPECT_EQ(CountFiles(Data("d") / "objects"), 1u);
  EXPECT_EQ(ReadFile(Data("d") / "objects" / "STORE").size(), 32u);
  ExpectReadable(Data("d"), {});
}

TEST_F(StoreBindingTest, ABlobDirElsewhereHoldsTheBlobsAndItsOwnTmp) {
  const fs::path blobs = dir_.path() / "disk2" / "blobs";
  fs::create_directories(dir_.path() / "disk2");
  Fill(Data("d"), blobs);
  EXPECT_EQ(CountFiles(blobs), 1u);
  EXPECT_EQ(CountFiles(Data("d") / "objects"), 0u);
  EXPECT_TRUE(fs::is_directory(blobs / ".tmp"));
  ExpectReadable(Data("d"), blobs);
  // Moving the whole blob directory keeps it bound: the label moves with it.
  const fs::path moved = dir_.path() / "disk2" / "moved";
  fs::rename(blobs, moved);
  ExpectReadable(Data("d"), moved);
}

TEST_F(StoreBindingTest, AnotherDataDirsBlobDirIsRefusedAndLeftIntact) {
  const fs::path shared = dir_.path() / "shared";
  Fill(Data("a"), shared);
  auto b = OpenWith(Data("b"), shared);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(b.error().message().find("belongs to another data dir"), std::string::npos)
      << b.error().ToString();
  // The refused open swept nothing: a's blob is still there and readable.
  EXPECT_EQ(CountFiles(shared), 1u);
  ExpectReadable(Data("a"), shared);
  // The same for the default layout: x's own objects/ as c's blob dir.
  Fill(Data("x"), {});
  auto c = OpenWith(Data("c"), Data("x") / "objects");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("belongs to another data dir"), std::string::npos);
}

TEST_F(StoreBindingTest, AnEmptyBlobDirIsRefusedWhileTheDataDirHasBlobsElsewhere) {
  Fill(Data("d"), dir_.path() / "first");
  auto e = OpenWith(Data("d"), dir_.path() / "second");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(e.error().message().find("holds none of this data dir's blobs"), std::string::npos)
      << e.error().ToString();
  ExpectReadable(Data("d"), dir_.path() / "first");
}

TEST_F(StoreBindingTest, ADataDirWithoutBlobsMayMoveToANewBlobDir) {
  {
    auto e = OpenWith(Data("d"), dir_.path() / "first");
    ASSERT_TRUE(e.has_value());
    ASSERT_TRUE((*e)->CreateBucket({"bkt"}).ok());
    ASSERT_TRUE(Put(**e, "bkt", "small", "tiny").has_value());
  }
  auto e = OpenWith(Data("d"), dir_.path() / "second");
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  EXPECT_EQ(Get(**e, "bkt", "small").value(), "tiny");
  e->reset();
  EXPECT_EQ(ReadFile(dir_.path() / "second" / "STORE"), ReadFile(dir_.path() / "first" / "STORE"));
}

TEST_F(StoreBindingTest, ADataDirFromBeforeBindingIsBoundOnOpen) {
  Fill(Data("d"), {});
  fs::remove(Data("d") / "objects" / "STORE");
  SetStoreKey(Data("d"), "");
  ExpectReadable(Data("d"), {});
  EXPECT_EQ(ReadFile(Data("d") / "objects" / "STORE").size(), 32u);
}

TEST_F(StoreBindingTest, ACrashBetweenTheTwoBindingWritesIsFinishedOnOpen) {
  Fill(Data("d"), {});
  const std::string id = ReadFile(Data("d") / "objects" / "STORE");
  fs::remove(Data("d") / "objects" / "STORE");
  SetStoreKey(Data("d"), id + " pending");
  ExpectReadable(Data("d"), {});
  EXPECT_EQ(ReadFile(Data("d") / "objects" / "STORE"), id);
}

TEST_F(StoreBindingTest, AMalformedLabelFailsTheOpen) {
  Fill(Data("d"), {});
  std::ofstream(Data("d") / "objects" / "STORE", std::ios::trunc) << "";
  auto e = OpenWith(Data("d"), {});
  ASSERT_FALSE(e.has_value());
  EXPECT_TRUE(e.error().IsCorruption()) << e.error().ToString();
}

TEST_F(StoreBindingTest, ABlobDirThatIsAFileFailsTheOpen) {
  std::ofstream(dir_.path() / "file") << "x";
  auto e = OpenWith(Data("d"), dir_.path() / "file");
  ASSERT_FALSE(e.has_value());
  EXPECT_TRUE(e.error().IsIOError()) << e.error().ToString();
}

}  // namespace
}  // namespace maxiofs::engine
