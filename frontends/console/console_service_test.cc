// ConsoleService against a real engine in a temp dir, without the network: routing,
// authentication (cookie, expiry), CSRF and Origin checks, login rate limiting, streamed
// upload and ranged download, and asset serving.
#include "console_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace maxiofs::console {
namespace {

using Clock = std::chrono::system_clock;

class ConsoleServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/console_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    engine::EngineOptions eo;
    eo.data_dir = dir_;
    eo.sync = false;
    eo.iam.root_access_key = "admin";
    eo.iam.root_secret_key = "secret-password";
    auto opened = engine::Engine::Open(eo);
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    engine_ = std::move(opened).value();
    options_.access_key = "admin";
    options_.secret_key = "secret-password";
    options_.data_dir = dir_;
    options_.login_attempts_per_minute = 3;
    options_.version = "9.9.9";
    service_ = std::make_unique<ConsoleService>(*engine_, options_, hooks_, "k", assets_);
  }
  void TearDown() override {
    service_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  struct Reply {
    int status = 0;
    http::HeaderList headers;
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
    std::string Header(std::string_view name) const {
      for (const auto& [k, v] : headers) {
        if (k == name) return v;
      }
      return {};
    }
  };

  Reply Call(const std::string& method, const std::string& target, const std::string& body = {},
             http::HeaderList headers = {}, Clock::time_point now = Clock::now()) {
    http::HttpRequest req;
    req.method = method;
    req.target = target;
    req.remote = "127.0.0.1:4000";
    req.request_id = "rid";
    req.headers = std::move(headers);
    req.headers.emplace_back("host", "console.test:8081");
    if (!cookie_.empty()) req.headers.emplace_back("cookie", "maxiofs_session=" + cookie_);
    if (!body.empty()) req.content_length = body.size();
    http::StartedRequest started = service_->Start(req, now);
    http::Response response;
    if (started.body) {
      std::optional<http::Response> early;
      // Two chunks, as the server would hand them over.
      early = started.body->Feed(std::string_view(body).substr(0, body.size() / 2));
      if (!early) early = started.body->Feed(std::string_view(body).substr(body.size() / 2));
      response = early ? std::move(*early) : started.body->Finish();
    } else {
      response = std::move(started.response);
    }
    service_->DecorateResponse(req, response.headers);  // as the server does
    Reply reply{response.status, response.headers, response.body};
    if (response.source) {
      std::string buf(7, '\0');  // small reads: the stream is read in pieces
      for (;;) {
        auto n = response.source->Read(buf);
        EXPECT_TRUE(n.has_value());
        if (!n.has_value() || *n == 0) break;
        reply.body.append(buf.data(), *n);
      }
    }
    return reply;
  }

  void Login(const std::string& user = "admin", const std::string& password = "secret-password") {
    cookie_.clear();
    Reply r = Call("POST", "/api/v1/auth/login",
                   nlohmann::json{{"user", user}, {"password", password}}.dump(),
                   {{"content-type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string set_cookie = r.Header("Set-Cookie");
    ASSERT_EQ(set_cookie.rfind("maxiofs_session=", 0), 0u);
    cookie_ = set_cookie.substr(16, set_cookie.find(';') - 16);
    csrf_ = r.json()["csrfToken"];
  }

  http::HeaderList Csrf() {
    return {{"x-csrf-token", csrf_}, {"content-type", "application/json"}};
  }

  std::string dir_;
  std::unique_ptr<engine::Engine> engine_;
  ConsoleOptions options_;
  ConsoleHooks hooks_;
  const std::string index_gz_ = std::string("\x1f\x8b", 2);
  const std::array<Asset, 1> assets_ = {
      Asset{"/index.html", "text/html; charset=utf-8", "\"i\"", index_gz_, 1}};
  std::unique_ptr<ConsoleService> service_;
  std::string cookie_;
  std::string csrf_;
};

TEST_F(ConsoleServiceTest, EveryApiRouteNeedsASession) {
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/buckets"},
                                                        {"POST", "/api/v1/buckets"},
                                                        {"GET", "/api/v1/system/info"},
                                                        {"GET", "/api/v1/auth/me"},
                                                        {"DELETE", "/api/v1/buckets/b?confirm=b"},
                                                        {"GET", "/api/v1/buckets/b/download?key=k"},
                                                        {"GET", "/api/v1/no/such/route"}}) {
    Reply r = Call(method, target);
    EXPECT_EQ(r.status, 401) << method << " " << target;
    EXPECT_EQ(r.json()["error"]["code"], "Unauthenticated");
    EXPECT_EQ(r.Header("X-Request-Id"), "rid");
  }
}

TEST_F(ConsoleServiceTest, LoginSetsHttpOnlyStrictCookie) {
  Reply bad = Call("POST", "/api/v1/auth/login", R"({"accessKey":"admin","secretKey":"nope"})",
                   {{"content-type", "application/json"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Header("Set-Cookie"), "");
  Reply r =
      Call("POST", "/api/v1/auth/login", R"({"accessKey":"admin","secretKey":"secret-password"})",
           {{"content-type", "application/json"}});
  ASSERT_EQ(r.status, 200);
  const std::string c = r.Header("Set-Cookie");
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(c.find("Max-Age=3600"), std::string::npos);
  EXPECT_EQ(r.json()["user"], "admin");
  EXPECT_EQ(r.body.find("secret-password"), std::string::npos);
}

// auth.enabled: false: any login is root; the session and CSRF rules stay.
TEST_F(ConsoleServiceTest, WithoutRequiredLoginAnyLoginIsRoot) {
  options_.login_required = false;
  service_ = std::make_unique<ConsoleService>(*engine_, options_, hooks_, "k", assets_);
  Login("someone", "anything at all");
  Reply me = Call("GET", "/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["kind"], "root");
  EXPECT_EQ(me.json()["user"], "admin");
  EXPECT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"photos"})",
                 {{"content-type", "application/json"}})
                .status,
            403);  // still no state change without the CSRF token
  EXPECT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"photos"})", Csrf()).status, 201);
}

