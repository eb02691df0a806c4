// Tagging through a real engine: tags stored with a write (PUT, copy, multipart), per version,
// S3's limits, bucket tags created and deleted with the bucket, persistence across a reopen.
#include "test_util.h"

#include <gtest/gtest.h>

namespace maxiofs::engine {
namespace {

constexpr std::string_view kBucket = "tags";

TagSet Tags(std::initializer_list<std::pair<std::string, std::string>> kv) {
  TagSet out;
  for (const auto& [k, v] : kv) out.push_back({k, v});
  return out;
}

class TaggingTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    engine_ = OpenOrDie(dir_.str());
    ASSERT_NE(engine_, nullptr);
    auto st = engine_->CreateBucket({std::string(kBucket)});
    ASSERT_TRUE(st.ok() || st.code() == Status::Code::kBucketAlreadyOwnedByYou);
  }
  void Reopen() {
    engine_.reset();
    Open();
  }
  Result<ObjectTagging> GetTags(const std::string& key, std::string version = "") {
    return engine_->GetObjectTagging({std::string(kBucket), key, std::move(version)});
  }
  Result<std::string> PutTags(const std::string& key, TagSet tags, std::string version = "") {
    return engine_->PutObjectTagging({std::string(kBucket), key, std::move(version), tags});
  }
  Status Versioning() { return engine_->PutBucketVersioning(kBucket, VersioningState::kEnabled); }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(TaggingTest, PutWithTagsStoresThemInTheVersion) {
  PutObjectRequest req;
  req.tags = Tags({{"Hello", "World"}, {"foo", "bar"}, {"empty", ""}});
  auto info = Put(*engine_, std::string(kBucket), "k", "data", req);
  ASSERT_TRUE(info.has_value()) << info.error().ToString();
  EXPECT_EQ(info->tag_count, 3u);
  auto got = GetTags("k");
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_EQ(got->tags, req.tags);  // in the order given
  EXPECT_EQ(got->version_id, "null");
  auto head = engine_->HeadObject(HeadReq(std::string(kBucket), "k"));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->tag_count, 3u);
  // Overwriting without tags drops them (a new version, as S3).
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "k", "data2").has_value());
  got = GetTags("k");
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->tags.empty());
}

TEST_F(TaggingTest, BlobObjectsKeepTagsToo) {
  PutObjectRequest req;
  req.tags = Tags({{"a", "1"}});
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "big", Pattern(300 * 1024, 1), req).has_value());
  Reopen();
  auto got = GetTags("big");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->tags, req.tags);
  GetObjectRequest g;
  g.bucket = std::string(kBucket);
  g.key = "big";
  auto r = engine_->GetObject(g);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)->info().tag_count, 1u);
  auto body = ReadAll(**r);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(*body, Pattern(300 * 1024, 1));
}

TEST_F(TaggingTest, PutGetDeleteTaggingKeepsDataAndMtime) {
  auto info = Put(*engine_, std::string(kBucket), "k", "data");
  ASSERT_TRUE(info.has_value());
  auto v = PutTags("k", Tags({{"k1", "v1"}, {"k2", "v2"}}));
  ASSERT_TRUE(v.has_value()) << v.error().ToString();
  EXPECT_EQ(*v, "null");
  auto head = engine_->HeadObject(HeadReq(std::string(kBucket), "k"));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->tag_count, 2u);
  EXPECT_EQ(head->etag, info->etag);
  EXPECT_EQ(head->last_modified_ns, info->last_modified_ns);
  auto body = Get(*engine_, std::string(kBucket), "k");
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(*body, "data");
  // Replace, then delete.
  ASSERT_TRUE(PutTags("k", Tags({{"k3", "v3"}})).has_value());
  EXPECT_EQ(GetTags("k")->tags, Tags({{"k3", "v3"}}));
  auto d = engine_->DeleteObjectTagging({std::string(kBucket), "k", ""});
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(GetTags("k")->tags.empty());
  // Deleting none is fine.
  EXPECT_TRUE(engine_->DeleteObjectTagging({std::string(kBucket), "k", ""}).has_value());
  Reopen();
  EXPECT_TRUE(GetTags("k")->tags.empty());
}

TEST_F(TaggingTest, EachVersionHasItsOwnTags) {
  ASSERT_TRUE(Versioning().ok());
  PutObjectRequest req;
  req.tags = Tags({{"gen", "1"}});
  auto v1 = Put(*engine_, std::string(kBucket), "k", "one", req);
  ASSERT_TRUE(v1.has_value());
  req.tags = Tags({{"gen", "2"}});
  auto v2 = Put(*engine_, std::string(kBucket), "k", "two", req);
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(GetTags("k", v1->version_id)->tags, Tags({{"gen", "1"}}));
  EXPECT_EQ(GetTags("k")->tags, Tags({{"gen", "2"}}));
  EXPECT_EQ(GetTags("k")->version_id, v2->version_id);
  // Tagging an older version leaves the current one alone.
  auto r = PutTags("k", Tags({{"old", "yes"}}), v1->version_id);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, v1->version_id);
  EXPECT_EQ(GetTags("k", v1->version_id)->tags, Tags({{"old", "yes"}}));
  EXPECT_EQ(GetTags("k")->tags, Tags({{"gen", "2"}}));
  // Tagging the current version by id updates what HEAD sees.
  ASSERT_TRUE(PutTags("k", Tags({{"a", "1"}, {"b", "2"}}), v2->version_id).has_value());
  EXPECT_EQ(engine_->HeadObject(HeadReq(std::string(kBucket), "k"))->tag_count, 2u);
}

