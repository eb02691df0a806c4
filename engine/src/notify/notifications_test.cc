// Bucket notifications in the engine: S3's configuration checks, the event JSON, and the
// durable queue on a real engine (LevelDB and the filesystem blob store in a temp dir): events
// of every kind, committed with their change (none for a refused change), delivered in order,
// retried while the target fails, kept across a reopen, and the oldest dropped past the limit.
// The targets here are in-process recorders (the engine's side of the contract); the real
// webhook is exercised by tests/integration/test_notifications.py.
#include "notify/event_message.h"
#include "notify/notify_config.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace maxiofs::engine {
namespace {

// Records every message; fails while `fail` is set.
class RecordingTarget : public NotificationTarget {
 public:
  struct Shared {
    std::mutex mu;
    std::vector<std::string> messages;
    std::atomic<bool> fail{false};
    std::atomic<int> attempts{0};
    size_t size() {
      std::lock_guard<std::mutex> l(mu);
      return messages.size();
    }
    std::vector<std::string> copy() {
      std::lock_guard<std::mutex> l(mu);
      return messages;
    }
  };
  RecordingTarget(std::string name, std::shared_ptr<Shared> shared)
      : name_(std::move(name)), shared_(std::move(shared)) {}
  const std::string& name() const override { return name_; }
  std::string_view type() const override { return "test"; }
  Status Send(std::string_view message) override {
    ++shared_->attempts;
    if (shared_->fail.load()) return Status::Unavailable("target down");
    std::lock_guard<std::mutex> l(shared_->mu);
    shared_->messages.emplace_back(message);
    return Status::OK();
  }
  Status Check() override { return Status::OK(); }