TEST_F(ConsoleServiceTest, LoginNeedsJson) {
  Reply r = Call("POST", "/api/v1/auth/login", "accessKey=admin&secretKey=secret-password",
                 {{"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 415);
}

TEST_F(ConsoleServiceTest, FailedLoginsAreRateLimited) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Call("POST", "/api/v1/auth/login", R"({"accessKey":"admin","secretKey":"x"})",
                   {{"content-type", "application/json"}})
                  .status,
              401);
  }
  Reply r =
      Call("POST", "/api/v1/auth/login", R"({"accessKey":"admin","secretKey":"secret-password"})",
           {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.Header("Retry-After").empty());
}

TEST_F(ConsoleServiceTest, StateChangesNeedCsrfTokenAndSameOrigin) {
  Login();
  const std::string body = R"({"name":"photos"})";
  Reply no_token = Call("POST", "/api/v1/buckets", body, {{"content-type", "application/json"}});
  EXPECT_EQ(no_token.status, 403);
  EXPECT_EQ(no_token.json()["error"]["code"], "InvalidCsrfToken");
  Reply wrong = Call("POST", "/api/v1/buckets", body, {{"x-csrf-token", "0000"}});
  EXPECT_EQ(wrong.status, 403);
  http::HeaderList cross = Csrf();
  cross.emplace_back("origin", "http://evil.example");
  EXPECT_EQ(Call("POST", "/api/v1/buckets", body, cross).status, 403);
  EXPECT_FALSE(engine_->HeadBucket("photos").has_value());  // nothing changed
  http::HeaderList same = Csrf();
  same.emplace_back("origin", "http://console.test:8081");
  Reply ok = Call("POST", "/api/v1/buckets", body, same);
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_TRUE(engine_->HeadBucket("photos").has_value());
}

TEST_F(ConsoleServiceTest, ExpiredAndLoggedOutSessionsAreRefused) {
  Login();
  EXPECT_EQ(Call("GET", "/api/v1/auth/me").status, 200);
  Reply later = Call("GET", "/api/v1/auth/me", {}, {}, Clock::now() + std::chrono::hours(2));
  EXPECT_EQ(later.status, 401);
  EXPECT_EQ(later.json()["error"]["message"], "session expired");
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", {}, Csrf()).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/auth/me").status, 401);
}

