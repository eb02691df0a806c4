// Engine behaviour against the real LevelDB and the real filesystem blob store in a temp dir.
#include "checksums.h"
#include "test_util.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

namespace maxiofs::engine {
namespace {

constexpr uint64_t kThreshold = 4096;  // small, so blob-backed objects are cheap to make

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(dir_.str(), kThreshold);
    ASSERT_NE(engine_, nullptr);
    ASSERT_TRUE(engine_->CreateBucket({"bkt"}).ok());
  }
  void Reopen() {
    engine_.reset();
    engine_ = OpenOrDie(dir_.str(), kThreshold);
    ASSERT_NE(engine_, nullptr);
  }
  size_t BlobFiles() const { return CountFiles(dir_.path() / "objects"); }
  size_t TmpFiles() const { return CountFiles(dir_.path() / "tmp"); }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, BucketLifecycle) {
  EXPECT_EQ(engine_->CreateBucket({"bkt"}).code(), Status::Code::kBucketAlreadyOwnedByYou);
  EXPECT_EQ(engine_->CreateBucket({"Bad_Name"}).code(), Status::Code::kInvalidBucketName);
  ASSERT_TRUE(engine_->CreateBucket({"another"}).ok());
  auto list = engine_->ListBuckets();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "another");
  EXPECT_EQ((*list)[1].name, "bkt");
  EXPECT_GT((*list)[0].created_ns, 0);
  EXPECT_TRUE(engine_->HeadBucket("bkt").has_value());
  EXPECT_TRUE(engine_->HeadBucket("nope").error().IsNoSuchBucket());
  ASSERT_TRUE(Put(*engine_, "bkt", "k", "v").has_value());
  EXPECT_EQ(engine_->DeleteBucket("bkt").code(), Status::Code::kBucketNotEmpty);
  ASSERT_TRUE(engine_->DeleteObject(DelReq("bkt", "k")).has_value());
  EXPECT_TRUE(engine_->DeleteBucket("bkt").ok());
  EXPECT_TRUE(engine_->DeleteBucket("bkt").IsNoSuchBucket());
  // A bucket whose name is a prefix of another's does not see the other's objects.
  ASSERT_TRUE(engine_->CreateBucket({"abc"}).ok());
  ASSERT_TRUE(engine_->CreateBucket({"abcd"}).ok());
  ASSERT_TRUE(Put(*engine_, "abcd", "x", "1").has_value());
  EXPECT_TRUE(engine_->DeleteBucket("abc").ok());
}

TEST_F(EngineTest, PutGetBothSidesOfTheInlineThreshold) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{kThreshold - 1}, size_t{kThreshold},
                      size_t{kThreshold + 1}, size_t{3 * kThreshold + 17}, size_t{1 << 20}}) {
    std::string key = "obj-" + std::to_string(size);
    std::string data = Pattern(size, static_cast<uint32_t>(size));
    auto info = Put(*engine_, "bkt", key, data);
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    auto md5 = NewMd5();
    md5->Update(data);
    EXPECT_EQ(info->etag, HexEncode(md5->Final()));
    EXPECT_EQ(info->size, size);
    auto back = Get(*engine_, "bkt", key);
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(*back, data) << size;
  }
  // Objects above the threshold are files; at or below it they are not.
  EXPECT_EQ(BlobFiles(), 3u);
  EXPECT_EQ(TmpFiles(), 0u);
  Reopen();
  auto back = Get(*engine_, "bkt", "obj-1048576");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, Pattern(1 << 20, 1 << 20));
  EXPECT_EQ(*Get(*engine_, "bkt", "obj-4096"), Pattern(4096, 4096));
}

TEST_F(EngineTest, MetadataRoundTrip) {
  PutObjectRequest req;
  req.meta.content_type = "text/plain";
  req.meta.cache_control = "no-cache";
  req.meta.user = {{"color", "blue"}, {"mode", "33188"}};
  req.checksum_algorithm = ChecksumAlgorithm::kCRC32;
  ASSERT_TRUE(Put(*engine_, "bkt", "m", "123456789", req).has_value());
  auto h = engine_->HeadObject(HeadReq("bkt", "m"));
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->meta, req.meta);
  EXPECT_EQ(h->checksum.algorithm, ChecksumAlgorithm::kCRC32);
  EXPECT_EQ(h->checksum.value, "y/Q5Jg==");
  EXPECT_EQ(h->size, 9u);
  EXPECT_EQ(h->version_id, "null");
}

