// Multipart uploads: S3's rules, completion as a manifest (no data copied), ranges across parts,
// part numbers, blob accounting, listings.
#include "checksums.h"
#include "test_util.h"

#include "maxiofs/common/no_wait.h"

#include <gtest/gtest.h>

namespace maxiofs::engine {
namespace {

constexpr uint64_t kMinPart = 1000;

class MultipartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions o;
    o.data_dir = dir_.str();
    o.min_part_size = kMinPart;
    engine_ = Engine::Open(o).value();
    ASSERT_TRUE(engine_->CreateBucket({"mpu"}).ok());
  }
  std::string Create(const std::string& key, ChecksumAlgorithm alg = ChecksumAlgorithm::kNone) {
    CreateMultipartRequest c;
    c.bucket = "mpu";
    c.key = key;
    c.meta.content_type = "application/x-test";
    c.checksum_algorithm = alg;
    auto r = engine_->CreateMultipartUpload(c);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.has_value() ? r->upload_id : "";
  }
  Result<ObjectInfo> Part(const std::string& key, const std::string& id, uint32_t n,
                          std::string_view data) {
    UploadPartRequest u;
    u.bucket = "mpu";
    u.key = key;
    u.upload_id = id;
    u.part_number = n;
    u.expected_size = data.size();
    MAXIOFS_ASSIGN_OR_RETURN(auto w, engine_->BeginUploadPart(u));
    MAXIOFS_RETURN_IF_ERROR(w->Append(data));
    return w->Commit();
  }
  Result<ObjectInfo> Complete(const std::string& key, const std::string& id,
                              std::vector<CompletedPart> parts) {
    CompleteMultipartRequest c;
    c.bucket = "mpu";
    c.key = key;
    c.upload_id = id;
    c.parts = std::move(parts);
    return engine_->CompleteMultipartUpload(c);
  }
  size_t Blobs() const { return CountFiles(dir_.path() / "objects"); }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

std::string Md5Raw(std::string_view d) {
  auto m = NewMd5();
  m->Update(d);
  return m->Final();
}

TEST_F(MultipartTest, CompleteMakesAManifestAndReadsSpanParts) {
  const std::string id = Create("big");
  const std::string p1 = Pattern(1500, 1), p2 = Pattern(2000, 2), p3 = Pattern(10, 3);
  auto e1 = Part("big", id, 1, p1);
  auto e2 = Part("big", id, 2, p2);
  auto e3 = Part("big", id, 3, p3);
  ASSERT_TRUE(e1.has_value() && e2.has_value() && e3.has_value());
  EXPECT_EQ(e2->etag, HexEncode(Md5Raw(p2)));
  EXPECT_EQ(Blobs(), 3u);
  auto done = Complete("big", id, {{1, e1->etag}, {2, e2->etag}, {3, e3->etag}});
  ASSERT_TRUE(done.has_value()) << done.error().ToString();
  EXPECT_EQ(done->etag, HexEncode(Md5Raw(Md5Raw(p1) + Md5Raw(p2) + Md5Raw(p3))) + "-3");
  EXPECT_EQ(done->size, 3510u);
  EXPECT_EQ(done->meta.content_type, "application/x-test");
  EXPECT_EQ(done->parts_count, 3u);
  EXPECT_EQ(Blobs(), 3u);  // no data copied
  const std::string all = p1 + p2 + p3;
  EXPECT_EQ(*Get(*engine_, "mpu", "big"), all);
  using K = RangeSpec::Kind;
  EXPECT_EQ(*Get(*engine_, "mpu", "big", RangeSpec{K::kFromTo, 1490, 1510, 0}),
            all.substr(1490, 21));
  EXPECT_EQ(*Get(*engine_, "mpu", "big", RangeSpec{K::kSuffix, 0, 0, 15}), all.substr(3495));
  GetObjectRequest g;
  g.bucket = "mpu";
  g.key = "big";
  g.part_number = 2;
  auto r = engine_->GetObject(g);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)->offset(), 1500u);
  EXPECT_EQ(*ReadAll(**r), p2);
  g.part_number = 4;
  EXPECT_EQ(engine_->GetObject(g).error().code(), Status::Code::kInvalidRange);
  // The upload is gone; a second completion fails.
  EXPECT_EQ(Complete("big", id, {{1, e1->etag}}).error().code(), Status::Code::kNoSuchUpload);
  // Copy shares the part blobs; deleting both releases them.
  CopyObjectRequest c;
  c.src_bucket = c.dst_bucket = "mpu";
  c.src_key = "big";
  c.dst_key = "big-copy";
  ASSERT_TRUE(engine_->CopyObject(c).has_value());
  EXPECT_EQ(Blobs(), 3u);
  ASSERT_TRUE(engine_->DeleteObject(DelReq("mpu", "big")).has_value());
  EXPECT_EQ(*Get(*engine_, "mpu", "big-copy"), all);
  ASSERT_TRUE(engine_->DeleteObject(DelReq("mpu", "big-copy")).has_value());
  EXPECT_EQ(Blobs(), 0u);
}