 private:
  std::string name_;
  std::shared_ptr<Shared> shared_;
};

// Waits (at most 10 s) until `pred` holds.
template <class Pred>
bool WaitFor(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

NotificationRule Rule(std::vector<std::string> events, std::string target = "hook",
                      std::string prefix = "", std::string suffix = "") {
  NotificationRule r;
  r.arn = "arn:maxiofs:sqs::" + target;
  r.events = std::move(events);
  r.prefix = std::move(prefix);
  r.suffix = std::move(suffix);
  return r;
}

// The eventName of each Records message (test events skipped), with the key.
std::vector<std::string> Names(const std::vector<std::string>& messages) {
  std::vector<std::string> out;
  for (const std::string& m : messages) {
    nlohmann::json j = nlohmann::json::parse(m);
    if (!j.contains("Records")) continue;
    const nlohmann::json& r = j["Records"][0];
    out.push_back(r["eventName"].get<std::string>() + " " +
                  r["s3"]["object"]["key"].get<std::string>());
  }
  return out;
}

TEST(NotifyConfigTest, ChecksEventsTargetsFiltersAndOverlaps) {
  const std::set<std::string, std::less<>> targets = {"hook", "other"};
  NotificationConfiguration c;
  c.rules = {Rule({"s3:ObjectCreated:*"}), Rule({"s3:ObjectRemoved:Delete"}, "other", "logs/")};
  ASSERT_TRUE(ValidateNotificationConfiguration(&c, targets).ok());
  EXPECT_EQ(c.rules[0].id.size(), 32u);  // a random id was given
  EXPECT_NE(c.rules[0].id, c.rules[1].id);

  NotificationConfiguration bad_event{{Rule({"s3:ObjectCreated:Nope"})}};
  Status s = ValidateNotificationConfiguration(&bad_event, targets);
  EXPECT_TRUE(s.code() == Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("The event is not supported for notifications"), std::string::npos);

  NotificationConfiguration unknown{{Rule({"s3:ObjectCreated:*"}, "nobody")}};
  s = ValidateNotificationConfiguration(&unknown, targets);
  EXPECT_TRUE(s.code() == Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("Unable to validate the following destination configurations"),
            std::string::npos);
  NotificationConfiguration aws_arn{{Rule({"s3:ObjectCreated:*"})}};
  aws_arn.rules[0].arn = "arn:aws:sqs:us-east-1:123456789012:hook";
  EXPECT_TRUE(ValidateNotificationConfiguration(&aws_arn, targets).code() ==
              Status::Code::kInvalidArgument);

  // Same event type, overlapping filters: refused; disjoint prefixes: allowed.
  NotificationConfiguration overlap{
      {Rule({"s3:ObjectCreated:*"}, "hook", "a/"), Rule({"s3:ObjectCreated:Put"}, "other", "a/b")}};
  s = ValidateNotificationConfiguration(&overlap, targets);
  EXPECT_NE(s.message().find("Configurations overlap"), std::string::npos) << s.ToString();
  NotificationConfiguration disjoint{
      {Rule({"s3:ObjectCreated:*"}, "hook", "a/"), Rule({"s3:ObjectCreated:Put"}, "other", "b/")}};
  EXPECT_TRUE(ValidateNotificationConfiguration(&disjoint, targets).ok());

  NotificationConfiguration dup{{Rule({"s3:ObjectCreated:*"}), Rule({"s3:ObjectRemoved:*"})}};
  dup.rules[0].id = dup.rules[1].id = "same";
  EXPECT_TRUE(ValidateNotificationConfiguration(&dup, targets).code() ==
              Status::Code::kInvalidArgument);
  NotificationConfiguration none{{Rule({})}};
  EXPECT_TRUE(ValidateNotificationConfiguration(&none, targets).code() ==
              Status::Code::kInvalidArgument);
}

TEST(NotifyConfigTest, WildcardsPrefixesSuffixesAndStoredForm) {
  EXPECT_TRUE(NotificationEventMatches("s3:ObjectCreated:*", "s3:ObjectCreated:Put"));
  EXPECT_TRUE(
      NotificationEventMatches("s3:ObjectCreated:*", "s3:ObjectCreated:CompleteMultipartUpload"));
  EXPECT_FALSE(NotificationEventMatches("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"));
  EXPECT_FALSE(NotificationEventMatches("s3:ObjectCreated:Put", "s3:ObjectCreated:Post"));
  NotificationRule r = Rule({"s3:ObjectRemoved:*"}, "hook", "img/", ".jpg");
  EXPECT_TRUE(NotificationRuleMatches(r, "s3:ObjectRemoved:DeleteMarkerCreated", "img/a.jpg"));
  EXPECT_FALSE(NotificationRuleMatches(r, "s3:ObjectRemoved:Delete", "img/a.png"));
  EXPECT_FALSE(NotificationRuleMatches(r, "s3:ObjectRemoved:Delete", "doc/a.jpg"));
  EXPECT_EQ(NotificationTargetName("arn:maxiofs:sqs::hook"), "hook");
  EXPECT_EQ(NotificationTargetName("arn:maxiofs:sqs:us-east-1:1:hook"), "hook");
  EXPECT_EQ(NotificationTargetName("arn:maxiofs:sqs::"), "");
  EXPECT_EQ(NotificationTargetName("arn:aws:sqs::hook"), "");
  EXPECT_EQ(NotificationTargetName("arn:maxiofs:sqs:hook"), "");

  NotificationConfiguration c{
      {Rule({"s3:ObjectCreated:*", "s3:ObjectTagging:*"}, "hook", "p", "s")}};
  c.rules[0].id = "r1";
  c.rules[0].kind = NotificationKind::kCloudFunction;
  auto back = DecodeNotificationConfiguration(EncodeNotificationConfiguration(c));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, c);
  EXPECT_FALSE(DecodeNotificationConfiguration("{\"v\":1,\"rules\":[{\"kind\":9}]}").has_value());
  EXPECT_FALSE(DecodeNotificationConfiguration("not json").has_value());
}

TEST(EventMessageTest, CarriesS3sFields) {
  EXPECT_EQ(EventKeyEncode("a b/c+d=é"), "a+b/c%2Bd%3D%C3%A9");
  EXPECT_EQ(EventTime(1709251198123456789LL), "2024-02-29T23:59:58.123Z");
  EventDraft d{"ObjectCreated:Put",
               "bkt",
               "dir/my file",
               true,
               42,
               "abc",
               "v1",
               RequestOrigin{"AKID", "10.0.0.1", "REQ1"}};
  nlohmann::json j = nlohmann::json::parse(
      BuildEventMessage(d, EventContext{"eu-west-1", "rule1", 255, 1709251198000000000LL}));
  const nlohmann::json& r = j["Records"][0];
  EXPECT_EQ(r["eventVersion"], "2.1");
  EXPECT_EQ(r["eventSource"], "aws:s3");
  EXPECT_EQ(r["awsRegion"], "eu-west-1");
  EXPECT_EQ(r["eventTime"], "2024-02-29T23:59:58.000Z");
  EXPECT_EQ(r["eventName"], "ObjectCreated:Put");
  EXPECT_EQ(r["userIdentity"]["principalId"], "AKID");
  EXPECT_EQ(r["requestParameters"]["sourceIPAddress"], "10.0.0.1");
  EXPECT_EQ(r["responseElements"]["x-amz-request-id"], "REQ1");
  EXPECT_EQ(r["s3"]["configurationId"], "rule1");
  EXPECT_EQ(r["s3"]["bucket"]["name"], "bkt");
  EXPECT_EQ(r["s3"]["bucket"]["arn"], "arn:aws:s3:::bkt");
  EXPECT_EQ(r["s3"]["object"]["key"], "dir/my+file");
  EXPECT_EQ(r["s3"]["object"]["size"], 42);
  EXPECT_EQ(r["s3"]["object"]["eTag"], "abc");
  EXPECT_EQ(r["s3"]["object"]["versionId"], "v1");
  EXPECT_EQ(r["s3"]["object"]["sequencer"], "00000000000000FF");
  // A removal has no size or ETag; the null version has no versionId.
  EventDraft del{"ObjectRemoved:Delete", "bkt", "k", false, 0, "", "null", {}};
  j = nlohmann::json::parse(BuildEventMessage(del, EventContext{"us-east-1", "r", 1, 0}));
  EXPECT_FALSE(j["Records"][0]["s3"]["object"].contains("size"));
  EXPECT_FALSE(j["Records"][0]["s3"]["object"].contains("versionId"));
  j = nlohmann::json::parse(BuildTestEventMessage("bkt", {"", "", "R"}, 0));
  EXPECT_EQ(j["Event"], "s3:TestEvent");
  EXPECT_EQ(j["Bucket"], "bkt");
}

class NotificationsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> Open(uint64_t limit = 100000) {
    EngineOptions o;
    o.data_dir = dir_.str();
    o.min_part_size = 1;
    o.notify.queue_limit = limit;
    o.notify.retry_min_ms = 5;
    o.notify.retry_max_ms = 20;
    auto r = Engine::Open(o);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    auto e = std::move(r).value();
    std::vector<std::unique_ptr<NotificationTarget>> targets;
    targets.push_back(std::make_unique<RecordingTarget>("hook", hook_));
    EXPECT_TRUE(e->StartNotifications(std::move(targets)).ok());
    return e;
  }
  TempDir dir_;
  std::shared_ptr<RecordingTarget::Shared> hook_ = std::make_shared<RecordingTarget::Shared>();
};