TEST_F(EngineTest, RangesAreResolvedByTheEngine) {
  for (size_t size : {size_t{1000}, size_t{20000}}) {  // inline and blob
    std::string key = "r" + std::to_string(size);
    std::string data = Pattern(size, 7);
    ASSERT_TRUE(Put(*engine_, "bkt", key, data).has_value());
    using K = RangeSpec::Kind;
    EXPECT_EQ(*Get(*engine_, "bkt", key, RangeSpec{K::kFromTo, 10, 19, 0}), data.substr(10, 10));
    EXPECT_EQ(*Get(*engine_, "bkt", key, RangeSpec{K::kFromTo, 10, 1u << 30, 0}), data.substr(10));
    EXPECT_EQ(*Get(*engine_, "bkt", key, RangeSpec{K::kFrom, size - 5, 0, 0}),
              data.substr(size - 5));
    EXPECT_EQ(*Get(*engine_, "bkt", key, RangeSpec{K::kSuffix, 0, 0, 7}), data.substr(size - 7));
    EXPECT_EQ(*Get(*engine_, "bkt", key, RangeSpec{K::kSuffix, 0, 0, size * 2}), data);
    EXPECT_EQ(Get(*engine_, "bkt", key, RangeSpec{K::kFrom, size, 0, 0}).error().code(),
              Status::Code::kInvalidRange);
    EXPECT_EQ(Get(*engine_, "bkt", key, RangeSpec{K::kSuffix, 0, 0, 0}).error().code(),
              Status::Code::kInvalidRange);
    GetObjectRequest g;
    g.bucket = "bkt";
    g.key = key;
    g.range = RangeSpec{K::kFromTo, 5, 9, 0};
    auto r = engine_->GetObject(g);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE((*r)->is_range());
    EXPECT_EQ((*r)->offset(), 5u);
    EXPECT_EQ((*r)->length(), 5u);
  }
  ASSERT_TRUE(Put(*engine_, "bkt", "empty", "").has_value());
  EXPECT_EQ(
      Get(*engine_, "bkt", "empty", RangeSpec{RangeSpec::Kind::kFrom, 0, 0, 0}).error().code(),
      Status::Code::kInvalidRange);
}

TEST_F(EngineTest, MissingThings) {
  EXPECT_TRUE(Get(*engine_, "bkt", "nope").error().IsNoSuchKey());
  EXPECT_TRUE(Get(*engine_, "nobucket", "k").error().IsNoSuchBucket());
  EXPECT_TRUE(Put(*engine_, "nobucket", "k", "x").error().IsNoSuchBucket());
  EXPECT_EQ(Put(*engine_, "bkt", std::string(1025, 'a'), "x").error().code(),
            Status::Code::kInvalidKey);
  EXPECT_EQ(Put(*engine_, "bkt", "bad\xff", "x").error().code(), Status::Code::kInvalidKey);
  auto d = engine_->DeleteObject(DelReq("bkt", "nope"));
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->existed);
}

TEST_F(EngineTest, BadDigestAndWrongLengthChangeNothing) {
  ASSERT_TRUE(Put(*engine_, "bkt", "k", "original").has_value());
  for (size_t size : {size_t{100}, size_t{50000}}) {
    PutObjectRequest req;
    req.expected_md5 = std::string(16, 'x');
    EXPECT_EQ(Put(*engine_, "bkt", "k", Pattern(size, 1), req).error().code(),
              Status::Code::kBadDigest);
    PutObjectRequest req2;
    req2.expected_size = size + 1;
    EXPECT_EQ(Put(*engine_, "bkt", "k", Pattern(size, 1), req2).error().code(),
              Status::Code::kIncompleteBody);
    PutObjectRequest req3;
    req3.expected_size = size - 1;
    EXPECT_EQ(Put(*engine_, "bkt", "k", Pattern(size, 1), req3).error().code(),
              Status::Code::kIncompleteBody);
    PutObjectRequest req4;
    req4.checksum_algorithm = ChecksumAlgorithm::kSHA256;
    req4.expected_checksum = "AAAA";
    EXPECT_EQ(Put(*engine_, "bkt", "k", Pattern(size, 1), req4).error().code(),
              Status::Code::kBadDigest);
  }
  EXPECT_EQ(*Get(*engine_, "bkt", "k"), "original");
  EXPECT_EQ(BlobFiles(), 0u);
  EXPECT_EQ(TmpFiles(), 0u);
}

