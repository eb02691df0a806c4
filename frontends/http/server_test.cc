// Tests of http::Server with a small in-test Service over real TCP: the server calls the
// service's hooks (protocol errors, response decoration, request records) and streams bodies
// both ways in bounded chunks. The S3 behaviour over the same server is in s3_server_test.cc.
#include "maxiofs/http/server.h"

#include "test_conn.h"

#include "maxiofs/common/no_wait.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace maxiofs::http {
namespace {

using testing::Conn;
using testing::StatusOf;

// Streams `remaining` bytes of 'x'.
class RepeatSource final : public BodySource {
 public:
  explicit RepeatSource(uint64_t n) : remaining_(n) {}
  Result<size_t> Read(std::span<char> out) override {
    size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), remaining_));
    std::fill_n(out.data(), n, 'x');
    remaining_ -= n;
    return n;
  }

 private:
  uint64_t remaining_;
};

// Counts the body and answers with its size; refuses bodies containing "stop".
class CountingBody final : public RequestBody {
 public:
  CountingBody(std::atomic<int>* live, std::atomic<size_t>* largest_feed)
      : live_(live), largest_feed_(largest_feed) {
    ++*live_;
  }
  ~CountingBody() override { --*live_; }
  std::optional<Response> Feed(std::string_view raw) override {
    max_chunk_ = std::max(max_chunk_, raw.size());
    size_t seen = largest_feed_->load();
    while (raw.size() > seen && !largest_feed_->compare_exchange_weak(seen, raw.size())) {
    }
    if (raw.find("stop") != std::string_view::npos) {
      Response r;
      r.status = 422;
      r.body = "refused";
      return r;
    }
    size_ += raw.size();
    return std::nullopt;
  }
  Response Finish() override {
    Response r;
    r.body = std::to_string(size_) + " max_chunk=" + std::to_string(max_chunk_);
    return r;
  }

 private:
  std::atomic<int>* live_;
  std::atomic<size_t>* largest_feed_;  // the largest chunk any body was fed
  uint64_t size_ = 0;
  size_t max_chunk_ = 0;
};

// Streams `remaining` bytes of 'y', honouring NoWaitScope: inside a scope every other read
// would wait (and changes nothing). Counts where reads were answered.
class HalfColdSource final : public BodySource {
 public:
  HalfColdSource(uint64_t n, std::atomic<int>* in_scope, std::atomic<int>* outside)
      : remaining_(n), in_scope_(in_scope), outside_(outside) {}
  Result<size_t> Read(std::span<char> out) override {
    if (NoWaitActive()) {
      if (++calls_ % 2 == 0) {
        NoteWouldBlock();
        return Status::WouldBlock("cold");
      }
      ++*in_scope_;
    } else {
      ++*outside_;
    }
    size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), remaining_));
    std::fill_n(out.data(), n, 'y');
    remaining_ -= n;
    return n;
  }
  bool reads_without_waiting() const override { return true; }

 private:
  uint64_t remaining_;
  std::atomic<int>* in_scope_;
  std::atomic<int>* outside_;
  int calls_ = 0;
};

// A small body whose first read, inside a NoWaitScope, would have waited for the disk.
class ColdSource final : public BodySource {
 public:
  Result<size_t> Read(std::span<char> out) override {
    if (NoWaitActive()) {
      NoteWouldBlock();
      return Status::WouldBlock("cold");
    }
    std::fill_n(out.data(), std::min<size_t>(out.size(), 4), 'c');
    return std::min<size_t>(out.size(), 4);
  }
};