TEST_F(TaggingTest, MissingVersionsAndDeleteMarkers) {
  EXPECT_EQ(GetTags("nope").error().code(), Status::Code::kNoSuchKey);
  EXPECT_EQ(PutTags("nope", Tags({{"a", "b"}})).error().code(), Status::Code::kNoSuchKey);
  EXPECT_EQ(engine_->GetObjectTagging({"no-such-bucket", "k", ""}).error().code(),
            Status::Code::kNoSuchBucket);
  ASSERT_TRUE(Versioning().ok());
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "k", "x").has_value());
  auto del = engine_->DeleteObject(DelReq(std::string(kBucket), "k"));
  ASSERT_TRUE(del.has_value());
  ASSERT_TRUE(del->delete_marker);
  EXPECT_EQ(GetTags("k").error().code(), Status::Code::kNoSuchKey);
  EXPECT_EQ(GetTags("k", del->version_id).error().code(), Status::Code::kMethodNotAllowed);
  EXPECT_EQ(PutTags("k", Tags({{"a", "b"}}), del->version_id).error().code(),
            Status::Code::kMethodNotAllowed);
  EXPECT_EQ(GetTags("k", "00000000000000000000000000000000").error().code(),
            Status::Code::kNoSuchVersion);
  EXPECT_EQ(GetTags("k", "bad").error().code(), Status::Code::kInvalidArgument);
}

TEST_F(TaggingTest, LimitsAreInvalidTagAndChangeNothing) {
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "k", "x").has_value());
  ASSERT_TRUE(PutTags("k", Tags({{"keep", "me"}})).has_value());
  TagSet eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back({std::to_string(i), "v"});
  TagSet ten(eleven.begin(), eleven.begin() + 10);
  const TagSet bad[] = {
      eleven,
      Tags({{std::string(129, 'k'), "v"}}),
      Tags({{"k", std::string(257, 'v')}}),
      Tags({{"", "v"}}),
      Tags({{"dup", "1"}, {"dup", "2"}}),
      Tags({{"aws:reserved", "v"}}),
      Tags({{"AWS:reserved", "v"}}),
      Tags({{"bad\xff", "v"}}),
      Tags({{"k", "bad\xc3"}}),
  };
  for (const TagSet& t : bad) {
    auto r = PutTags("k", t);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), Status::Code::kInvalidTag) << r.error().ToString();
    PutObjectRequest req;
    req.tags = t;
    EXPECT_EQ(Put(*engine_, std::string(kBucket), "other", "x", req).error().code(),
              Status::Code::kInvalidTag);
  }
  EXPECT_EQ(GetTags("k")->tags, Tags({{"keep", "me"}}));
  EXPECT_EQ(GetTags("other").error().code(), Status::Code::kNoSuchKey);
  // The limits themselves are fine: 10 tags, 128-character keys and 256-character values,
  // counted in Unicode characters (here 2-byte ones).
  EXPECT_TRUE(PutTags("k", ten).has_value());
  std::string key128, value256;
  for (int i = 0; i < 128; ++i) key128 += "\xc3\xa9";
  for (int i = 0; i < 256; ++i) value256 += "\xc3\xa9";
  EXPECT_TRUE(PutTags("k", Tags({{key128, value256}, {"aws", "x"}, {"Aws-x", "y"}})).has_value());
  EXPECT_EQ(GetTags("k")->tags[0].key, key128);
  // Keys are case-sensitive: "a" and "A" are two keys.
  EXPECT_TRUE(PutTags("k", Tags({{"a", "1"}, {"A", "2"}})).has_value());
}

TEST_F(TaggingTest, CopyKeepsOrReplacesTags) {
  PutObjectRequest req;
  req.tags = Tags({{"src", "1"}});
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "src", "data", req).has_value());
  CopyObjectRequest c;
  c.src_bucket = c.dst_bucket = std::string(kBucket);
  c.src_key = "src";
  c.dst_key = "copy";
  auto out = engine_->CopyObject(c);
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_EQ(out->tag_count, 1u);
  EXPECT_EQ(GetTags("copy")->tags, Tags({{"src", "1"}}));
  c.dst_key = "replaced";
  c.replace_tags = true;
  c.tags = Tags({{"new", "2"}, {"n2", ""}});
  ASSERT_TRUE(engine_->CopyObject(c).has_value());
  EXPECT_EQ(GetTags("replaced")->tags, c.tags);
  c.dst_key = "cleared";
  c.tags.clear();
  ASSERT_TRUE(engine_->CopyObject(c).has_value());
  EXPECT_TRUE(GetTags("cleared")->tags.empty());
  c.dst_key = "refused";
  c.tags = Tags({{"aws:x", "1"}});
  EXPECT_EQ(engine_->CopyObject(c).error().code(), Status::Code::kInvalidTag);
  EXPECT_EQ(GetTags("refused").error().code(), Status::Code::kNoSuchKey);
  // The source is untouched.
  EXPECT_EQ(GetTags("src")->tags, Tags({{"src", "1"}}));
}

