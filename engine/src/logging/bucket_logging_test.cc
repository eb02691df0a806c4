// Server access logging in the engine: the stored form, log object keys, and the operations
// on a real engine (LevelDB and the filesystem blob store in a temp dir): the target checks
// S3 makes, persistence, removal with the bucket, and delivery (by size, by time, on flush,
// at close; never of its own writes).
#include "logging/log_keys.h"
#include "logging/logging_codec.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace maxiofs::engine {
namespace {

constexpr int64_t kSec = 1000000000;
// 2024-02-29 23:59:58 UTC
constexpr int64_t kLeapNs = 1709251198LL * kSec;

std::string PolicyFor(const std::string& target, const std::string& source,
                      const std::string& prefix_pattern) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
         R"("Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject",)"
         R"("Resource":"arn:aws:s3:::)" +
         target + "/" + prefix_pattern +
         R"(","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::)" + source +
         R"("},"StringEquals":{"aws:SourceAccount":"000000000000"}}}]})";
}

BucketLoggingConfig Config(std::string target, std::string prefix) {
  BucketLoggingConfig c;
  c.target_bucket = std::move(target);
  c.target_prefix = std::move(prefix);
  return c;
}

TEST(LogKeysTest, SimplePrefixNamesTheDeliverySecond) {
  LogKeyInputs in{.source_bucket = "src",
                  .source_account = "000000000000",
                  .region = "us-east-1",
                  .event_ns = kLeapNs - 3600 * kSec,
                  .delivery_ns = kLeapNs,
                  .unique = "0123abcd"};
  EXPECT_EQ(LogObjectKey(Config("t", "logs/"), in), "logs/2024-02-29-23-59-58-0123abcd");
  EXPECT_EQ(LogObjectKey(Config("t", ""), in), "2024-02-29-23-59-58-0123abcd");
}

TEST(LogKeysTest, PartitionedPrefixNamesAccountRegionBucketAndDate) {
  BucketLoggingConfig c = Config("t", "p/");
  c.key_format = LogKeyFormat::kPartitionedPrefix;
  c.date_source = LogPartitionDateSource::kEventTime;
  LogKeyInputs in{.source_bucket = "src",
                  .source_account = "000000000000",
                  .region = "eu-west-1",
                  .event_ns = kLeapNs,
                  .delivery_ns = kLeapNs + 5 * kSec,
                  .unique = "u"};
  // The partition is the event's day; the file name the delivery's second (next day here).
  EXPECT_EQ(LogObjectKey(c, in), "p/000000000000/eu-west-1/src/2024/02/29/2024-03-01-00-00-03-u");
  c.date_source = LogPartitionDateSource::kDeliveryTime;
  EXPECT_EQ(LogObjectKey(c, in), "p/000000000000/eu-west-1/src/2024/03/01/2024-03-01-00-00-03-u");
}

TEST(LoggingCodecTest, RoundTripsAndRefusesDamage) {
  StoredBucketLogging s;
  s.config = Config("target", "pre/");
  s.config.key_format = LogKeyFormat::kPartitionedPrefix;
  s.config.date_source = LogPartitionDateSource::kDeliveryTime;
  s.config.target_grants.push_back(AclGrant{AclGrant::GranteeType::kGroup,
                                            "http://acs.amazonaws.com/groups/global/AllUsers",
                                            AclPermission::kRead});
  s.modified_ns = 12345;
  const std::string enc = EncodeBucketLogging(s);
  auto dec = DecodeBucketLogging(enc);
  ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
  EXPECT_EQ(dec->config, s.config);
  EXPECT_EQ(dec->modified_ns, 12345);
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(DecodeBucketLogging(enc.substr(0, n)).has_value()) << n;
  }
  std::string bad = enc;
  bad[0] = 9;
  EXPECT_FALSE(DecodeBucketLogging(bad).has_value());
}

