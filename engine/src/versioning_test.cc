// Versioning: a model-based test replays random sequences of put / delete / delete-version /
// suspend / enable against a simple in-memory model of S3 versioning and compares every
// listing, plus targeted tests of null versions and delete markers.
#include "test_util.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace maxiofs::engine {
namespace {

struct ModelVersion {
  std::string id;  // "null" or the engine's id
  bool marker = false;
  std::string content;
};

struct Model {
  VersioningState state = VersioningState::kUnversioned;
  std::map<std::string, std::vector<ModelVersion>> keys;  // newest first

  void RemoveNull(const std::string& k) {
    auto& v = keys[k];
    std::erase_if(v, [](const ModelVersion& m) { return m.id == "null"; });
  }
  void Add(const std::string& k, ModelVersion mv) {
    if (state != VersioningState::kEnabled) RemoveNull(k);
    keys[k].insert(keys[k].begin(), std::move(mv));
  }
};

class VersioningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions o;
    o.data_dir = dir_.str();
    o.inline_threshold = 64;
    o.sync = false;
    engine_ = Engine::Open(o).value();
    ASSERT_TRUE(engine_->CreateBucket({"ver"}).ok());
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(VersioningTest, NullVersionAndMarkers) {
  auto v0 = Put(*engine_, "ver", "k", "unversioned");
  ASSERT_TRUE(v0.has_value());
  EXPECT_EQ(v0->version_id, "null");
  ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kEnabled).ok());
  EXPECT_EQ(engine_->HeadBucket("ver")->versioning, VersioningState::kEnabled);
  auto v1 = Put(*engine_, "ver", "k", "version one");
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->version_id.size(), 32u);
  auto v2 = Put(*engine_, "ver", "k", "version two");
  ASSERT_TRUE(v2.has_value());
  EXPECT_LT(v2->version_id, v1->version_id);  // newest sorts first
  EXPECT_EQ(*Get(*engine_, "ver", "k"), "version two");
  GetObjectRequest g;
  g.bucket = "ver";
  g.key = "k";
  g.version_id = "null";
  EXPECT_EQ(*ReadAll(**engine_->GetObject(g)), "unversioned");
  g.version_id = v1->version_id;
  EXPECT_EQ(*ReadAll(**engine_->GetObject(g)), "version one");
  // Delete without a version id: a marker; GET answers NoSuchKey marked as a delete marker.
  auto d = engine_->DeleteObject(DelReq("ver", "k"));
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->delete_marker);
  auto gone = Get(*engine_, "ver", "k");
  ASSERT_FALSE(gone.has_value());
  EXPECT_TRUE(gone.error().IsNoSuchKey());
  EXPECT_EQ(gone.error().subcode(), Status::SubCode::kDeleteMarker);
  EXPECT_EQ(gone.error().detail(), d->version_id);
  // GET of the marker by id: MethodNotAllowed.
  g.version_id = d->version_id;
  auto m = engine_->GetObject(g);
  EXPECT_EQ(m.error().code(), Status::Code::kMethodNotAllowed);
  EXPECT_EQ(m.error().subcode(), Status::SubCode::kDeleteMarker);
  // Removing the marker brings the previous version back.
  ASSERT_TRUE(engine_->DeleteObject(DelReq("ver", "k", d->version_id)).has_value());
  EXPECT_EQ(*Get(*engine_, "ver", "k"), "version two");
  // Unknown and malformed version ids.
  g.version_id = std::string(32, 'f');
  EXPECT_EQ(engine_->GetObject(g).error().code(), Status::Code::kNoSuchVersion);
  g.version_id = "not-a-version";
  EXPECT_EQ(engine_->GetObject(g).error().code(), Status::Code::kInvalidArgument);
  // Suspended: new writes replace the null version; other versions stay.
  ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kSuspended).ok());
  auto s1 = Put(*engine_, "ver", "k", "suspended write");
  ASSERT_TRUE(s1.has_value());
  EXPECT_EQ(s1->version_id, "null");
  auto list = engine_->ListObjectVersions({"ver", "", "", "", "", 1000});
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->versions.size(), 3u);  // null(new), v2, v1
  EXPECT_EQ(list->versions[0].version_id, "null");
  EXPECT_TRUE(list->versions[0].is_latest);
  EXPECT_FALSE(list->versions[1].is_latest);
  EXPECT_EQ(engine_->PutBucketVersioning("ver", VersioningState::kUnversioned).code(),
            Status::Code::kInvalidArgument);
  // The bucket is not empty while any version or marker remains.
  for (auto& v : list->versions) {
    ASSERT_TRUE(engine_->DeleteObject(DelReq("ver", "k", v.version_id)).has_value());
  }
  EXPECT_TRUE(Get(*engine_, "ver", "k").error().IsNoSuchKey());
  EXPECT_EQ(CountFiles(dir_.path() / "objects"), 0u);
  EXPECT_TRUE(engine_->DeleteBucket("ver").ok());
}