TEST_F(NotificationsTest, EveryKindOfChangeIsDeliveredInOrder) {
  auto e = Open();
  ASSERT_TRUE(e->CreateBucket({.bucket = "bkt"}).ok());
  ASSERT_TRUE(e->PutBucketVersioning("bkt", VersioningState::kEnabled).ok());
  // Unknown target: S3's error, nothing stored.
  Status s = e->PutBucketNotification(
      "bkt", NotificationConfiguration{{Rule({"s3:ObjectCreated:*"}, "nope")}}, {});
  EXPECT_TRUE(s.code() == Status::Code::kInvalidArgument);
  EXPECT_TRUE(e->GetBucketNotification("bkt")->rules.empty());
  NotificationConfiguration c{
      {Rule({"s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"})}};
  c.rules[0].id = "all";
  ASSERT_TRUE(e->PutBucketNotification("bkt", c, {"", "", "REQ"}).ok());
  EXPECT_EQ(*e->GetBucketNotification("bkt"), c);
  ASSERT_TRUE(WaitFor([&] { return hook_->size() == 1; }));  // the test event
  EXPECT_NE(hook_->copy()[0].find("s3:TestEvent"), std::string::npos);

  PutObjectRequest put;
  put.origin = {"AKID", "127.0.0.9", "R1"};
  ASSERT_TRUE(Put(*e, "bkt", "k", "hello", put).has_value());
  CopyObjectRequest copy{.src_bucket = "bkt", .src_key = "k", .dst_bucket = "bkt", .dst_key = "k2"};
  ASSERT_TRUE(e->CopyObject(copy).has_value());
  auto up = e->CreateMultipartUpload({.bucket = "bkt", .key = "mp"});
  ASSERT_TRUE(up.has_value());
  auto w = e->BeginUploadPart(
      {.bucket = "bkt", .key = "mp", .upload_id = up->upload_id, .part_number = 1});
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE((*w)->Append("part").ok());
  auto part = (*w)->Commit();
  ASSERT_TRUE(part.has_value());
  ASSERT_TRUE(
      e->CompleteMultipartUpload(
           {.bucket = "bkt", .key = "mp", .upload_id = up->upload_id, .parts = {{1, part->etag}}})
          .has_value());
  ASSERT_TRUE(e->PutObjectTagging({.bucket = "bkt", .key = "k", .tags = {{"a", "1"}}}).has_value());
  ASSERT_TRUE(e->DeleteObjectTagging({.bucket = "bkt", .key = "k"}).has_value());
  auto marker = e->DeleteObject(DelReq("bkt", "k"));
  ASSERT_TRUE(marker.has_value());
  ASSERT_TRUE(e->DeleteObject(DelReq("bkt", "k", marker->version_id)).has_value());
  // A refused change is no event.
  PutObjectRequest refused;
  refused.preconditions.if_none_match = {"*"};
  EXPECT_FALSE(Put(*e, "bkt", "k2", "x", refused).has_value());

  const std::vector<std::string> want = {
      "ObjectCreated:Put k",   "ObjectCreated:Copy k2",  "ObjectCreated:CompleteMultipartUpload mp",
      "ObjectTagging:Put k",   "ObjectTagging:Delete k", "ObjectRemoved:DeleteMarkerCreated k",
      "ObjectRemoved:Delete k"};
  ASSERT_TRUE(WaitFor([&] { return Names(hook_->copy()).size() >= want.size(); }));
  EXPECT_EQ(Names(hook_->copy()), want);
  nlohmann::json first = nlohmann::json::parse(hook_->copy()[1]);
  EXPECT_EQ(first["Records"][0]["userIdentity"]["principalId"], "AKID");
  EXPECT_EQ(first["Records"][0]["requestParameters"]["sourceIPAddress"], "127.0.0.9");
  EXPECT_EQ(first["Records"][0]["s3"]["object"]["size"], 5);
  EXPECT_EQ(first["Records"][0]["s3"]["configurationId"], "all");
  std::vector<NotificationTargetStats> st = e->notification_stats();
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].delivered, want.size() + 1);
  EXPECT_EQ(st[0].queued, 0u);
  EXPECT_EQ(st[0].latency_count, want.size() + 1);

  // Filters: only keys under the prefix; removing the rules stops events.
  ASSERT_TRUE(
      e->PutBucketNotification(
           "bkt", NotificationConfiguration{{Rule({"s3:ObjectCreated:Put"}, "hook", "in/")}}, {})
          .ok());
  ASSERT_TRUE(Put(*e, "bkt", "out/x", "1").has_value());
  ASSERT_TRUE(Put(*e, "bkt", "in/y", "1").has_value());
  ASSERT_TRUE(e->PutBucketNotification("bkt", NotificationConfiguration{}, {}).ok());
  ASSERT_TRUE(Put(*e, "bkt", "in/z", "1").has_value());
  ASSERT_TRUE(WaitFor([&] { return e->notification_stats()[0].queued == 0; }));
  std::vector<std::string> names = Names(hook_->copy());
  EXPECT_EQ(names.back(), "ObjectCreated:Put in/y");
  EXPECT_EQ(names.size(), want.size() + 1);
}