TEST_F(EngineTest, AbandonedWriterLeavesNothing) {
  {
    PutObjectRequest req;
    req.bucket = "bkt";
    req.key = "half";
    auto w = engine_->BeginPut(req);
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->Append(Pattern(100000, 3)).ok());
    EXPECT_EQ(TmpFiles(), 1u);
  }
  EXPECT_EQ(TmpFiles(), 0u);
  EXPECT_TRUE(Get(*engine_, "bkt", "half").error().IsNoSuchKey());
}

TEST_F(EngineTest, MaxObjectSize) {
  engine_.reset();
  EngineOptions o;
  o.data_dir = dir_.str();
  o.max_object_size = 10000;
  auto e = Engine::Open(o);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Put(**e, "bkt", "big", Pattern(10001, 1)).error().code(),
            Status::Code::kEntityTooLarge);
  PutObjectRequest req;
  req.bucket = "bkt";
  req.key = "big";
  req.expected_size = 20000;
  EXPECT_EQ((*e)->BeginPut(req).error().code(), Status::Code::kEntityTooLarge);
  EXPECT_TRUE(Put(**e, "bkt", "ok", Pattern(10000, 1)).has_value());
}

TEST_F(EngineTest, OverwriteAndDeleteReleaseBlobs) {
  ASSERT_TRUE(Put(*engine_, "bkt", "k", Pattern(50000, 1)).has_value());
  EXPECT_EQ(BlobFiles(), 1u);
  ASSERT_TRUE(Put(*engine_, "bkt", "k", Pattern(60000, 2)).has_value());
  EXPECT_EQ(BlobFiles(), 1u);
  EXPECT_EQ(*Get(*engine_, "bkt", "k"), Pattern(60000, 2));
  ASSERT_TRUE(Put(*engine_, "bkt", "k", "small now").has_value());
  EXPECT_EQ(BlobFiles(), 0u);
  ASSERT_TRUE(Put(*engine_, "bkt", "k", Pattern(60000, 2)).has_value());
  auto d = engine_->DeleteObject(DelReq("bkt", "k"));
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->existed);
  EXPECT_EQ(BlobFiles(), 0u);
  EXPECT_TRUE(Get(*engine_, "bkt", "k").error().IsNoSuchKey());
}

TEST_F(EngineTest, CopySharesBlobsAndKeepsCountsRight) {
  const std::string big = Pattern(50000, 9);
  PutObjectRequest req;
  req.meta.content_type = "image/png";
  req.meta.user = {{"a", "1"}};
  ASSERT_TRUE(Put(*engine_, "bkt", "src", big, req).has_value());
  ASSERT_TRUE(engine_->CreateBucket({"other"}).ok());
  CopyObjectRequest c;
  c.src_bucket = "bkt";
  c.src_key = "src";
  c.dst_bucket = "other";
  c.dst_key = "dst";
  auto info = engine_->CopyObject(c);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  EXPECT_EQ(info->meta, req.meta);
  EXPECT_EQ(BlobFiles(), 1u);  // shared, not copied
  c.dst_key = "dst2";
  c.replace_metadata = true;
  c.meta.content_type = "text/plain";
  info = engine_->CopyObject(c);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(engine_->HeadObject(HeadReq("other", "dst2"))->meta.content_type, "text/plain");
  EXPECT_EQ(BlobFiles(), 1u);
  // Delete the source: the copies still read; the blob goes only with the last reference.
  ASSERT_TRUE(engine_->DeleteObject(DelReq("bkt", "src")).has_value());
  EXPECT_EQ(*Get(*engine_, "other", "dst"), big);
  ASSERT_TRUE(engine_->DeleteObject(DelReq("other", "dst")).has_value());
  EXPECT_EQ(BlobFiles(), 1u);
  EXPECT_EQ(*Get(*engine_, "other", "dst2"), big);
  // Copy onto itself: refused without REPLACE, allowed with it; the count stays right.
  CopyObjectRequest self;
  self.src_bucket = self.dst_bucket = "other";
  self.src_key = self.dst_key = "dst2";
  EXPECT_EQ(engine_->CopyObject(self).error().code(), Status::Code::kInvalidRequest);
  self.replace_metadata = true;
  self.meta.user = {{"b", "2"}};
  ASSERT_TRUE(engine_->CopyObject(self).has_value());
  EXPECT_EQ(*Get(*engine_, "other", "dst2"), big);
  ASSERT_TRUE(engine_->DeleteObject(DelReq("other", "dst2")).has_value());
  EXPECT_EQ(BlobFiles(), 0u);
  // Inline copies and a missing source.
  ASSERT_TRUE(Put(*engine_, "bkt", "tiny", "tiny data").has_value());
  c.src_key = "tiny";
  c.dst_key = "tiny-copy";
  ASSERT_TRUE(engine_->CopyObject(c).has_value());
  ASSERT_TRUE(engine_->DeleteObject(DelReq("bkt", "tiny")).has_value());
  EXPECT_EQ(*Get(*engine_, "other", "tiny-copy"), "tiny data");
  c.src_key = "gone";
  EXPECT_TRUE(engine_->CopyObject(c).error().IsNoSuchKey());
}

