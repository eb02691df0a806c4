// Listener: accepts TCP connections and starts a Session for each, on its own strand
// (Beast's advanced server). Connections over the limit are closed at once. Stop() closes the
// acceptor. Thread-safe Stop; the rest runs on the io_context.
#pragma once

#include "server_shared.h"

#include "maxiofs/common/status.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

namespace maxiofs::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, ServerShared& shared);

  // Binds and listens. Busy when the address is in use; IOError otherwise.
  Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  uint16_t port() const { return port_; }
  void Run();
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  ServerShared& shared_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  uint16_t port_ = 0;
};

}  // namespace maxiofs::http
