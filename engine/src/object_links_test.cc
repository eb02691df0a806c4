// Hard links (LinkObject): link groups of keys that are names of one file. Writes and metadata
// changes made for the mount reach every name; S3 writes and deletes detach one name only;
// renames carry membership; the blob is shared and freed with its last name.
#include "engine_impl.h"
#include "lifecycle/lifecycle_worker.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace maxiofs::engine {
namespace {

using UserMeta = std::vector<std::pair<std::string, std::string>>;

class LinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions o;
    o.data_dir = dir_.str();
    o.inline_threshold = 64;
    o.sync = false;
    auto r = Engine::Open(o);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    e_ = std::move(r).value();
    ASSERT_TRUE(e_->CreateBucket({.bucket = "bkt"}).ok());
  }
  Result<ObjectInfo> Link(const std::string& src, const std::string& dst) {
    return e_->LinkObject({.bucket = "bkt", .src_key = src, .dst_key = dst});
  }
  // A write through one name, as the mount makes it.
  Result<ObjectInfo> WriteAll(const std::string& key, std::string_view data, UserMeta user = {}) {
    PutObjectRequest req;
    req.write_links = true;
    req.meta.user = std::move(user);
    return Put(*e_, "bkt", key, data, req);
  }
  ObjectInfo Head(const std::string& key) {
    auto h = e_->HeadObject(HeadReq("bkt", key));
    EXPECT_TRUE(h.has_value()) << key << ": " << h.error().ToString();
    return h ? *h : ObjectInfo{};
  }
  size_t Blobs() { return CountFiles(dir_.path() / "objects"); }
  // The usage counters equal a scan of the records.
  void ExpectUsageExact(const std::string& when, const std::string& bucket = "bkt") {
    auto v = e_->VerifyBucketUsage(bucket, false);
    ASSERT_TRUE(v.has_value()) << v.error().ToString();
    EXPECT_TRUE(v->matches()) << when << ": counters objects=" << v->counters.objects
                              << " bytes=" << v->counters.bytes
                              << " versions=" << v->counters.versions
                              << " version_bytes=" << v->counters.version_bytes
                              << " / scan objects=" << v->scanned.objects
                              << " bytes=" << v->scanned.bytes
                              << " versions=" << v->scanned.versions
                              << " version_bytes=" << v->scanned.version_bytes;
  }

  TempDir dir_;
  std::unique_ptr<Engine> e_;
};

TEST_F(LinksTest, ALinkSharesTheDataAndCountsItsNames) {
  const std::string body = Pattern(5000, 3);  // a blob
  PutObjectRequest req;
  req.meta.user = {{"mode", "33188"}};
  ASSERT_TRUE(Put(*e_, "bkt", "a", body, req).has_value());
  EXPECT_EQ(Head("a").link_count, 1u);
  EXPECT_EQ(Head("a").link_id, "");
  auto l = Link("a", "dir/b");
  ASSERT_TRUE(l.has_value()) << l.error().ToString();
  EXPECT_EQ(l->link_count, 2u);
  ObjectInfo a = Head("a"), b = Head("dir/b");
  EXPECT_EQ(a.link_count, 2u);
  EXPECT_EQ(b.link_count, 2u);
  EXPECT_FALSE(a.link_id.empty());
  EXPECT_EQ(a.link_id, b.link_id);
  EXPECT_EQ(b.etag, a.etag);
  EXPECT_EQ(b.meta.user, a.meta.user);
  EXPECT_EQ(Get(*e_, "bkt", "dir/b").value(), body);
  EXPECT_EQ(Blobs(), 1u);  // shared, not copied
  ASSERT_TRUE(Link("dir/b", "c").has_value());
  EXPECT_EQ(Head("a").link_count, 3u);
  EXPECT_EQ(Head("c").link_id, a.link_id);
  // Listings for the mount carry the counts.
  auto list = e_->ListObjects({.bucket = "bkt", .with_user_meta = true});
  ASSERT_TRUE(list.has_value());
  for (const ObjectInfo& o : list->objects) EXPECT_EQ(o.link_count, 3u) << o.key;
}

