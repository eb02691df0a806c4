// Listener: accepts TCP connections and starts a Session for each, on its own strand
// (Beast's advanced server), handing the connections to the network threads' io_contexts in
// turn. Connections over the limit are closed at once. Stop() closes the acceptor.
// Thread-safe Stop; the rest runs on the first io_context.
#pragma once

#include "server_shared.h"

#include "maxiofs/common/status.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>
#include <vector>

namespace maxiofs::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `contexts`: one per network thread, non-empty; they outlive the listener.
  Listener(std::vector<boost::asio::io_context*> contexts, ServerShared& shared);

  // Binds and listens. Busy when the address is in use; IOError otherwise.
  Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  uint16_t port() const { return port_; }
  void Run();
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  const std::vector<boost::asio::io_context*> contexts_;
  size_t next_ = 0;  // the context of the next connection (touched on the acceptor's strand)
  ServerShared& shared_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  uint16_t port_ = 0;
};

}  // namespace maxiofs::http
