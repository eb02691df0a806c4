// Helpers for engine tests: a fresh temp data dir per test, removed afterwards.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace maxiofs::engine {

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() / ("maxiofs-test-" + backends::NewBlobId())) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<Engine> OpenOrDie(const std::string& dir,
                                         uint64_t inline_threshold = 128 * 1024) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = inline_threshold;
  auto r = Engine::Open(o);
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.has_value() ? std::move(r).value() : nullptr;
}

inline Result<ObjectInfo> Put(Engine& e, const std::string& bucket, const std::string& key,
                              std::string_view data, PutObjectRequest req = {}) {
  req.bucket = bucket;
  req.key = key;
  MAXIOFS_ASSIGN_OR_RETURN(auto w, e.BeginPut(req));
  // Append in uneven pieces to exercise the spill-to-blob path.
  size_t pos = 0, step = 1000;
  while (pos < data.size()) {
    size_t n = std::min(step, data.size() - pos);
    MAXIOFS_RETURN_IF_ERROR(w->Append(data.substr(pos, n)));
    pos += n;
    step = step * 3 + 7;
  }
  return w->Commit();
}

inline Result<std::string> ReadAll(ObjectReader& r) {
  std::string out;
  char buf[7000];
  for (;;) {
    MAXIOFS_ASSIGN_OR_RETURN(size_t n, r.Read(buf));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

inline Result<std::string> Get(Engine& e, const std::string& bucket, const std::string& key,
                               std::optional<RangeSpec> range = std::nullopt) {
  GetObjectRequest g;
  g.bucket = bucket;
  g.key = key;
  g.range = range;
  MAXIOFS_ASSIGN_OR_RETURN(auto r, e.GetObject(g));
  return ReadAll(*r);
}

inline DeleteObjectRequest DelReq(std::string bucket, std::string key, std::string version = "") {
  DeleteObjectRequest r;
  r.bucket = std::move(bucket);
  r.key = std::move(key);
  r.version_id = std::move(version);
  return r;
}

inline HeadObjectRequest HeadReq(std::string bucket, std::string key, Preconditions p = {},
                                 std::string version = "") {
  HeadObjectRequest r;
  r.bucket = std::move(bucket);
  r.key = std::move(key);
  r.preconditions = std::move(p);
  r.version_id = std::move(version);
  return r;
}

inline std::string Pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

// Blob files under `dir`: regular files named by a blob id (the store's STORE label is not one).
inline size_t CountFiles(const std::filesystem::path& dir) {
  size_t n = 0;
  if (!std::filesystem::exists(dir)) return 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    n += e.is_regular_file() && backends::IsValidBlobId(e.path().filename().string());
  }
  return n;
}

}  // namespace maxiofs::engine
