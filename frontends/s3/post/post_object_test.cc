// POST Object through S3Service::Start against a real engine (no socket): signed forms (SigV4
// and SigV2), anonymous forms, every answer shape (204, 200, 201, 303), and the errors, each
// checked to leave nothing stored.
#include "auth/crypto.h"
#include "auth/sigv4.h"
#include "encoding.h"
#include "s3_service.h"
#include "xml/xml_parser.h"

#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace maxiofs::s3 {
namespace {

constexpr std::string_view kRoot = "ROOTKEY";
constexpr std::string_view kSecret = "rootsecret";
constexpr std::string_view kBoundary = "----FormBoundaryq1w2e3";

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
  std::string Code() const {
    auto doc = ParseXml(body);
    return doc && doc->Child("Code") ? doc->Child("Code")->text : "";
  }
  std::string Message() const {
    auto doc = ParseXml(body);
    return doc && doc->Child("Message") ? doc->Child("Message")->text : "";
  }
};

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Form(const Fields& fields, const std::string& file, std::string filename = "a.txt") {
  std::string b;
  for (const auto& [name, value] : fields) {
    b += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + name +
         "\"\r\n\r\n" + value + "\r\n";
  }
  b += "--" + std::string(kBoundary) +
       "\r\nContent-Disposition: form-data; name=\"file\"; "
       "filename=\"" +
       filename + "\"\r\nContent-Type: text/plain\r\n\r\n" + file + "\r\n--" +
       std::string(kBoundary) + "--\r\n";
  return b;
}

