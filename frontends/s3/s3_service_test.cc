// S3Service::Start end to end against a real engine, without a socket: credentials come from
// Engine::iam() (unknown, expired and deactivated keys answer in S3's words) and anonymous
// requests are authorized by the engine (allowed only by a public bucket policy).
#include "s3_service.h"

#include "headers.h"
#include "xml/xml_parser.h"

#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace maxiofs::s3 {
namespace {

constexpr int64_t kSec = 1'000'000'000;

class S3ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("maxiofs_s3_service_" + std::to_string(rd()) + std::to_string(rd()));
    engine::EngineOptions o;
    o.data_dir = dir_.string();
    o.sync = false;
    o.iam.root_access_key = "ROOTKEY";
    o.iam.root_secret_key = "rootsecret";
    auto e = engine::Engine::Open(o);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
    ServiceOptions so;
    so.access_key = "ROOTKEY";
    service_ = std::make_unique<S3Service>(*engine_, so);
    now_ = std::chrono::system_clock::now();
    now_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(now_.time_since_epoch()).count();
    ASSERT_TRUE(engine_->CreateBucket(engine::CreateBucketRequest{"bkt"}).ok());
  }
  void TearDown() override {
    service_.reset();
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A GET signed (SigV2 header form) by `access_key`; the signature itself is never reached
  // when the key cannot sign, which is what these tests look at.
  HttpRequest SignedGet(std::string_view access_key, std::chrono::system_clock::time_point at) {
    HttpRequest r;
    r.method = "GET";
    r.target = "/bkt/k";
    r.request_id = "RID";
    r.remote = "127.0.0.1:1234";
    const int64_t at_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
    r.headers = {{"host", "localhost"},
                 {"date", FormatHttpDate(at_ns)},
                 {"authorization", "AWS " + std::string(access_key) + ":c2lnbmF0dXJl"}};
    return r;
  }

  struct Answer {
    int status = 0;
    std::string code;
  };
  Answer Run(const HttpRequest& r, std::chrono::system_clock::time_point at) {
    http::StartedRequest started = service_->Start(r, at);
    EXPECT_EQ(started.body, nullptr);
    Answer a;
    a.status = started.response.status;
    auto doc = ParseXml(started.response.body);
    if (doc && doc->Child("Code") != nullptr) a.code = doc->Child("Code")->text;
    return a;
  }

  std::filesystem::path dir_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<S3Service> service_;
  std::chrono::system_clock::time_point now_;
  int64_t now_ns_ = 0;
};

TEST_F(S3ServiceTest, UnknownKeyIsInvalidAccessKeyId) {
  Answer a = Run(SignedGet("AKIANOSUCHKEY0000000", now_), now_);
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(a.code, "InvalidAccessKeyId");
  // A known key reaches the signature check.
  Answer root = Run(SignedGet("ROOTKEY", now_), now_);
  EXPECT_EQ(root.code, "SignatureDoesNotMatch");
}

TEST_F(S3ServiceTest, ExpiredTemporaryCredentialsAreExpiredToken) {
  ASSERT_TRUE(engine_->iam().CreateUser("temp").has_value());
  auto key = engine_->iam().CreateAccessKey("temp");
  ASSERT_TRUE(key.has_value());
  auto cred = engine_->iam().LookupCredential(key->access_key, now_ns_);
  ASSERT_TRUE(cred.has_value());
  engine::SessionRequest sr;
  sr.caller = cred->principal;
  sr.duration_s = 900;
  auto session = engine_->iam().CreateSession(sr, now_ns_);
  ASSERT_TRUE(session.has_value()) << session.error().ToString();

  // Within its lifetime the key is known (the fake signature is what fails).
  EXPECT_EQ(Run(SignedGet(session->access_key, now_), now_).code, "SignatureDoesNotMatch");
  // One second past the expiry: ExpiredToken 400, whatever the signature.
  const auto later = now_ + std::chrono::seconds(901);
  Answer a = Run(SignedGet(session->access_key, later), later);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.code, "ExpiredToken");
}

TEST_F(S3ServiceTest, DeactivatedKeyIsRefusedAtOnce) {
  ASSERT_TRUE(engine_->iam().CreateUser("u").has_value());
  auto key = engine_->iam().CreateAccessKey("u");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(Run(SignedGet(key->access_key, now_), now_).code, "SignatureDoesNotMatch");
  ASSERT_TRUE(engine_->iam()
                  .SetAccessKeyStatus("u", key->access_key, engine::AccessKeyStatus::kInactive)
                  .ok());
  EXPECT_EQ(Run(SignedGet(key->access_key, now_), now_).code, "InvalidAccessKeyId");
}

TEST_F(S3ServiceTest, AnonymousRequestsAreAuthorizedByTheEngine) {
  engine::PutObjectRequest put;
  put.bucket = "bkt";
  put.key = "k";
  auto w = engine_->BeginPut(put);
  ASSERT_TRUE(w.has_value());
  const std::string data = "data";
  ASSERT_TRUE(w.value()->Append(std::span<const char>(data.data(), data.size())).ok());
  ASSERT_TRUE(w.value()->Commit().has_value());

  HttpRequest anon;
  anon.method = "GET";
  anon.target = "/bkt/k";
  anon.request_id = "RID";
  anon.headers = {{"host", "localhost"}};
  Answer denied = Run(anon, now_);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.code, "AccessDenied");

  ASSERT_TRUE(engine_->iam()
                  .PutBucketPolicy("bkt", R"({"Version":"2012-10-17","Statement":[{"Effect":)"
                                          R"("Allow","Principal":"*","Action":"s3:GetObject",)"
                                          R"("Resource":"arn:aws:s3:::bkt/*"}]})")
                  .ok());
  http::StartedRequest ok = service_->Start(anon, now_);
  EXPECT_EQ(ok.response.status, 200);
  // Listing is still not allowed: the policy grants GetObject only.
  anon.target = "/bkt";
  EXPECT_EQ(Run(anon, now_).code, "AccessDenied");
}

// auth.enabled: false: a request without credentials acts as root; signed ones are still checked.
TEST_F(S3ServiceTest, AnonymousAsRootServesUnsignedRequestsAsRoot) {
  ServiceOptions so;
  so.access_key = "ROOTKEY";
  so.anonymous_as_root = true;
  service_ = std::make_unique<S3Service>(*engine_, so);
  HttpRequest anon;
  anon.method = "GET";
  anon.target = "/bkt";
  anon.request_id = "RID";
  anon.headers = {{"host", "localhost"}};
  http::StartedRequest listed = service_->Start(anon, now_);
  EXPECT_EQ(listed.response.status, 200) << listed.response.body;
  EXPECT_EQ(listed.user, "ROOTKEY");
  anon.method = "DELETE";
  EXPECT_EQ(service_->Start(anon, now_).response.status, 204);  // root may delete the bucket
  EXPECT_EQ(engine_->HeadBucket("bkt").error().code(), Status::Code::kNoSuchBucket);
  // A signature is still verified.
  Answer bad = Run(SignedGet("ROOTKEY", now_), now_);
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(bad.code, "SignatureDoesNotMatch");
}

}  // namespace
}  // namespace maxiofs::s3
