// Test helper: runs a server (s3rver, azurite: npm packages installed by
// tests/servers/install.sh into $MAXIOFS_TEST_SERVERS) as a child process on a free loopback
// port, waits (bounded) until it accepts connections, and stops it by PID: SIGTERM, then
// SIGKILL. Kill() and Start() again simulate a backend that dies and comes back.
// Not thread-safe: one owner.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace maxiofs::backends::test_support {

// A port nothing listens on now (the kernel's pick for an ephemeral bind).
inline int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(fd);
  return ok;
}

// Where tests/servers/install.sh put the servers ("" when the variable is unset).
inline std::string TestServersDir() {
  const char* d = std::getenv("MAXIOFS_TEST_SERVERS");
  return d ? d : "";
}

class TestServer {
 public:
  // `argv` is run with every "{port}" replaced by the port; output goes to `log`.
  TestServer(std::vector<std::string> argv, std::string log, int port = FreePort())
      : argv_(std::move(argv)), log_(std::move(log)), port_(port) {}
  ~TestServer() { Stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Starts it and waits (at most `timeout`) until the port accepts. False on failure.
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::vector<std::string> args;
    for (std::string a : argv_) {
      for (size_t p; (p = a.find("{port}")) != std::string::npos;) {
        a.replace(p, 6, std::to_string(port_));
      }
      args.push_back(std::move(a));
    }
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    const int rc = posix_spawnp(&pid_, cargv[0], &fa, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      pid_ = -1;
      return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Accepts(port_)) return true;
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {  // it exited
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Stop();
    return false;
  }

  // SIGKILL now (a crash), and reaps it.
  void Kill() { Signal(SIGKILL, std::chrono::seconds(10)); }

  // SIGTERM, then SIGKILL after 5 s.
  void Stop() {
    if (pid_ <= 0) return;
    if (!Signal(SIGTERM, std::chrono::seconds(5))) Kill();
  }

  // Stops (SIGSTOP) or resumes (SIGCONT) it: a server that accepts and never answers.
  void Pause(bool paused) {
    if (pid_ > 0) ::kill(pid_, paused ? SIGSTOP : SIGCONT);
  }

 private:
  bool Signal(int sig, std::chrono::milliseconds wait) {
    if (pid_ <= 0) return true;
    ::kill(pid_, SIGCONT);
    ::kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::vector<std::string> argv_;
  std::string log_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace maxiofs::backends::test_support