TEST_F(VersioningTest, ConditionalDeletesCheckTheVersionTheyRemove) {
  using C = Status::Code;
  auto v = Put(*engine_, "ver", "k", "12345");
  ASSERT_TRUE(v.has_value());
  const int64_t secs = v->last_modified_ns / 1'000'000'000;
  auto cond = [&](std::vector<std::string> etags, std::optional<int64_t> s,
                  std::optional<uint64_t> size, std::string version = "") {
    DeleteObjectRequest d = DelReq("ver", "k", version);
    d.preconditions.if_match = std::move(etags);
    d.if_match_last_modified_s = s;
    d.if_match_size = size;
    return engine_->DeleteObject(d);
  };
  // Unversioned: every condition must hold; a missing key is no failure.
  EXPECT_EQ(cond({"bad"}, {}, {}).error().code(), C::kPreconditionFailed);
  EXPECT_EQ(cond({}, secs - 1, {}).error().code(), C::kPreconditionFailed);
  EXPECT_EQ(cond({}, {}, 4).error().code(), C::kPreconditionFailed);
  EXPECT_EQ(cond({v->etag}, secs, 6).error().code(), C::kPreconditionFailed);
  EXPECT_EQ(*Get(*engine_, "ver", "k"), "12345");  // nothing removed by a failed condition
  ASSERT_TRUE(cond({v->etag}, secs, 5).has_value());
  auto gone = cond({"bad"}, 1, 9);
  ASSERT_TRUE(gone.has_value());
  EXPECT_FALSE(gone->existed);
  // Versioned: a conditional delete of a key with no version adds no delete marker.
  ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kEnabled).ok());
  auto none = cond({"*"}, {}, {});
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->delete_marker);
  ListVersionsRequest lv;
  lv.bucket = "ver";
  EXPECT_TRUE(engine_->ListObjectVersions(lv)->versions.empty());
  // A delete marker matches "*" and its own time only.
  auto v1 = Put(*engine_, "ver", "k", "abc");
  ASSERT_TRUE(v1.has_value());
  auto marker = cond({v1->etag}, {}, 3);
  ASSERT_TRUE(marker.has_value());
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_EQ(cond({"bad"}, {}, {}).error().code(), C::kPreconditionFailed);
  EXPECT_EQ(cond({}, {}, 0).error().code(), C::kPreconditionFailed);
  EXPECT_TRUE(cond({"*"}, {}, {}).has_value());
  // By version id: the named version's own ETag and size.
  EXPECT_EQ(cond({"bad"}, {}, {}, v1->version_id).error().code(), C::kPreconditionFailed);
  EXPECT_TRUE(cond({v1->etag}, {}, 3, v1->version_id).has_value());
  EXPECT_TRUE(cond({"bad"}, {}, {}, v1->version_id).has_value());  // gone: nothing to check
}

