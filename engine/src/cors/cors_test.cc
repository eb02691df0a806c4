// CORS rules: validation (S3's limits and messages), matching (S3's semantics, including the
// cases Ceph's s3-tests check), the stored form, and the engine operations on a real engine
// (LevelDB and the filesystem blob store in a temp dir): persistence, deletion with the bucket,
// the server-wide default.
#include "cors/cors_codec.h"
#include "cors/cors_rules.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace maxiofs::engine {
namespace {

CorsRule Rule(std::vector<std::string> methods, std::vector<std::string> origins) {
  CorsRule r;
  r.allowed_methods = std::move(methods);
  r.allowed_origins = std::move(origins);
  return r;
}

CorsConfiguration Config(std::vector<CorsRule> rules) {
  CorsConfiguration c;
  c.rules = std::move(rules);
  return c;
}

std::shared_ptr<const CompiledCors> Compiled(CorsConfiguration c) {
  auto r = CompiledCors::Compile(std::move(c));
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.has_value() ? *r : nullptr;
}

CorsMatch Actual(const CompiledCors& c, std::string_view origin, std::string_view method) {
  CorsRequest q;
  q.origin = origin;
  q.method = method;
  return c.Match(q);
}

CorsMatch Preflight(const CompiledCors& c, std::string_view origin, std::string_view method,
                    std::string_view headers = "") {
  CorsRequest q;
  q.origin = origin;
  q.method = method;
  q.request_headers = headers;
  q.preflight = true;
  return c.Match(q);
}

std::string MessageOf(const CorsConfiguration& c) {
  Status s = ValidateCorsConfiguration(c);
  return s.ok() ? "" : std::string(s.message());
}

TEST(CorsRulesTest, ValidationRefusesWhatS3Refuses) {
  EXPECT_TRUE(ValidateCorsConfiguration(Config({Rule({"GET"}, {"*"})})).ok());
  EXPECT_EQ(ValidateCorsConfiguration(Config({})).code(), Status::Code::kInvalidRequest);

  std::vector<CorsRule> many(101, Rule({"GET"}, {"*"}));
  EXPECT_EQ(ValidateCorsConfiguration(Config(many)).code(), Status::Code::kInvalidRequest);
  many.pop_back();
  EXPECT_TRUE(ValidateCorsConfiguration(Config(many)).ok());

  // Each message names the rule (number from 1, and ID when it has one).
  CorsRule patch = Rule({"GET", "PATCH"}, {"*"});
  patch.id = "edit";
  Status s = ValidateCorsConfiguration(Config({Rule({"GET"}, {"*"}), patch}));
  EXPECT_EQ(s.code(), Status::Code::kInvalidRequest);
  EXPECT_NE(s.message().find("CORS rule 2 (ID \"edit\")"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("Unsupported method is PATCH"), std::string::npos);
  EXPECT_NE(MessageOf(Config({Rule({"get"}, {"*"})})).find("Unsupported method is get"),
            std::string::npos);  // methods are case-sensitive, as S3 spells them

  EXPECT_NE(MessageOf(Config({Rule({}, {"*"})})).find("CORS rule 1 has no AllowedMethod"),
            std::string::npos);
  EXPECT_NE(MessageOf(Config({Rule({"GET"}, {})})).find("has no AllowedOrigin"), std::string::npos);
  EXPECT_NE(MessageOf(Config({Rule({"GET"}, {"http://*.*.example"})}))
                .find("can not have more than one wildcard"),
            std::string::npos);
  EXPECT_EQ(ValidateCorsConfiguration(Config({Rule({"GET"}, {""})})).code(),
            Status::Code::kInvalidRequest);
  // Origins and header names end up in response headers: nothing that could split one.
  EXPECT_EQ(
      ValidateCorsConfiguration(Config({Rule({"GET"}, {"http://a\r\nSet-Cookie: x"})})).code(),
      Status::Code::kInvalidArgument);
  EXPECT_EQ(ValidateCorsConfiguration(Config({Rule({"GET"}, {"a,b"})})).code(),
            Status::Code::kInvalidArgument);

  CorsRule headers = Rule({"GET"}, {"*"});
  headers.allowed_headers = {"x-*-*"};
  EXPECT_NE(MessageOf(Config({headers})).find("AllowedHeader \"x-*-*\""), std::string::npos);
  headers.allowed_headers = {"bad header"};
  EXPECT_EQ(ValidateCorsConfiguration(Config({headers})).code(), Status::Code::kInvalidArgument);

  CorsRule expose = Rule({"GET"}, {"*"});
  expose.expose_headers = {"*"};
  EXPECT_NE(MessageOf(Config({expose})).find("do not support wildcard for ExposeHeader"),
            std::string::npos);
  expose.expose_headers = {"ETag\nX: y"};
  EXPECT_EQ(ValidateCorsConfiguration(Config({expose})).code(), Status::Code::kInvalidArgument);

  CorsRule id = Rule({"GET"}, {"*"});
  id.id = std::string(256, 'i');
  EXPECT_EQ(ValidateCorsConfiguration(Config({id})).code(), Status::Code::kInvalidArgument);
  id.id = std::string(255, 'i');
  EXPECT_TRUE(ValidateCorsConfiguration(Config({id})).ok());

  CorsRule age = Rule({"GET"}, {"*"});
  age.max_age_seconds = -1;
  EXPECT_EQ(ValidateCorsConfiguration(Config({age})).code(), Status::Code::kInvalidArgument);

  CorsRule big = Rule({"GET"}, {"*"});
  big.allowed_headers.assign(700, std::string(100, 'h'));  // 70 000 bytes of header names
  EXPECT_NE(MessageOf(Config({big})).find("too large"), std::string::npos);
}

// The origin cases of s3-tests' test_cors_origin_response, and more.
TEST(CorsRulesTest, OriginWildcardsMatchLikeS3) {
  auto c = Compiled(Config({Rule({"GET"}, {"*suffix"}), Rule({"GET"}, {"start*end"}),
                            Rule({"GET"}, {"prefix*"}), Rule({"PUT"}, {"*.put"})}));
  for (std::string origin : {"foo.suffix", "startend", "start1end", "start12end", "prefix",
                             "prefix.suffix", "PREFIX.x"}) {
    CorsMatch m = Actual(*c, origin, "GET");
    EXPECT_TRUE(m.matched) << origin;
    EXPECT_EQ(m.allow_methods, "GET") << origin;
    EXPECT_FALSE(m.any_origin);
  }
  for (std::string origin : {"foo.bar", "foo.suffix.get", "0start12end", "bla.prefix", "end"}) {
    CorsMatch m = Actual(*c, origin, "GET");
    EXPECT_TRUE(m.configured);
    EXPECT_FALSE(m.matched) << origin;
  }
  EXPECT_FALSE(Actual(*c, "foo.put", "GET").matched);
  EXPECT_TRUE(Actual(*c, "foo.put", "PUT").matched);
  EXPECT_FALSE(Actual(*c, "foo.suffix", "PUT").matched);
  EXPECT_FALSE(Actual(*c, "foo.suffix", "PATCH").matched);
  EXPECT_FALSE(Actual(*c, "", "GET").matched);
  // "start*end" needs both ends, not overlapping.
  auto overlap = Compiled(Config({Rule({"GET"}, {"ab*ba"})}));
  EXPECT_FALSE(Actual(*overlap, "aba", "GET").matched);
  EXPECT_TRUE(Actual(*overlap, "abba", "GET").matched);

  auto any = Compiled(Config({Rule({"GET", "HEAD"}, {"*"})}));
  CorsMatch m = Actual(*any, "https://app.example", "HEAD");
  EXPECT_TRUE(m.matched);
  EXPECT_TRUE(m.any_origin);
  EXPECT_EQ(m.allow_methods, "GET, HEAD");
}

TEST(CorsRulesTest, FirstMatchingRuleAnswers) {
  CorsRule first = Rule({"GET"}, {"https://a.example"});
  first.expose_headers = {"ETag"};
  first.max_age_seconds = 600;
  CorsRule second = Rule({"GET", "PUT"}, {"*"});
  second.expose_headers = {"x-amz-version-id", "ETag"};
  auto c = Compiled(Config({first, second}));
  CorsMatch a = Actual(*c, "https://a.example", "GET");
  EXPECT_EQ(a.expose_headers, "ETag");
  EXPECT_EQ(a.max_age_seconds, 600);
  EXPECT_FALSE(a.any_origin);
  CorsMatch b = Actual(*c, "https://a.example", "PUT");  // the first has no PUT
  EXPECT_EQ(b.expose_headers, "x-amz-version-id, ETag");
  EXPECT_FALSE(b.max_age_seconds.has_value());
  EXPECT_TRUE(b.any_origin);
}

TEST(CorsRulesTest, PreflightChecksEveryRequestedHeader) {
  CorsRule r = Rule({"PUT"}, {"https://app.example"});
  r.allowed_headers = {"Content-Type", "x-amz-meta-*"};
  auto c = Compiled(Config({r}));
  CorsMatch m = Preflight(*c, "https://app.example", "PUT", "content-type, X-Amz-Meta-Owner");
  EXPECT_TRUE(m.matched);
  EXPECT_EQ(m.allow_headers, "content-type, x-amz-meta-owner");
  EXPECT_TRUE(Preflight(*c, "https://app.example", "PUT", "").matched);
  EXPECT_TRUE(Preflight(*c, "https://app.example", "PUT", " , ,").matched);
  EXPECT_FALSE(Preflight(*c, "https://app.example", "PUT", "content-type, x-amz-date").matched);
  EXPECT_FALSE(Preflight(*c, "https://app.example", "GET", "content-type").matched);

  // s3-tests' test_cors_header_option: a rule without AllowedHeaders allows no request header.
  CorsRule bare = Rule({"GET"}, {"*"});
  bare.expose_headers = {"x-amz-meta-header1"};
  auto b = Compiled(Config({bare}));
  EXPECT_FALSE(Preflight(*b, "example.origin", "GET", "x-amz-meta-header2").matched);
  EXPECT_TRUE(Preflight(*b, "example.origin", "GET").matched);

  CorsRule star = Rule({"GET"}, {"*"});
  star.allowed_headers = {"*"};
  EXPECT_TRUE(Preflight(*Compiled(Config({star})), "o", "GET", "a, b, authorization").matched);
}

TEST(CorsRulesTest, ServerDefaultAllowsTheConfiguredOrigins) {
  auto none = CompiledCors::ServerDefault({});
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, nullptr);
  auto d = CompiledCors::ServerDefault({"https://app.example", "http://localhost:*"});
  ASSERT_TRUE(d.has_value());
  ASSERT_NE(*d, nullptr);
  CorsMatch m = Preflight(**d, "http://localhost:5173", "DELETE", "x-amz-date, authorization");
  EXPECT_TRUE(m.matched);
  EXPECT_EQ(m.allow_methods, "GET, PUT, POST, DELETE, HEAD");
  EXPECT_NE(m.expose_headers.find("ETag"), std::string::npos);
  EXPECT_FALSE(Actual(**d, "https://evil.example", "GET").matched);
  auto bad = CompiledCors::ServerDefault({"http://*.*"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("server.cors_allowed_origins"), std::string::npos);
}

TEST(CorsCodecTest, RoundTripsAndRefusesDamage) {
  CorsRule a = Rule({"GET", "PUT"}, {"https://*.example", "http://localhost:8080"});
  a.id = "web";
  a.allowed_headers = {"*"};
  a.expose_headers = {"ETag", "x-amz-version-id"};
  a.max_age_seconds = 3000;
  CorsRule b = Rule({"DELETE"}, {"*"});
  b.max_age_seconds = 0;
  CorsConfiguration c = Config({a, b, Rule({"HEAD"}, {"x"})});
  std::string enc = EncodeCorsConfiguration(c);
  auto dec = DecodeCorsConfiguration(enc);
  ASSERT_TRUE(dec.has_value());
  EXPECT_EQ(*dec, c);
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(DecodeCorsConfiguration(enc.substr(0, n)).has_value()) << n;
  }
  EXPECT_FALSE(DecodeCorsConfiguration(enc + "x").has_value());
  std::string bad_version = enc;
  bad_version[0] = 9;
  EXPECT_FALSE(DecodeCorsConfiguration(bad_version).has_value());
}

class EngineCorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(dir_.str());
    ASSERT_TRUE(engine_->CreateBucket({"web"}).ok());
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineCorsTest, PutGetDeleteAndMatch) {
  EXPECT_EQ(engine_->GetBucketCors("web").error().code(), Status::Code::kNoSuchCORSConfiguration);
  CorsRequest q;
  q.bucket = "web";
  q.origin = "https://app.example";
  q.method = "PUT";
  EXPECT_FALSE(engine_->MatchCors(q).configured);

  CorsRule r = Rule({"PUT", "GET"}, {"https://app.example"});
  r.expose_headers = {"ETag"};
  ASSERT_TRUE(engine_->PutBucketCors("web", Config({r})).ok());
  auto got = engine_->GetBucketCors("web");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Config({r}));
  CorsMatch m = engine_->MatchCors(q);
  EXPECT_TRUE(m.configured);
  EXPECT_TRUE(m.matched);
  EXPECT_EQ(m.expose_headers, "ETag");
  q.origin = "https://other.example";
  EXPECT_FALSE(engine_->MatchCors(q).matched);

  // An invalid configuration changes nothing.
  Status bad = engine_->PutBucketCors("web", Config({Rule({"TRACE"}, {"*"})}));
  EXPECT_EQ(bad.code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(*engine_->GetBucketCors("web"), Config({r}));

  ASSERT_TRUE(engine_->DeleteBucketCors("web").ok());
  EXPECT_EQ(engine_->GetBucketCors("web").error().code(), Status::Code::kNoSuchCORSConfiguration);
  EXPECT_TRUE(engine_->DeleteBucketCors("web").ok());  // none: still OK, as S3
  EXPECT_FALSE(engine_->MatchCors(q).configured);
}