TEST_F(LinksTest, LinkRefusals) {
  ASSERT_TRUE(Put(*e_, "bkt", "a", "x").has_value());
  ASSERT_TRUE(Put(*e_, "bkt", "b", "y").has_value());
  EXPECT_EQ(Link("a", "b").error().code(), Status::Code::kPreconditionFailed);
  EXPECT_EQ(Link("a", "a").error().code(), Status::Code::kPreconditionFailed);
  EXPECT_EQ(Link("missing", "n").error().code(), Status::Code::kNoSuchKey);
  EXPECT_EQ(e_->LinkObject({.bucket = "nob", .src_key = "a", .dst_key = "n"}).error().code(),
            Status::Code::kNoSuchBucket);
  EXPECT_EQ(Get(*e_, "bkt", "b").value(), "y");
  EXPECT_EQ(Head("a").link_count, 1u);
}

TEST_F(LinksTest, AWriteThroughOneNameReachesEveryName) {
  ASSERT_TRUE(e_->PutBucketVersioning("bkt", VersioningState::kEnabled).ok());
  ASSERT_TRUE(Put(*e_, "bkt", "a", "small").has_value());
  ASSERT_TRUE(Link("a", "b").has_value());
  ASSERT_TRUE(Link("a", "c").has_value());
  // Inline content: each name gets its own copy of the bytes.
  auto w = WriteAll("b", "new inline", {{"mode", "33261"}});
  ASSERT_TRUE(w.has_value()) << w.error().ToString();
  EXPECT_EQ(w->link_count, 3u);
  for (const char* k : {"a", "b", "c"}) {
    EXPECT_EQ(Get(*e_, "bkt", k).value(), "new inline") << k;
    EXPECT_EQ(Head(k).link_count, 3u) << k;
    EXPECT_EQ(Head(k).meta.user, (UserMeta{{"mode", "33261"}})) << k;
  }
  // Blob content: one blob shared by the three names.
  const std::string big = Pattern(10000, 9);
  ASSERT_TRUE(WriteAll("c", big).has_value());
  for (const char* k : {"a", "b", "c"}) EXPECT_EQ(Get(*e_, "bkt", k).value(), big) << k;
  EXPECT_EQ(Blobs(), 1u);
  // Each name got a version of its own per write (the link, two writes: a had its put too).
  auto versions = e_->ListObjectVersions({.bucket = "bkt"});
  ASSERT_TRUE(versions.has_value());
  EXPECT_EQ(versions->versions.size(), 3u + 3u + 3u);
}

TEST_F(LinksTest, S3WritesAndDeletesDetachOneNameOnly) {
  const std::string body = Pattern(3000, 5);
  ASSERT_TRUE(Put(*e_, "bkt", "a", body).has_value());
  ASSERT_TRUE(Link("a", "b").has_value());
  ASSERT_TRUE(Link("a", "c").has_value());
  // An S3 PUT on b: b is its own object now, a and c stay linked.
  ASSERT_TRUE(Put(*e_, "bkt", "b", "independent").has_value());
  EXPECT_EQ(Head("b").link_count, 1u);
  EXPECT_EQ(Head("b").link_id, "");
  EXPECT_EQ(Head("a").link_count, 2u);
  EXPECT_EQ(Head("c").link_count, 2u);
  // A mount write through a no longer reaches b.
  ASSERT_TRUE(WriteAll("a", "mount write").has_value());
  EXPECT_EQ(Get(*e_, "bkt", "c").value(), "mount write");
  EXPECT_EQ(Get(*e_, "bkt", "b").value(), "independent");
  // A delete of c (the mount's unlink, or S3's) leaves a alone in its group.
  ASSERT_TRUE(e_->DeleteObject(DelReq("bkt", "c")).has_value());
  EXPECT_EQ(Head("a").link_count, 1u);
  EXPECT_EQ(Get(*e_, "bkt", "a").value(), "mount write");
  // A copy onto a linked name detaches it too.
  ASSERT_TRUE(Link("a", "d").has_value());
  ASSERT_TRUE(
      e_->CopyObject({.src_bucket = "bkt", .src_key = "b", .dst_bucket = "bkt", .dst_key = "d"})
          .has_value());
  EXPECT_EQ(Head("d").link_count, 1u);
  EXPECT_EQ(Head("a").link_count, 1u);
}