TEST_F(EngineTest, ReadPreconditions) {
  auto info = Put(*engine_, "bkt", "k", "data");
  ASSERT_TRUE(info.has_value());
  const std::string etag = info->etag;
  const int64_t mtime = info->last_modified_ns;
  const int64_t sec = 1000000000;
  auto head = [&](Preconditions p) {
    return engine_->HeadObject(HeadReq("bkt", "k", p)).status().code();
  };
  using C = Status::Code;
  EXPECT_EQ(head({{etag}, {}, {}, {}}), C::kOk);
  EXPECT_EQ(head({{"*"}, {}, {}, {}}), C::kOk);
  EXPECT_EQ(head({{"other"}, {}, {}, {}}), C::kPreconditionFailed);
  EXPECT_EQ(head({{}, {etag}, {}, {}}), C::kNotModified);
  EXPECT_EQ(head({{}, {"other"}, {}, {}}), C::kOk);
  EXPECT_EQ(head({{}, {}, mtime + 10 * sec, {}}), C::kNotModified);
  EXPECT_EQ(head({{}, {}, mtime - 10 * sec, {}}), C::kOk);
  EXPECT_EQ(head({{}, {}, {}, mtime - 10 * sec}), C::kPreconditionFailed);
  EXPECT_EQ(head({{}, {}, {}, mtime + 10 * sec}), C::kOk);
  // S3: If-Match true wins over If-Unmodified-Since false; If-None-Match false wins over
  // If-Modified-Since.
  EXPECT_EQ(head({{etag}, {}, {}, mtime - 10 * sec}), C::kOk);
  EXPECT_EQ(head({{}, {"other"}, mtime + 10 * sec, {}}), C::kOk);
}

TEST_F(EngineTest, ConditionalWrites) {
  PutObjectRequest once;
  once.preconditions.if_none_match = {"*"};
  auto first = Put(*engine_, "bkt", "k", "v1", once);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(Put(*engine_, "bkt", "k", "v2", once).error().code(),
            Status::Code::kPreconditionFailed);
  PutObjectRequest match;
  match.preconditions.if_match = {"nope"};
  EXPECT_EQ(Put(*engine_, "bkt", "k", "v2", match).error().code(),
            Status::Code::kPreconditionFailed);
  match.preconditions.if_match = {first->etag};
  EXPECT_TRUE(Put(*engine_, "bkt", "k", "v2", match).has_value());
  EXPECT_TRUE(Put(*engine_, "bkt", "absent", "v", match).error().IsNoSuchKey());
  EXPECT_EQ(*Get(*engine_, "bkt", "k"), "v2");
  // The precondition is checked again at commit: a writer that began before a competing
  // create loses.
  PutObjectRequest r;
  r.bucket = "bkt";
  r.key = "race";
  r.preconditions.if_none_match = {"*"};
  auto w = engine_->BeginPut(r);
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append(std::string_view("late")).ok());
  ASSERT_TRUE(Put(*engine_, "bkt", "race", "early").has_value());
  EXPECT_EQ((*w)->Commit().error().code(), Status::Code::kPreconditionFailed);
  EXPECT_EQ(*Get(*engine_, "bkt", "race"), "early");
}