TEST_F(MultipartTest, ObjectsOfManyPartsAreNotOpenedInsideANoWaitScope) {
  std::vector<std::string> keys = {"three", "nine"};
  for (const std::string& key : keys) {
    const std::string id = Create(key);
    std::vector<CompletedPart> parts;
    const uint32_t n = key == "three" ? 3 : 9;
    for (uint32_t i = 1; i <= n; ++i) {
      auto e = Part(key, id, i, Pattern(1500, i));
      ASSERT_TRUE(e.has_value());
      parts.push_back({i, e->etag});
    }
    ASSERT_TRUE(Complete(key, id, parts).has_value());
  }
  GetObjectRequest g;
  g.bucket = "mpu";
  {
    NoWaitScope scope;
    g.key = "three";
    EXPECT_TRUE(engine_->GetObject(g).has_value());
    EXPECT_FALSE(scope.would_block());
    g.key = "nine";
    auto r = engine_->GetObject(g);
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().IsWouldBlock()) << r.error().ToString();
    EXPECT_TRUE(scope.would_block());
  }
  EXPECT_TRUE(engine_->GetObject(g).has_value());  // outside a scope: opened as usual
}

TEST_F(MultipartTest, S3Rules) {
  const std::string id = Create("k");
  auto small = Part("k", id, 1, Pattern(10, 1));
  auto big = Part("k", id, 2, Pattern(1200, 2));
  ASSERT_TRUE(small.has_value() && big.has_value());
  using C = Status::Code;
  EXPECT_EQ(Complete("k", id, {{2, big->etag}, {1, small->etag}}).error().code(),
            C::kInvalidPartOrder);
  EXPECT_EQ(Complete("k", id, {{1, small->etag}, {1, small->etag}}).error().code(),
            C::kInvalidPartOrder);
  EXPECT_EQ(Complete("k", id, {{1, small->etag}, {2, big->etag}}).error().code(),
            C::kEntityTooSmall);
  EXPECT_EQ(Complete("k", id, {{2, "wrong"}}).error().code(), C::kInvalidPart);
  EXPECT_EQ(Complete("k", id, {{3, big->etag}}).error().code(), C::kInvalidPart);
  EXPECT_EQ(Complete("k", id, {}).error().code(), C::kInvalidArgument);
  EXPECT_EQ(Part("k", id, 0, "x").error().code(), C::kInvalidArgument);
  EXPECT_EQ(Part("k", id, 10001, "x").error().code(), C::kInvalidArgument);
  EXPECT_EQ(Part("k", "0123456789abcdef0123456789abcdef", 1, "x").error().code(), C::kNoSuchUpload);
  EXPECT_EQ(Part("other", id, 1, "x").error().code(), C::kNoSuchUpload);
  EXPECT_EQ(Part("k", "../../etc", 1, "x").error().code(), C::kNoSuchUpload);
  // Re-uploading a part number replaces it and frees the old blob.
  EXPECT_EQ(Blobs(), 2u);
  auto again = Part("k", id, 1, Pattern(1100, 9));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(Blobs(), 2u);
  // Completing with a subset releases the unused parts.
  auto p3 = Part("k", id, 3, Pattern(1100, 3));
  ASSERT_TRUE(p3.has_value());
  auto done = Complete("k", id, {{1, again->etag}, {3, p3->etag}});
  ASSERT_TRUE(done.has_value()) << done.error().ToString();
  EXPECT_EQ(*Get(*engine_, "mpu", "k"), Pattern(1100, 9) + Pattern(1100, 3));
  EXPECT_EQ(Blobs(), 2u);
}