std::string Iso(std::chrono::system_clock::time_point t, bool basic) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, basic ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class PostObjectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("maxiofs_s3_post_" + std::to_string(rd()) + std::to_string(rd()));
    engine::EngineOptions o;
    o.data_dir = dir_.string();
    o.sync = false;
    o.iam.root_access_key = std::string(kRoot);
    o.iam.root_secret_key = std::string(kSecret);
    auto e = engine::Engine::Open(o);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
    service_ = std::make_unique<S3Service>(*engine_, ServiceOptions{});
    now_ = std::chrono::system_clock::now();
    ASSERT_TRUE(engine_->CreateBucket({"upload"}).ok());
    engine::CreateBucketRequest open;
    open.bucket = "open";
    open.canned_acl = "public-read-write";
    ASSERT_TRUE(engine_->CreateBucket(open).ok());
  }
  void TearDown() override {
    service_.reset();
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // The body fed in pieces of `piece` bytes.
  Reply Post(const std::string& target, const std::string& body, size_t piece = 1000,
             HeaderList extra = {}) {
    HttpRequest r;
    r.method = "POST";
    r.target = target;
    r.headers = {{"host", "localhost:9000"},
                 {"content-type", "multipart/form-data; boundary=" + std::string(kBoundary)}};
    for (auto& h : extra) r.headers.push_back(h);
    r.request_id = "RID";
    r.remote = "127.0.0.1:5";
    r.content_length = body.size();
    http::StartedRequest started = service_->Start(r, now_);
    Response resp = std::move(started.response);
    if (started.body) {
      std::optional<Response> early;
      for (size_t i = 0; i < body.size() && !early; i += piece) {
        early = started.body->Feed(std::string_view(body).substr(i, piece));
      }
      resp = early ? std::move(*early) : started.body->Finish();
    }
    return Reply{resp.status, std::move(resp.headers), std::move(resp.body)};
  }

  // A SigV4-signed form for `conditions` (JSON array text) plus the signature fields.
  Fields SignedV4(const std::string& conditions, Fields fields,
                  std::chrono::seconds valid = std::chrono::hours(1)) {
    const std::string date = Iso(now_, true);
    const std::string credential =
        std::string(kRoot) + "/" + date.substr(0, 8) + "/us-east-1/s3/aws4_request";
    std::string policy = "{\"expiration\": \"" + Iso(now_ + valid, false) +
                         "\", \"conditions\": [" + conditions +
                         ", {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}, {\"x-amz-credential\": "
                         "\"" +
                         credential + "\"}, {\"x-amz-date\": \"" + date + "\"}]}";
    std::string b64 = Base64Encode(policy);
    std::string key = auth::DeriveSigningKey(kSecret, date.substr(0, 8), "us-east-1", "s3");
    fields.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
    fields.emplace_back("x-amz-credential", credential);
    fields.emplace_back("x-amz-date", date);
    fields.emplace_back("policy", b64);
    fields.emplace_back("x-amz-signature", auth::SignHex(key, b64));
    return fields;
  }

  Fields SignedV2(const std::string& policy_json, Fields fields) {
    std::string b64 = Base64Encode(policy_json);
    fields.emplace_back("AWSAccessKeyId", std::string(kRoot));
    fields.emplace_back("policy", b64);
    fields.emplace_back("signature", Base64Encode(auth::HmacSha1(kSecret, b64)));
    return fields;
  }

  std::optional<std::string> Stored(const std::string& bucket, const std::string& key) {
    engine::GetObjectRequest g;
    g.bucket = bucket;
    g.key = key;
    auto r = engine_->GetObject(g);
    if (!r.has_value()) return std::nullopt;
    std::string out;
    char buf[4096];
    for (;;) {
      auto n = r.value()->Read(std::span<char>(buf, sizeof buf));
      if (!n.has_value() || *n == 0) break;
      out.append(buf, *n);
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<S3Service> service_;
  std::chrono::system_clock::time_point now_;
};

TEST_F(PostObjectTest, SignedV4FormStoresTheFile) {
  Fields f = SignedV4(R"({"bucket": "upload"}, ["starts-with", "$key", "user/"],)"
                      R"( ["starts-with", "$Content-Type", "text/"], {"x-amz-meta-owner": "ann"},)"
                      R"( ["content-length-range", 1, 100000])",
                      {{"key", "user/${filename}"},
                       {"Content-Type", "text/markdown"},
                       {"x-amz-meta-owner", "ann"}});
  std::string data(50000, 'z');
  Reply r = Post("/upload", Form(f, data, "notes.md"), 777);
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.Header("Location"), "http://localhost:9000/upload/user/notes.md");
  EXPECT_FALSE(r.Header("ETag").empty());
  EXPECT_EQ(Stored("upload", "user/notes.md"), data);
  engine::HeadObjectRequest h;
  h.bucket = "upload";
  h.key = "user/notes.md";
  auto info = engine_->HeadObject(h);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->meta.content_type, "text/markdown");
  ASSERT_EQ(info->meta.user.size(), 1u);
  EXPECT_EQ(info->meta.user[0], (std::pair<std::string, std::string>{"owner", "ann"}));
}

TEST_F(PostObjectTest, SignedV2FormAndAnswerShapes) {
  const std::string policy =
      "{\"expiration\": \"" + Iso(now_ + std::chrono::hours(1), false) +
      "\", \"conditions\": [{\"bucket\": \"upload\"}, [\"starts-with\", \"$key\", \"\"],"
      " [\"starts-with\", \"$success_action_status\", \"\"],"
      " [\"starts-with\", \"$success_action_redirect\", \"\"]]}";
  Reply created = Post(
      "/upload", Form(SignedV2(policy, {{"key", "k201"}, {"success_action_status", "201"}}), "x"));
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseXml(created.body);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->name, "PostResponse");
  EXPECT_EQ(doc->Child("Key")->text, "k201");
  EXPECT_EQ(doc->Child("Bucket")->text, "upload");
  EXPECT_EQ(doc->Child("Location")->text, "http://localhost:9000/upload/k201");
  EXPECT_EQ(doc->Child("ETag")->text, created.Header("ETag"));

  Reply ok = Post("/upload",
                  Form(SignedV2(policy, {{"key", "k200"}, {"success_action_status", "200"}}), "x"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "");
  Reply other = Post(
      "/upload", Form(SignedV2(policy, {{"key", "k404"}, {"success_action_status", "404"}}), "x"));
  EXPECT_EQ(other.status, 204);  // any other status: 204, as S3

  Reply redirect = Post(
      "/upload",
      Form(SignedV2(policy,
                    {{"key", "a b"}, {"success_action_redirect", "https://app.example/done?x=1"}}),
           "x"));
  ASSERT_EQ(redirect.status, 303);
  const std::string etag = redirect.Header("ETag");
  EXPECT_EQ(
      redirect.Header("Location"),
      "https://app.example/done?x=1&bucket=upload&key=a%20b&etag=" + PercentEncode(etag, false));
  EXPECT_EQ(Stored("upload", "a b"), "x");
}