TEST_F(EngineCorsTest, MissingBucketIsNoSuchBucket) {
  EXPECT_TRUE(engine_->PutBucketCors("nope", Config({Rule({"GET"}, {"*"})})).IsNoSuchBucket());
  EXPECT_TRUE(engine_->GetBucketCors("nope").error().IsNoSuchBucket());
  EXPECT_TRUE(engine_->DeleteBucketCors("nope").IsNoSuchBucket());
  CorsRequest q;
  q.bucket = "nope";
  q.origin = "o";
  q.method = "GET";
  EXPECT_FALSE(engine_->MatchCors(q).configured);
}

TEST_F(EngineCorsTest, RulesSurviveReopenAndGoWithTheBucket) {
  ASSERT_TRUE(engine_->PutBucketCors("web", Config({Rule({"GET"}, {"*"})})).ok());
  engine_.reset();
  engine_ = OpenOrDie(dir_.str());
  ASSERT_TRUE(engine_->GetBucketCors("web").has_value());

  ASSERT_TRUE(engine_->DeleteBucket("web").ok());
  EXPECT_TRUE(engine_->GetBucketCors("web").error().IsNoSuchBucket());
  // A new bucket of the same name starts without rules, also after a restart.
  ASSERT_TRUE(engine_->CreateBucket({"web"}).ok());
  EXPECT_EQ(engine_->GetBucketCors("web").error().code(), Status::Code::kNoSuchCORSConfiguration);
  engine_.reset();
  engine_ = OpenOrDie(dir_.str());
  EXPECT_EQ(engine_->GetBucketCors("web").error().code(), Status::Code::kNoSuchCORSConfiguration);
}