TEST_F(NotificationsTest, ARenameIsACopyThenARemoval) {
  auto e = Open();
  ASSERT_TRUE(e->CreateBucket({.bucket = "bkt"}).ok());
  ASSERT_TRUE(e->PutBucketNotification(
                   "bkt",
                   NotificationConfiguration{{Rule({"s3:ObjectCreated:*", "s3:ObjectRemoved:*"})}},
                   {})
                  .ok());
  ASSERT_TRUE(Put(*e, "bkt", "dir/a", "1").has_value());
  ASSERT_TRUE(e->RenameObject({.bucket = "bkt", .src_key = "dir/a", .dst_key = "b"}).has_value());
  ASSERT_TRUE(e->RenamePrefix({.bucket = "bkt", .src_prefix = "b", .dst_prefix = "c"}).has_value());
  const std::vector<std::string> want = {"ObjectCreated:Put dir/a", "ObjectCreated:Copy b",
                                         "ObjectRemoved:Delete dir/a", "ObjectCreated:Copy c",
                                         "ObjectRemoved:Delete b"};
  ASSERT_TRUE(WaitFor([&] { return Names(hook_->copy()).size() >= want.size(); }));
  EXPECT_EQ(Names(hook_->copy()), want);
}

TEST_F(NotificationsTest, RetriesWhileTheTargetIsDownAndSurvivesReopen) {
  {
    auto e = Open();
    ASSERT_TRUE(e->CreateBucket({.bucket = "bkt"}).ok());
    ASSERT_TRUE(e->PutBucketNotification(
                     "bkt", NotificationConfiguration{{Rule({"s3:ObjectCreated:*"})}}, {})
                    .ok());
    ASSERT_TRUE(WaitFor([&] { return hook_->size() == 1; }));
    hook_->fail = true;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(Put(*e, "bkt", "k", std::to_string(i)).has_value());
    ASSERT_TRUE(WaitFor([&] { return e->notification_stats()[0].failed >= 3; }));
    EXPECT_EQ(e->notification_stats()[0].queued, 5u);
  }  // closed with 5 events queued
  hook_->fail = false;
  auto e = Open();
  ASSERT_TRUE(WaitFor([&] { return e->notification_stats()[0].delivered == 5; }));
  std::vector<std::string> sizes;
  for (const std::string& m : hook_->copy()) {
    nlohmann::json j = nlohmann::json::parse(m);
    if (j.contains("Records")) sizes.push_back(j["Records"][0]["s3"]["object"]["eTag"]);
  }
  ASSERT_EQ(sizes.size(), 5u);
  // In the order of the writes: the ETags of "0".."4".
  EXPECT_EQ(sizes[0], "cfcd208495d565ef66e7dff9f98764da");
  EXPECT_EQ(sizes[4], "a87ff679a2f3e71d9181a67b7542122c");
  EXPECT_EQ(e->notification_stats()[0].queued, 0u);
}