TEST_F(PostObjectTest, AnonymousFormsAreAuthorizedLikePuts) {
  // A public-read-write bucket lets anyone write; a private one does not.
  Reply ok = Post("/open", Form({{"key", "anon.txt"}}, "hello"));
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Stored("open", "anon.txt"), "hello");
  // With an ACL for the new object (the bucket grant to create objects covers it, as in S3).
  Reply with_acl = Post("/open", Form({{"key", "pub.txt"}, {"acl", "public-read"}}, "shared"));
  EXPECT_EQ(with_acl.status, 204) << with_acl.body;
  auto acl = engine_->iam().GetObjectAcl("open", "pub.txt", "");
  ASSERT_TRUE(acl.has_value());
  EXPECT_EQ(acl->grants.size(), 2u);  // the owner's and AllUsers READ
  EXPECT_EQ(Post("/open", Form({{"key", "bad.txt"}, {"acl", "no-such-acl"}}, "x")).Code(),
            "InvalidArgument");
  EXPECT_FALSE(Stored("open", "bad.txt"));
  // A tagging field that is not a Tagging document.
  EXPECT_EQ(Post("/open", Form({{"key", "tag.txt"}, {"tagging", "<Nope/>"}}, "x")).Code(),
            "MalformedXML");
  EXPECT_FALSE(Stored("open", "tag.txt"));
  Reply denied = Post("/upload", Form({{"key", "anon.txt"}}, "hello"));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Code(), "AccessDenied");
  EXPECT_FALSE(Stored("upload", "anon.txt"));
  // Signature fields without a policy are refused, not ignored.
  Reply half = Post("/open", Form({{"key", "h"}, {"AWSAccessKeyId", std::string(kRoot)}}, "x"));
  EXPECT_EQ(half.status, 400);
  EXPECT_NE(half.Message().find("'policy'"), std::string::npos);
  EXPECT_FALSE(Stored("open", "h"));
}

