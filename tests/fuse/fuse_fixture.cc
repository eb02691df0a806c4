#include "fuse_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace maxiofs::fuse::testing {

void FuseTest::SetUp() {
  if (::access("/dev/fuse", R_OK | W_OK) != 0) GTEST_SKIP() << "/dev/fuse is not usable here";
  char templ[] = "/tmp/maxiofs-fuse-XXXXXX";
  ASSERT_NE(::mkdtemp(templ), nullptr);
  root_ = templ;
  data_ = root_ + "/data";
  mnt_ = root_ + "/mnt";
  ASSERT_EQ(::mkdir(mnt_.c_str(), 0755), 0);
  engine::EngineOptions eo;
  eo.data_dir = data_;
  eo.sync = false;  // throw-away test data: no fsync per write
  auto e = engine::Engine::Open(eo);
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  engine_ = std::move(e).value();
  ASSERT_TRUE(engine_->CreateBucket({.bucket = kBucket}).ok());
  Mount();
}

void FuseTest::Mount() {
  FuseOptions o;
  o.mountpoint = mnt_;
  o.data_dir = data_;
  o.uid = ::getuid();
  o.gid = ::getgid();
  // Long cache timeouts: whatever the tests see fresh comes from invalidations, not expiry.
  o.attr_timeout_s = 30;
  o.entry_timeout_s = 30;
  o.iam_user = iam_user_;
  o.parts_etag = parts_etag_;
  o.allow_other = allow_other_;
  o.atime = atime_;
  o.versions = versions_;
  auto m = FuseMount::Start(o, *engine_);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  mount_ = std::move(m).value();
}

void FuseTest::Unmount() {
  if (mount_) {
    mount_->Stop();
    mount_.reset();
  }
}

void FuseTest::TearDown() {
  Unmount();
  if (!mnt_.empty()) ::umount2(mnt_.c_str(), MNT_DETACH);  // fallback; EINVAL if not mounted
  engine_.reset();
  std::error_code ec;
  if (!root_.empty()) std::filesystem::remove_all(root_, ec);
}

void FuseTest::PutObject(const std::string& key, std::string_view body,
                         std::vector<std::pair<std::string, std::string>> user) {
  engine::PutObjectRequest req;
  req.bucket = kBucket;
  req.key = key;
  req.meta.user = std::move(user);
  auto w = engine_->BeginPut(req);
  ASSERT_TRUE(w.has_value()) << w.error().ToString();
  ASSERT_TRUE((*w)->Append(body).ok());
  auto done = (*w)->Commit();
  ASSERT_TRUE(done.has_value()) << done.error().ToString();
}

std::optional<std::string> FuseTest::GetObject(const std::string& key) {
  engine::GetObjectRequest req;
  req.bucket = kBucket;
  req.key = key;
  auto r = engine_->GetObject(req);
  if (!r) return std::nullopt;
  std::string out;
  char buf[65536];
  while (true) {
    auto n = (*r)->Read(buf);
    if (!n || *n == 0) break;
    out.append(buf, *n);
  }
  return out;
}

std::vector<std::string> FuseTest::ListKeys(const std::string& prefix) {
  std::vector<std::string> keys;
  engine::ListObjectsRequest req;
  req.bucket = kBucket;
  req.prefix = prefix;
  while (true) {
    auto l = engine_->ListObjects(req);
    if (!l) break;
    for (const auto& o : l->objects) keys.push_back(o.key);
    if (!l->truncated) break;
    req.start_after = l->next_start_after;
  }
  return keys;
}

void FuseTest::WriteFile(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ASSERT_EQ(::close(fd), 0) << std::strerror(errno);
}

std::string FuseTest::ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0) << path << ": " << std::strerror(errno);
  if (fd < 0) return {};
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(n, 0) << std::strerror(errno);
  ::close(fd);
  return out;
}

std::vector<std::string> FuseTest::ReadDirNames(const std::string& path) {
  std::vector<std::string> names;
  DIR* d = ::opendir(path.c_str());
  EXPECT_NE(d, nullptr) << path << ": " << std::strerror(errno);
  if (d == nullptr) return names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::chrono::microseconds> FuseTest::WaitFor(const std::function<bool()>& cond,
                                                           std::chrono::milliseconds limit) {
  auto start = std::chrono::steady_clock::now();
  while (true) {
    bool done = cond();
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (done) return std::chrono::duration_cast<std::chrono::microseconds>(elapsed);
    if (elapsed > limit) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

int FuseTest::Shell(const std::string& cmd, std::string* output, int timeout_s) {
  std::string out_file = root_ + "/shell.out";
  // The whole command's output, not only its last command's.
  std::string full = "( " + cmd + "\n) >" + out_file + " 2>&1";
  std::string t = std::to_string(timeout_s);
  const char* argv[] = {"timeout", t.c_str(), "/bin/sh", "-c", full.c_str(), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "timeout", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    return -1;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  std::ifstream in(out_file);
  std::stringstream ss;
  ss << in.rdbuf();
  if (output) *output = ss.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace maxiofs::fuse::testing
