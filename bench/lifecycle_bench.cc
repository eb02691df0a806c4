// The lifecycle worker's throughput and its cost to foreground writes. Fills a bucket with N
// expired objects (default 200,000), then measures:
//   1. durable PUT 4 KiB with 16 threads into another bucket, alone (the baseline);
//   2. one lifecycle pass expiring the N objects, alone (objects expired per second);
//   3. the same pass over a fresh set of N objects while the PUT load of 1 runs: both rates,
//      and the PUT rate during the pass as a share of the baseline.
// Usage: lifecycle_bench [DIR] [OBJECTS] [SECONDS]   (DIR: a temp dir under it, removed after)
#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace engine = maxiofs::engine;

double Secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::unique_ptr<engine::Engine> Open(const std::string& dir, bool sync) {
  engine::EngineOptions o;
  o.data_dir = dir;
  o.sync = sync;
  o.lifecycle.day_seconds = 1;       // a rule of 1 day is due after a second
  o.lifecycle.interval_seconds = 0;  // passes only when the bench runs one
  auto e = engine::Engine::Open(o);
  if (!e.has_value()) {
    std::fprintf(stderr, "open: %s\n", e.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(e).value();
}

bool Put(engine::Engine& e, const std::string& bucket, const std::string& key,
         const std::string& body, bool durable) {
  engine::PutObjectRequest req;
  req.bucket = bucket;
  req.key = key;
  req.durable = durable;
  req.expected_size = body.size();
  auto w = e.BeginPut(req);
  return w.has_value() && (*w)->Append(body).ok() && (*w)->Commit().has_value();
}

// `n` 1 KiB objects under prefix `p` of bucket "expire", written without waiting for the disk.
void Fill(engine::Engine& e, const std::string& p, uint64_t n) {
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> ts;
  const std::string body(1024, 'e');
  for (int t = 0; t < 8; ++t) {
    ts.emplace_back([&] {
      for (uint64_t i; (i = next.fetch_add(1)) < n;) {
        if (!Put(e, "expire", p + std::to_string(i), body, false)) std::exit(2);
      }
    });
  }
  for (auto& t : ts) t.join();
}

// Durable 4 KiB PUTs from 16 threads until `stop`; returns how many.
uint64_t PutLoad(engine::Engine& e, std::atomic<bool>& stop) {
  std::atomic<uint64_t> ops{0};
  std::vector<std::thread> ts;
  const std::string body(4096, 'p');
  for (int t = 0; t < 16; ++t) {
    ts.emplace_back([&, t] {
      for (uint64_t i = 0; !stop.load(); ++i) {
        if (!Put(e, "put", "t" + std::to_string(t) + "/" + std::to_string(i % 2000), body, true)) {
          std::exit(3);
        }
        ops.fetch_add(1);
      }
    });
  }
  for (auto& t : ts) t.join();
  return ops.load();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
  const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200000;
  const double seconds = argc > 3 ? std::atof(argv[3]) : 5;
  const std::string dir = root + "/lifecycle-bench-" + maxiofs::backends::NewBlobId();
  std::filesystem::create_directories(dir);
  auto e = Open(dir, /*sync=*/true);
  for (const char* b : {"expire", "put"}) {
    if (!e->CreateBucket({b}).ok()) return 1;
  }
  engine::LifecycleRule rule;
  rule.id = "expire-all";
  rule.filter.prefix = "";
  rule.expiration = engine::LifecycleExpiration{1, {}, {}};
  if (!e->PutBucketLifecycle("expire", engine::LifecycleConfiguration{{rule}}).ok()) return 1;

  // 1. PUT 4 KiB alone.
  std::atomic<bool> stop{false};
  auto t0 = Clock::now();
  std::thread timer([&] {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
  });
  const uint64_t base_ops = PutLoad(*e, stop);
  timer.join();
  const double base_rate = base_ops / Secs(Clock::now() - t0);
  std::printf("PUT 4 KiB durable, 16 threads, alone: %.0f ops/s\n", base_rate);

  // 2. The worker alone.
  Fill(*e, "a/", n);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // two lifecycle days
  t0 = Clock::now();
  auto expired = e->RunLifecycle();
  const double alone_s = Secs(Clock::now() - t0);
  if (!expired.has_value()) return 4;
  std::printf("lifecycle pass alone: %llu objects expired in %.2f s = %.0f objects/s\n",
              static_cast<unsigned long long>(*expired), alone_s, *expired / alone_s);

  // 3. The worker while the PUT load runs: PUTs are counted while the pass runs only.
  Fill(*e, "b/", n);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  stop = false;
  std::atomic<uint64_t> window_ops{0};
  std::atomic<bool> counting{false};
  std::vector<std::thread> ts;
  const std::string body(4096, 'p');
  for (int t = 0; t < 16; ++t) {
    ts.emplace_back([&, t] {
      for (uint64_t i = 0; !stop.load(); ++i) {
        if (!Put(*e, "put", "w" + std::to_string(t) + "/" + std::to_string(i % 2000), body, true)) {
          std::exit(3);
        }
        if (counting.load()) window_ops.fetch_add(1);
      }
    });
  }
  // PUT alone in the same store just before and just after the pass (the fills' compactions
  // still run then too), so the share compares like with like; the empty-store rate of 1 is
  // shown beside it.
  auto window = [&](auto&& during) {
    const uint64_t ops0 = window_ops.load();
    counting = true;
    const auto w0 = Clock::now();
    during();
    const double s = Secs(Clock::now() - w0);
    counting = false;
    return std::make_pair((window_ops.load() - ops0) / s, s);
  };
  auto sleep_window = [&] { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); };
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const double before_rate = window(sleep_window).first;
  std::optional<decltype(e->RunLifecycle())> expired3;
  const auto [under_rate, window_s] = window([&] { expired3.emplace(e->RunLifecycle()); });
  const double after_rate = window(sleep_window).first;
  stop = true;
  for (auto& t : ts) t.join();
  if (!expired3->has_value()) return 6;
  const double beside = (before_rate + after_rate) / 2;
  std::printf("PUT 4 KiB in the same store without a pass: %.0f ops/s before, %.0f after\n",
              before_rate, after_rate);
  std::printf(
      "while a pass expired %llu objects (%.0f objects/s): PUT 4 KiB %.0f ops/s = %.0f %% of "
      "its rate without the pass (%.0f %% of the empty-store rate)\n",
      static_cast<unsigned long long>(**expired3), **expired3 / window_s, under_rate,
      100 * under_rate / beside, 100 * under_rate / base_rate);
  e.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