TEST_F(ConsoleServiceTest, SessionIsRenewedAfterHalfItsLife) {
  Login();
  Reply fresh = Call("GET", "/api/v1/auth/me");
  EXPECT_EQ(fresh.Header("Set-Cookie"), "");
  Reply half = Call("GET", "/api/v1/auth/me", {}, {}, Clock::now() + std::chrono::minutes(31));
  EXPECT_EQ(half.status, 200);
  EXPECT_EQ(half.Header("Set-Cookie").rfind("maxiofs_session=", 0), 0u);
}

TEST_F(ConsoleServiceTest, UploadStreamsAndDownloadHonoursRange) {
  Login();
  ASSERT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"docs"})", Csrf()).status, 201);
  http::HeaderList up = Csrf();
  up.back() = {"content-type", "text/plain"};
  Reply put =
      Call("PUT", "/api/v1/buckets/docs/upload?key=dir%2Fhello%20world.txt", "hello console", up);
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.json()["size"], 13);
  Reply get = Call("GET", "/api/v1/buckets/docs/download?key=dir%2Fhello%20world.txt");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello console");
  EXPECT_NE(get.Header("Content-Disposition").find("attachment"), std::string::npos);
  Reply range = Call("GET", "/api/v1/buckets/docs/download?key=dir%2Fhello%20world.txt", {},
                     {{"range", "bytes=6-12"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, "console");
  EXPECT_EQ(range.Header("Content-Range"), "bytes 6-12/13");
  Reply list = Call("GET", "/api/v1/buckets/docs/objects?prefix=&delimiter=%2F");
  EXPECT_EQ(list.json()["prefixes"][0], "dir/");
  Reply missing = Call("GET", "/api/v1/buckets/docs/download?key=nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["code"], "NoSuchKey");
}

TEST_F(ConsoleServiceTest, UploadWithoutCsrfWritesNothing) {
  Login();
  ASSERT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"docs"})", Csrf()).status, 201);
  EXPECT_EQ(Call("PUT", "/api/v1/buckets/docs/upload?key=x", "data").status, 403);
  engine::HeadObjectRequest head;
  head.bucket = "docs";
  head.key = "x";
  EXPECT_FALSE(engine_->HeadObject(head).has_value());
}

TEST_F(ConsoleServiceTest, BadInputGetsJsonErrors) {
  Login();
  EXPECT_EQ(Call("POST", "/api/v1/buckets", "{not json", Csrf()).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"x","objectLock":"yes"})", Csrf()).status,
            400);
  Reply bad_name = Call("POST", "/api/v1/buckets", R"({"name":"Bad_Name"})", Csrf());
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_EQ(bad_name.json()["error"]["code"], "InvalidBucketName");
  EXPECT_EQ(Call("GET", "/api/v1/no/such").status, 404);
  EXPECT_EQ(Call("PATCH", "/api/v1/buckets", {}, Csrf()).status, 405);
  EXPECT_EQ(Call("GET", "/api/v1/buckets/nope/objects").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/buckets/nope/objects?limit=0").status, 400);
  EXPECT_EQ(Call("GET", "/api%zz").status, 400);
}

TEST_F(ConsoleServiceTest, AssetsAndClientRoutes) {
  EXPECT_EQ(Call("GET", "/").status, 200);
  EXPECT_EQ(Call("GET", "/buckets/x").status, 200);
  EXPECT_EQ(Call("GET", "/assets/nope.js").status, 404);
  EXPECT_EQ(Call("GET", "/%2e%2e/%2e%2e/etc/passwd").status, 404);
  EXPECT_EQ(Call("POST", "/").status, 405);
}