TEST_F(EngineTest, ConcurrentWritersAndReadersSeeWholeVersions) {
  // Each writer writes a body made of one repeated byte; a reader must never see a mix.
  constexpr int kWriters = 4, kReaders = 4, kRounds = 60;
  std::atomic<bool> bad{false};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  ASSERT_TRUE(Put(*engine_, "bkt", "hot", std::string(10000, 'a')).has_value());
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kRounds; ++i) {
        size_t size = (i % 3 == 0) ? 100 : 10000 + 1000 * w;  // inline and blob
        if (!Put(*engine_, "bkt", "hot", std::string(size, static_cast<char>('a' + w)))
                 .has_value()) {
          bad = true;
        }
      }
      ++done;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      while (done.load() < kWriters) {
        auto v = Get(*engine_, "bkt", "hot");
        if (!v.has_value()) {
          bad = true;
          continue;
        }
        if (v->empty() || v->find_first_not_of((*v)[0]) != std::string::npos) bad = true;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(bad.load());
  // Exactly the last version's blob (or none) remains.
  EXPECT_LE(BlobFiles(), 1u);
  EXPECT_EQ(TmpFiles(), 0u);
}

TEST(EngineOpen, SecondOpenOfTheSameDirIsBusy) {
  TempDir dir;
  auto a = OpenOrDie(dir.str());
  ASSERT_NE(a, nullptr);
  EngineOptions o;
  o.data_dir = dir.str();
  auto b = Engine::Open(o);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), Status::Code::kBusy) << b.error().ToString();
  a.reset();
  EXPECT_TRUE(Engine::Open(o).has_value());
}

TEST(EngineOpen, TwoEnginesInOneProcessAreIndependent) {
  TempDir d1, d2;
  auto a = OpenOrDie(d1.str());
  auto b = OpenOrDie(d2.str());
  ASSERT_TRUE(a->CreateBucket({"same"}).ok());
  ASSERT_TRUE(b->CreateBucket({"same"}).ok());
  ASSERT_TRUE(Put(*a, "same", "k", "from a").has_value());
  EXPECT_TRUE(Get(*b, "same", "k").error().IsNoSuchKey());
}

TEST(EngineOpen, UnusableDataDirFails) {
  TempDir d;
  std::string file = d.str() + "/plainfile";
  FILE* f = fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  EngineOptions o;
  o.data_dir = file;
  auto r = Engine::Open(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Status::Code::kIOError);
  o.data_dir = "";
  EXPECT_FALSE(Engine::Open(o).has_value());
}

TEST(EngineOpen, SweepKeepsReferencedBlobsAndRemovesTempFiles) {
  TempDir d;
  { auto e = OpenOrDie(d.str()); }
  FILE* f = fopen((d.path() / "tmp/0123456789abcdef0123456789abcdef").c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  auto e = OpenOrDie(d.str(), 10);
  ASSERT_TRUE(e->CreateBucket({"b12"}).ok());
  ASSERT_TRUE(Put(*e, "b12", "kept", Pattern(1000, 1)).has_value());
  e.reset();
  EXPECT_EQ(CountFiles(d.path() / "tmp"), 0u);
  EXPECT_EQ(CountFiles(d.path() / "objects"), 1u);
  e = OpenOrDie(d.str(), 10);
  EXPECT_EQ(CountFiles(d.path() / "objects"), 1u);  // referenced blobs are never swept
  EXPECT_EQ(*Get(*e, "b12", "kept"), Pattern(1000, 1));
}

}  // namespace
}  // namespace maxiofs::engine

