// The fixture of the handler tests: a real engine in a temp dir (no mock engine, no socket);
// requests go through the router and Dispatch exactly as the service runs them, minus
// authentication. Test-only.
#pragma once

#include "digest.h"
#include "encoding.h"
#include "handlers/handler.h"
#include "responses.h"
#include "router.h"
#include "xml/xml_parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace maxiofs::s3::test_support {

struct Reply {
  int status = 0;
  HeaderList headers;
  std::string body;
  std::optional<uint64_t> content_length;

  std::string Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
  bool HasHeader(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.first == name) return true;
    }
    return false;
  }
  std::string Code() const {
    auto doc = ParseXml(body);
    if (!doc || doc->Child("Code") == nullptr) return "";
    return doc->Child("Code")->text;
  }
};

class HandlersTest : public ::testing::Test {
 protected:
  // Engine options of the test (data_dir and sync are set by SetUp).
  virtual engine::EngineOptions EngineOptionsForTest() const { return {}; }

  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("maxiofs_s3_handlers_" + std::to_string(rd()) + std::to_string(rd()));
    engine::EngineOptions o = EngineOptionsForTest();
    o.data_dir = dir_.string();
    o.sync = false;
    auto e = engine::Engine::Open(o);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
    options_.access_key = "AK";
  }
  void TearDown() override {
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Runs one request; the body is fed in small chunks to exercise streaming.
  Reply Run(std::string method, std::string target, HeaderList headers = {}, std::string body = "",
            bool abandon = false) {
    HttpRequest req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers = std::move(headers);
    req.headers.emplace_back("host", "localhost");
    req.request_id = "TESTREQUESTID";
    bool has_length = false;
    for (const auto& h : req.headers) has_length |= h.first == "x-test-no-length";
    if (!has_length && (!body.empty() || req.method == "PUT" || req.method == "POST")) {
      req.content_length = body.size();
    }
    auto route = RouteRequest(req, options_.router);
    if (!route.has_value()) return ToReply(Error(route.error(), req));
    RequestContext ctx{*engine_, options_, req, route.value(), "AK", PayloadMode::kUnsigned};
    ctx.authz.principal.kind = engine::PrincipalKind::kRoot;
    auto outcome = Dispatch(ctx);
    if (!outcome.has_value()) return ToReply(Error(outcome.error(), req));
    HandlerResult& result = outcome.value();
    if (!result.consumer) return ToReply(std::move(result.response));
    for (size_t i = 0; i < body.size(); i += 7) {
      if (abandon && i > body.size() / 2) return Reply{};  // consumer dropped: no commit
      if (auto err = result.consumer->Consume(std::string_view(body).substr(i, 7))) {
        return ToReply(Error(*err, req));
      }
    }
    auto finished = result.consumer->Finish({});
    if (!finished.has_value()) return ToReply(Error(finished.error(), req));
    return ToReply(std::move(finished).value());
  }

  Response Error(const S3Error& e, const HttpRequest& req) {
    return MakeErrorResponse(e, "/", req.request_id, req.method == "HEAD");
  }

  Reply ToReply(Response r) {
    Reply out;
    out.status = r.status;
    out.headers = std::move(r.headers);
    out.content_length = r.content_length;
    if (r.source) {
      char buf[5];
      for (;;) {
        auto n = r.source->Read(std::span<char>(buf, sizeof buf));
        EXPECT_TRUE(n.has_value());
        if (!n.has_value() || *n == 0) break;
        out.body.append(buf, *n);
      }
    } else {
      out.body = std::move(r.body);
    }
    return out;
  }

  static std::string ContentMd5(std::string_view body) { return Base64Encode(Md5(body)); }

  void MakeBucket(const std::string& name) { ASSERT_EQ(Run("PUT", "/" + name).status, 200); }

  std::filesystem::path dir_;
  std::unique_ptr<engine::Engine> engine_;
  ServiceOptions options_;
};

}  // namespace maxiofs::s3::test_support