TEST_F(MultipartTest, AbortListAndSweep) {
  const std::string a = Create("dir/a");
  const std::string b = Create("dir/b");
  const std::string c = Create("top");
  ASSERT_TRUE(Part("dir/a", a, 1, Pattern(100, 1)).has_value());
  ASSERT_TRUE(Part("dir/a", a, 2, Pattern(100, 2)).has_value());
  ASSERT_TRUE(Part("dir/a", a, 3, Pattern(100, 3)).has_value());
  auto all = engine_->ListMultipartUploads({"mpu", "", "", "", "", 1000});
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->uploads.size(), 3u);
  auto usage = engine_->GetBucketUsage("mpu");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->uploads, 3u);
  EXPECT_EQ(usage->objects, 0u);  // parts are not objects until completed
  EXPECT_EQ(all->uploads[0].key, "dir/a");
  auto grouped = engine_->ListMultipartUploads({"mpu", "", "/", "", "", 1000});
  ASSERT_TRUE(grouped.has_value());
  EXPECT_EQ(grouped->common_prefixes, std::vector<std::string>{"dir/"});
  ASSERT_EQ(grouped->uploads.size(), 1u);
  auto paged = engine_->ListMultipartUploads({"mpu", "", "", "", "", 1});
  ASSERT_TRUE(paged.has_value());
  EXPECT_TRUE(paged->truncated);
  auto next = engine_->ListMultipartUploads(
      {"mpu", "", "", paged->next_key_marker, paged->next_upload_id_marker, 10});
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->uploads.size(), 2u);
  auto parts = engine_->ListParts({"mpu", "dir/a", a, 0, 2});
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->parts.size(), 2u);
  EXPECT_TRUE(parts->truncated);
  EXPECT_EQ(parts->next_part_number_marker, 2u);
  auto rest = engine_->ListParts({"mpu", "dir/a", a, 2, 10});
  ASSERT_EQ(rest->parts.size(), 1u);
  EXPECT_EQ(rest->parts[0].part_number, 3u);
  ASSERT_TRUE(engine_->AbortMultipartUpload("mpu", "dir/a", a).ok());
  EXPECT_EQ(engine_->AbortMultipartUpload("mpu", "dir/a", a).code(), Status::Code::kNoSuchUpload);
  EXPECT_EQ(Blobs(), 0u);
  auto swept = engine_->AbortUploadsInitiatedBefore(std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(swept.has_value());
  EXPECT_EQ(*swept, 2u);
  EXPECT_TRUE(engine_->DeleteBucket("mpu").ok());
  (void)b;
  (void)c;
}

TEST_F(MultipartTest, DeleteBucketTakesItsIncompleteUploads) {
  const std::string a = Create("a");
  const std::string b = Create("b");
  ASSERT_TRUE(Part("a", a, 1, Pattern(200 * 1024, 1)).has_value());  // a blob, not inline
  ASSERT_TRUE(Part("a", a, 2, Pattern(100, 2)).has_value());
  ASSERT_TRUE(Part("b", b, 1, Pattern(200 * 1024, 3)).has_value());
  ASSERT_TRUE(Put(*engine_, "mpu", "obj", "x").has_value());
  EXPECT_EQ(engine_->DeleteBucket("mpu").code(), Status::Code::kBucketNotEmpty);
  auto kept = engine_->ListMultipartUploads({"mpu", "", "", "", "", 1000});
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->uploads.size(), 2u);  // a refused delete changes nothing
  EXPECT_GT(Blobs(), 0u);
  DeleteObjectRequest d;
  d.bucket = "mpu";
  d.key = "obj";
  ASSERT_TRUE(engine_->DeleteObject(d).has_value());
  ASSERT_TRUE(engine_->DeleteBucket("mpu").ok());
  EXPECT_EQ(Blobs(), 0u);  // the parts' blobs are released
  EXPECT_EQ(Part("a", a, 3, "late").error().code(), Status::Code::kNoSuchBucket);
  ASSERT_TRUE(engine_->CreateBucket({"mpu"}).ok());
  auto none = engine_->ListMultipartUploads({"mpu", "", "", "", "", 1000});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->uploads.empty());
  auto usage = engine_->GetBucketUsage("mpu");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->uploads, 0u);
  EXPECT_EQ(usage->parts, 0u);
  EXPECT_EQ(engine_->AbortMultipartUpload("mpu", "a", a).code(), Status::Code::kNoSuchUpload);
}

