#include "session.h"

#include "maxiofs/common/ascii.h"
#include "maxiofs/common/no_wait.h"
#include "maxiofs/http/date.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <exception>

namespace maxiofs::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Errors that only mean the peer went away or the connection timed out: no answer is possible.
bool IsDisconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor ||
         ec == asio::ssl::error::stream_truncated;  // TLS peer closed without close_notify
}

}  // namespace

Session::Session(asio::ip::tcp::socket&& socket, ServerShared& shared)
    : shared_(shared),
      pool_(&shared.pool),
      stream_(shared.tls != nullptr ? ServerStream(std::move(socket), shared.tls->Current())
                                    : ServerStream(std::move(socket))),
      buffer_(shared.limits.header_limit + 8192) {
  // Beast sizes each socket read by the buffer's spare capacity (at least 512 bytes). A body
  // parser drains the buffer at once, so without this every body read would be 512 bytes.
  buffer_.reserve(buffer_.max_size());
  beast::error_code ec;
  auto ep = stream_.tcp().socket().remote_endpoint(ec);
  if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
}

Session::~Session() { ReleaseChunk(); }

void Session::SizeBodyChunk(size_t want) {
  const size_t small = shared_.limits.chunk_size;
  if (want > small && want > budgeted_) {
    const size_t extra = want - budgeted_;
    size_t held = shared_.large_chunk_bytes.load(std::memory_order_relaxed);
    bool granted = false;
    while (held + extra <= shared_.limits.body_chunk_budget) {
      if (shared_.large_chunk_bytes.compare_exchange_weak(held, held + extra)) {
        granted = true;
        break;
      }
    }
    if (granted) {
      budgeted_ = want;
    } else {
      want = std::max(small, budgeted_);
    }
  }
  chunk_.resize(want);
}

void Session::ReleaseChunk() {
  if (chunk_.capacity() > shared_.limits.chunk_size) chunk_.release();
  if (budgeted_ != 0) {
    shared_.large_chunk_bytes.fetch_sub(budgeted_);
    budgeted_ = 0;
  }
}

bool Session::Start() {
  std::weak_ptr<Session> weak = weak_from_this();
  bool ok = shared_.registry.TryAdd(
      shared_.limits.max_connections,
      [weak] {
        if (auto self = weak.lock()) self->Shutdown();
      },
      &guard_);
  if (!ok) {
    beast::error_code ec;
    stream_.tcp().socket().close(ec);
    return false;
  }
  if (stream_.is_tls()) {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::DoHandshake, shared_from_this()));
  } else {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::DoReadHeader, shared_from_this()));
  }
  return true;
}

void Session::DoHandshake() {
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  stream_.async_handshake(beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
}

void Session::OnHandshake(beast::error_code ec) {
  if (ec) {
    // Wrong protocol version, plain HTTP on the TLS port, a client refusing the certificate:
    // nothing can be answered; say why at debug level only (scanners make this common).
    shared_.log->debug("remote={} tls handshake failed: {}", remote_, ec.message());
    return Close();
  }
  DoReadHeader();
}

void Session::Shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->reading_header_ && self->buffer_.size() == 0) self->Close();
  });
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream_.tcp().socket().close(ec);
}

Response Session::EarlyError(ProtocolError error, std::string message) {
  Response r = shared_.service.ProtocolErrorResponse(error, std::move(message), request_);
  r.close = true;
  return r;
}