class BucketLoggingTest : public ::testing::Test {
 protected:
  void Open(uint32_t flush_seconds = 0, uint64_t flush_bytes = 1 << 20,
            uint64_t max_buffered = 1 << 20) {
    engine_.reset();
    EngineOptions o;
    o.data_dir = dir_.str();
    o.access_log.flush_seconds = flush_seconds;
    o.access_log.flush_bytes = flush_bytes;
    o.access_log.max_buffered_bytes = max_buffered;
    auto r = Engine::Open(o);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    engine_ = std::move(r).value();
  }
  void SetUp() override {
    Open();
    for (const char* b : {"src", "logs"}) {
      ASSERT_TRUE(engine_->CreateBucket(CreateBucketRequest{.bucket = b}).ok());
    }
    ASSERT_TRUE(engine_->iam().PutBucketPolicy("logs", PolicyFor("logs", "src", "in/*")).ok());
  }
  // Keys of `bucket` in order.
  std::vector<std::string> Keys(const std::string& bucket) {
    ListObjectsRequest req;
    req.bucket = bucket;
    req.max_keys = 1000;
    auto r = engine_->ListObjects(req);
    EXPECT_TRUE(r.has_value());
    std::vector<std::string> out;
    if (r.has_value()) {
      for (const auto& o : r->objects) out.push_back(o.key);
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(BucketLoggingTest, PutGetRemove) {
  auto none = engine_->GetBucketLogging("src");
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->config.has_value());
  EXPECT_FALSE(engine_->IsBucketLogged("src"));
  ASSERT_TRUE(engine_->PutBucketLogging("src", Config("logs", "in/")).ok());
  auto got = engine_->GetBucketLogging("src");
  ASSERT_TRUE(got.has_value() && got->config.has_value());
  EXPECT_EQ(*got->config, Config("logs", "in/"));
  EXPECT_TRUE(engine_->IsBucketLogged("src"));
  const int64_t modified = got->modified_ns;
  // The same configuration again changes nothing.
  ASSERT_TRUE(engine_->PutBucketLogging("src", Config("logs", "in/")).ok());
  EXPECT_EQ(engine_->GetBucketLogging("src")->modified_ns, modified);
  // It survives a restart.
  Open();
  EXPECT_TRUE(engine_->IsBucketLogged("src"));
  ASSERT_TRUE(engine_->PutBucketLogging("src", std::nullopt).ok());
  EXPECT_FALSE(engine_->GetBucketLogging("src")->config.has_value());
  EXPECT_FALSE(engine_->IsBucketLogged("src"));
}

TEST_F(BucketLoggingTest, RefusesWhatS3Refuses) {
  EXPECT_TRUE(engine_->PutBucketLogging("nosuch", Config("logs", "in/")).IsNoSuchBucket());
  auto target_error = [&](const BucketLoggingConfig& c) {
    Status s = engine_->PutBucketLogging("src", c);
    return s.subcode() == Status::SubCode::kInvalidTargetBucketForLogging;
  };
  EXPECT_TRUE(target_error(Config("nosuch", "in/")));
  // The policy allows only prefixes under in/ for source src.
  EXPECT_TRUE(target_error(Config("logs", "other/")));
  ASSERT_TRUE(engine_->CreateBucket(CreateBucketRequest{.bucket = "src2"}).ok());
  EXPECT_EQ(engine_->PutBucketLogging("src2", Config("logs", "in/")).subcode(),
            Status::SubCode::kInvalidTargetBucketForLogging);
  // No policy at all.
  ASSERT_TRUE(engine_->CreateBucket(CreateBucketRequest{.bucket = "bare"}).ok());
  EXPECT_TRUE(target_error(Config("bare", "")));
  // A target with a default retention.
  ASSERT_TRUE(
      engine_->CreateBucket(CreateBucketRequest{.bucket = "locked", .object_lock_enabled = true})
          .ok());
  ASSERT_TRUE(engine_->iam().PutBucketPolicy("locked", PolicyFor("locked", "src", "*")).ok());
  EXPECT_TRUE(engine_->PutBucketLogging("src", Config("locked", "x/")).ok());
  ObjectLockConfig lock;
  lock.enabled = true;
  lock.default_retention = DefaultRetention{LockMode::kGovernance, 1, 0};
  ASSERT_TRUE(engine_->PutObjectLockConfiguration("locked", lock).ok());
  EXPECT_TRUE(target_error(Config("locked", "y/")));
  // Grants: only READ, WRITE and FULL_CONTROL.
  BucketLoggingConfig c = Config("logs", "in/");
  c.target_grants.push_back(AclGrant{AclGrant::GranteeType::kGroup,
                                     "http://acs.amazonaws.com/groups/global/AllUsers",
                                     AclPermission::kWriteAcp});
  EXPECT_EQ(engine_->PutBucketLogging("src", c).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(engine_->PutBucketLogging("src", Config("logs", std::string(600, 'p'))).code(),
            Status::Code::kInvalidArgument);
  // The log-delivery group's WRITE grant on the target's ACL is enough (older buckets).
  ASSERT_TRUE(engine_->iam().PutBucketAcl("bare", *CannedAcl("log-delivery-write")).ok());
  EXPECT_TRUE(engine_->PutBucketLogging("src", Config("bare", "")).ok());
}

TEST_F(BucketLoggingTest, DeliversOnFlushOnceAndNeverItsOwnWrites) {
  // The source is its own target (S3 allows it).
  ASSERT_TRUE(engine_->iam().PutBucketPolicy("src", PolicyFor("src", "src", "*")).ok());
  ASSERT_TRUE(engine_->PutBucketLogging("src", Config("src", "self/")).ok());
  engine_->AppendAccessLog("src", 1 * kSec, "one");
  engine_->AppendAccessLog("src", 2 * kSec, "two");
  engine_->AppendAccessLog("logs", 2 * kSec, "not logged");  // dropped: logs has no logging
  auto n = engine_->FlushAccessLogs();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 1u);
  std::vector<std::string> keys = Keys("src");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].starts_with("self/")) << keys[0];
  EXPECT_EQ(*Get(*engine_, "src", keys[0]), "one\ntwo\n");
  // The delivery made no record of its own.
  EXPECT_EQ(*engine_->FlushAccessLogs(), 0u);
  EXPECT_EQ(Keys("src").size(), 1u);
  AccessLogStats st = engine_->access_log_stats();
  EXPECT_EQ(st.records_accepted, 2u);
  EXPECT_EQ(st.objects_delivered, 1u);
  EXPECT_EQ(st.buffered_bytes, 0u);
}