TEST_F(MultipartTest, RepeatedCompletionAnswersTheFirstResult) {
  ASSERT_TRUE(engine_->PutBucketVersioning("mpu", VersioningState::kEnabled).ok());
  const std::string id = Create("k");
  auto p1 = Part("k", id, 1, Pattern(kMinPart, 1));
  auto p2 = Part("k", id, 2, Pattern(10, 2));
  ASSERT_TRUE(p1.has_value() && p2.has_value());
  auto first = Complete("k", id, {{1, p1->etag}, {2, p2->etag}});
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  auto again = Complete("k", id, {{1, p1->etag}, {2, p2->etag}});
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(again->etag, first->etag);
  EXPECT_EQ(again->version_id, first->version_id);
  EXPECT_EQ(again->size, first->size);
  ListVersionsRequest lv;
  lv.bucket = "mpu";
  auto versions = engine_->ListObjectVersions(lv);
  ASSERT_TRUE(versions.has_value());
  EXPECT_EQ(versions->versions.size(), 1u);  // the retry made no version
  // Another list of parts is not a retry of this completion.
  EXPECT_EQ(Complete("k", id, {{1, p1->etag}}).error().code(), Status::Code::kNoSuchUpload);
  EXPECT_EQ(Complete("other", id, {{1, p1->etag}, {2, p2->etag}}).error().code(),
            Status::Code::kNoSuchUpload);
  // Once the version it made is gone, there is nothing to answer.
  DeleteObjectRequest d;
  d.bucket = "mpu";
  d.key = "k";
  d.version_id = first->version_id;
  ASSERT_TRUE(engine_->DeleteObject(d).has_value());
  EXPECT_EQ(Complete("k", id, {{1, p1->etag}, {2, p2->etag}}).error().code(),
            Status::Code::kNoSuchUpload);
}

TEST_F(MultipartTest, CompletionRecordsPerKeyAreBounded) {
  std::vector<std::pair<std::string, std::string>> done;  // upload id, part ETag
  for (int i = 0; i < 10; ++i) {
    const std::string id = Create("k");
    auto p = Part("k", id, 1, Pattern(20, i));
    ASSERT_TRUE(p.has_value());
    ASSERT_TRUE(Complete("k", id, {{1, p->etag}}).has_value());
    done.emplace_back(id, p->etag);
  }
  // Unversioned: only the last completion's version still exists, so only it is answered.
  EXPECT_TRUE(Complete("k", done[9].first, {{1, done[9].second}}).has_value());
  EXPECT_EQ(Complete("k", done[8].first, {{1, done[8].second}}).error().code(),
            Status::Code::kNoSuchUpload);
  ASSERT_TRUE(engine_->PutBucketVersioning("mpu", VersioningState::kEnabled).ok());
  done.clear();
  for (int i = 0; i < 10; ++i) {
    const std::string id = Create("v");
    auto p = Part("v", id, 1, Pattern(20, i));
    ASSERT_TRUE(p.has_value());
    ASSERT_TRUE(Complete("v", id, {{1, p->etag}}).has_value());
    done.emplace_back(id, p->etag);
  }
  // Every version exists, but only the newest completions of the key are remembered.
  EXPECT_EQ(Complete("v", done[0].first, {{1, done[0].second}}).error().code(),
            Status::Code::kNoSuchUpload);
  EXPECT_EQ(Complete("v", done[1].first, {{1, done[1].second}}).error().code(),
            Status::Code::kNoSuchUpload);
  for (size_t i = 2; i < done.size(); ++i) {
    EXPECT_TRUE(Complete("v", done[i].first, {{1, done[i].second}}).has_value()) << i;
  }
}