// --- IAM users in the console ---------------------------------------------------------------

// A user "reader" with a console password and a policy allowing only listing and reading
// bucket "docs" (which root creates with one object).
class ConsoleIamTest : public ConsoleServiceTest {
 protected:
  void SetUp() override {
    ConsoleServiceTest::SetUp();
    Login();
    ASSERT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"docs"})", Csrf()).status, 201);
    ASSERT_EQ(Call("PUT", "/api/v1/buckets/docs/upload?key=a.txt", "hello", Csrf()).status, 201);
    Reply user = Call("POST", "/api/v1/users", R"({"name":"reader"})", Csrf());
    ASSERT_EQ(user.status, 201) << user.body;
    ASSERT_EQ(
        Call("PUT", "/api/v1/users/reader/password", R"({"password":"reader-pass-1"})", Csrf())
            .status,
        200);
    const std::string policy =
        nlohmann::json{
            {"name", "docs-read"},
            {"document", R"({"Version":"2012-10-17","Statement":[)"
                         R"({"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},)"
                         R"({"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],)"
                         R"("Resource":["arn:aws:s3:::docs","arn:aws:s3:::docs/*"]}]})"}}
            .dump();
    Reply created = Call("POST", "/api/v1/policies", policy, Csrf());
    ASSERT_EQ(created.status, 201) << created.body;
    ASSERT_EQ(Call("PUT", "/api/v1/users/reader/policies/docs-read", {}, Csrf()).status, 200);
  }
};

TEST_F(ConsoleIamTest, UserLogsInWithNameAndPassword) {
  Login("reader", "reader-pass-1");
  Reply me = Call("GET", "/api/v1/auth/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["user"], "reader");
  EXPECT_EQ(me.json()["kind"], "user");
  EXPECT_EQ(me.json()["permissions"]["iam"], false);
  cookie_.clear();
  Reply wrong = Call("POST", "/api/v1/auth/login", R"({"user":"reader","password":"nope-nope"})",
                     {{"content-type", "application/json"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json()["error"]["code"], "InvalidCredentials");
  Reply nobody = Call("POST", "/api/v1/auth/login", R"({"user":"ghost","password":"whatever1"})",
                      {{"content-type", "application/json"}});
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(nobody.json()["error"]["message"], wrong.json()["error"]["message"]);
}

TEST_F(ConsoleIamTest, RootSessionSaysSoAndMayManageIam) {
  Reply me = Call("GET", "/api/v1/auth/me");
  EXPECT_EQ(me.json()["kind"], "root");
  EXPECT_EQ(me.json()["permissions"]["iam"], true);
  EXPECT_EQ(me.json()["permissions"]["config"], true);
}

TEST_F(ConsoleIamTest, RootSessionEndsWhenTheRootKeyChanges) {
  EXPECT_EQ(Call("GET", "/api/v1/buckets").status, 200);
  options_.access_key = "new-admin";  // as after a restart with other credentials
  Reply r = Call("GET", "/api/v1/buckets");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"]["code"], "Unauthenticated");
  EXPECT_EQ(r.Header("Set-Cookie").rfind("maxiofs_session=;", 0), 0u);
}

TEST_F(ConsoleIamTest, PoliciesLimitWhatAUserMayDo) {
  Login("reader", "reader-pass-1");
  EXPECT_EQ(Call("GET", "/api/v1/buckets").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/objects").status, 200);
  Reply get = Call("GET", "/api/v1/buckets/docs/download?key=a.txt");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello");
  Reply put = Call("PUT", "/api/v1/buckets/docs/upload?key=b.txt", "nope", Csrf());
  EXPECT_EQ(put.status, 403);
  EXPECT_EQ(put.json()["error"]["code"], "AccessDenied");
  EXPECT_EQ(Call("DELETE", "/api/v1/buckets/docs/object?key=a.txt", {}, Csrf()).status, 403);
  Reply many = Call("POST", "/api/v1/buckets/docs/delete", R"({"keys":["a.txt"]})", Csrf());
  ASSERT_EQ(many.status, 200);
  EXPECT_EQ(many.json()["errors"][0]["code"], "AccessDenied");
  EXPECT_EQ(Call("POST", "/api/v1/buckets", R"({"name":"other"})", Csrf()).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/users").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/users", R"({"name":"evil"})", Csrf()).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/system/config").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/system/info").status, 200);
  // Nothing changed.
  engine::HeadObjectRequest head;
  head.bucket = "docs";
  head.key = "a.txt";
  EXPECT_TRUE(engine_->HeadObject(head).has_value());
  head.key = "b.txt";
  EXPECT_FALSE(engine_->HeadObject(head).has_value());
  EXPECT_FALSE(engine_->HeadBucket("other").has_value());
  EXPECT_FALSE(engine_->iam().GetUser("evil").has_value());
}

TEST_F(ConsoleIamTest, DisabledOrDeletedUserIsLoggedOutAtOnce) {
  Login("reader", "reader-pass-1");
  const std::string reader_cookie = cookie_;
  EXPECT_EQ(Call("GET", "/api/v1/auth/me").status, 200);
  ASSERT_TRUE(engine_->iam().SetUserEnabled("reader", false).ok());
  Reply r = Call("GET", "/api/v1/buckets");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"]["code"], "Unauthenticated");
  ASSERT_TRUE(engine_->iam().SetUserEnabled("reader", true).ok());
  EXPECT_EQ(Call("GET", "/api/v1/buckets").status, 200);  // the same token works again
  ASSERT_TRUE(engine_->iam().DeleteUser("reader", /*force=*/true).ok());
  EXPECT_EQ(Call("GET", "/api/v1/auth/me").status, 401);
  // And a disabled user cannot log in.
  ASSERT_TRUE(engine_->iam().CreateUser("reader").has_value());
  ASSERT_TRUE(engine_->iam().SetConsolePassword("reader", "reader-pass-1").ok());
  ASSERT_TRUE(engine_->iam().SetUserEnabled("reader", false).ok());
  cookie_.clear();
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", R"({"user":"reader","password":"reader-pass-1"})",
                 {{"content-type", "application/json"}})
                .status,
            401);
}