namespace maxiofs::engine {
namespace {

class RecordingListener : public ChangeListener {
 public:
  void OnChange(const ChangeEvent& e) override {
    std::lock_guard<std::mutex> l(mu);
    events.push_back(std::to_string(static_cast<int>(e.kind)) + ":" + e.bucket + "/" + e.key);
  }
  std::mutex mu;
  std::vector<std::string> events;
};

TEST_F(EngineTest, RenameObjectMovesMetadataOnly) {
  const std::string big = Pattern(50000, 5);
  PutObjectRequest req;
  req.meta.user = {{"mode", "33188"}};
  ASSERT_TRUE(Put(*engine_, "bkt", "a/file", big, req).has_value());
  ASSERT_TRUE(Put(*engine_, "bkt", "b/other", Pattern(60000, 6)).has_value());
  EXPECT_EQ(BlobFiles(), 2u);
  auto r = engine_->RenameObject({"bkt", "a/file", "b/other", true});
  EXPECT_EQ(r.error().code(), Status::Code::kPreconditionFailed);
  r = engine_->RenameObject({"bkt", "a/file", "b/other", false});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->meta.user, req.meta.user);
  EXPECT_EQ(*Get(*engine_, "bkt", "b/other"), big);
  EXPECT_TRUE(Get(*engine_, "bkt", "a/file").error().IsNoSuchKey());
  EXPECT_EQ(BlobFiles(), 1u);  // the replaced object's blob is released, the moved one kept
  EXPECT_TRUE(engine_->RenameObject({"bkt", "a/file", "x", false}).error().IsNoSuchKey());
}

TEST_F(EngineTest, RenamePrefixIsAtomicAndRefusesNonEmptyTarget) {
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(
        Put(*engine_, "bkt", "dir/sub/" + std::to_string(i), std::to_string(i)).has_value());
  }
  ASSERT_TRUE(Put(*engine_, "bkt", "dir/top", Pattern(9000, 1)).has_value());
  ASSERT_TRUE(Put(*engine_, "bkt", "dirx", "not under dir/").has_value());
  ASSERT_TRUE(Put(*engine_, "bkt", "taken/x", "x").has_value());
  EXPECT_EQ(engine_->RenamePrefix({"bkt", "dir/", "taken/", 100000}).error().code(),
            Status::Code::kPreconditionFailed);
  EXPECT_EQ(engine_->RenamePrefix({"bkt", "dir/", "dir/in/", 100000}).error().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->RenamePrefix({"bkt", "dir/", "new/", 10}).error().code(),
            Status::Code::kEntityTooLarge);
  EXPECT_EQ(*Get(*engine_, "bkt", "dir/sub/7"), "7");  // nothing moved by the refusals
  RecordingListener listener;
  engine_->Subscribe(&listener);
  auto n = engine_->RenamePrefix({"bkt", "dir/", "new/", 100000});
  engine_->Unsubscribe(&listener);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 51u);
  EXPECT_EQ(listener.events.size(), 102u);
  EXPECT_EQ(*Get(*engine_, "bkt", "new/sub/7"), "7");
  EXPECT_EQ(*Get(*engine_, "bkt", "new/top"), Pattern(9000, 1));
  EXPECT_EQ(*Get(*engine_, "bkt", "dirx"), "not under dir/");
  auto left = engine_->ListObjects({"bkt", "dir/", "", "", 10});
  ASSERT_TRUE(left.has_value());
  EXPECT_TRUE(left->objects.empty());
}

TEST_F(EngineTest, ListenersSeeCommittedChanges) {
  RecordingListener listener;
  engine_->Subscribe(&listener);
  ASSERT_TRUE(Put(*engine_, "bkt", "k", "v").has_value());
  PutObjectRequest bad;
  bad.expected_md5 = std::string(16, 'x');
  EXPECT_FALSE(Put(*engine_, "bkt", "k2", "v", bad).has_value());  // no event for a failure
  ASSERT_TRUE(engine_->DeleteObject(DelReq("bkt", "k")).has_value());
  ASSERT_TRUE(engine_->CreateBucket({"newb"}).ok());
  ASSERT_TRUE(engine_->DeleteBucket("newb").ok());
  engine_->Unsubscribe(&listener);
  ASSERT_TRUE(Put(*engine_, "bkt", "after", "v").has_value());
  std::vector<std::string> want = {"0:bkt/k", "1:bkt/k", "2:newb/", "3:newb/"};
  EXPECT_EQ(listener.events, want);
}

}  // namespace
}  // namespace maxiofs::engine