// FULL_OBJECT: the object's CRC is the CRC of its bytes (combined from the parts' CRCs, no
// "-N"), the client's value is checked, and a part read shows its part's CRC.
TEST_F(MultipartTest, FullObjectChecksumIsTheCrcOfTheWholeObject) {
  auto sum = [](ChecksumAlgorithm a, std::string_view d) {
    auto x = NewChecksum(a);
    x->Update(d);
    return Base64Encode(x->Final());
  };
  const std::string p1 = Pattern(1500, 1), p2 = Pattern(1000, 2), p3 = "end";
  for (ChecksumAlgorithm a :
       {ChecksumAlgorithm::kCRC32, ChecksumAlgorithm::kCRC32C, ChecksumAlgorithm::kCRC64NVME}) {
    CreateMultipartRequest c;
    c.bucket = "mpu";
    c.key = "full";
    c.checksum_algorithm = a;
    if (a != ChecksumAlgorithm::kCRC64NVME) c.checksum_type = ChecksumType::kFullObject;
    auto up = engine_->CreateMultipartUpload(c);  // CRC64NVME: FULL_OBJECT by default
    ASSERT_TRUE(up.has_value()) << up.error().ToString();
    EXPECT_EQ(up->checksum_type, ChecksumType::kFullObject);
    auto listed = engine_->ListMultipartUploads({.bucket = "mpu"});
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->uploads.size(), 1u);
    EXPECT_EQ(listed->uploads[0].checksum_type, ChecksumType::kFullObject);
    std::vector<CompletedPart> parts;
    uint32_t n = 0;
    for (const std::string* d : {&p1, &p2, &p3}) {
      auto p = Part("full", up->upload_id, ++n, *d);
      ASSERT_TRUE(p.has_value()) << p.error().ToString();
      EXPECT_EQ(p->checksum.value, sum(a, *d));
      parts.push_back({n, p->etag});
    }
    const std::string whole = sum(a, p1 + p2 + p3);
    CompleteMultipartRequest done;
    done.bucket = "mpu";
    done.key = "full";
    done.upload_id = up->upload_id;
    done.parts = parts;
    done.expected_checksum = Checksum{a, sum(a, "not the object")};
    EXPECT_EQ(engine_->CompleteMultipartUpload(done).error().code(), Status::Code::kBadDigest);
    done.expected_checksum = Checksum{ChecksumAlgorithm::kSHA256, whole};
    EXPECT_EQ(engine_->CompleteMultipartUpload(done).error().code(), Status::Code::kInvalidRequest);
    done.expected_checksum = Checksum{a, whole};
    auto info = engine_->CompleteMultipartUpload(done);
    ASSERT_TRUE(info.has_value()) << info.error().ToString();
    EXPECT_EQ(info->checksum.value, whole);
    EXPECT_EQ(info->checksum_type, ChecksumType::kFullObject);
    HeadObjectRequest h;
    h.bucket = "mpu";
    h.key = "full";
    EXPECT_EQ(engine_->HeadObject(h)->checksum.value, whole);
    h.part_number = 2;
    auto part2 = engine_->HeadObject(h);
    ASSERT_TRUE(part2.has_value());
    EXPECT_EQ(part2->checksum.value, sum(a, p2));
    EXPECT_EQ(part2->checksum_type, ChecksumType::kFullObject);
  }
}

TEST_F(MultipartTest, ChecksumTypeRulesAndCompositeExpectedValue) {
  CreateMultipartRequest c;
  c.bucket = "mpu";
  c.key = "k";
  c.checksum_type = ChecksumType::kFullObject;  // without an algorithm
  EXPECT_EQ(engine_->CreateMultipartUpload(c).error().code(), Status::Code::kInvalidRequest);
  c.checksum_algorithm = ChecksumAlgorithm::kSHA256;  // FULL_OBJECT is for CRCs only
  EXPECT_EQ(engine_->CreateMultipartUpload(c).error().code(), Status::Code::kInvalidRequest);
  c.checksum_algorithm = ChecksumAlgorithm::kCRC64NVME;
  c.checksum_type = ChecksumType::kComposite;  // CRC64NVME is FULL_OBJECT only
  EXPECT_EQ(engine_->CreateMultipartUpload(c).error().code(), Status::Code::kInvalidRequest);
  auto none = engine_->ListMultipartUploads({.bucket = "mpu"});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->uploads.empty());

  // COMPOSITE: the expected value matches with or without its "-<parts>" suffix.
  const std::string id = Create("k", ChecksumAlgorithm::kSHA256);
  auto p = Part("k", id, 1, "data");
  ASSERT_TRUE(p.has_value());
  CompleteMultipartRequest done;
  done.bucket = "mpu";
  done.key = "k";
  done.upload_id = id;
  done.parts = {{1, p->etag}};
  done.expected_checksum = Checksum{ChecksumAlgorithm::kSHA256, "bad"};
  EXPECT_EQ(engine_->CompleteMultipartUpload(done).error().code(), Status::Code::kBadDigest);
  auto d = NewChecksum(ChecksumAlgorithm::kSHA256);
  d->Update(Base64Decode(p->checksum.value).value());
  const std::string composite = Base64Encode(d->Final());
  done.expected_checksum = Checksum{ChecksumAlgorithm::kSHA256, composite};
  auto info = engine_->CompleteMultipartUpload(done);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  EXPECT_EQ(info->checksum.value, composite + "-1");
  EXPECT_EQ(info->checksum_type, ChecksumType::kComposite);
  // An upload without an algorithm refuses an expected checksum.
  const std::string plain = Create("plain");
  auto pp = Part("plain", plain, 1, "x");
  ASSERT_TRUE(pp.has_value());
  done.key = "plain";
  done.upload_id = plain;
  done.parts = {{1, pp->etag}};
  EXPECT_EQ(engine_->CompleteMultipartUpload(done).error().code(), Status::Code::kInvalidRequest);
}

