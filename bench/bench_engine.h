// What the engine benchmarks share: opening an engine on a scratch dir with one bucket, writing
// an object in 1 MiB appends, reading one back, and timing helpers. Header-only; for bench/
// programs, never for the product.
#pragma once

#include "maxiofs/engine/engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::bench {

using Clock = std::chrono::steady_clock;

inline double Secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The middle element of `v` (the upper one of an even count). REQUIRES: v is not empty.
inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The bucket every helper below works in.
inline constexpr std::string_view kBucket = "bench";

// Opens an engine with `options` and creates kBucket; prints the error and exits on failure.
inline std::unique_ptr<engine::Engine> OpenWithBucket(const engine::EngineOptions& options) {
  auto e = engine::Engine::Open(options);
  if (!e.has_value()) {
    std::fprintf(stderr, "open: %s\n", e.error().ToString().c_str());
    std::exit(1);
  }
  (void)(*e)->CreateBucket({std::string(kBucket)});
  return std::move(e).value();
}

// Writes `data` as kBucket/`key` in 1 MiB appends; false on any error.
inline bool Put(engine::Engine& e, const std::string& key, std::string_view data) {
  engine::PutObjectRequest req;
  req.bucket = kBucket;
  req.key = key;
  auto w = e.BeginPut(req);
  if (!w.has_value()) return false;
  const size_t step = 1 << 20;
  for (size_t pos = 0; pos < data.size(); pos += step) {
    if (!(*w)->Append(data.substr(pos, step)).ok()) return false;
  }
  return (*w)->Commit().has_value();
}

// Reads kBucket/`key` (or `range` of it) to the end through `buf`; returns the bytes read, or
// nullopt on any error or when `expected` is given and the bytes differ from it.
inline std::optional<uint64_t> Get(engine::Engine& e, const std::string& key,
                                   std::optional<engine::RangeSpec> range, std::string& buf,
                                   std::optional<std::string_view> expected = std::nullopt) {
  engine::GetObjectRequest g;
  g.bucket = kBucket;
  g.key = key;
  g.range = range;
  auto r = e.GetObject(g);
  if (!r.has_value()) return std::nullopt;
  uint64_t at = 0;
  for (;;) {
    auto n = (*r)->Read(buf);
    if (!n.has_value()) return std::nullopt;
    if (*n == 0) break;
    if (expected && expected->substr(at, *n) != std::string_view(buf.data(), *n)) {
      return std::nullopt;
    }
    at += *n;
  }
  if (expected && at != expected->size()) return std::nullopt;
  return at;
}

}  // namespace maxiofs::bench
