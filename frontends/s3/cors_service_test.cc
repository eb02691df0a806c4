// CORS through S3Service::Start against a real engine (no socket): Put/Get/DeleteBucketCors,
// preflights answered without credentials, and the Access-Control-* headers of actual
// requests on successes, on errors (404, 403) and on responses given after a request body.
#include "digest.h"
#include "encoding.h"
#include "s3_service.h"
#include "xml/xml_parser.h"

#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace maxiofs::s3 {
namespace {

struct Reply {
  int status = 0;
  HeaderList headers;
  std::string body;
  std::string Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
  bool Has(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.first == name) return true;
    }
    return false;
  }
  std::string Code() const {
    auto doc = ParseXml(body);
    return doc && doc->Child("Code") ? doc->Child("Code")->text : "";
  }
};

class CorsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("maxiofs_s3_cors_" + std::to_string(rd()) + std::to_string(rd()));
    engine::EngineOptions o;
    o.data_dir = dir_.string();
    o.sync = false;
    o.cors_allowed_origins = DefaultOrigins();
    auto e = engine::Engine::Open(o);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
    service_ = std::make_unique<S3Service>(*engine_, ServiceOptions{});
    engine::CreateBucketRequest cb;
    cb.bucket = "web";
    cb.canned_acl = "public-read-write";
    ASSERT_TRUE(engine_->CreateBucket(cb).ok());
  }
  void TearDown() override {
    service_.reset();
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  virtual std::vector<std::string> DefaultOrigins() const { return {}; }

  // An anonymous request (no credentials): CORS never needs any. The body, if any, is fed whole.
  Reply Run(std::string method, std::string target, HeaderList headers = {},
            std::string body = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    r.headers.emplace_back("host", "localhost");
    r.request_id = "RID";
    r.remote = "127.0.0.1:1";
    if (!body.empty() || r.method == "PUT") r.content_length = body.size();
    http::StartedRequest started = service_->Start(r, std::chrono::system_clock::now());
    Response resp = std::move(started.response);
    if (started.body) {
      auto early = started.body->Feed(body);
      resp = early ? std::move(*early) : started.body->Finish();
    }
    Reply out;
    out.status = resp.status;
    out.headers = std::move(resp.headers);
    out.body = std::move(resp.body);
    return out;
  }

  void PutRules(const std::string& bucket, const std::string& xml) {
    engine::CorsConfiguration c;
    auto doc = ParseXml(xml);
    ASSERT_TRUE(doc);
    for (const XmlElement& rule : doc->children) {
      engine::CorsRule r;
      for (const XmlElement& e : rule.children) {
        if (e.name == "AllowedMethod") r.allowed_methods.push_back(e.text);
        if (e.name == "AllowedOrigin") r.allowed_origins.push_back(e.text);
        if (e.name == "AllowedHeader") r.allowed_headers.push_back(e.text);
        if (e.name == "ExposeHeader") r.expose_headers.push_back(e.text);
        if (e.name == "MaxAgeSeconds") r.max_age_seconds = std::stoi(e.text);
      }
      c.rules.push_back(std::move(r));
    }
    ASSERT_TRUE(engine_->PutBucketCors(bucket, c).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<S3Service> service_;
};

constexpr std::string_view kRules =
    "<CORSConfiguration>"
    "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
    "<AllowedOrigin>https://app.example</AllowedOrigin><AllowedHeader>content-type"
    "</AllowedHeader><AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
    "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>"
    "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>"
    "</CORSConfiguration>";

TEST_F(CorsServiceTest, PreflightAnswersWithoutCredentials) {
  // No rules anywhere: CORS is not enabled.
  Reply none = Run("OPTIONS", "/web/photo.jpg",
                   {{"origin", "https://app.example"}, {"access-control-request-method", "GET"}});
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.Code(), "AccessForbidden");
  EXPECT_NE(none.body.find("CORS is not enabled for this bucket"), std::string::npos);

  PutRules("web", std::string(kRules));
  Reply ok = Run("OPTIONS", "/web/photo.jpg",
                 {{"origin", "https://app.example"},
                  {"access-control-request-method", "PUT"},
                  {"access-control-request-headers", "Content-Type, X-Amz-Date"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "");
  EXPECT_EQ(ok.Header("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(ok.Header("Access-Control-Allow-Methods"), "GET, PUT");
  EXPECT_EQ(ok.Header("Access-Control-Allow-Headers"), "content-type, x-amz-date");
  EXPECT_EQ(ok.Header("Access-Control-Expose-Headers"), "ETag");
  EXPECT_EQ(ok.Header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(ok.Header("Access-Control-Allow-Credentials"), "true");
  EXPECT_NE(ok.Header("Vary").find("Origin"), std::string::npos);

  // The bucket path, and a presigned-looking query, are preflighted the same way.
  EXPECT_EQ(Run("OPTIONS", "/web",
                {{"origin", "https://x.example"}, {"access-control-request-method", "GET"}})
                .Header("Access-Control-Allow-Origin"),
            "*");
  EXPECT_EQ(Run("OPTIONS", "/web/k?X-Amz-Signature=abc&X-Amz-Credential=x",
                {{"origin", "https://app.example"}, {"access-control-request-method", "GET"}})
                .status,
            200);

  Reply no_match =
      Run("OPTIONS", "/web/photo.jpg",
          {{"origin", "https://evil.example"}, {"access-control-request-method", "PUT"}});
  EXPECT_EQ(no_match.status, 403);
  EXPECT_EQ(no_match.Code(), "AccessForbidden");
  EXPECT_NE(no_match.body.find("This CORS request is not allowed"), std::string::npos);
  EXPECT_FALSE(no_match.Has("Access-Control-Allow-Origin"));
  // A header the rule does not allow.
  EXPECT_EQ(Run("OPTIONS", "/web/k",
                {{"origin", "https://app.example"},
                 {"access-control-request-method", "PUT"},
                 {"access-control-request-headers", "authorization"}})
                .status,
            403);

  Reply no_origin = Run("OPTIONS", "/web/k", {{"access-control-request-method", "GET"}});
  EXPECT_EQ(no_origin.status, 400);
  EXPECT_EQ(no_origin.Code(), "BadRequest");
  EXPECT_EQ(Run("OPTIONS", "/web/k", {{"origin", "https://app.example"}}).status, 400);
  EXPECT_EQ(Run("OPTIONS", "/web/k",
                {{"origin", "https://app.example"}, {"access-control-request-method", "PATCH"}})
                .Code(),
            "BadRequest");
}

TEST_F(CorsServiceTest, ActualRequestsCarryTheHeadersErrorsIncluded) {
  PutRules("web", std::string(kRules));
  // A successful PUT (anonymous, the bucket is public-read-write) through its request body.
  Reply put = Run("PUT", "/web/a.txt", {{"origin", "https://app.example"}}, "hello");
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.Header("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(put.Header("Access-Control-Expose-Headers"), "ETag");
  EXPECT_TRUE(put.Has("ETag"));
  EXPECT_TRUE(put.Has("Vary"));

  // A 403 carries them too (public-read-write grants no object reads), so the page can read
  // the error; another origin matches only the "*" rule.
  Reply denied = Run("GET", "/web/a.txt", {{"origin", "https://app.example"}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Code(), "AccessDenied");
  EXPECT_EQ(denied.Header("Access-Control-Allow-Origin"), "https://app.example");
  Reply other = Run("GET", "/web/a.txt", {{"origin", "https://other.example"}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.Header("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(other.Has("Access-Control-Allow-Credentials"));

  // And a 404, once a policy lets anyone read.
  ASSERT_TRUE(engine_->iam()
                  .PutBucketPolicy("web", R"({"Version":"2012-10-17","Statement":[{"Effect":)"
                                          R"("Allow","Principal":"*","Action":"s3:GetObject",)"
                                          R"("Resource":"arn:aws:s3:::web/*"}]})")
                  .ok());
  Reply missing = Run("GET", "/web/none", {{"origin", "https://app.example"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("Access-Control-Allow-Origin"), "https://app.example");
  Reply got = Run("GET", "/web/a.txt", {{"origin", "https://app.example"}});
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.Header("Access-Control-Allow-Origin"), "https://app.example");

  // No rule for DELETE: no Access-Control-* headers, but Vary (the answer depends on Origin).
  Reply del = Run("DELETE", "/web/a.txt", {{"origin", "https://app.example"}});
  EXPECT_FALSE(del.Has("Access-Control-Allow-Origin"));
  EXPECT_TRUE(del.Has("Vary"));

  // Access-Control-Request-Method on an actual request picks the method matched (as S3).
  Reply asked = Run("DELETE", "/web/a.txt",
                    {{"origin", "https://app.example"}, {"access-control-request-method", "GET"}});
  EXPECT_EQ(asked.Header("Access-Control-Allow-Origin"), "https://app.example");

  // Without Origin: nothing CORS at all.
  Reply plain = Run("GET", "/web/a.txt");
  EXPECT_FALSE(plain.Has("Access-Control-Allow-Origin"));
  EXPECT_FALSE(plain.Has("Vary"));

  // A bucket without rules and no server default: nothing.
  ASSERT_TRUE(engine_->CreateBucket({"plain"}).ok());
  Reply other_bucket = Run("GET", "/plain/k", {{"origin", "https://app.example"}});
  EXPECT_FALSE(other_bucket.Has("Access-Control-Allow-Origin"));
  EXPECT_FALSE(other_bucket.Has("Vary"));
}

TEST_F(CorsServiceTest, BucketCorsOperationsThroughTheService) {
  // Unauthenticated Put/Get/Delete are refused (the bucket's ACL grants object writes only).
  EXPECT_EQ(Run("GET", "/web?cors").Code(), "AccessDenied");
  EXPECT_EQ(Run("DELETE", "/web?cors").Code(), "AccessDenied");
}

class CorsDefaultServiceTest : public CorsServiceTest {
 protected:
  std::vector<std::string> DefaultOrigins() const override { return {"http://localhost:*"}; }
};

TEST_F(CorsDefaultServiceTest, ServerDefaultCoversBucketsWithoutRulesAndTheService) {
  Reply pre = Run("OPTIONS", "/web/k",
                  {{"origin", "http://localhost:5173"},
                   {"access-control-request-method", "DELETE"},
                   {"access-control-request-headers", "authorization, x-amz-date"}});
  EXPECT_EQ(pre.status, 200);
  EXPECT_EQ(pre.Header("Access-Control-Allow-Methods"), "GET, PUT, POST, DELETE, HEAD");
  EXPECT_EQ(pre.Header("Access-Control-Allow-Headers"), "authorization, x-amz-date");
  EXPECT_EQ(Run("OPTIONS", "/",
                {{"origin", "http://localhost:3000"}, {"access-control-request-method", "GET"}})
                .status,
            200);
  Reply list = Run("GET", "/", {{"origin", "http://localhost:3000"}});
  EXPECT_EQ(list.status, 403);  // anonymous ListBuckets is never allowed...
  EXPECT_EQ(list.Header("Access-Control-Allow-Origin"), "http://localhost:3000");  // ...readably
  EXPECT_NE(list.Header("Access-Control-Expose-Headers").find("ETag"), std::string::npos);
  EXPECT_EQ(Run("OPTIONS", "/web/k",
                {{"origin", "https://elsewhere.example"}, {"access-control-request-method", "GET"}})
                .status,
            403);
  // A bucket's own rules replace the default.
  PutRules("web",
           "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
           "<AllowedOrigin>https://only.example</AllowedOrigin></CORSRule>"
           "</CORSConfiguration>");
  EXPECT_EQ(Run("OPTIONS", "/web/k",
                {{"origin", "http://localhost:5173"}, {"access-control-request-method", "GET"}})
                .status,
            403);
}

}  // namespace
}  // namespace maxiofs::s3