TEST_F(TaggingTest, RenameMovesTags) {
  PutObjectRequest req;
  req.tags = Tags({{"t", "v"}});
  ASSERT_TRUE(Put(*engine_, std::string(kBucket), "a", "data", req).has_value());
  RenameObjectRequest r;
  r.bucket = std::string(kBucket);
  r.src_key = "a";
  r.dst_key = "b";
  ASSERT_TRUE(engine_->RenameObject(r).has_value());
  EXPECT_EQ(GetTags("b")->tags, req.tags);
}

TEST_F(TaggingTest, MultipartTagsAreAppliedAtCompletion) {
  CreateMultipartRequest cr;
  cr.bucket = std::string(kBucket);
  cr.key = "mp";
  cr.tags = Tags({{"Hello", "World"}, {"foo", "bar"}});
  auto up = engine_->CreateMultipartUpload(cr);
  ASSERT_TRUE(up.has_value()) << up.error().ToString();
  // Nothing is visible before completion.
  EXPECT_EQ(GetTags("mp").error().code(), Status::Code::kNoSuchKey);
  Reopen();  // the upload record keeps the tags
  UploadPartRequest pr;
  pr.bucket = std::string(kBucket);
  pr.key = "mp";
  pr.upload_id = up->upload_id;
  pr.part_number = 1;
  auto w = engine_->BeginUploadPart(pr);
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append(std::string_view("x")).ok());
  auto part = (*w)->Commit();
  ASSERT_TRUE(part.has_value());
  CompleteMultipartRequest done;
  done.bucket = std::string(kBucket);
  done.key = "mp";
  done.upload_id = up->upload_id;
  done.parts = {{1, part->etag}};
  auto obj = engine_->CompleteMultipartUpload(done);
  ASSERT_TRUE(obj.has_value()) << obj.error().ToString();
  EXPECT_EQ(obj->tag_count, 2u);
  EXPECT_EQ(GetTags("mp")->tags, cr.tags);
  cr.tags = Tags({{"a", std::string(300, 'v')}});
  EXPECT_EQ(engine_->CreateMultipartUpload(cr).error().code(), Status::Code::kInvalidTag);
}

TEST_F(TaggingTest, BucketTagsLiveAndDieWithTheBucket) {
  EXPECT_EQ(engine_->GetBucketTagging(kBucket).error().code(), Status::Code::kNoSuchTagSet);
  const TagSet tags = Tags({{"team", "storage"}, {"cost-center", "42"}});
  ASSERT_TRUE(engine_->PutBucketTagging(kBucket, tags).ok());
  Reopen();
  auto got = engine_->GetBucketTagging(kBucket);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, tags);
  ASSERT_TRUE(engine_->DeleteBucketTagging(kBucket).ok());
  EXPECT_EQ(engine_->GetBucketTagging(kBucket).error().code(), Status::Code::kNoSuchTagSet);
  EXPECT_TRUE(engine_->DeleteBucketTagging(kBucket).ok());
  // 50 tags are allowed, 51 are not; a refused set changes nothing.
  TagSet many;
  for (int i = 0; i < 51; ++i) many.push_back({"k" + std::to_string(i), "v"});
  EXPECT_EQ(engine_->PutBucketTagging(kBucket, many).code(), Status::Code::kInvalidTag);
  EXPECT_EQ(engine_->GetBucketTagging(kBucket).error().code(), Status::Code::kNoSuchTagSet);
  many.pop_back();
  ASSERT_TRUE(engine_->PutBucketTagging(kBucket, many).ok());
  EXPECT_EQ(engine_->GetBucketTagging(kBucket)->size(), 50u);
  // Deleting the bucket deletes its tags: a new bucket of the same name starts without.
  ASSERT_TRUE(engine_->DeleteBucket(kBucket).ok());
  EXPECT_EQ(engine_->GetBucketTagging(kBucket).error().code(), Status::Code::kNoSuchBucket);
  EXPECT_EQ(engine_->PutBucketTagging(kBucket, tags).code(), Status::Code::kNoSuchBucket);
  ASSERT_TRUE(engine_->CreateBucket({std::string(kBucket)}).ok());
  EXPECT_EQ(engine_->GetBucketTagging(kBucket).error().code(), Status::Code::kNoSuchTagSet);
}

}  // namespace
}  // namespace maxiofs::engine