TEST_F(ConsoleIamTest, UsersKeysGroupsAndPoliciesRoundTrip) {
  Reply list = Call("GET", "/api/v1/users");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["users"][0]["name"], "reader");
  EXPECT_EQ(list.json()["users"][0]["policies"][0], "docs-read");
  EXPECT_EQ(list.json()["users"][0]["hasPassword"], true);
  Reply key = Call("POST", "/api/v1/users/reader/keys", {}, Csrf());
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string access_key = key.json()["accessKey"];
  EXPECT_FALSE(key.json()["secretKey"].get<std::string>().empty());
  Reply keys = Call("GET", "/api/v1/users/reader/keys");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.json()["keys"][0]["accessKey"], access_key);
  EXPECT_FALSE(keys.json()["keys"][0].contains("secretKey"));  // shown once only
  EXPECT_EQ(
      Call("PUT", "/api/v1/users/reader/keys/" + access_key, R"({"status":"Inactive"})", Csrf())
          .status,
      200);
  EXPECT_EQ(Call("GET", "/api/v1/users/reader/keys").json()["keys"][0]["status"], "Inactive");
  EXPECT_EQ(
      Call("PUT", "/api/v1/users/reader/keys/" + access_key, R"({"status":"off"})", Csrf()).status,
      400);
  ASSERT_EQ(Call("POST", "/api/v1/groups", R"({"name":"team"})", Csrf()).status, 201);
  Reply member = Call("PUT", "/api/v1/groups/team/members/reader", {}, Csrf());
  ASSERT_EQ(member.status, 200) << member.body;
  EXPECT_EQ(member.json()["members"][0], "reader");
  EXPECT_EQ(Call("GET", "/api/v1/users/reader").json()["groups"][0], "team");
  // Attached: the policy cannot be deleted.
  Reply busy = Call("DELETE", "/api/v1/policies/docs-read", {}, Csrf());
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(busy.json()["error"]["code"], "DeleteConflict");
  Reply bad_doc =
      Call("PUT", "/api/v1/policies/docs-read", R"({"document":"{\"Version\":1}"})", Csrf());
  EXPECT_EQ(bad_doc.status, 400);
  EXPECT_EQ(bad_doc.json()["error"]["code"], "MalformedPolicy");
  Reply gone = Call("DELETE", "/api/v1/users/reader?force=1", {}, Csrf());
  EXPECT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(Call("GET", "/api/v1/users/reader").status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/policies/docs-read", {}, Csrf()).status, 200);
}

