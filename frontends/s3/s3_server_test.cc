// End-to-end tests of S3Server over real TCP with raw HTTP: health checks, auth refusal,
// limits, framing errors, keep-alive and graceful stop. (Signed S3 traffic is exercised with
// boto3 by tests/integration.)
#include "maxiofs/s3/s3_server.h"

#include "test_conn.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace maxiofs::s3 {
namespace {

using http::testing::Conn;
using http::testing::StatusOf;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("maxiofs_s3_server_" + std::to_string(rd()) + std::to_string(rd()));
    engine::EngineOptions eo;
    eo.data_dir = dir_.string();
    eo.sync = false;
    auto e = engine::Engine::Open(eo);
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    engine_ = std::move(e).value();
    // Anonymous requests below address an existing bucket (a missing one answers 404).
    ASSERT_TRUE(engine_->CreateBucket({"bucket"}).ok());
    S3Options so;
    so.listen = "127.0.0.1:0";
    so.io_threads = 2;
    so.engine_threads = 2;
    so.idle_timeout_s = 2;
    so.max_connections = 8;
    so.on_start = [this](const http::HttpRequest& r) {
      std::lock_guard<std::mutex> lock(mu_);
      start_threads_[r.method + " " + r.target] = std::this_thread::get_id();
    };
    so.on_complete = [this](const http::RequestRecord& r) {
      std::lock_guard<std::mutex> lock(mu_);
      complete_threads_[std::string(r.method) + " " + std::string(r.target)] =
          std::this_thread::get_id();
    };
    auto s = S3Server::Start(so, *engine_);
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    server_ = std::move(s).value();
  }
  void TearDown() override {
    if (server_) server_->Stop();
    server_.reset();
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // True once on_start and on_complete both ran for `request` ("METHOD target"); then
  // *same says whether they ran on one thread.
  bool Threads(const std::string& request, bool* same) {
    for (int i = 0; i < 400; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (start_threads_.contains(request) && complete_threads_.contains(request)) {
          *same = start_threads_[request] == complete_threads_[request];
          return true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  std::filesystem::path dir_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<S3Server> server_;
  std::mutex mu_;
  std::map<std::string, std::thread::id> start_threads_;
  std::map<std::string, std::thread::id> complete_threads_;
};

TEST_F(ServerTest, ObjectReadsAreAnsweredOnTheNetworkThread) {
  // on_complete runs on the connection's network thread. A GetObject or HeadObject that needs
  // no wait for the disk starts there too; a PUT starts on the engine pool.
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("GET /bucket/key HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 403);
  ASSERT_TRUE(c.Send("HEAD /bucket/key2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse(true)), 403);
  ASSERT_TRUE(c.Send("PUT /bucket/key3 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 403);
  bool same = false;
  ASSERT_TRUE(Threads("GET /bucket/key", &same));
  EXPECT_TRUE(same);
  ASSERT_TRUE(Threads("HEAD /bucket/key2", &same));
  EXPECT_TRUE(same);
  ASSERT_TRUE(Threads("PUT /bucket/key3", &same));
  EXPECT_FALSE(same);
}

TEST_F(ServerTest, HealthAndKeepAlive) {
  Conn c(server_->port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send("GET /_maxiofs/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 200) << r;
    EXPECT_NE(r.find("x-amz-request-id: "), std::string::npos);
    EXPECT_NE(r.find("x-amz-id-2: "), std::string::npos);
  }
  ASSERT_TRUE(c.Send("HEAD /_maxiofs/health/ready HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse(true)), 200);
  // Pipelined requests are answered in order.
  ASSERT_TRUE(
      c.Send("GET /_maxiofs/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /_maxiofs/health/ready HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
}

TEST_F(ServerTest, AnonymousIsDenied) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 403) << r;
  EXPECT_NE(r.find("<Code>AccessDenied</Code>"), std::string::npos);
  EXPECT_NE(r.find("<RequestId>"), std::string::npos);
  // HEAD errors carry no body.
  ASSERT_TRUE(c.Send("HEAD /bucket HTTP/1.1\r\nHost: x\r\n\r\n"));
  r = c.ReadResponse(true);
  EXPECT_EQ(StatusOf(r), 403);
  EXPECT_EQ(r.find("<Error>"), std::string::npos);
}

TEST_F(ServerTest, ExpectContinueIsNotAnsweredBeforeAuth) {
  Conn c(server_->port());
  ASSERT_TRUE(
      c.Send("PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
             "Expect: 100-continue\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 403) << r;  // never "100 Continue"
  EXPECT_TRUE(c.Closed());           // the body never came: the connection is closed
}

TEST_F(ServerTest, SmallUnreadBodyIsDrained) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 403);
  ASSERT_TRUE(c.Send("GET /_maxiofs/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
}

TEST_F(ServerTest, HeaderLimits) {
  Conn c(server_->port());
  std::string big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  ASSERT_TRUE(c.Send(big));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 400) << r.substr(0, 200);
  EXPECT_NE(r.find("RequestHeaderSectionTooLarge"), std::string::npos);

  Conn many(server_->port());
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 300; ++i) req += "X-H" + std::to_string(i) + ": v\r\n";
  req += "\r\n";
  ASSERT_TRUE(many.Send(req));
  r = many.ReadResponse();
  EXPECT_EQ(StatusOf(r), 400);
  EXPECT_NE(r.find("RequestHeaderSectionTooLarge"), std::string::npos);
}

TEST_F(ServerTest, GarbageAndBadFraming) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("THIS IS NOT HTTP\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 400);
  Conn cl(server_->port());
  ASSERT_TRUE(
      cl.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_EQ(StatusOf(cl.ReadResponse()), 400);
  Conn neg(server_->port());
  ASSERT_TRUE(neg.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"));
  EXPECT_EQ(StatusOf(neg.ReadResponse()), 400);
}

TEST_F(ServerTest, SlowlorisIsCutOff) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n"));  // never finishes the header
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.Closed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(ServerTest, ConnectionLimit) {
  std::vector<std::unique_ptr<Conn>> conns;
  for (int i = 0; i < 8; ++i) {
    conns.push_back(std::make_unique<Conn>(server_->port()));
    ASSERT_TRUE(conns.back()->Send("GET /_maxiofs/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(StatusOf(conns.back()->ReadResponse()), 200);
  }
  Conn extra(server_->port());
  EXPECT_TRUE(extra.Closed());
}

TEST_F(ServerTest, StopIsGracefulAndIdempotent) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("GET /_maxiofs/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(c.Closed());
}

TEST(ServerStart, BadAddressAndBusyPort) {
  auto dir = std::filesystem::temp_directory_path() / "maxiofs_s3_server_start";
  std::filesystem::remove_all(dir);
  engine::EngineOptions eo;
  eo.data_dir = dir.string();
  eo.sync = false;
  auto e = engine::Engine::Open(eo);
  ASSERT_TRUE(e.has_value());
  S3Options so;
  so.listen = "nonsense";
  EXPECT_FALSE(S3Server::Start(so, **e).has_value());
  so.listen = "127.0.0.1:0";
  auto first = S3Server::Start(so, **e);
  ASSERT_TRUE(first.has_value());
  so.listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = S3Server::Start(so, **e);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), Status::Code::kBusy);
  (*first)->Stop();
  first = Status::Internal("reset");
  e = Status::Internal("reset");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace maxiofs::s3