TEST_F(MultipartTest, UploadPartCopyAndCompositeChecksum) {
  ASSERT_TRUE(Put(*engine_, "mpu", "src", Pattern(5000, 4)).has_value());
  const std::string id = Create("dst", ChecksumAlgorithm::kCRC32);
  UploadPartCopyRequest pc;
  pc.bucket = "mpu";
  pc.key = "dst";
  pc.upload_id = id;
  pc.part_number = 1;
  pc.src_bucket = "mpu";
  pc.src_key = "src";
  pc.src_range = RangeSpec{RangeSpec::Kind::kFromTo, 1000, 2999, 0};
  auto p1 = engine_->UploadPartCopy(pc);
  ASSERT_TRUE(p1.has_value()) << p1.error().ToString();
  EXPECT_EQ(p1->size, 2000u);
  EXPECT_EQ(p1->checksum.algorithm, ChecksumAlgorithm::kCRC32);
  auto p2 = Part("dst", id, 2, "tail");
  ASSERT_TRUE(p2.has_value());
  auto done = Complete("dst", id, {{1, p1->etag}, {2, p2->etag}});
  ASSERT_TRUE(done.has_value()) << done.error().ToString();
  EXPECT_EQ(*Get(*engine_, "mpu", "dst"), Pattern(5000, 4).substr(1000, 2000) + "tail");
  EXPECT_TRUE(done->checksum.value.ends_with("-2"));
  EXPECT_EQ(done->checksum.algorithm, ChecksumAlgorithm::kCRC32);
  pc.src_range = RangeSpec{RangeSpec::Kind::kFromTo, 4000, 5000, 0};  // past the end (5000)
  pc.upload_id = Create("dst3");
  pc.key = "dst3";
  EXPECT_EQ(engine_->UploadPartCopy(pc).error().code(), Status::Code::kInvalidArgument);
  pc.src_range.reset();
  pc.upload_id = Create("dst2");
  pc.key = "dst2";
  pc.src_key = "missing";
  auto missing = engine_->UploadPartCopy(pc);
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(missing.error().IsNoSuchKey()) << missing.error().ToString();
}

TEST_F(MultipartTest, VersionedCompletionKeepsOlderVersions) {
  ASSERT_TRUE(engine_->PutBucketVersioning("mpu", VersioningState::kEnabled).ok());
  auto v1 = Put(*engine_, "mpu", "k", "first");
  ASSERT_TRUE(v1.has_value());
  const std::string id = Create("k");
  auto p = Part("k", id, 1, Pattern(50, 1));
  ASSERT_TRUE(p.has_value());
  auto done = Complete("k", id, {{1, p->etag}});
  ASSERT_TRUE(done.has_value());
  EXPECT_NE(done->version_id, v1->version_id);
  GetObjectRequest g;
  g.bucket = "mpu";
  g.key = "k";
  g.version_id = v1->version_id;
  EXPECT_EQ(*ReadAll(**engine_->GetObject(g)), "first");
  EXPECT_EQ(*Get(*engine_, "mpu", "k"), Pattern(50, 1));
}

}  // namespace
}  // namespace maxiofs::engine