TEST_F(LinksTest, TheBlobGoesWithTheLastName) {
  ASSERT_TRUE(Put(*e_, "bkt", "a", Pattern(5000, 1)).has_value());
  ASSERT_TRUE(Link("a", "b").has_value());
  ASSERT_TRUE(Link("a", "c").has_value());
  EXPECT_EQ(Blobs(), 1u);
  ASSERT_TRUE(WriteAll("b", Pattern(6000, 2)).has_value());
  EXPECT_EQ(Blobs(), 1u);  // the old blob lost all three references
  for (const char* k : {"a", "b"}) ASSERT_TRUE(e_->DeleteObject(DelReq("bkt", k)).has_value());
  EXPECT_EQ(Blobs(), 1u);
  EXPECT_EQ(Get(*e_, "bkt", "c").value(), Pattern(6000, 2));
  ASSERT_TRUE(e_->DeleteObject(DelReq("bkt", "c")).has_value());
  EXPECT_EQ(Blobs(), 0u);
  auto usage = e_->GetBucketUsage("bkt");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->objects, 0u);
}

TEST_F(LinksTest, RenamesCarryMembership) {
  ASSERT_TRUE(Put(*e_, "bkt", "a", "x").has_value());
  ASSERT_TRUE(Link("a", "d/b").has_value());
  auto moved = e_->RenameObject({.bucket = "bkt", .src_key = "d/b", .dst_key = "e/b2"});
  ASSERT_TRUE(moved.has_value()) << moved.error().ToString();
  EXPECT_EQ(Head("e/b2").link_count, 2u);
  EXPECT_EQ(Head("e/b2").link_id, Head("a").link_id);
  EXPECT_EQ(e_->HeadObject(HeadReq("bkt", "d/b")).error().code(), Status::Code::kNoSuchKey);
  ASSERT_TRUE(WriteAll("e/b2", "through the new name").has_value());
  EXPECT_EQ(Get(*e_, "bkt", "a").value(), "through the new name");
  // Renaming one name onto another name of the same file changes nothing (POSIX).
  ASSERT_TRUE(e_->RenameObject({.bucket = "bkt", .src_key = "a", .dst_key = "e/b2"}).has_value());
  EXPECT_EQ(Head("a").link_count, 2u);
  EXPECT_EQ(Head("e/b2").link_count, 2u);
  // A directory rename moves a name inside it with its membership.
  auto n = e_->RenamePrefix({.bucket = "bkt", .src_prefix = "e/", .dst_prefix = "f/"});
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(Head("f/b2").link_count, 2u);
  ASSERT_TRUE(WriteAll("a", "after the directory rename").has_value());
  EXPECT_EQ(Get(*e_, "bkt", "f/b2").value(), "after the directory rename");
  // Renaming over another file: the target leaves its own group.
  ASSERT_TRUE(Put(*e_, "bkt", "p", "p").has_value());
  ASSERT_TRUE(Link("p", "q").has_value());
  ASSERT_TRUE(e_->RenameObject({.bucket = "bkt", .src_key = "a", .dst_key = "q"}).has_value());
  EXPECT_EQ(Head("p").link_count, 1u);
  EXPECT_EQ(Head("q").link_count, 2u);
  EXPECT_EQ(Head("q").link_id, Head("f/b2").link_id);
}

TEST_F(LinksTest, MetadataChangesReachEveryNameWhenAsked) {
  ASSERT_TRUE(Put(*e_, "bkt", "a", "x").has_value());
  ASSERT_TRUE(Link("a", "b").has_value());
  UpdateObjectMetadataRequest r{
      .bucket = "bkt", .key = "b", .changes = {{.name = "mode", .value = "1"}}};
  r.all_links = true;
  auto u = e_->UpdateObjectMetadata(r);
  ASSERT_TRUE(u.has_value()) << u.error().ToString();
  EXPECT_EQ(u->link_count, 2u);
  EXPECT_EQ(Head("a").meta.user, (UserMeta{{"mode", "1"}}));
  r.all_links = false;
  r.changes = {{.name = "mode", .value = "2"}};
  ASSERT_TRUE(e_->UpdateObjectMetadata(r).has_value());
  EXPECT_EQ(Head("a").meta.user, (UserMeta{{"mode", "1"}}));
  EXPECT_EQ(Head("b").meta.user, (UserMeta{{"mode", "2"}}));
  EXPECT_EQ(Head("b").link_count, 2u);  // metadata changes never detach
}

