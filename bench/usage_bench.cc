// Usage counters at scale: fills a bucket with N objects (default 1,000,000), then times
// GetBucketUsage (a read of the counters), a full metrics scrape as the server renders it
// (Observability over the engine: every bucket's usage gauges, process and disk figures) and,
// for comparison, the scan GetBucketUsage used to be (VerifyBucketUsage adds one up).
// Usage: usage_bench [DIR] [OBJECTS]   (DIR: a temp dir under it, removed afterwards)
#include "observability.h"

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace engine = maxiofs::engine;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::unique_ptr<engine::Engine> Open(const std::string& dir, bool sync) {
  engine::EngineOptions o;
  o.data_dir = dir;
  o.sync = sync;
  auto e = engine::Engine::Open(o);
  if (!e.has_value()) {
    std::fprintf(stderr, "open: %s\n", e.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(e).value();
}

// Fills `bucket` with `n` 100-byte objects from 8 threads (no fsync: only the count matters).
void Fill(engine::Engine& e, const std::string& bucket, uint64_t n) {
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> ts;
  const std::string body(100, 'x');
  for (int t = 0; t < 8; ++t) {
    ts.emplace_back([&] {
      for (uint64_t i; (i = next.fetch_add(1)) < n;) {
        engine::PutObjectRequest req;
        req.bucket = bucket;
        req.key = "obj/" + std::to_string(i);
        req.durable = false;
        auto w = e.BeginPut(req);
        if (!w.has_value() || !(*w)->Append(body).ok() || !(*w)->Commit().has_value()) {
          std::fprintf(stderr, "put failed\n");
          std::exit(1);
        }
      }
    });
  }
  for (auto& t : ts) t.join();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
  const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
  const std::string dir = root + "/usage-bench-" + maxiofs::backends::NewBlobId();
  std::filesystem::create_directories(dir);
  {
    auto e = Open(dir, /*sync=*/false);
    for (const char* b : {"big", "small-a", "small-b"}) {
      if (!e->CreateBucket({b}).ok()) return 1;
    }
    const auto t0 = Clock::now();
    Fill(*e, "big", n);
    Fill(*e, "small-a", 1000);
    std::printf("filled %llu objects in %.1f s\n", static_cast<unsigned long long>(n),
                Ms(Clock::now() - t0) / 1000);
  }
  // Reopened as a server would be (durable), with the counters loaded from LevelDB.
  auto t_open = Clock::now();
  auto e = Open(dir, /*sync=*/true);
  std::printf("open with %llu objects: %.1f ms\n", static_cast<unsigned long long>(n),
              Ms(Clock::now() - t_open));
  {
    constexpr int kCalls = 100000;
    uint64_t sink = 0;
    const auto t0 = Clock::now();
    for (int i = 0; i < kCalls; ++i) sink += e->GetBucketUsage("big")->objects;
    const double us = Ms(Clock::now() - t0) * 1000 / kCalls;
    std::printf("GetBucketUsage, bucket of %llu objects: %.3f us per call (objects=%llu)\n",
                static_cast<unsigned long long>(n), us,
                static_cast<unsigned long long>(sink / kCalls));
  }
  {
    maxiofs::app::Config config;
    maxiofs::app::Observability obs(config, *e, dir);
    std::vector<double> ms;
    size_t bytes = 0;
    for (int i = 0; i < 50; ++i) {
      const auto t0 = Clock::now();
      bytes = obs.metrics().Render().size();
      ms.push_back(Ms(Clock::now() - t0));
    }
    std::sort(ms.begin(), ms.end());
    std::printf("metrics scrape (3 buckets, %zu bytes of text): median %.3f ms, max %.3f ms\n",
                bytes, ms[ms.size() / 2], ms.back());
  }
  {
    const auto t0 = Clock::now();
    auto v = e->VerifyBucketUsage("big", false);
    std::printf("for comparison, the scan (VerifyBucketUsage): %.1f ms, counters %s\n",
                Ms(Clock::now() - t0), v.has_value() && v->matches() ? "match" : "DIFFER");
  }
  e.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