class TestService final : public Service {
 public:
  // GET /fast/... is answered here; /cold-head/... notes a read that would wait; /cold-body/...
  // has a body whose read would wait. Everything else goes to Start.
  std::optional<StartedRequest> TryStartWithoutWaiting(
      const HttpRequest& request, std::chrono::system_clock::time_point) override {
    ++tried;
    if (!NoWaitActive()) ++tried_outside_scope;
    if (request.target.starts_with("/cold-head/")) {
      NoteWouldBlock();
      StartedRequest out;
      out.response.status = 503;
      return out;
    }
    if (request.target.starts_with("/cold-body/")) {
      StartedRequest out;
      out.response.source = std::make_unique<ColdSource>();
      out.response.content_length = 4;
      return out;
    }
    if (!request.target.starts_with("/fast/")) return std::nullopt;
    StartedRequest out;
    out.operation = "FastOp";
    out.response.body = "fast " + request.target;
    return out;
  }
  StartedRequest Start(const HttpRequest& request, std::chrono::system_clock::time_point) override {
    ++started;
    if (request.target.starts_with("/cold-body/")) {
      StartedRequest out;
      out.response.source = std::make_unique<ColdSource>();
      out.response.content_length = 4;
      return out;
    }
    StartedRequest out;
    out.user = "tester";
    out.operation = request.method + "Op";
    if (request.target == "/throw") throw std::runtime_error("boom");
    if (request.method == "PUT") {
      out.body = std::make_unique<CountingBody>(&live_bodies, &largest_feed);
      return out;
    }
    if (request.target.starts_with("/half-cold/")) {
      uint64_t n = std::stoull(request.target.substr(11));
      out.response.source = std::make_unique<HalfColdSource>(n, &reads_in_scope, &reads_outside);
      out.response.content_length = n;
      return out;
    }
    if (request.target.starts_with("/big/")) {
      uint64_t n = std::stoull(request.target.substr(5));
      out.response.source = std::make_unique<RepeatSource>(n);
      out.response.content_length = n;
      return out;
    }
    out.response.body = "hello " + request.target;
    out.response.AddHeader("Content-Type", "text/plain");
    return out;
  }
  Response ProtocolErrorResponse(ProtocolError error, std::string message,
                                 const HttpRequest&) const override {
    Response r;
    r.status = error == ProtocolError::kInternal ? 500 : 400;
    r.body = "protocol-error " + std::to_string(int(error)) + ": " + message;
    return r;
  }
  std::string LogTarget(const HttpRequest& request) const override { return request.target; }
  void DecorateResponse(const HttpRequest& request, HeaderList& headers) const override {
    headers.emplace_back("X-Test-Request-Id", request.request_id);
  }

  std::atomic<int> live_bodies{0};
  std::atomic<size_t> largest_feed{0};
  std::atomic<int> tried{0};
  std::atomic<int> tried_outside_scope{0};
  std::atomic<int> started{0};
  std::atomic<int> reads_in_scope{0};
  std::atomic<int> reads_outside{0};
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions so;
    so.name = "test";
    so.listen = "127.0.0.1:0";
    so.io_threads = 2;
    so.worker_threads = 2;
    so.idle_timeout_s = 2;
    so.body_chunk_budget = 1024 * 1024;  // one 1 MiB body chunk at a time
    so.on_complete = [this](const RequestRecord& r) {
      std::lock_guard<std::mutex> lock(mu_);
      records_.push_back(std::string(r.server) + " " + std::string(r.operation) + " " +
                         std::string(r.user) + " " + std::to_string(r.status) + " in=" +
                         std::to_string(r.bytes_in) + " out=" + std::to_string(r.bytes_out));
    };
    auto s = Server::Start(so, service_);
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    server_ = std::move(s).value();
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  std::vector<std::string> Records() {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }
  // Bodies are destroyed on the pool after their answer: waits (bounded, 5 s) until none is
  // left; true when none is.
  bool NoLiveBodies() {
    for (int i = 0; i < 1000 && service_.live_bodies.load() != 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return service_.live_bodies.load() == 0;
  }

  TestService service_;
  std::unique_ptr<Server> server_;
  std::mutex mu_;
  std::vector<std::string> records_;
};

TEST_F(HttpServerTest, AnswersAndDecoratesAndRecords) {
  Conn c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("hello /a"), std::string::npos);
  EXPECT_NE(r.find("X-Test-Request-Id: "), std::string::npos);
  EXPECT_NE(r.find("Date: "), std::string::npos);
  // Kept alive: a second request on the same connection.
  ASSERT_TRUE(c.Send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.ReadResponse().find("hello /b"), std::string::npos);
  // The record is made after the last byte is written, so it may trail the response a little.
  auto records = Records();
  for (int i = 0; i < 400 && records.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    records = Records();
  }
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], "test GETOp tester 200 in=0 out=8");
}