namespace maxiofs::engine {
namespace {

std::string Md5Of(const std::string& data) {
  auto d = NewMd5();
  d->Update(data);
  return d->Final();
}

// A file made the way the FUSE mount stages writes: O_TMPFILE in <data>/tmp.
int StagedFile(const TempDir& dir, const std::string& data) {
  int fd = ::open((dir.path() / "tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  EXPECT_GE(fd, 0) << std::strerror(errno);
  EXPECT_EQ(::pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  return fd;
}

TEST_F(EngineTest, AppendFileTakesABlobSizedStagedFileWithoutCopying) {
  std::string data(3 * kThreshold + 5, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + 7);
  int fd = StagedFile(dir_, data);
  struct stat staged {};
  ASSERT_EQ(::fstat(fd, &staged), 0);
  PutObjectRequest req;
  req.bucket = "bkt";
  req.key = "taken";
  req.checksum_algorithm = ChecksumAlgorithm::kCRC32C;
  auto w = engine_->BeginPut(req);
  ASSERT_TRUE(w.has_value());
  auto taken = (*w)->AppendFile(fd, data.size());
  ASSERT_TRUE(taken.has_value()) << taken.error().ToString();
  EXPECT_TRUE(*taken);
  auto info = (*w)->Commit();
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  ::close(fd);
  EXPECT_EQ(info->size, data.size());
  EXPECT_EQ(info->etag, HexEncode(Md5Of(data)));
  EXPECT_EQ(info->checksum.algorithm, ChecksumAlgorithm::kCRC32C);
  EXPECT_EQ(*Get(*engine_, "bkt", "taken"), data);
  EXPECT_EQ(BlobFiles(), 1u);
  EXPECT_EQ(TmpFiles(), 0u);
  // The blob is the staged inode itself.
  bool same_inode = false;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir_.path() / "objects")) {
    struct stat st {};
    if (e.is_regular_file() && ::stat(e.path().c_str(), &st) == 0) {
      same_inode = same_inode || st.st_ino == staged.st_ino;
    }
  }
  EXPECT_TRUE(same_inode);
  Reopen();  // the start-up sweep keeps it: it is referenced
  EXPECT_EQ(*Get(*engine_, "bkt", "taken"), data);
}

TEST_F(EngineTest, AppendFileCopiesSmallNamedOrMismatchedFiles) {
  const std::string small(100, 's');
  int fd = StagedFile(dir_, small);
  PutObjectRequest req;
  req.bucket = "bkt";
  req.key = "small";
  auto w = engine_->BeginPut(req);
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE(*(*w)->AppendFile(fd, small.size()));  // inline: copied into the record
  ASSERT_TRUE((*w)->Commit().has_value());
  ::close(fd);
  EXPECT_EQ(*Get(*engine_, "bkt", "small"), small);

  // A named file is copied; the caller's file is untouched.
  const std::string big(2 * kThreshold, 'n');
  const auto named = dir_.path() / "named";
  fd = ::open(named.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_EQ(::pwrite(fd, big.data(), big.size(), 0), static_cast<ssize_t>(big.size()));
  req.key = "named";
  w = engine_->BeginPut(req);
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE(*(*w)->AppendFile(fd, big.size()));
  ASSERT_TRUE((*w)->Commit().has_value());
  ::close(fd);
  EXPECT_TRUE(std::filesystem::exists(named));
  EXPECT_EQ(*Get(*engine_, "bkt", "named"), big);

  // A wrong Content-MD5 refuses the commit and publishes nothing; the file stays usable.
  fd = StagedFile(dir_, big);
  req.key = "bad";
  req.expected_md5 = std::string(16, 'x');
  w = engine_->BeginPut(req);
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->AppendFile(fd, big.size()).has_value());
  EXPECT_EQ((*w)->Commit().error().code(), Status::Code::kBadDigest);
  w->reset();
  EXPECT_FALSE(Get(*engine_, "bkt", "bad").has_value());
  std::string back(big.size(), '\0');
  EXPECT_EQ(::pread(fd, back.data(), back.size(), 0), static_cast<ssize_t>(back.size()));
  EXPECT_EQ(back, big);
  // A file shorter than claimed is an IOError, not a short object.
  req.key = "short";
  req.expected_md5.reset();
  w = engine_->BeginPut(req);
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE((*w)->AppendFile(fd, big.size() + 10).has_value());
  EXPECT_FALSE((*w)->Commit().has_value());
  w->reset();
  ::close(fd);
  EXPECT_FALSE(Get(*engine_, "bkt", "short").has_value());
  EXPECT_EQ(TmpFiles(), 0u);
  Reopen();
  EXPECT_EQ(TmpFiles(), 0u);
  EXPECT_EQ(BlobFiles(), 1u);  // "named" only: nothing leaked from the refused puts
}

std::unique_ptr<ContentMd5> DigestOf(const std::string& data) {
  std::unique_ptr<ContentMd5> d = ContentMd5::New();
  d->Update(data);
  return d;
}

// Puts `data` staged in a file with AppendFileWithMd5s and `md5` (if any); returns the
// committed info.
Result<ObjectInfo> PutStaged(Engine& engine, const TempDir& dir, PutObjectRequest req,
                             const std::string& data, std::unique_ptr<ContentMd5> md5,
                             bool* taken) {
  int fd = StagedFile(dir, data);
  auto w = engine.BeginPut(req);
  if (!w.has_value()) return w.error();
  std::vector<std::unique_ptr<ContentMd5>> md5s;
  if (md5) md5s.push_back(std::move(md5));
  Result<bool> t = (*w)->AppendFileWithMd5s(fd, data.size(), std::move(md5s));
  Result<ObjectInfo> info = t.has_value() ? (*w)->Commit() : Result<ObjectInfo>(t.error());
  ::close(fd);
  if (t.has_value()) *taken = *t;
  return info;
}

TEST_F(EngineTest, AppendFileWithMd5sUsesTheGivenDigestOnlyWhereItMayBeTrusted) {
  std::string data(3 * kThreshold + 5, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 13 + 1);
  std::string other = data;  // same size, other bytes: stands for a wrong digest
  other[7] ^= 1;
  PutObjectRequest req;
  req.bucket = "bkt";
  bool taken = false;

  // A taken file with the digest of its bytes: the ETag is their MD5.
  req.key = "right";
  auto info = PutStaged(*engine_, dir_, req, data, DigestOf(data), &taken);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  EXPECT_TRUE(taken);
  EXPECT_EQ(info->etag, HexEncode(Md5Of(data)));
  EXPECT_EQ(*Get(*engine_, "bkt", "right"), data);

  // The digest is used as given, not recomputed (the point of it): a wrong one shows through.
  req.key = "trusted";
  info = PutStaged(*engine_, dir_, req, data, DigestOf(other), &taken);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(taken);
  EXPECT_EQ(info->etag, HexEncode(Md5Of(other)));

  // A digest of another length is ignored: the engine hashes the file.
  req.key = "length";
  info = PutStaged(*engine_, dir_, req, data, DigestOf(data + "x"), &taken);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(taken);
  EXPECT_EQ(info->etag, HexEncode(Md5Of(data)));

  // A Content-MD5 to verify is checked against the bytes, never against the given digest.
  req.key = "verified";
  req.expected_md5 = Md5Of(data);
  info = PutStaged(*engine_, dir_, req, data, DigestOf(other), &taken);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  EXPECT_EQ(info->etag, HexEncode(Md5Of(data)));
  req.key = "refused";
  req.expected_md5 = Md5Of(other);
  info = PutStaged(*engine_, dir_, req, data, DigestOf(other), &taken);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code(), Status::Code::kBadDigest);
  EXPECT_FALSE(Get(*engine_, "bkt", "refused").has_value());
  req.expected_md5.reset();

  // Another checksum is still computed from the bytes.
  req.key = "checksum";
  req.checksum_algorithm = ChecksumAlgorithm::kCRC32C;
  info = PutStaged(*engine_, dir_, req, data, DigestOf(data), &taken);
  ASSERT_TRUE(info.has_value());
  auto crc = NewChecksum(ChecksumAlgorithm::kCRC32C);
  crc->Update(data);
  EXPECT_EQ(info->checksum.value, Base64Encode(crc->Final()));
  EXPECT_EQ(info->etag, HexEncode(Md5Of(data)));
  req.checksum_algorithm = ChecksumAlgorithm::kNone;

  // Copied bytes (here: small enough to be inline) are hashed as they are copied.
  const std::string small = "small body";
  std::string small_other = small;
  small_other[0] = 'S';
  req.key = "small";
  info = PutStaged(*engine_, dir_, req, small, DigestOf(small_other), &taken);
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(taken);
  EXPECT_EQ(info->etag, HexEncode(Md5Of(small)));

  // No digest: as AppendFile.
  req.key = "none";
  info = PutStaged(*engine_, dir_, req, data, nullptr, &taken);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(taken);
  EXPECT_EQ(info->etag, HexEncode(Md5Of(data)));
  EXPECT_EQ(TmpFiles(), 0u);
}

}  // namespace
}  // namespace maxiofs::engine