TEST_F(ConsoleIamTest, ValidateAnswersValidOrTheProblem) {
  Reply ok = Call(
      "POST", "/api/v1/policies/validate",
      R"({"document":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"})",
      Csrf());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["valid"], true);
  Reply bad =
      Call("POST", "/api/v1/policies/validate", R"({"document":"{\"Statement\":5}"})", Csrf());
  ASSERT_EQ(bad.status, 200);
  EXPECT_EQ(bad.json()["valid"], false);
  EXPECT_FALSE(bad.json()["message"].get<std::string>().empty());
  // A bucket policy needs a Principal; an identity policy must not have one.
  const std::string with_principal =
      R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::docs/*\"}]})";
  EXPECT_EQ(
      Call("POST", "/api/v1/policies/validate",
           R"({"kind":"bucket","bucket":"docs","document":")" + with_principal + R"("})", Csrf())
          .json()["valid"],
      true);
  EXPECT_EQ(Call("POST", "/api/v1/policies/validate",
                 R"({"kind":"identity","document":")" + with_principal + R"("})", Csrf())
                .json()["valid"],
            false);
  EXPECT_EQ(
      Call("POST", "/api/v1/policies/validate", R"({"kind":"x","document":"{}"})", Csrf()).status,
      400);
  EXPECT_EQ(Call("POST", "/api/v1/policies/validate", R"({"document":"{}"})").status, 403);
}

TEST_F(ConsoleIamTest, BucketPolicyAndPublicAccessBlock) {
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/policy").status, 404);
  Reply pab = Call("GET", "/api/v1/buckets/docs/public-access-block");
  ASSERT_EQ(pab.status, 200);
  EXPECT_EQ(pab.json()["configured"], false);
  const std::string doc =
      R"({"document":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::docs/*\"}]}"})";
  Reply put = Call("PUT", "/api/v1/buckets/docs/policy", doc, Csrf());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["public"], true);
  Reply get = Call("GET", "/api/v1/buckets/docs/policy");
  ASSERT_EQ(get.status, 200);
  EXPECT_NE(get.json()["document"].get<std::string>().find("Principal"), std::string::npos);
  ASSERT_EQ(Call("DELETE", "/api/v1/buckets/docs/policy", {}, Csrf()).status, 200);
  Reply block = Call("PUT", "/api/v1/buckets/docs/public-access-block",
                     R"({"blockPublicPolicy":true})", Csrf());
  ASSERT_EQ(block.status, 200) << block.body;
  EXPECT_EQ(block.json()["blockPublicPolicy"], true);
  EXPECT_EQ(block.json()["configured"], true);
  Reply refused = Call("PUT", "/api/v1/buckets/docs/policy", doc, Csrf());
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Call("PUT", "/api/v1/buckets/docs/public-access-block",
                 R"({"blockPublicPolicy":"yes"})", Csrf())
                .status,
            400);
  // The limited user may not read or change either.
  Login("reader", "reader-pass-1");
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/policy").status, 403);
  EXPECT_EQ(Call("PUT", "/api/v1/buckets/docs/public-access-block", R"({})", Csrf()).status, 403);
}

TEST_F(ConsoleIamTest, BucketAndObjectTags) {
  // Bucket tags: none, set, replaced, removed.
  Reply none = Call("GET", "/api/v1/buckets/docs/tags");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json()["tags"], nlohmann::json::array());
  Reply put = Call("PUT", "/api/v1/buckets/docs/tags",
                   R"({"tags":[{"key":"team","value":"web"},{"key":"cost","value":""}]})", Csrf());
  ASSERT_EQ(put.status, 200) << put.body;
  auto bucket_tags = engine_->GetBucketTagging("docs");
  ASSERT_TRUE(bucket_tags.has_value());
  EXPECT_EQ(*bucket_tags, (engine::TagSet{{"team", "web"}, {"cost", ""}}));
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/tags").json()["tags"][0]["value"], "web");
  ASSERT_EQ(Call("DELETE", "/api/v1/buckets/docs/tags", {}, Csrf()).status, 200);
  EXPECT_FALSE(engine_->GetBucketTagging("docs").has_value());

  // Object tags: the engine's limits, bad shapes, a missing key; nothing stored by a refusal.
  Reply obj = Call("PUT", "/api/v1/buckets/docs/object-tags?key=a.txt",
                   R"({"tags":[{"key":"kind","value":"text"}]})", Csrf());
  ASSERT_EQ(obj.status, 200) << obj.body;
  EXPECT_EQ(obj.json()["versionId"], "null");
  Reply got = Call("GET", "/api/v1/buckets/docs/object-tags?key=a.txt");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["tags"], nlohmann::json::parse(R"([{"key":"kind","value":"text"}])"));
  nlohmann::json eleven = {{"tags", nlohmann::json::array()}};
  for (int i = 0; i < 11; ++i)
    eleven["tags"].push_back({{"key", "k" + std::to_string(i)}, {"value", ""}});
  Reply too_many = Call("PUT", "/api/v1/buckets/docs/object-tags?key=a.txt", eleven.dump(), Csrf());
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.json()["error"]["code"], "InvalidTag");
  for (const char* bad : {R"({"tags":{"a":"b"}})", R"({"tags":[{"key":1,"value":"x"}]})",
                          R"({"tags":["a"]})", R"({})"}) {
    Reply r = Call("PUT", "/api/v1/buckets/docs/object-tags?key=a.txt", bad, Csrf());
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json()["error"]["code"], "InvalidArgument") << bad;
  }
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/object-tags?key=missing").status, 404);
  auto still = engine_->GetObjectTagging({"docs", "a.txt", ""});
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->tags, (engine::TagSet{{"kind", "text"}}));
  Reply no_token = Call("PUT", "/api/v1/buckets/docs/object-tags?key=a.txt", R"({"tags":[]})",
                        {{"content-type", "application/json"}});
  EXPECT_EQ(no_token.json()["error"]["code"], "InvalidCsrfToken");
  EXPECT_EQ(engine_->GetObjectTagging({"docs", "a.txt", ""})->tags.size(), 1u);
  ASSERT_EQ(Call("DELETE", "/api/v1/buckets/docs/object-tags?key=a.txt", {}, Csrf()).status, 200);
  EXPECT_TRUE(engine_->GetObjectTagging({"docs", "a.txt", ""})->tags.empty());

  // The reader's policy allows s3:GetObject, not the tagging actions.
  Login("reader", "reader-pass-1");
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/object-tags?key=a.txt").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/buckets/docs/tags").status, 403);
  EXPECT_EQ(Call("PUT", "/api/v1/buckets/docs/tags", R"({"tags":[]})", Csrf()).status, 403);
}

}  // namespace
}  // namespace maxiofs::console