void Session::DoReadHeader() {
  if (stopping_ || closed_) return Close();
  parser_.emplace();
  parser_->header_limit(shared_.limits.header_limit);
  parser_->body_limit(boost::none);  // the engine enforces object size limits
  request_ = HttpRequest{};
  body_.reset();
  user_.clear();
  operation_.clear();
  bytes_in_ = bytes_out_ = 0;
  status_ = 0;
  keep_alive_ = true;
  expect_continue_ = false;
  direct_left_.reset();
  reading_header_ = true;
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Session::OnHeader(beast::error_code ec, size_t /*bytes*/) {
  reading_header_ = false;
  started_at_ = std::chrono::steady_clock::now();
  request_.request_id = shared_.ids.Next();
  request_.remote = remote_;
  request_.tls = stream_.is_tls();
  if (ec) {
    if (IsDisconnect(ec)) return Close();  // nothing (complete) was asked: nothing to answer
    keep_alive_ = false;
    if (ec == http::error::header_limit) {
      return Write(EarlyError(ProtocolError::kHeaderTooLarge,
                              "Your request header section exceeds the maximum allowed size."));
    }
    return Write(EarlyError(ProtocolError::kMalformedRequest,
                            "The HTTP request could not be parsed: " + ec.message()));
  }
  auto& msg = parser_->get();
  request_.method = std::string(msg.method_string());
  request_.target = std::string(msg.target());
  size_t count = 0;
  for (const auto& field : msg) {
    ++count;
    request_.headers.emplace_back(AsciiLower(field.name_string()), std::string(field.value()));
  }
  if (count > shared_.limits.max_header_count) {
    return SendResponse(
        EarlyError(ProtocolError::kHeaderTooLarge, "Your request has too many header fields."));
  }
  if (auto len = parser_->content_length()) request_.content_length = *len;
  request_.chunked = parser_->chunked();
  pool_ =
      request_.method == "GET" || request_.method == "HEAD" ? &shared_.read_pool : &shared_.pool;
  expect_continue_ = EqualsIgnoreCase(msg[http::field::expect], "100-continue");
  if (msg.version() < 11 && !msg[http::field::expect].empty()) expect_continue_ = false;

  if (pool_ == &shared_.read_pool && TryStartWithoutWaiting()) return;
  asio::post(*pool_, [self = shared_from_this()] {
    StartedRequest started;
    try {
      started = self->shared_.service.Start(self->request_, std::chrono::system_clock::now());
    } catch (const std::exception& e) {
      self->shared_.log->error("request_id={} unexpected exception: {}", self->request_.request_id,
                               e.what());
      started = StartedRequest{};
      started.response = self->shared_.service.ProtocolErrorResponse(
          ProtocolError::kInternal, "We encountered an internal error.", self->request_);
      started.response.head = self->request_.method == "HEAD";
    }
    if (!started.body) {
      self->InlineSmallBody(started.response);
    } else if (self->BodyIsBuffered()) {
      // A small body that arrived with its head: feed it now, on this pool thread, instead
      // of two more trips between the network and the pool.
      self->body_ = std::move(started.body);
      started.response = self->ConsumeBufferedBody();
    }
    asio::post(self->stream_.get_executor(),
               [self, started = std::make_shared<StartedRequest>(std::move(started))]() mutable {
                 self->OnStarted(std::move(*started));
               });
  });
}

bool Session::BodyIsBuffered() const {
  auto length = parser_->content_length();
  return !expect_continue_ && !request_.chunked && length && *length > 0 &&
         *length <= shared_.limits.chunk_size && *length <= buffer_.size();
}

Response Session::ConsumeBufferedBody() {
  chunk_.resize(static_cast<size_t>(*parser_->content_length()));  // BodyIsBuffered: known
  auto& body = parser_->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  beast::error_code ec;
  const size_t used = parser_->put(buffer_.data(), ec);
  buffer_.consume(used);
  if (ec == http::error::need_buffer) ec = {};
  if (ec || !parser_->is_done()) {
    // BodyIsBuffered said the whole Content-Length body is here; anything else is framing
    // the parser refused. Nothing was fed, so nothing is committed.
    body_.reset();
    keep_alive_ = false;
    return EarlyError(ProtocolError::kIncompleteBody, "The request body is malformed.");
  }
  const size_t n = chunk_.size() - body.size;
  bytes_in_ += n;
  std::optional<Response> response = ProcessBodyChunk(n, /*done=*/true);
  body_.reset();  // Finish ran: drop the consumer here, on the pool (it may hold files)
  return std::move(*response);
}

std::optional<Response> Session::ProcessBodyChunk(size_t n, bool done) {
  std::optional<Response> response;
  try {
    response = body_->Feed(std::string_view(chunk_.data(), n));
    if (!response && done) response = body_->Finish();
  } catch (const std::exception& e) {
    shared_.log->error("request_id={} unexpected exception: {}", request_.request_id, e.what());
    response = shared_.service.ProtocolErrorResponse(ProtocolError::kInternal,
                                                     "We encountered an internal error.", request_);
  }
  return response;
}

bool Session::TryStartWithoutWaiting() {
  std::optional<StartedRequest> started;
  {
    NoWaitScope scope;
    try {
      started = shared_.service.TryStartWithoutWaiting(request_, std::chrono::system_clock::now());
    } catch (const std::exception&) {
      return false;  // Start, on the pool, meets the same failure and reports it
    }
    if (!started || scope.would_block()) return false;
    if (!started->body && !InlineSmallBody(started->response)) return false;
    if (scope.would_block()) return false;
  }
  OnStarted(std::move(*started));
  return true;
}

bool Session::InlineSmallBody(Response& response) {
  if (!response.source || response.head || !response.content_length ||
      *response.content_length > shared_.limits.chunk_size) {
    return true;
  }
  // Runs on the pool with the handler: a small object is read now and sent with its headers in
  // one write, instead of two more trips between the network and the pool.
  std::string body(static_cast<size_t>(*response.content_length), '\0');
  size_t got = 0;
  Status error;
  try {
    while (got < body.size()) {
      Result<size_t> n = response.source->Read(std::span<char>(body).subspan(got));
      if (!n.has_value()) {
        error = n.error();
        break;
      }
      if (*n == 0) {
        error = Status::Corruption("unexpected end of object data");
        break;
      }
      got += *n;
    }
  } catch (const std::exception& e) {
    error = Status::Internal(e.what());
  }
  if (!error.ok() && NoWaitActive() && (error.IsWouldBlock() || NoWaitBlocked())) return false;
  if (!error.ok()) {
    // Nothing is sent yet, so the client gets an honest 500 rather than a cut connection.
    shared_.log->error("request_id={} object read failed: {}", request_.request_id,
                       error.ToString());
    response = shared_.service.ProtocolErrorResponse(ProtocolError::kInternal,
                                                     "We encountered an internal error.", request_);
    return true;
  }
  response.source.reset();
  response.body = std::move(body);
  return true;
}

void Session::OnStarted(StartedRequest started) {
  user_ = std::move(started.user);
  operation_ = std::move(started.operation);
  if (!started.body && expect_continue_ && (started.accepted_empty_body || !request_.has_body())) {
    // An empty body, accepted or refused: still invite it (S3 does), then answer. botocore
    // 1.29 keeps the status of a final answer it got instead of "100 Continue" and reads the
    // next "100 Continue" answer on the same connection with it: a refused zero-length PUT
    // followed by a good one hung for a minute and came back as the old error.
    continue_.emplace(http::status::continue_, 11);
    stream_.tcp().expires_after(shared_.limits.io_timeout);
    auto response = std::make_shared<Response>(std::move(started.response));
    http::async_write(stream_, *continue_,
                      [self = shared_from_this(), response](beast::error_code ec, size_t) {
                        if (ec) {
                          self->LogAccess(0, "client gone during 100-continue");
                          return self->Close();
                        }
                        self->SendResponse(std::move(*response));
                      });
    return;
  }
  if (!started.body) return SendResponse(std::move(started.response));
  body_ = std::move(started.body);
  // A chunk as large as the body, up to body_chunk_size (unknown length: the most).
  const auto length = parser_->content_length_remaining();
  SizeBodyChunk(static_cast<size_t>(
      std::clamp<uint64_t>(length.value_or(UINT64_MAX), 1, shared_.limits.body_chunk_size)));
  if (expect_continue_) {
    // Auth succeeded and the handler wants the body: now invite the client to send it.
    continue_.emplace(http::status::continue_, 11);
    stream_.tcp().expires_after(shared_.limits.io_timeout);
    http::async_write(stream_, *continue_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) {
                          self->AbandonBody();
                          self->LogAccess(0, "client gone during 100-continue");
                          return self->Close();
                        }
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Session::ReadBody() {
  filled_ = 0;
  if (!direct_left_ && !request_.chunked && parser_->content_length()) {
    direct_left_ = parser_->content_length_remaining().value_or(0);
  }
  ContinueBodyRead();
}

void Session::ContinueBodyRead() {
  if (direct_left_) return DirectRead();
  auto& body = parser_->get().body();
  body.data = chunk_.data() + filled_;
  body.size = chunk_.size() - filled_;
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  http::async_read_some(stream_, buffer_, *parser_,
                        beast::bind_front_handler(&Session::OnBodyRead, shared_from_this()));
}

void Session::OnBodyRead(beast::error_code ec, size_t /*bytes*/) {
  if (ec == http::error::need_buffer) ec = {};
  if (ec) {
    // The client closed or stalled before sending the whole body: nothing is committed.
    AbandonBody();
    LogAccess(0, IsDisconnect(ec) ? "incomplete body" : "bad body framing");
    if (!IsDisconnect(ec)) {
      keep_alive_ = false;
      return Write(EarlyError(ProtocolError::kIncompleteBody, "The request body is malformed."));
    }
    return Close();
  }
  OnBodyBytes(chunk_.size() - filled_ - parser_->get().body().size, parser_->is_done());
}

void Session::DirectRead() {
  const size_t space =
      static_cast<size_t>(std::min<uint64_t>(chunk_.size() - filled_, *direct_left_));
  auto into = asio::buffer(chunk_.data() + filled_, space);
  if (space == 0) return OnDirectRead({}, 0);  // an empty body
  if (buffer_.size() != 0) {                   // body bytes that came with the head
    const size_t n = asio::buffer_copy(into, buffer_.data());
    buffer_.consume(n);
    return OnDirectRead({}, n);
  }
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  stream_.async_read_some(into,
                          beast::bind_front_handler(&Session::OnDirectRead, shared_from_this()));
}

void Session::OnDirectRead(beast::error_code ec, size_t bytes) {
  if (ec) {
    // The client closed or stalled before sending the whole body: nothing is committed.
    AbandonBody();
    LogAccess(0, "incomplete body");
    return Close();
  }
  *direct_left_ -= bytes;
  OnBodyBytes(bytes, *direct_left_ == 0);
}

void Session::OnBodyBytes(size_t got, bool done) {
  filled_ += got;
  bytes_in_ += got;
  // Fill the chunk before handing it to the engine pool: one pool round trip per chunk rather
  // than per socket read.
  if (!done && filled_ < chunk_.size()) return ContinueBodyRead();
  const size_t n = filled_;
  asio::post(*pool_, [self = shared_from_this(), n, done] {
    std::optional<Response> response = self->ProcessBodyChunk(n, done);
    if (response && !done) self->body_.reset();  // abandon on the pool: may remove temp data
    auto shared_response = std::make_shared<std::optional<Response>>(std::move(response));
    asio::post(self->stream_.get_executor(), [self, shared_response, done] {
      self->OnBodyProcessed(std::move(*shared_response), done);
    });
  });
}

void Session::OnBodyProcessed(std::optional<Response> response, bool done) {
  if (response) {
    if (done) {
      // Finish ran on the pool; drop the consumer there too (it may hold files).
      asio::post(*pool_, [b = std::move(body_)] {});
    }
    return SendResponse(std::move(*response));
  }
  ReadBody();
}

void Session::AbandonBody() {
  if (body_) asio::post(*pool_, [b = std::move(body_)] {});
}

bool Session::BodyUnread() const {
  if (direct_left_) return *direct_left_ != 0;
  return parser_ && parser_->is_header_done() && !parser_->is_done();
}

std::optional<uint64_t> Session::BodyLeft() const {
  if (direct_left_) return *direct_left_;
  auto left = parser_->content_length_remaining();
  return left ? std::optional<uint64_t>(*left) : std::nullopt;
}

void Session::SendResponse(Response response) {
  if (BodyUnread()) {
    // An answer before the whole body was read: drain a small body so the connection stays
    // usable, otherwise close after answering. A client that awaits 100-continue never got
    // the invitation, so its body is not coming: close.
    auto remaining = BodyLeft();
    if (!expect_continue_ && remaining && *remaining <= shared_.limits.drain_limit) {
      return DrainThenWrite(std::move(response));
    }
    response.close = true;
  }
  Write(std::move(response));
}

void Session::DrainThenWrite(Response response) {
  chunk_.resize(std::max<size_t>(chunk_.size(), 16 * 1024));
  auto pending = std::make_shared<Response>(std::move(response));
  if (direct_left_) {
    // The parser saw no body bytes: drain the rest the same way, never past the body.
    auto drained = [](Session& self, std::shared_ptr<Response> pending, size_t n) {
      *self.direct_left_ -= n;
      self.bytes_in_ += n;
      if (*self.direct_left_ != 0) return self.DrainThenWrite(std::move(*pending));
      self.Write(std::move(*pending));
    };
    if (buffer_.size() != 0) {  // body bytes that came with the head
      const size_t n = std::min<uint64_t>(buffer_.size(), *direct_left_);
      buffer_.consume(n);
      return drained(*this, std::move(pending), n);
    }
    const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk_.size(), *direct_left_));
    stream_.tcp().expires_after(shared_.limits.io_timeout);
    stream_.async_read_some(
        asio::buffer(chunk_.data(), want),
        [self = shared_from_this(), pending, drained](beast::error_code ec, size_t n) {
          if (ec) {
            pending->close = true;
            return self->Write(std::move(*pending));
          }
          drained(*self, pending, n);
        });
    return;
  }
  auto& body = parser_->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  http::async_read_some(stream_, buffer_, *parser_,
                        [self = shared_from_this(), pending](beast::error_code ec, size_t) {
                          if (ec == http::error::need_buffer) ec = {};
                          if (ec) {
                            pending->close = true;
                            return self->Write(std::move(*pending));
                          }
                          self->bytes_in_ += self->chunk_.size() - self->parser_->get().body().size;
                          if (!self->parser_->is_done())
                            return self->DrainThenWrite(std::move(*pending));
                          self->Write(std::move(*pending));
                        });
}

void Session::Write(Response response) {
  if (closed_) return;
  // The body is read (or abandoned): its chunk and budget go back before the client can hear
  // the answer and send more, so an idle connection keeps at most a response chunk. A streamed
  // answer sizes its own chunk.
  ReleaseChunk();
  status_ = response.status;
  keep_alive_ = keep_alive_ && !response.close && !stopping_ && parser_ &&
                parser_->is_header_done() && parser_->keep_alive();
  res_.emplace();
  res_->version(parser_ && parser_->is_header_done() ? parser_->get().version() : 11);
  res_->result(static_cast<unsigned>(response.status));
  shared_.service.DecorateResponse(request_, response.headers);
  for (auto& [name, value] : response.headers) res_->insert(name, value);
  res_->set(http::field::server, "MaxIOFS");
  res_->set(http::field::date,
            FormatHttpDate(std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count()));
  res_->keep_alive(keep_alive_);

  const bool no_body_status =
      response.status == 204 || response.status == 304 || response.status < 200;
  uint64_t length = 0;
  if (response.source) {
    length = response.content_length.value_or(0);
  } else if (response.head) {
    length = response.content_length.value_or(0);
  } else {
    length = response.body.size();
  }
  if (!no_body_status) res_->set(http::field::content_length, std::to_string(length));

  res_body_ = std::move(response.body);
  source_ = std::move(response.source);
  source_remaining_ = length;
  auto& body = res_->body();
  body.data = nullptr;
  body.size = 0;
  body.more = false;
  if (!response.head && !no_body_status && !source_ && !res_body_.empty()) {
    body.data = res_body_.data();
    body.size = res_body_.size();
    bytes_out_ += res_body_.size();
  }
  if (response.head || no_body_status) source_.reset();
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  if (!source_) {
    // The whole response is in memory: the head as one flat buffer (the same bytes Beast's
    // serializer would write) and the body as a second, in one gather write. Beast's
    // serializer walks its many small buffers several times per write; for a small GET that
    // walk cost more than the request.
    res_head_.clear();
    res_head_.append(res_->version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    res_head_.append(std::to_string(res_->result_int()));
    res_head_.push_back(' ');
    res_head_.append(res_->reason());
    res_head_.append("\r\n");
    for (const auto& field : *res_) {
      res_head_.append(field.name_string());
      res_head_.append(": ");
      res_head_.append(field.value());
      res_head_.append("\r\n");
    }
    res_head_.append("\r\n");
    std::array<asio::const_buffer, 2> wire{asio::buffer(res_head_),
                                           asio::buffer(body.data, body.size)};
    asio::async_write(stream_, wire,
                      beast::bind_front_handler(&Session::OnWriteDone, shared_from_this()));
    return;
  }
  // A streamed body: Beast writes the head, then each chunk as the source yields it.
  sr_.emplace(*res_);
  body.more = true;
  http::async_write_header(
      stream_, *sr_, beast::bind_front_handler(&Session::OnHeaderWritten, shared_from_this()));
}

void Session::OnHeaderWritten(beast::error_code ec, size_t) {
  if (ec) {
    LogAccess(status_, "client gone while writing");
    source_.reset();
    return Close();
  }
  chunk_.resize(shared_.limits.chunk_size);
  PumpSource();
}

void Session::PumpSource() {
  if (source_remaining_ == 0) {
    auto& body = res_->body();
    body.data = nullptr;
    body.size = 0;
    body.more = false;
    stream_.tcp().expires_after(shared_.limits.io_timeout);
    http::async_write(stream_, *sr_,
                      beast::bind_front_handler(&Session::OnWriteDone, shared_from_this()));
    return;
  }
  size_t want = static_cast<size_t>(std::min<uint64_t>(chunk_.size(), source_remaining_));
  if (source_->reads_without_waiting()) {
    // Bytes already in memory are sent without a trip to the pool.
    std::optional<Result<size_t>> n;
    {
      NoWaitScope scope;
      try {
        n = source_->Read(std::span<char>(chunk_.data(), want));
      } catch (const std::exception&) {
        n.reset();  // the pool's read meets the same failure and reports it
      }
      if (scope.would_block()) n.reset();
    }
    if (n) return OnSourceRead(std::move(*n));
  }
  asio::post(*pool_, [self = shared_from_this(), want] {
    Result<size_t> n = Status::Internal("read failed");
    try {
      n = self->source_->Read(std::span<char>(self->chunk_.data(), want));
    } catch (const std::exception& e) {
      n = Status::Internal(e.what());
    }
    auto shared_n = std::make_shared<Result<size_t>>(std::move(n));
    asio::post(self->stream_.get_executor(),
               [self, shared_n] { self->OnSourceRead(std::move(*shared_n)); });
  });
}

void Session::OnSourceRead(Result<size_t> n) {
  if (!n.has_value() || *n == 0) {
    // The status line is gone already: the only honest signal left is closing the
    // connection before Content-Length bytes were sent.
    shared_.log->error("request_id={} object read failed after {} bytes: {}", request_.request_id,
                       bytes_out_, n.has_value() ? "unexpected end of data" : n.error().ToString());
    LogAccess(status_, "object read failed");
    source_.reset();
    return Close();
  }
  size_t got = std::min<uint64_t>(*n, source_remaining_);
  source_remaining_ -= got;
  bytes_out_ += got;
  auto& body = res_->body();
  body.data = chunk_.data();
  body.size = got;
  body.more = true;
  stream_.tcp().expires_after(shared_.limits.io_timeout);
  http::async_write(stream_, *sr_,
                    beast::bind_front_handler(&Session::OnBodyChunkWritten, shared_from_this()));
}

void Session::OnBodyChunkWritten(beast::error_code ec, size_t) {
  if (ec == http::error::need_buffer) ec = {};
  if (ec) {
    LogAccess(status_, "client gone while writing");
    source_.reset();
    return Close();
  }
  PumpSource();
}

void Session::OnWriteDone(beast::error_code ec, size_t) {
  if (source_) asio::post(*pool_, [s = std::move(source_)] {});
  LogAccess(status_, ec ? "client gone while writing" : "");
  if (ec) return Close();
  res_.reset();
  sr_.reset();
  res_body_.clear();
  res_head_.clear();
  if (!keep_alive_) {
    beast::error_code ignored;
    stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    return Close();
  }
  DoReadHeader();
}

void Session::LogAccess(int status, std::string_view note) {
  auto elapsed = std::chrono::steady_clock::now() - started_at_;
  std::string target = request_.target.empty() ? "-" : shared_.service.LogTarget(request_);
  // With an observer, the observer writes the access log (app/: configurable format and
  // file); this line is then only for debugging.
  shared_.log->log(
      shared_.on_complete ? spdlog::level::debug : spdlog::level::info,
      "request_id={} remote={} user={} method={} target={} op={} status={} bytes_in={} "
      "bytes_out={} latency_ms={:.3f}{}{}",
      request_.request_id, remote_, user_.empty() ? "-" : user_,
      request_.method.empty() ? "-" : request_.method, target,
      operation_.empty() ? "-" : operation_, status, bytes_in_, bytes_out_,
      std::chrono::duration<double, std::milli>(elapsed).count(),
      note.empty() ? "" : " note=", note);
  if (shared_.on_complete) {
    RequestRecord record;
    record.server = shared_.name;
    record.request_id = request_.request_id;
    record.remote = remote_;
    record.user = user_;
    record.operation = operation_;
    record.method = request_.method;
    record.target = target;
    record.status = status;
    record.bytes_in = bytes_in_;
    record.bytes_out = bytes_out_;
    record.latency = std::chrono::duration_cast<std::chrono::microseconds>(elapsed);
    record.note = note;
    try {
      shared_.on_complete(record);
    } catch (const std::exception& e) {
      shared_.log->error("request observer failed: {}", e.what());
    }
  }
}

}  // namespace maxiofs::http
