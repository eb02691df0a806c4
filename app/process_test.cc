// Process-level tests: run the built `maxiofs` binary (MAXIOFS_BINARY, from CMake) the way a
// user or a supervisor does and check its exit codes, messages and the ready line. Every wait
// is bounded and every spawned process is killed by PID when its test ends.
#include "maxiofs/app/version.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace maxiofs::app {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr auto kExitTimeout = seconds(30);
constexpr auto kReadyTimeout = seconds(30);

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One plain HTTP/1.1 GET to 127.0.0.1:`port`; returns the raw response ("" on failure).
// Bounded by a 10 s socket timeout.
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) response.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return response;
}

// A spawned maxiofs process with stdout and stderr captured in files. Killed (SIGKILL) and
// reaped on destruction if still running.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& dir, const std::string& name,
        const std::vector<std::string>& extra_env)
      : out_(dir / (name + ".stdout")), err_(dir / (name + ".stderr")) {
    std::vector<std::string> argv_s = {MAXIOFS_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    // Every server gets its own free console port, so tests run in parallel (ctest -j).
    std::vector<std::string> env_s = {"PATH=/usr/local/bin:/usr/bin:/bin",
                                      "MAXIOFS_SERVER_CONSOLE_LISTEN=127.0.0.1:0"};
    env_s.insert(env_s.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> argv, envp;
    for (std::string& s : argv_s) argv.push_back(s.data());
    for (std::string& s : env_s) envp.push_back(s.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) pid_ = -1;
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // The exit code once the process exits within `timeout` (128+N if killed by signal N);
  // nullopt on timeout (the process keeps running until the destructor).
  std::optional<int> Wait(milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return std::nullopt;
  }

  // Waits up to `timeout` for `needle` to appear in stderr. False on timeout or early exit.
  bool WaitForStderr(const std::string& needle, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Stderr().find(needle) != std::string::npos) return true;
      int status = 0;
      if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Stderr().find(needle) != std::string::npos;
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }

  std::string Stdout() const { return ReadFile(out_); }
  std::string Stderr() const { return ReadFile(err_); }

 private:
  fs::path out_;
  fs::path err_;
  pid_t pid_ = -1;
};

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "maxiofs-process-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    children_.clear();  // kill before removing their files
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Child& Spawn(const std::vector<std::string>& args, std::vector<std::string> env = {}) {
    const std::string name = "child" + std::to_string(children_.size());
    children_.push_back(std::make_unique<Child>(args, dir_, name, env));
    EXPECT_TRUE(children_.back()->started()) << "cannot spawn " << MAXIOFS_BINARY;
    return *children_.back();
  }

  // Runs to completion; fails the test if it does not exit in time.
  int Run(Child& child) {
    std::optional<int> code = child.Wait(kExitTimeout);
    EXPECT_TRUE(code.has_value()) << "maxiofs did not exit; stderr:\n" << child.Stderr();
    return code.value_or(-1);
  }

  // Starts a server on a free loopback port and waits for its ready line.
  Child& StartServer(const std::string& data_dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"server", "--listen", "127.0.0.1:0", "--data-dir", data_dir};
    args.insert(args.end(), extra.begin(), extra.end());
    Child& child = Spawn(args);
    EXPECT_TRUE(child.WaitForStderr("maxiofs ready: ", kReadyTimeout)) << "no ready line; stderr:\n"
                                                                       << child.Stderr();
    return child;
  }

  fs::path dir_;
  std::vector<std::unique_ptr<Child>> children_;
};

const std::regex kReadyLine(R"(maxiofs ready: s3=127\.0\.0\.1:(\d+) data=(\S+)\n)");

TEST_F(ProcessTest, VersionPrintsTheProjectVersion) {
  Child& child = Spawn({"version"});
  EXPECT_EQ(Run(child), 0);
  EXPECT_EQ(child.Stdout(), "maxiofs " + std::string(kVersion) + "\n");
  EXPECT_EQ(kVersion.find('@'), std::string_view::npos);
}