TEST(EngineCorsDefaultTest, ServerDefaultAppliesToBucketsWithoutRules) {
  TempDir dir;
  EngineOptions o;
  o.data_dir = dir.str();
  o.cors_allowed_origins = {"https://app.example"};
  auto opened = Engine::Open(o);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  Engine& e = **opened;
  ASSERT_TRUE(e.CreateBucket({"plain"}).ok());
  ASSERT_TRUE(e.CreateBucket({"own"}).ok());
  ASSERT_TRUE(e.PutBucketCors("own", Config({Rule({"GET"}, {"https://other.example"})})).ok());
  CorsRequest q;
  q.origin = "https://app.example";
  q.method = "PUT";
  q.bucket = "plain";
  EXPECT_TRUE(e.MatchCors(q).matched);
  q.bucket = "";  // ListBuckets and the IAM API
  EXPECT_TRUE(e.MatchCors(q).matched);
  q.bucket = "own";  // its own rules replace the default
  EXPECT_FALSE(e.MatchCors(q).matched);
  EXPECT_TRUE(e.MatchCors(q).configured);
  // The default is never reported as the bucket's configuration.
  EXPECT_EQ(e.GetBucketCors("plain").error().code(), Status::Code::kNoSuchCORSConfiguration);

  o.cors_allowed_origins = {"https://**"};
  TempDir other;
  o.data_dir = other.str();
  auto refused = Engine::Open(o);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Status::Code::kInvalidArgument);
}

// Matching and reading run from memory while rules change: every configuration read is one
// of those written, whole (a snapshot is replaced, never edited), and matching never fails.
TEST_F(EngineCorsTest, ConcurrentMatchAndPut) {
  CorsConfiguration a = Config({Rule({"GET"}, {"https://a.example"})});
  CorsConfiguration b = Config({Rule({"PUT"}, {"https://b.example"}), Rule({"GET"}, {"*"})});
  ASSERT_TRUE(engine_->PutBucketCors("web", a).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!stop) {
      CorsRequest q;
      q.bucket = "web";
      q.origin = "https://a.example";
      q.method = "GET";
      if (!engine_->MatchCors(q).matched) ++bad;  // both configurations allow this
      auto got = engine_->GetBucketCors("web");
      if (!got.has_value() || !(*got == a || *got == b)) ++bad;
      ++reads;
    }
  });
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(engine_->PutBucketCors("web", i % 2 ? a : b).ok());
  }
  stop = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace maxiofs::engine
