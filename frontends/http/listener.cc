#include "listener.h"

#include "session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

namespace maxiofs::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

Listener::Listener(std::vector<asio::io_context*> contexts, ServerShared& shared)
    : contexts_(std::move(contexts)),
      shared_(shared),
      acceptor_(asio::make_strand(*contexts_.front())),
      retry_timer_(acceptor_.get_executor()) {}

Status Listener::Open(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return Status::IOError("open socket: " + ec.message());
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return Status::IOError("set SO_REUSEADDR: " + ec.message());
  acceptor_.bind(endpoint, ec);
  if (ec == asio::error::address_in_use) {
    return Status::Busy("address in use: " + endpoint.address().to_string() + ":" +
                        std::to_string(endpoint.port()));
  }
  if (ec) return Status::IOError("bind: " + ec.message());
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::IOError("listen: " + ec.message());
  port_ = acceptor_.local_endpoint(ec).port();
  return Status::OK();
}

void Listener::Run() {
  asio::dispatch(acceptor_.get_executor(),
                 beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
}

void Listener::Stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->retry_timer_.cancel();
    self->acceptor_.close(ec);
  });
}

void Listener::DoAccept() {
  if (!acceptor_.is_open()) return;
  // Each connection lives on one network thread's io_context: its handlers never wake another
  // network thread.
  asio::io_context& ioc = *contexts_[next_];
  next_ = (next_ + 1) % contexts_.size();
  acceptor_.async_accept(asio::make_strand(ioc),
                         beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // E.g. EMFILE: back off briefly rather than spinning on the error.
    shared_.log->warn("accept failed: {}", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
    return;
  }
  // Responses are written whole (headers, then body chunks): without TCP_NODELAY, Nagle's
  // algorithm holds a small response until the client's delayed ACK, ~40 ms per request.
  beast::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);  // best effort: a failure only costs latency
  auto session = std::make_shared<Session>(std::move(socket), shared_);
  if (!session->Start()) shared_.log->warn("connection refused: connection limit reached");
  DoAccept();
}

}  // namespace maxiofs::http