TEST_F(NotificationsTest, AFullQueueDropsTheOldest) {
  auto e = Open(/*limit=*/3);
  ASSERT_TRUE(e->CreateBucket({.bucket = "bkt"}).ok());
  hook_->fail = true;
  ASSERT_TRUE(
      e->PutBucketNotification("bkt", NotificationConfiguration{{Rule({"s3:ObjectCreated:*"})}}, {})
          .ok());
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(Put(*e, "bkt", "k" + std::to_string(i), "x").has_value());
  NotificationTargetStats st = e->notification_stats()[0];
  EXPECT_EQ(st.queued, 3u);
  EXPECT_EQ(st.dropped, 8u);  // the test event and 7 puts
  EXPECT_EQ(st.enqueued, 11u);
  hook_->fail = false;
  ASSERT_TRUE(WaitFor([&] { return e->notification_stats()[0].queued == 0; }));
  std::vector<std::string> names = Names(hook_->copy());
  // The newest survive (one older one may have been in flight when the queue was trimmed).
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names.back(), "ObjectCreated:Put k9");
}

TEST_F(NotificationsTest, BucketDeletionRemovesTheRulesButDeliversWhatIsQueued) {
  auto e = Open();
  ASSERT_TRUE(e->CreateBucket({.bucket = "bkt"}).ok());
  ASSERT_TRUE(
      e->PutBucketNotification("bkt", NotificationConfiguration{{Rule({"s3:ObjectRemoved:*"})}}, {})
          .ok());
  ASSERT_TRUE(Put(*e, "bkt", "k", "x").has_value());
  ASSERT_TRUE(e->DeleteObject(DelReq("bkt", "k")).has_value());
  ASSERT_TRUE(e->DeleteBucket("bkt").ok());
  ASSERT_TRUE(e->CreateBucket({.bucket = "bkt"}).ok());
  EXPECT_TRUE(e->GetBucketNotification("bkt")->rules.empty());
  ASSERT_TRUE(WaitFor([&] { return Names(hook_->copy()).size() == 1; }));
  EXPECT_EQ(Names(hook_->copy())[0], "ObjectRemoved:Delete k");
  EXPECT_TRUE(e->GetBucketNotification("nope").error().IsNoSuchBucket());
}

}  // namespace
}  // namespace maxiofs::engine
