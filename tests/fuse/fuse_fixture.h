// FuseTest: a real Engine in a temp dir, mounted with FuseMount::Start on a temp mountpoint.
// Tests use real syscalls on the mount; TearDown always unmounts (Stop, then a lazy umount2
// as a fallback) even when a test failed, and every wait in the tests is bounded.
#pragma once

#include "maxiofs/engine/engine.h"
#include "maxiofs/fuse/fuse_mount.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::fuse::testing {

class FuseTest : public ::testing::Test {
 protected:
  static constexpr const char* kBucket = "bkt";

  void SetUp() override;
  void TearDown() override;

  void Mount();
  void Unmount();

  // Path inside the mount ("bkt/a" -> "<mnt>/bkt/a").
  std::string P(std::string_view rel) const { return mnt_ + "/" + std::string(rel); }
  std::string B(std::string_view rel) const {
    return P(std::string(kBucket) + "/" + std::string(rel));
  }

  engine::Engine& engine() { return *engine_; }
  FuseMount& mount() { return *mount_; }
  const std::string& root() const { return root_; }

  // Engine-side helpers (as S3 would do it).
  void PutObject(const std::string& key, std::string_view body,
                 std::vector<std::pair<std::string, std::string>> user = {});
  // The object's bytes, or nullopt when it does not exist.
  std::optional<std::string> GetObject(const std::string& key);
  std::vector<std::string> ListKeys(const std::string& prefix);

  // File helpers through the mount. Fail the test on error.
  static void WriteFile(const std::string& path, std::string_view data);
  static std::string ReadFile(const std::string& path);
  static std::vector<std::string> ReadDirNames(const std::string& path);

  // Polls `cond` every millisecond for up to `limit`; returns the time it took, or nullopt.
  static std::optional<std::chrono::microseconds> WaitFor(const std::function<bool()>& cond,
                                                          std::chrono::milliseconds limit);

  // Runs `/bin/sh -c cmd` under `timeout`, capturing stdout+stderr into *output.
  // Returns the exit status (124 on timeout, -1 when it could not run).
  int Shell(const std::string& cmd, std::string* output = nullptr, int timeout_s = 300);

  std::string root_, data_, mnt_;
  std::string iam_user_;                           // FuseOptions::iam_user of the next Mount()
  bool parts_etag_ = true;                         // FuseOptions::parts_etag of the next Mount()
  bool allow_other_ = false;                       // FuseOptions::allow_other
  AtimeMode atime_ = AtimeMode::kNoatime;          // FuseOptions::atime
  VersionsView versions_ = VersionsView::kHidden;  // FuseOptions::versions
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<FuseMount> mount_;
};

}  // namespace maxiofs::fuse::testing
