// Test-only: a blocking raw HTTP/1.1 client connection for the server tests (frontends/http
// and frontends/s3), so they can send malformed or partial requests no HTTP library would.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::http::testing {

class Conn {
 public:
  explicit Conn(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Conn() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(size_t(n));
    }
    return true;
  }
  // Reads one response: header section plus Content-Length bytes (none for HEAD/204/304).
  std::string ReadResponse(bool head = false) {
    std::string out;
    while (out.find("\r\n\r\n") == std::string::npos) {
      if (!ReadMore(out)) return out;
    }
    size_t header_end = out.find("\r\n\r\n") + 4;
    size_t length = 0;
    std::string lower = out.substr(0, header_end);
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    size_t cl = lower.find("content-length: ");
    if (cl != std::string::npos && !head) length = std::stoul(lower.substr(cl + 16));
    while (out.size() < header_end + length) {
      if (!ReadMore(out)) break;
    }
    pending_ = out.substr(std::min(out.size(), header_end + length));
    out.resize(std::min(out.size(), header_end + length));
    return out;
  }
  // True when the server closed the connection (EOF) within the receive timeout.
  bool Closed() {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool ReadMore(std::string& out) {
    if (!pending_.empty()) {
      out += pending_;
      pending_.clear();
      return true;
    }
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    out.append(buf, size_t(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

inline int StatusOf(const std::string& response) {
  if (response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

}  // namespace maxiofs::http::testing