TEST_F(BucketLoggingTest, DeliversBySizeByTimeAndAtClose) {
  Open(/*flush_seconds=*/1, /*flush_bytes=*/10, /*max_buffered=*/64);
  ASSERT_TRUE(engine_->PutBucketLogging("src", Config("logs", "in/")).ok());
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  engine_->AppendAccessLog("src", now, "0123456789");  // reaches flush_bytes: delivered now
  for (int i = 0; i < 100 && Keys("logs").size() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Keys("logs").size(), 1u);
  engine_->AppendAccessLog("src", now, "short");  // delivered a second after `now`
  for (int i = 0; i < 200 && Keys("logs").size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Keys("logs").size(), 2u);
  // Memory is bounded: past max_buffered_bytes records are dropped.
  Open(/*flush_seconds=*/0, /*flush_bytes=*/1 << 20, /*max_buffered=*/64);
  for (int i = 0; i < 20; ++i) engine_->AppendAccessLog("src", now, "0123456789");
  AccessLogStats st = engine_->access_log_stats();
  EXPECT_EQ(st.records_accepted, 5u);
  EXPECT_EQ(st.records_dropped, 15u);
  // Closing the engine delivers what is buffered.
  Open();
  std::vector<std::string> keys = Keys("logs");
  ASSERT_EQ(keys.size(), 3u);
  std::vector<size_t> sizes;
  for (const std::string& k : keys) sizes.push_back(Get(*engine_, "logs", k)->size());
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<size_t>{6, 11, 55}));
}

TEST_F(BucketLoggingTest, RemovedWithTheBucket) {
  ASSERT_TRUE(engine_->PutBucketLogging("src", Config("logs", "in/")).ok());
  ASSERT_TRUE(engine_->DeleteBucket("src").ok());
  EXPECT_FALSE(engine_->IsBucketLogged("src"));
  ASSERT_TRUE(engine_->CreateBucket(CreateBucketRequest{.bucket = "src"}).ok());
  EXPECT_FALSE(engine_->GetBucketLogging("src")->config.has_value());
  Open();
  EXPECT_FALSE(engine_->IsBucketLogged("src"));
}

}  // namespace
}  // namespace maxiofs::engine
