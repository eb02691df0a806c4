// Session: one HTTP/1.1 connection (Beast's advanced server pattern). It reads a request
// head, answers a GET or HEAD at once when that needs no wait for the disk
// (Service::TryStartWithoutWaiting) or else hands it to the Service on the worker pool, streams
// the request body in bounded chunks (read one chunk on the connection's strand, process it on
// the pool, read the next), then writes the response, streaming object bodies the same way. Kept
// alive only by its pending handlers; all its state is touched only on its strand.
#pragma once

#include "server_shared.h"
#include "server_stream.h"

#include "maxiofs/http/service.h"
#include "maxiofs/http/types.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace maxiofs::http {

// A byte buffer for body chunks: grows without zeroing (its bytes are not kept when it grows)
// and can be given back between requests.
class ChunkBuffer {
 public:
  char* data() { return bytes_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  void resize(size_t n) {
    if (n > capacity_) {
      bytes_ = std::make_unique_for_overwrite<char[]>(n);
      capacity_ = n;
    }
    size_ = n;
  }
  void release() {
    bytes_.reset();
    size_ = capacity_ = 0;
  }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, ServerShared& shared);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Registers with the connection registry and starts reading. Returns false (and the
  // connection is closed) when the registry refuses it (connection limit, stopping).
  bool Start();
  // Asks the session to finish: an idle connection closes now, a busy one after its
  // current response. Thread-safe.
  void Shutdown();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
  using ResponseMsg = boost::beast::http::response<boost::beast::http::buffer_body>;
  using Serializer = boost::beast::http::response_serializer<boost::beast::http::buffer_body>;

  void DoHandshake();
  void OnHandshake(boost::beast::error_code ec);
  void DoReadHeader();
  void OnHeader(boost::beast::error_code ec, size_t bytes);
  void OnStarted(StartedRequest started);
  // On the network thread, for GET and HEAD: Service::TryStartWithoutWaiting inside a
  // NoWaitScope, small body included. True when the request was answered that way; false
  // (nothing done) when it must go to the read pool.
  bool TryStartWithoutWaiting();
  // Reads a streamed response body that fits one chunk into response.body (on the pool, or
  // inside a NoWaitScope). False only inside a scope when a read would have waited; the
  // response must then be discarded.
  bool InlineSmallBody(Response& response);
  // True when the whole request body (Content-Length framed, at most one chunk) is already in
  // buffer_ and no 100-continue is awaited: it can be fed without reading the socket.
  bool BodyIsBuffered() const;
  // On the pool, with body_ set and BodyIsBuffered(): parses the buffered body into chunk_,
  // feeds it and finishes; returns the final response and drops body_.
  Response ConsumeBufferedBody();
  // On the pool: feeds chunk_[0, n) to body_ and, when `done`, finishes it. A response when
  // the request ends now (an early error, or Finish's answer).
  std::optional<Response> ProcessBodyChunk(size_t n, bool done);
  // Reads the body into chunk_ from its start (ReadBody) or from filled_ (ContinueBodyRead).
  void ReadBody();
  void ContinueBodyRead();
  void OnBodyRead(boost::beast::error_code ec, size_t bytes);
  // A Content-Length body is read straight from the socket into chunk_ (DirectRead): no copy
  // through buffer_ and the parser, and reads as large as the chunk rather than 64 KiB. The
  // parser then sees no body bytes; direct_left_ counts what is left.
  void DirectRead();
  void OnDirectRead(boost::beast::error_code ec, size_t bytes);
  // filled_ bytes of chunk_ are ready: read more, or hand them to the service on the pool.
  void OnBodyBytes(size_t got, bool done);
  // Sizes chunk_ for a body of `want` bytes: over limits.chunk_size only within the server's
  // body_chunk_budget (else limits.chunk_size). ReleaseChunk gives a large chunk and its
  // budget back (when the answer is written, and when the session ends).
  void SizeBodyChunk(size_t want);
  void ReleaseChunk();
  // Whether part of the request body is still unread, and how much (nullopt: unknown).
  bool BodyUnread() const;
  std::optional<uint64_t> BodyLeft() const;
  void OnBodyProcessed(std::optional<Response> response, bool done);
  void SendResponse(Response response);
  void DrainThenWrite(Response response);
  void Write(Response response);
  void OnHeaderWritten(boost::beast::error_code ec, size_t bytes);
  void PumpSource();
  void OnSourceRead(Result<size_t> n);
  void OnBodyChunkWritten(boost::beast::error_code ec, size_t bytes);
  void OnWriteDone(boost::beast::error_code ec, size_t bytes);
  void AbandonBody();
  void LogAccess(int status, std::string_view note);
  void Close();
  Response EarlyError(ProtocolError error, std::string message);

  ServerShared& shared_;
  // The pool running the current request's service calls (by method; see ServerOptions).
  boost::asio::thread_pool* pool_;
  ServerStream stream_;  // plain TCP or TLS (ServerShared::tls)
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  ConnectionRegistry::Guard guard_;
  std::string remote_;

  // The current request.
  HttpRequest request_;
  std::unique_ptr<RequestBody> body_;
  ChunkBuffer chunk_;
  size_t filled_ = 0;                    // bytes of the current body chunk already read into chunk_
  std::optional<uint64_t> direct_left_;  // set while the body is read directly (DirectRead)
  size_t budgeted_ = 0;                  // bytes of chunk_ counted in shared_.large_chunk_bytes
  bool expect_continue_ = false;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
  std::chrono::steady_clock::time_point started_at_;
  std::string user_;
  std::string operation_;
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;

  // The current response.
  std::optional<ResponseMsg> res_;
  std::optional<Serializer> sr_;
  std::string res_body_;
  std::string res_head_;  // a response written whole: its status line and fields
  std::unique_ptr<BodySource> source_;
  uint64_t source_remaining_ = 0;
  int status_ = 0;
  bool keep_alive_ = true;

  bool reading_header_ = false;  // idle between requests: Shutdown closes at once
  bool stopping_ = false;
  bool closed_ = false;
};

}  // namespace maxiofs::http