TEST_F(VersioningTest, RandomSequencesMatchTheModel) {
  Model model;
  std::mt19937 rng(1234);
  const std::vector<std::string> keys = {"a", "a/b", "a/c", "b", "c/d/e", "z"};
  auto content = [&](int i) {
    return std::string(static_cast<size_t>(i % 5) * 40, 'x') + std::to_string(i);
  };
  for (int step = 0; step < 600; ++step) {
    int op = static_cast<int>(rng() % 100);
    const std::string k = keys[rng() % keys.size()];
    if (op < 45) {
      std::string c = content(step);
      auto r = Put(*engine_, "ver", k, c);
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      model.Add(k, {r->version_id, false, c});
    } else if (op < 65) {
      auto r = engine_->DeleteObject(DelReq("ver", k));
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      if (model.state == VersioningState::kUnversioned) {
        model.RemoveNull(k);
        EXPECT_FALSE(r->delete_marker);
      } else {
        ASSERT_TRUE(r->delete_marker);
        model.Add(k, {r->version_id, true, ""});
      }
    } else if (op < 85) {
      auto& vs = model.keys[k];
      if (vs.empty()) continue;
      size_t i = rng() % vs.size();
      auto r = engine_->DeleteObject(DelReq("ver", k, vs[i].id));
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      EXPECT_TRUE(r->existed);
      EXPECT_EQ(r->delete_marker, vs[i].marker);
      vs.erase(vs.begin() + static_cast<long>(i));
    } else if (op < 93) {
      ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kEnabled).ok());
      model.state = VersioningState::kEnabled;
    } else if (model.state != VersioningState::kUnversioned) {
      ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kSuspended).ok());
      model.state = VersioningState::kSuspended;
    }
    // Compare the full version listing (in small pages) and the current view.
    std::vector<std::string> want, got;
    std::vector<std::string> want_current, got_current;
    for (auto& [key, vs] : model.keys) {
      for (size_t i = 0; i < vs.size(); ++i) {
        want.push_back(key + "|" + vs[i].id + "|" + (vs[i].marker ? "M" : "-") + "|" +
                       (i == 0 ? "L" : "-"));
      }
      if (!vs.empty() && !vs[0].marker) want_current.push_back(key + "=" + vs[0].content);
    }
    ListVersionsRequest lr{"ver", "", "", "", "", 3};
    for (int page = 0; page < 1000; ++page) {
      auto r = engine_->ListObjectVersions(lr);
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      for (auto& v : r->versions) {
        got.push_back(v.key + "|" + v.version_id + "|" + (v.delete_marker ? "M" : "-") + "|" +
                      (v.is_latest ? "L" : "-"));
      }
      if (!r->truncated) break;
      lr.key_marker = r->next_key_marker;
      lr.version_id_marker = r->next_version_id_marker;
    }
    ASSERT_EQ(got, want) << "after step " << step;
    auto cur = engine_->ListObjects({"ver", "", "", "", 1000});
    ASSERT_TRUE(cur.has_value());
    for (auto& o : cur->objects) got_current.push_back(o.key + "=" + *Get(*engine_, "ver", o.key));
    ASSERT_EQ(got_current, want_current) << "after step " << step;
    // Usage counts agree with the model.
    BucketUsage want_usage;
    for (auto& [key, vs] : model.keys) {
      for (size_t i = 0; i < vs.size(); ++i) {
        if (vs[i].marker) {
          ++want_usage.delete_markers;
          continue;
        }
        ++want_usage.versions;
        want_usage.version_bytes += vs[i].content.size();
        if (i == 0) {
          ++want_usage.objects;
          want_usage.bytes += vs[i].content.size();
        }
      }
    }
    auto usage = engine_->GetBucketUsage("ver");
    ASSERT_TRUE(usage.has_value()) << usage.error().ToString();
    ASSERT_EQ(usage->objects, want_usage.objects) << "after step " << step;
    ASSERT_EQ(usage->bytes, want_usage.bytes) << "after step " << step;
    ASSERT_EQ(usage->versions, want_usage.versions) << "after step " << step;
    ASSERT_EQ(usage->version_bytes, want_usage.version_bytes) << "after step " << step;
    ASSERT_EQ(usage->delete_markers, want_usage.delete_markers) << "after step " << step;
  }
  EXPECT_EQ(engine_->GetBucketUsage("nope").error().code(), Status::Code::kNoSuchBucket);
}

TEST_F(VersioningTest, VersionListingWithDelimiter) {
  ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kEnabled).ok());
  for (const char* k : {"a/1", "a/2", "b", "c/x/y"}) {
    ASSERT_TRUE(Put(*engine_, "ver", k, "1").has_value());
    ASSERT_TRUE(Put(*engine_, "ver", k, "2").has_value());
  }
  auto r = engine_->ListObjectVersions({"ver", "", "/", "", "", 1000});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->common_prefixes, (std::vector<std::string>{"a/", "c/"}));
  ASSERT_EQ(r->versions.size(), 2u);
  EXPECT_EQ(r->versions[0].key, "b");
  auto p = engine_->ListObjectVersions({"ver", "a/", "/", "", "", 3});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->versions.size(), 3u);
  EXPECT_TRUE(p->truncated);
  EXPECT_EQ(p->next_key_marker, "a/2");
  EXPECT_EQ(engine_->ListObjectVersions({"ver", "", "", "", "x", 10}).error().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(VersioningTest, ManyVersionsOfOneKeyListFast) {
  ASSERT_TRUE(engine_->PutBucketVersioning("ver", VersioningState::kEnabled).ok());
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(Put(*engine_, "ver", "hot", "v").has_value());
  ASSERT_TRUE(Put(*engine_, "ver", "other", "v").has_value());
  // GET and ListObjects read one record per key however many versions it has.
  auto cur = engine_->ListObjects({"ver", "", "", "", 1000});
  ASSERT_TRUE(cur.has_value());
  EXPECT_EQ(cur->objects.size(), 2u);
  auto page = engine_->ListObjectVersions({"ver", "", "", "", "", 1000});
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->versions.size(), 1000u);
  EXPECT_TRUE(page->versions[0].is_latest);
  EXPECT_FALSE(page->versions[1].is_latest);
}

}  // namespace
}  // namespace maxiofs::engine