TEST_F(HttpServerTest, ReadsThatNeedNoWaitAreAnsweredWithoutThePool) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("GET /fast/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("fast /fast/1"), std::string::npos) << r;
  EXPECT_EQ(service_.tried.load(), 1);
  EXPECT_EQ(service_.started.load(), 0);
  EXPECT_EQ(service_.tried_outside_scope.load(), 0);
  // The service declines: Start answers on the pool.
  ASSERT_TRUE(c.Send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.ReadResponse().find("hello /other"), std::string::npos);
  EXPECT_EQ(service_.started.load(), 1);
  // Requests that write never try.
  ASSERT_TRUE(c.Send("PUT /fast/2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  EXPECT_EQ(service_.tried.load(), 2);
  EXPECT_FALSE(NoWaitActive());  // the scope was the server thread's, never this one's
}

TEST_F(HttpServerTest, ReadsThatWouldWaitAreRedoneOnThePool) {
  Conn c(server_->port());
  // The service's own read would have waited: its answer (503) is discarded.
  ASSERT_TRUE(c.Send("GET /cold-head/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("hello /cold-head/1"), std::string::npos) << r;
  EXPECT_EQ(service_.started.load(), 1);
  // The small body's read would have waited: Start again, and the body read on the pool.
  ASSERT_TRUE(c.Send("GET /cold-body/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "cccc");
  EXPECT_EQ(service_.started.load(), 2);
  EXPECT_EQ(service_.tried.load(), 2);
}

TEST_F(HttpServerTest, StreamedBodiesAreReadWithoutThePoolWhileNothingWouldWait) {
  // Chunks whose bytes are in memory are read on the network thread; a chunk that would wait
  // is read again on the pool, and the body arrives whole and in order either way.
  Conn c(server_->port());
  const uint64_t n = 2 * 1024 * 1024 + 5;
  ASSERT_TRUE(c.Send("GET /half-cold/" + std::to_string(n) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  ASSERT_NE(r.find("\r\n\r\n"), std::string::npos);
  std::string body = r.substr(r.find("\r\n\r\n") + 4);
  EXPECT_EQ(body, std::string(n, 'y'));
  EXPECT_GT(service_.reads_in_scope.load(), 0);
  EXPECT_GT(service_.reads_outside.load(), 0);
  // Sources that do not honour the scope are never read inside one (ColdSource refuses there).
  ASSERT_TRUE(c.Send("GET /big/300000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
}

TEST_F(HttpServerTest, StreamsRequestBodyInBoundedChunks) {
  Conn c(server_->port());
  const size_t n = 3 * 1024 * 1024 + 17;
  ASSERT_TRUE(
      c.Send("PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n"));
  ASSERT_TRUE(c.Send(std::string(n, 'a')));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find(std::to_string(n) + " max_chunk="), std::string::npos);
  size_t max_chunk = std::stoul(r.substr(r.find("max_chunk=") + 10));
  EXPECT_LE(max_chunk, 1024u * 1024u);  // ServerLimits::body_chunk_size
  EXPECT_TRUE(NoLiveBodies());
}

TEST_F(HttpServerTest, ChunkedRequestBody) {
  Conn c(server_->port());
  ASSERT_TRUE(
      c.Send("PUT /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("\r\n\r\n11 max_chunk="), std::string::npos);
}

TEST_F(HttpServerTest, SmallBodiesThatArriveWithTheirHeadsKeepPipelinedRequestsInOrder) {
  // Bodies already buffered with their head are fed without another socket read; the bytes
  // after each body are the next requests and must stay unread until their turn.
  Conn c(server_->port());
  ASSERT_TRUE(
      c.Send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
             "PUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nstop"
             "GET /c HTTP/1.1\r\nHost: x\r\n\r\n"
             "PUT /d HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("\r\n\r\n5 max_chunk=5"), std::string::npos) << r;
  r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 422);
  r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("hello /c"), std::string::npos) << r;
  r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("\r\n\r\n11 max_chunk=11"), std::string::npos) << r;
  auto records = Records();
  for (int i = 0; i < 400 && records.size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    records = Records();
  }
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].substr(0, records[0].find(" out=")), "test PUTOp tester 200 in=5");
  EXPECT_EQ(records[3].substr(0, records[3].find(" out=")), "test PUTOp tester 200 in=11");
  EXPECT_TRUE(NoLiveBodies());
}

TEST_F(HttpServerTest, LargeBodiesReadStraightFromTheSocketStopAtTheirEnd) {
  // Bodies too large to arrive with their heads are read from the socket straight into the
  // body chunk; the requests sent right behind them must be untouched.
  Conn c(server_->port());
  const size_t big = 3 * 1024 * 1024 + 5, mid = 300 * 1024;
  ASSERT_TRUE(c.Send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(big) +
                     "\r\n\r\n" + std::string(big, 'a') + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n" +
                     "PUT /d HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(mid) +
                     "\r\n\r\n" + std::string(mid, 'd') +
                     "PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                     "GET /f HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("\r\n\r\n" + std::to_string(big) + " max_chunk=1048576"), std::string::npos)
      << r;
  r = c.ReadResponse();
  EXPECT_NE(r.find("hello /c"), std::string::npos) << r;
  r = c.ReadResponse();
  EXPECT_NE(r.find("\r\n\r\n" + std::to_string(mid) + " max_chunk=" + std::to_string(mid)),
            std::string::npos)
      << r;
  r = c.ReadResponse();
  EXPECT_NE(r.find("\r\n\r\n0 max_chunk=0"), std::string::npos) << r;
  r = c.ReadResponse();
  EXPECT_NE(r.find("hello /f"), std::string::npos) << r;
}

TEST_F(HttpServerTest, LargeBodyChunksStayWithinTheServerBudget) {
  // The budget holds one 1 MiB chunk. While A holds it (its first chunk fed, the rest of its
  // body still to come), B's body is read in 256 KiB chunks; once A is done, C gets 1 MiB.
  auto put = [](size_t n) {
    return "PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n";
  };
  const size_t mib = 1024 * 1024, a_size = 2 * mib, b_size = 3 * mib;
  Conn a(server_->port());
  ASSERT_TRUE(a.Send(put(a_size) + std::string(mib + 10, 'a')));
  for (int i = 0; i < 500 && service_.largest_feed.load() < mib; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(service_.largest_feed.load(), mib);

  Conn b(server_->port());
  ASSERT_TRUE(b.Send(put(b_size) + std::string(b_size, 'b')));
  std::string r = b.ReadResponse();
  EXPECT_NE(r.find(std::to_string(b_size) + " max_chunk=262144"), std::string::npos) << r;

  ASSERT_TRUE(a.Send(std::string(a_size - mib - 10, 'a')));
  r = a.ReadResponse();
  EXPECT_NE(r.find(std::to_string(a_size) + " max_chunk=1048576"), std::string::npos) << r;

  Conn c(server_->port());
  ASSERT_TRUE(c.Send(put(b_size) + std::string(b_size, 'c')));
  r = c.ReadResponse();
  EXPECT_NE(r.find(std::to_string(b_size) + " max_chunk=1048576"), std::string::npos) << r;
}

TEST_F(HttpServerTest, AStalledLargeBodyTimesOutAndGivesBackItsChunk) {
  // A client that stops in the middle of a body read straight from the socket: after the idle
  // timeout (2 s here) the connection is closed, the body abandoned (no answer: nothing was
  // committed), and the 1 MiB chunk's budget returns for the next upload.
  const size_t mib = 1024 * 1024;
  {
    Conn a(server_->port());
    ASSERT_TRUE(a.Send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(2 * mib) +
                       "\r\n\r\n" + std::string(300 * 1024, 'a')));
    bool closed = false;
    for (int i = 0; i < 3 && !closed; ++i) closed = a.Closed();  // up to 3 x 5 s
    EXPECT_TRUE(closed);
  }
  EXPECT_TRUE(NoLiveBodies());
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(3 * mib) +
                     "\r\n\r\n" + std::string(3 * mib, 'c')));
  std::string r = c.ReadResponse();
  EXPECT_NE(r.find(std::to_string(3 * mib) + " max_chunk=1048576"), std::string::npos) << r;
}

TEST_F(HttpServerTest, EarlyAnswerDrainsTheRestOfALargeBodyAndKeepsTheConnection) {
  // The first 1 MiB chunk is refused; the 10 KiB left are drained (under drain_limit), never
  // more, so the request behind the body is still answered on the same connection.
  Conn c(server_->port());
  const size_t n = 1024 * 1024 + 10 * 1024;
  std::string body(n, 'b');
  body.replace(1000, 4, "stop");
  ASSERT_TRUE(
      c.Send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // so the body is not buffered
  ASSERT_TRUE(c.Send(body + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 422) << r;
  EXPECT_EQ(r.find("Connection: close"), std::string::npos) << r;
  r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_NE(r.find("hello /after"), std::string::npos) << r;
}

TEST_F(HttpServerTest, BodyShorterThanDeclaredIsNotFedEarly) {
  // Content-Length promises more than has arrived with the head: the rest is read from the
  // socket as usual, and the whole body is fed.
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(c.Send("12345"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  EXPECT_NE(r.find("\r\n\r\n10 max_chunk="), std::string::npos) << r;
}

TEST_F(HttpServerTest, EarlyAnswerFromBodyAbandonsIt) {
  Conn c(server_->port());
  ASSERT_TRUE(c.Send("PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nstop"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 422);
  EXPECT_TRUE(NoLiveBodies());  // the abandoned body is destroyed on the pool
}

TEST_F(HttpServerTest, StreamsLargeResponseBody) {
  Conn c(server_->port());
  const uint64_t n = 5 * 1024 * 1024 + 3;
  ASSERT_TRUE(c.Send("GET /big/" + std::to_string(n) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200);
  ASSERT_NE(r.find("\r\n\r\n"), std::string::npos);
  EXPECT_EQ(r.size() - (r.find("\r\n\r\n") + 4), n);
}

TEST_F(HttpServerTest, ProtocolErrorsUseTheServiceLanguage) {
  {
    Conn c(server_->port());
    ASSERT_TRUE(
        c.Send("GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n"));
    std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 400);
    EXPECT_NE(r.find("protocol-error 0"), std::string::npos);
    EXPECT_NE(r.find("X-Test-Request-Id: "), std::string::npos);
  }
  {
    Conn c(server_->port());
    ASSERT_TRUE(c.Send("NOT HTTP AT ALL\r\n\r\n"));
    EXPECT_NE(c.ReadResponse().find("protocol-error 1"), std::string::npos);
  }
  {
    Conn c(server_->port());
    ASSERT_TRUE(c.Send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string r = c.ReadResponse();
    EXPECT_EQ(StatusOf(r), 500);
    EXPECT_NE(r.find("protocol-error 3"), std::string::npos);
  }
}

TEST_F(HttpServerTest, BusyAddressAndBadAddressRefused) {
  TestService other;
  ServerOptions so;
  so.listen = "127.0.0.1:" + std::to_string(server_->port());
  auto busy = Server::Start(so, other);
  ASSERT_FALSE(busy.has_value());
  EXPECT_TRUE(busy.error().code() == Status::Code::kBusy) << busy.error().ToString();
  so.listen = "127.0.0.1:99999";
  auto bad = Server::Start(so, other);
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(bad.error().code() == Status::Code::kInvalidArgument) << bad.error().ToString();
}

}  // namespace
}  // namespace maxiofs::http