TEST_F(LinksTest, AGroupHasAMostNames) {
  ASSERT_TRUE(Put(*e_, "bkt", "a", "x").has_value());
  for (uint32_t i = 1; i < kMaxLinkCount; ++i) {
    ASSERT_TRUE(e_->LinkObject({.bucket = "bkt",
                                .src_key = "a",
                                .dst_key = "l" + std::to_string(i),
                                .durable = false})
                    .has_value())
        << i;
  }
  EXPECT_EQ(Head("a").link_count, kMaxLinkCount);
  auto over = Link("a", "one-too-many");
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(over.error().subcode(), Status::SubCode::kTooManyLinks);
}

TEST_F(LinksTest, SurvivesAReopen) {
  ASSERT_TRUE(Put(*e_, "bkt", "a", "x").has_value());
  ASSERT_TRUE(Link("a", "b").has_value());
  ASSERT_TRUE(e_->Sync().ok());
  e_.reset();
  EngineOptions o;
  o.data_dir = dir_.str();
  o.inline_threshold = 64;
  e_ = std::move(Engine::Open(o)).value();
  EXPECT_EQ(Head("b").link_count, 2u);
  ASSERT_TRUE(WriteAll("b", "y").has_value());
  EXPECT_EQ(Get(*e_, "bkt", "a").value(), "y");
}

// Every name counts as an object of its own; links, writes through every name (inline and
// blob), metadata changes, the mount's placeholder replacement, renames, S3 detaches and
// deletes of names keep the counters equal to a scan, in both versioning states.
TEST_F(LinksTest, UsageCountersStayExact) {
  for (bool versioned : {false, true}) {
    SCOPED_TRACE(versioned ? "versioned" : "unversioned");
    const std::string bucket = versioned ? "vbkt" : "bkt";
    if (versioned) {
      ASSERT_TRUE(e_->CreateBucket({.bucket = bucket}).ok());
      ASSERT_TRUE(e_->PutBucketVersioning(bucket, VersioningState::kEnabled).ok());
    }
    auto exact = [&](const std::string& when) { ExpectUsageExact(when, bucket); };
    auto link = [&](const std::string& src, const std::string& dst) {
      auto r = e_->LinkObject({.bucket = bucket, .src_key = src, .dst_key = dst});
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
    };
    auto write_all = [&](const std::string& key, const std::string& data) {
      PutObjectRequest req;
      req.write_links = true;
      auto r = Put(*e_, bucket, key, data, req);
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
    };
    ASSERT_TRUE(Put(*e_, bucket, "a", Pattern(5000, 1)).has_value());  // a blob
    link("a", "b");
    link("b", "dir/c");
    exact("after two links");
    auto usage = e_->GetBucketUsage(bucket);
    ASSERT_TRUE(usage.has_value());
    EXPECT_EQ(usage->objects, 3u);
    EXPECT_EQ(usage->bytes, 3u * 5000u);
    write_all("b", "inline now");
    exact("after an inline write through b");
    write_all("dir/c", Pattern(7000, 2));
    exact("after a blob write through dir/c");
    usage = e_->GetBucketUsage(bucket);
    EXPECT_EQ(usage->objects, 3u);
    EXPECT_EQ(usage->bytes, 3u * 7000u);
    UpdateObjectMetadataRequest m{
        .bucket = bucket, .key = "a", .changes = {{.name = "mode", .value = "33188"}}};
    m.all_links = true;
    ASSERT_TRUE(e_->UpdateObjectMetadata(m).has_value());
    exact("after a metadata change of every name");
    ASSERT_TRUE(
        e_->RenameObject({.bucket = bucket, .src_key = "dir/c", .dst_key = "d"}).has_value());
    exact("after a rename of a name");
    // The mount's open(O_CREAT) placeholder, replaced by the first close (over a version
    // that was there before it).
    ASSERT_TRUE(Put(*e_, bucket, "e", "previous").has_value());
    auto placeholder = Put(*e_, bucket, "e", "");
    ASSERT_TRUE(placeholder.has_value());
    PutObjectRequest replace;
    replace.replace_version_id = placeholder->version_id;
    ASSERT_TRUE(Put(*e_, bucket, "e", "content", replace).has_value());
    link("e", "f");
    exact("after a placeholder replacement and a link");
    ASSERT_TRUE(Put(*e_, bucket, "b", "s3 put detaches b").has_value());
    exact("after an S3 PUT onto b");
    for (const char* k : {"a", "d", "f"}) {
      ASSERT_TRUE(e_->DeleteObject(DelReq(bucket, k)).has_value()) << k;
      exact(std::string("after deleting ") + k);
    }
    usage = e_->GetBucketUsage(bucket);
    EXPECT_EQ(usage->objects, 2u);  // b and e
    ASSERT_TRUE(e_->Sync().ok());
  }
}

