// ServerStream: one accepted connection, plain TCP or TLS, behind one Asio stream interface
// (async_read_some / async_write_some / get_executor), so the session's HTTP code is the same
// for both. The TLS variant keeps the context it was made with alive for its whole life, so a
// certificate reload never affects an open connection.
//
// Thread-safety: as an Asio stream: one owner, used on its strand.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace maxiofs::http {

class ServerStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;

  // Plain TCP.
  explicit ServerStream(boost::asio::ip::tcp::socket&& socket) : plain_(std::move(socket)) {}
  // TLS with `ctx` (kept alive by this stream). REQUIRES: ctx non-null.
  ServerStream(boost::asio::ip::tcp::socket&& socket,
               std::shared_ptr<boost::asio::ssl::context> ctx)
      : ctx_(std::move(ctx)) {
    tls_.emplace(std::move(socket), *ctx_);
  }

  bool is_tls() const { return tls_.has_value(); }
  // The TCP layer: timeouts (expires_after), the socket (close, shutdown, endpoints).
  boost::beast::tcp_stream& tcp() { return tls_ ? tls_->next_layer() : *plain_; }
  executor_type get_executor() { return tcp().get_executor(); }

  // The server side of the TLS handshake. REQUIRES: is_tls().
  template <class Handler>
  void async_handshake(Handler&& handler) {
    tls_->async_handshake(boost::asio::ssl::stream_base::server, std::forward<Handler>(handler));
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& b) {
          if (tls_) {
            tls_->async_read_some(b, std::move(handler));
          } else {
            plain_->async_read_some(b, std::move(handler));
          }
        },
        token, buffers);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          if (tls_) {
            tls_->async_write_some(b, std::move(handler));
          } else {
            plain_->async_write_some(b, std::move(handler));
          }
        },
        token, buffers);
  }

 private:
  std::shared_ptr<boost::asio::ssl::context> ctx_;  // TLS only; outlives tls_
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
};

}  // namespace maxiofs::http