TEST_F(PostObjectTest, PolicyViolationsStoreNothing) {
  const std::string conditions = R"({"bucket": "upload"}, ["starts-with", "$key", "user/"],)"
                                 R"( ["content-length-range", 5, 10])";
  auto expect_refused = [&](const Fields& f, const std::string& file, int status,
                            const std::string& code, const std::string& message_part,
                            const std::string& key) {
    Reply r = Post("/upload", Form(f, file), 3);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Code(), code) << r.body;
    EXPECT_NE(r.Message().find(message_part), std::string::npos) << r.body;
    EXPECT_FALSE(Stored("upload", key)) << key;
  };
  expect_refused(SignedV4(conditions, {{"key", "admin/x"}}), "123456", 403, "AccessDenied",
                 "Policy Condition failed", "admin/x");
  expect_refused(SignedV4(conditions, {{"key", "user/x"}, {"x-amz-meta-a", "1"}}), "123456", 403,
                 "AccessDenied", "Extra input fields: x-amz-meta-a", "user/x");
  expect_refused(SignedV4(conditions, {{"key", "user/big"}}), std::string(11, 'b'), 400,
                 "EntityTooLarge", "exceeds", "user/big");
  expect_refused(SignedV4(conditions, {{"key", "user/small"}}), "1234", 400, "EntityTooSmall",
                 "smaller", "user/small");
  expect_refused(SignedV4(conditions, {{"key", "user/old"}}, std::chrono::seconds(-10)), "123456",
                 403, "AccessDenied", "Policy expired", "user/old");
  Fields bad_sig = SignedV4(conditions, {{"key", "user/sig"}});
  bad_sig.back().second[0] = bad_sig.back().second[0] == '0' ? '1' : '0';
  expect_refused(bad_sig, "123456", 403, "SignatureDoesNotMatch", "signature", "user/sig");
  Fields no_key = SignedV4(conditions, {});
  expect_refused(no_key, "123456", 400, "InvalidArgument", "field named 'key'", "user/");
  Fields dup = SignedV4(conditions, {{"key", "user/d"}, {"KEY", "user/e"}});
  expect_refused(dup, "123456", 400, "InvalidArgument", "more than once", "user/d");
  // The bucket condition checks the URL's bucket.
  ASSERT_TRUE(engine_->CreateBucket({"other"}).ok());
  Reply wrong = Post("/other", Form(SignedV4(conditions, {{"key", "user/w"}}), "123456"));
  EXPECT_EQ(wrong.status, 403);
  EXPECT_FALSE(Stored("other", "user/w"));

  // The good form still works.
  Reply ok = Post("/upload", Form(SignedV4(conditions, {{"key", "user/ok"}}), "123456"));
  EXPECT_EQ(ok.status, 204) << ok.body;
}

TEST_F(PostObjectTest, MalformedFormsStoreNothing) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/open";
  r.headers = {{"host", "h"}, {"content-type", "multipart/form-data"}};
  r.request_id = "RID";
  r.content_length = 10;
  http::StartedRequest started = service_->Start(r, now_);
  EXPECT_EQ(started.body, nullptr);
  EXPECT_EQ(started.response.status, 400);

  std::string body = Form({{"key", "t"}}, "0123456789");
  Reply truncated = Post("/open", body.substr(0, body.size() - 20));
  EXPECT_EQ(truncated.status, 400);
  EXPECT_EQ(truncated.Code(), "IncompleteBody");
  EXPECT_FALSE(Stored("open", "t"));

  std::string no_file = "--" + std::string(kBoundary) +
                        "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--" +
                        std::string(kBoundary) + "--\r\n";
  EXPECT_EQ(Post("/open", no_file).Code(), "IncorrectNumberOfFilesInPostRequest");
  EXPECT_EQ(Post("/open", "garbage").Code(), "MalformedPOSTRequest");
  // A 100 MiB field is refused after the first tens of KiB.
  std::string head =
      "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\n";
  std::string huge = head + std::string(1 << 20, 'p');
  Reply big = Post("/open", huge, 64 * 1024);
  EXPECT_EQ(big.Code(), "MaxPostPreDataLengthExceededError");
}

TEST_F(PostObjectTest, ChecksumFieldIsVerified) {
  const std::string data(3000, 'x');
  const std::string sha = Base64Encode(auth::Sha256(data));
  Reply ok = Post("/open", Form({{"key", "c1"}, {"x-amz-checksum-sha256", sha}}, data));
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(ok.Header("x-amz-checksum-sha256"), sha);
  Reply bad = Post(
      "/open",
      Form({{"key", "c2"}, {"x-amz-checksum-sha256", Base64Encode(auth::Sha256("other"))}}, data));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Code(), "BadDigest");
  EXPECT_FALSE(Stored("open", "c2"));
  Reply invalid =
      Post("/open", Form({{"key", "c3"}, {"x-amz-checksum-sha256", "sailorjerry"}}, data));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_FALSE(Stored("open", "c3"));
}

}  // namespace
}  // namespace maxiofs::s3
