// Test helper: an HTTP/1.1 proxy on a free loopback port in front of a real server, which
// answers the next N requests itself with an error (500 InternalError, 503 SlowDown, ...)
// instead of forwarding them: a service that fails or throttles for a while. Requests are
// taken one at a time per connection (Content-Length framing, as the S3 client sends them);
// responses are relayed by their Content-Length (none for HEAD, 204 and 304).
// Not thread-safe to configure concurrently with itself; the serving threads are its own.
#pragma once

#include "testing/test_server.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace maxiofs::backends::test_support {

class FaultProxy {
 public:
  explicit FaultProxy(int target_port) : target_(target_port) {}
  ~FaultProxy() {
    stop_ = true;
    if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
    if (acceptor_.joinable()) acceptor_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    std::vector<std::thread> ts;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
      ts.swap(threads_);
    }
    for (auto& t : ts) t.join();
  }

  bool Start() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return false;
    socklen_t len = sizeof(a);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (::listen(listen_fd_, 64) != 0) return false;
    acceptor_ = std::thread([this] { AcceptLoop(); });
    return true;
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The next `n` requests are answered "HTTP/1.1 <status_line>" with an S3 error document of
  // code `code`. n = 0 clears what is pending.
  void FailNext(int n, std::string status_line, std::string code) {
    std::lock_guard<std::mutex> l(mu_);
    if (n == 0) pending_.clear();
    for (int i = 0; i < n; ++i) pending_.push_back({status_line, code});
  }
  uint64_t failed() const { return failed_; }

 private:
  struct Fault {
    std::string status_line;
    std::string code;
  };

  static bool WriteAll(int fd, const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  // Reads one message head (through the blank line) into `head`, keeping extra bytes in `buf`.
  static bool ReadHead(int fd, std::string& buf, std::string& head) {
    for (;;) {
      const size_t end = buf.find("\r\n\r\n");
      if (end != std::string::npos) {
        head = buf.substr(0, end + 4);
        buf.erase(0, end + 4);
        return true;
      }
      char tmp[65536];
      ssize_t n = ::recv(fd, tmp, sizeof(tmp), 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<size_t>(n));
    }
  }

  static uint64_t ContentLength(const std::string& head) {
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t p = lower.find("\r\ncontent-length:");
    if (p == std::string::npos) return 0;
    return std::stoull(lower.substr(p + 17));
  }

  // Relays `len` body bytes: first from `buf`, then from `from`, to `to` (-1: drop them).
  static bool RelayBody(int from, int to, std::string& buf, uint64_t len) {
    const size_t have = static_cast<size_t>(std::min<uint64_t>(buf.size(), len));
    if (to >= 0 && !WriteAll(to, buf.data(), have)) return false;
    buf.erase(0, have);
    len -= have;
    char tmp[65536];
    while (len > 0) {
      ssize_t n = ::recv(from, tmp, static_cast<size_t>(std::min<uint64_t>(sizeof(tmp), len)), 0);
      if (n <= 0) return false;
      if (to >= 0 && !WriteAll(to, tmp, static_cast<size_t>(n))) return false;
      len -= static_cast<uint64_t>(n);
    }
    return true;
  }

  void AcceptLoop() {
    while (!stop_) {
      int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::lock_guard<std::mutex> l(mu_);
      open_fds_.push_back(c);
      threads_.emplace_back([this, c] { Serve(c); });
    }
  }

  void Serve(int client) {
    int upstream = -1;
    std::string cbuf, ubuf, head;
    while (!stop_ && ReadHead(client, cbuf, head)) {
      const bool is_head = head.starts_with("HEAD ");
      const uint64_t req_len = ContentLength(head);
      std::optional<Fault> fault;
      {
        std::lock_guard<std::mutex> l(mu_);
        if (!pending_.empty()) {
          fault = pending_.front();
          pending_.pop_front();
        }
      }
      if (fault) {
        if (!RelayBody(client, -1, cbuf, req_len)) break;
        ++failed_;
        const std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" +
                                 fault->code + "</Code><Message>injected</Message></Error>";
        const std::string resp =
            "HTTP/1.1 " + fault->status_line +
            "\r\nContent-Type: application/xml\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + (is_head ? "" : body);
        if (!WriteAll(client, resp.data(), resp.size())) break;
        continue;
      }
      if (upstream < 0) {
        upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(target_));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(upstream, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) break;
      }
      if (!WriteAll(upstream, head.data(), head.size())) break;
      if (!RelayBody(client, upstream, cbuf, req_len)) break;
      std::string rhead;
      if (!ReadHead(upstream, ubuf, rhead)) break;
      if (!WriteAll(client, rhead.data(), rhead.size())) break;
      const bool no_body =
          is_head || rhead.starts_with("HTTP/1.1 204") || rhead.starts_with("HTTP/1.1 304");
      if (!RelayBody(upstream, client, ubuf, no_body ? 0 : ContentLength(rhead))) break;
    }
    if (upstream >= 0) ::close(upstream);
    std::lock_guard<std::mutex> l(mu_);
    std::erase(open_fds_, client);
    ::close(client);
  }

  const int target_;
  int port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> failed_{0};
  std::thread acceptor_;
  std::mutex mu_;  // guards pending_, open_fds_, threads_
  std::deque<Fault> pending_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
};

}  // namespace maxiofs::backends::test_support