// A lifecycle expiration of one name (unversioned: its only version goes) takes it out of its
// group; the other names stay, counted right.
TEST_F(LinksTest, LifecycleExpiryOfOneNameLeavesTheOthers) {
  ASSERT_TRUE(Put(*e_, "bkt", "keep", Pattern(5000, 4)).has_value());
  ASSERT_TRUE(Link("keep", "tmp/x").has_value());
  ASSERT_TRUE(Link("keep", "tmp/y").has_value());
  EXPECT_EQ(Head("keep").link_count, 3u);
  LifecycleRule r;
  r.id = "tmp";
  r.filter.prefix = "tmp/";
  r.expiration = LifecycleExpiration{.days = 1};
  ASSERT_TRUE(e_->PutBucketLifecycle("bkt", LifecycleConfiguration{{r}}).ok());
  auto done =
      static_cast<EngineImpl&>(*e_).lifecycle_worker().RunPass(NowNs() + 3 * lifecycle::kRealDayNs);
  ASSERT_TRUE(done.has_value()) << done.error().ToString();
  EXPECT_EQ(*done, 2u);
  EXPECT_EQ(e_->HeadObject(HeadReq("bkt", "tmp/x")).error().code(), Status::Code::kNoSuchKey);
  ObjectInfo keep = Head("keep");
  EXPECT_EQ(keep.link_count, 1u);
  EXPECT_EQ(Get(*e_, "bkt", "keep").value(), Pattern(5000, 4));
  EXPECT_EQ(Blobs(), 1u);
  ExpectUsageExact("after the pass");
  // The expired names can be linked again.
  ASSERT_TRUE(Link("keep", "tmp/x").has_value());
  EXPECT_EQ(Head("keep").link_count, 2u);
}

// Writes through every name, links and S3 detaches racing: afterwards every group is
// consistent (each name that says it is linked holds the same bytes as its group, and every
// name's count is its group's size).
TEST_F(LinksTest, ConcurrentWritesLinksAndDetachesStayConsistent) {
  ASSERT_TRUE(Put(*e_, "bkt", "n0", "start").has_value());
  for (int i = 1; i < 6; ++i) ASSERT_TRUE(Link("n0", "n" + std::to_string(i)).has_value());
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        std::string key = "n" + std::to_string((t * 7 + i) % 6);
        const std::string tag = std::to_string(t) + "-" + std::to_string(i);
        const int op = (t + i) % 4;
        Result<ObjectInfo> r =
            op <= 1 ? WriteAll(key, "w" + tag)
            : op == 2
                ? Link(key, "x" + tag)
                : Put(*e_, "bkt", "x" + std::to_string(t) + "-" + std::to_string(i - 1), "s3");
        if (!r.has_value() && r.error().code() != Status::Code::kNoSuchKey) failed = true;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_FALSE(failed);
  auto list = e_->ListObjects({.bucket = "bkt", .with_user_meta = true});
  ASSERT_TRUE(list.has_value());
  std::map<std::string, std::vector<ObjectInfo>> groups;
  for (const ObjectInfo& o : list->objects) {
    if (!o.link_id.empty()) groups[o.link_id].push_back(o);
  }
  ASSERT_FALSE(groups.empty());
  for (const auto& [id, names] : groups) {
    const std::string content = Get(*e_, "bkt", names[0].key).value();
    for (const ObjectInfo& o : names) {
      EXPECT_EQ(o.link_count, names.size()) << o.key;
      EXPECT_EQ(Get(*e_, "bkt", o.key).value(), content) << o.key;
    }
  }
  ExpectUsageExact("after the race");
}

}  // namespace
}  // namespace maxiofs::engine