TEST_F(ProcessTest, ServerHelpListsEveryFlag) {
  Child& child = Spawn({"server", "--help"});
  EXPECT_EQ(Run(child), 0);
  const std::string help = child.Stdout();
  for (const char* flag :
       {"--config", "--data-dir", "--listen", "--console-listen", "--mount", "--access-key",
        "--secret-key", "--log-level", "MAXIOFS_SERVER_LISTEN", "MAXIOFS_AUTH_SECRET_KEY"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag << " missing from:\n" << help;
  }
  EXPECT_EQ(help.find("maxioadmin\n"), std::string::npos) << "secret default shown:\n" << help;
}

TEST_F(ProcessTest, ServerHelpListsEveryKey) {
  Child& child = Spawn({"server", "--help"});
  EXPECT_EQ(Run(child), 0);
  const std::string help = child.Stdout();
  for (const char* text :
       {"--server-region", "MAXIOFS_SERVER_REGION", "--engine-inline-threshold", "--tls-cert-file",
        "--tls-cert", "MAXIOFS_TLS_KEY_FILE", "--tls-min-version", "--metrics-path",
        "MAXIOFS_METRICS_LISTEN", "--logging-format", "--log-format", "--logging-audit-file",
        "MAXIOFS_LOGGING_ACCESS_FILE"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text << " missing from:\n" << help;
  }
}

TEST_F(ProcessTest, ConfigCheckValidatesAFile) {
  const fs::path good = dir_ / "good.yaml";
  std::ofstream(good) << "server:\n  listen: \"127.0.0.1:9000\"\nauth:\n  secret_key: s3cr3t\n";
  Child& ok = Spawn({"config", "check", good.string()});
  EXPECT_EQ(Run(ok), 0);
  EXPECT_NE(ok.Stdout().find("configuration is valid"), std::string::npos) << ok.Stdout();

  const fs::path bad = dir_ / "bad.yaml";
  std::ofstream(bad) << "server:\n  listen: \"127.0.0.1:99999\"\n";
  Child& port = Spawn({"config", "check", bad.string()});
  EXPECT_EQ(Run(port), 2);
  EXPECT_NE(port.Stderr().find("invalid server.listen '127.0.0.1:99999'"), std::string::npos)
      << port.Stderr();

  const fs::path tls = dir_ / "tls.yaml";
  std::ofstream(tls) << "tls:\n  cert_file: /nonexistent/cert.pem\n  key_file: " << good.string()
                     << "\n";
  Child& cert = Spawn({"config", "check", tls.string()});
  EXPECT_EQ(Run(cert), 2);
  EXPECT_NE(cert.Stderr().find("invalid tls.cert_file '/nonexistent/cert.pem'"), std::string::npos)
      << cert.Stderr();

  Child& missing = Spawn({"config", "check", (dir_ / "nope.yaml").string()});
  EXPECT_EQ(Run(missing), 2);
  EXPECT_NE(missing.Stderr().find("does not exist"), std::string::npos) << missing.Stderr();
}

TEST_F(ProcessTest, UnreadableTlsFileFailsBeforeListening) {
  Child& child = Spawn({"server", "--data-dir", (dir_ / "data").string(), "--listen", "127.0.0.1:0",
                        "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"});
  EXPECT_EQ(Run(child), 2);
  EXPECT_NE(child.Stderr().find("invalid tls.cert_file"), std::string::npos) << child.Stderr();
  EXPECT_FALSE(fs::exists(dir_ / "data")) << "the data dir was touched before validation";
}

TEST_F(ProcessTest, NoSubcommandOrUnknownFlagFails) {
  Child& none = Spawn({});
  EXPECT_EQ(Run(none), 2);
  EXPECT_NE(none.Stderr().find("maxiofs: error: A subcommand is required"), std::string::npos)
      << none.Stderr();
  Child& bogus = Spawn({"server", "--bogus"});
  EXPECT_EQ(Run(bogus), 2);
  EXPECT_NE(bogus.Stderr().find("maxiofs: error: "), std::string::npos) << bogus.Stderr();
  EXPECT_NE(bogus.Stderr().find("--bogus"), std::string::npos) << bogus.Stderr();
  Child& missing = Spawn({"server", "--listen"});
  EXPECT_EQ(Run(missing), 2);
  EXPECT_NE(missing.Stderr().find("--listen"), std::string::npos) << missing.Stderr();
}

TEST_F(ProcessTest, BadFlagValueExitsWithTheMessage) {
  const fs::path data = dir_ / "data";
  Child& child = Spawn({"server", "--listen", "127.0.0.1:99999", "--data-dir", data.string()});
  EXPECT_EQ(Run(child), 2);
  const std::string err = child.Stderr();
  EXPECT_NE(err.find("maxiofs: error: invalid server.listen '127.0.0.1:99999' (from flag "
                     "--listen): not a listen address: port out of range 0-65535"),
            std::string::npos)
      << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(fs::exists(data)) << "data dir created despite a bad config";
}

TEST_F(ProcessTest, BadEnvironmentValueExitsWithTheMessage) {
  Child& child =
      Spawn({"server", "--data-dir", (dir_ / "data").string()}, {"MAXIOFS_SERVER_LOG_LEVEL=loud"});
  EXPECT_EQ(Run(child), 2);
  EXPECT_NE(child.Stderr().find("invalid server.log_level 'loud' (from environment "
                                "MAXIOFS_SERVER_LOG_LEVEL)"),
            std::string::npos)
      << child.Stderr();
}

TEST_F(ProcessTest, MissingConfigFileExitsWithTheMessage) {
  const std::string path = (dir_ / "nope.yaml").string();
  Child& child = Spawn({"server", "--config", path});
  EXPECT_EQ(Run(child), 2);
  EXPECT_NE(child.Stderr().find("config file " + path + " does not exist"), std::string::npos)
      << child.Stderr();
}

TEST_F(ProcessTest, UnknownConfigKeyExitsWithTheMessage) {
  const fs::path path = dir_ / "bad.yaml";
  std::ofstream(path) << "server:\n  listn: \":1\"\n";
  Child& child = Spawn({"server", "--config", path.string()});
  EXPECT_EQ(Run(child), 2);
  EXPECT_NE(child.Stderr().find("unknown key 'server.listn'"), std::string::npos) << child.Stderr();
}

TEST_F(ProcessTest, DataDirThatIsARegularFileFails) {
  const fs::path file = dir_ / "file";
  std::ofstream(file) << "x";
  Child& child = Spawn({"server", "--listen", "127.0.0.1:0", "--data-dir", file.string()});
  EXPECT_EQ(Run(child), 1);
  const std::string err = child.Stderr();
  EXPECT_NE(err.find("cannot use data dir " + file.string() + ": it exists and is not a directory"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("maxiofs ready"), std::string::npos) << err;
}

TEST_F(ProcessTest, ReadyLineAndErrorsShowEvenWithLoggingOff) {
  Child& server = StartServer((dir_ / "data").string(), {"--log-level", "off"});
  const std::string err = server.Stderr();
  EXPECT_TRUE(std::regex_search(err, kReadyLine)) << err;
  EXPECT_EQ(err.find("starting maxiofs"), std::string::npos) << err;

  const fs::path file = dir_ / "file";
  std::ofstream(file) << "x";
  Child& bad = Spawn(
      {"server", "--listen", "127.0.0.1:0", "--data-dir", file.string(), "--log-level", "off"});
  EXPECT_EQ(Run(bad), 1);
  EXPECT_NE(bad.Stderr().find("maxiofs: error: cannot use data dir"), std::string::npos)
      << bad.Stderr();
}

TEST_F(ProcessTest, UncreatableDataDirFails) {
  const fs::path file = dir_ / "file";
  std::ofstream(file) << "x";
  const fs::path data = file / "data";  // a directory under a regular file: ENOTDIR, even as root
  Child& child = Spawn({"server", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  EXPECT_EQ(Run(child), 1);
  EXPECT_NE(child.Stderr().find("cannot open data dir " + data.string()), std::string::npos)
      << child.Stderr();
}

TEST_F(ProcessTest, MissingMountpointFailsClearly) {
  Child& child = Spawn({"server", "--listen", "127.0.0.1:0", "--data-dir", (dir_ / "data").string(),
                        "--mount", (dir_ / "no-such-dir").string()});
  EXPECT_EQ(Run(child), 1);
  EXPECT_NE(child.Stderr().find("cannot mount the store on " + (dir_ / "no-such-dir").string()),
            std::string::npos)
      << child.Stderr();
  EXPECT_EQ(child.Stderr().find("maxiofs ready"), std::string::npos);
}

bool IsMounted(const fs::path& dir) {
  return ReadFile("/proc/self/mounts").find(" " + dir.string() + " ") != std::string::npos;
}

// Unmounts `dir` on scope exit if a failed test left it mounted (never leave a mount behind).
struct MountGuard {
  fs::path dir;
  ~MountGuard() {
    if (IsMounted(dir)) umount2(dir.c_str(), MNT_DETACH);
  }
};

TEST_F(ProcessTest, MountServesTheStoreAndUnmountsOnSigterm) {
  ASSERT_TRUE(fs::exists("/dev/fuse")) << "FUSE tests need /dev/fuse (run as root with fuse3)";
  const fs::path mnt = dir_ / "mnt";
  fs::create_directories(mnt);
  MountGuard guard{mnt};
  Child& server = StartServer((dir_ / "data").string(), {"--mount", mnt.string()});
  ASSERT_NE(server.Stderr().find(" mount=" + mnt.string()), std::string::npos) << server.Stderr();
  ASSERT_TRUE(IsMounted(mnt));
  // A bucket made with mkdir and a file written through the mount, read back through it.
  ASSERT_TRUE(fs::create_directory(mnt / "via-fuse"));
  { std::ofstream(mnt / "via-fuse" / "hello.txt") << "hello from fuse"; }
  EXPECT_EQ(ReadFile(mnt / "via-fuse" / "hello.txt"), "hello from fuse");
  // The S3 API sees the same engine: the bucket lists (health proves the server answers).
  std::smatch m;
  const std::string err = server.Stderr();
  ASSERT_TRUE(std::regex_search(err, m, std::regex(R"(s3=127\.0\.0\.1:(\d+))")));
  EXPECT_NE(HttpGet(std::stoi(m[1]), "/_maxiofs/health/ready").find("200"), std::string::npos);
  kill(server.pid(), SIGTERM);
  EXPECT_EQ(Run(server), 0) << server.Stderr();
  EXPECT_FALSE(IsMounted(mnt));
  // Restart on the same data dir: the file written through FUSE is there.
  fs::path mnt2 = dir_ / "mnt2";
  fs::create_directories(mnt2);
  MountGuard guard2{mnt2};
  Child& again = StartServer((dir_ / "data").string(), {"--mount", mnt2.string()});
  EXPECT_EQ(ReadFile(mnt2 / "via-fuse" / "hello.txt"), "hello from fuse");
  kill(again.pid(), SIGTERM);
  EXPECT_EQ(Run(again), 0);
}

TEST_F(ProcessTest, ReadyLineThenCleanStopOnSigterm) {
  const fs::path data = dir_ / "data";
  Child& server = StartServer(data.string());
  const std::string err = server.Stderr();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(err, m, kReadyLine)) << err;
  const int port = std::stoi(m[1]);
  EXPECT_GT(port, 0);
  EXPECT_EQ(m[2].str(), data.string());
  EXPECT_TRUE(fs::is_directory(data));

  // The S3 front end really serves on the announced port.
  EXPECT_NE(HttpGet(port, "/_maxiofs/health/live").find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(HttpGet(port, "/_maxiofs/health/ready").find("HTTP/1.1 200"), std::string::npos);

  EXPECT_NE(err.find("default credentials maxioadmin/maxioadmin"), std::string::npos) << err;
  // The web console serves its app on its own port (127.0.0.1:0 from the environment).
  std::smatch console;
  ASSERT_TRUE(std::regex_search(
      err, console, std::regex(R"(web console listening on http://127\.0\.0\.1:(\d+))")))
      << err;
  EXPECT_NE(HttpGet(std::stoi(console[1]), "/").find("HTTP/1.1 200"), std::string::npos);

  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_EQ(server.Wait(kExitTimeout), std::optional<int>(0)) << server.Stderr();
  const std::string all = server.Stderr();
  EXPECT_NE(all.find("maxiofs stopped"), std::string::npos) << all;
  size_t ready_lines = 0;
  for (size_t pos = all.find("maxiofs ready:"); pos != std::string::npos;
       pos = all.find("maxiofs ready:", pos + 1)) {
    ++ready_lines;
  }
  EXPECT_EQ(ready_lines, 1u) << all;
}

TEST_F(ProcessTest, StopsOnSigintAndRestartsOnTheSameDataDir) {
  const fs::path data = dir_ / "data";
  Child& first = StartServer(data.string());
  ASSERT_EQ(kill(first.pid(), SIGINT), 0);
  EXPECT_EQ(first.Wait(kExitTimeout), std::optional<int>(0)) << first.Stderr();
  Child& second = StartServer(data.string());
  EXPECT_NE(second.Stderr().find("maxiofs ready:"), std::string::npos) << second.Stderr();
}

TEST_F(ProcessTest, SecondServerOnTheSameDataDirSaysItIsInUse) {
  const fs::path data = dir_ / "data";
  Child& first = StartServer(data.string());
  ASSERT_NE(first.Stderr().find("maxiofs ready:"), std::string::npos);
  Child& second = Spawn({"server", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  EXPECT_EQ(Run(second), 1);
  EXPECT_NE(
      second.Stderr().find("data dir " + data.string() + " is in use by another maxiofs process"),
      std::string::npos)
      << second.Stderr();
  // The first one is unharmed.
  EXPECT_FALSE(first.Wait(milliseconds(100)).has_value());
}

TEST_F(ProcessTest, ListenAddressInUseFails) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string listen_addr = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  Child& child = Spawn({"server", "--listen", listen_addr, "--data-dir", (dir_ / "d").string()});
  const int code = Run(child);
  close(fd);
  EXPECT_EQ(code, 1);
  EXPECT_NE(child.Stderr().find("cannot listen on " + listen_addr + " for the S3 API"),
            std::string::npos)
      << child.Stderr();
}

TEST_F(ProcessTest, ConfigFileAndEnvironmentAreApplied) {
  const fs::path file_data = dir_ / "from-file";
  const fs::path env_data = dir_ / "from-env";
  const fs::path config = dir_ / "maxiofs.yaml";
  std::ofstream(config) << "server:\n  listen: \"127.0.0.1:0\"\n  data_dir: " << file_data.string()
                        << "\nauth:\n  access_key: filekey\n  secret_key: s3cr3t-from-file\n";
  Child& child = Spawn(
      {"server", "--config", config.string()},
      {"MAXIOFS_SERVER_DATA_DIR=" + env_data.string(), "MAXIOFS_AUTH_SECRET_KEY=s3cr3t-from-env"});
  ASSERT_TRUE(child.WaitForStderr("maxiofs ready: ", kReadyTimeout)) << child.Stderr();
  const std::string err = child.Stderr();
  EXPECT_NE(err.find("data=" + env_data.string() + "\n"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(file_data));
  EXPECT_NE(err.find("access_key=filekey"), std::string::npos) << err;
  // Custom credentials: no default-credential warning, and the secret is never logged.
  EXPECT_EQ(err.find("default credentials"), std::string::npos) << err;
  EXPECT_EQ(err.find("s3cr3t"), std::string::npos) << err;
}

}  // namespace
}  // namespace maxiofs::app
