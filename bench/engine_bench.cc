// Engine benchmark: durable PUT and GET of 4 KiB and 1 MiB objects with 1 and 16 threads,
// listing 10,000 keys, and the disk's own fsync rate for comparison. Prints one line per case.
// Usage: engine_bench [DIR] [SECONDS_PER_CASE]   (DIR defaults to a temp dir on the same disk
// as the build; it is removed afterwards)
#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using maxiofs::engine::Engine;

double Secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string Data(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 2654435761u) >> 13);
  return s;
}

// Runs fn(thread, iteration) on `threads` threads for about `seconds`; returns ops/s.
template <class Fn>
double RunFor(int threads, double seconds, Fn fn) {
  std::atomic<uint64_t> ops{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::vector<std::thread> ts;
  auto t0 = Clock::now();
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        if (!fn(t, i)) {
          failed = true;
          break;
        }
        ops.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : ts) t.join();
  if (failed) std::fprintf(stderr, "an operation failed during the run\n");
  return static_cast<double>(ops.load()) / Secs(Clock::now() - t0);
}

double FsyncRate(const std::string& dir, double seconds) {
  std::string path = dir + "/fsync-probe";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 0;
  std::string block = Data(4096);
  uint64_t n = 0;
  auto t0 = Clock::now();
  while (Secs(Clock::now() - t0) < seconds) {
    if (::pwrite(fd, block.data(), block.size(), 0) < 0 || ::fdatasync(fd) != 0) break;
    ++n;
  }
  double rate = static_cast<double>(n) / Secs(Clock::now() - t0);
  ::close(fd);
  ::unlink(path.c_str());
  return rate;
}

bool PutOne(Engine& e, const std::string& key, const std::string& data) {
  maxiofs::engine::PutObjectRequest req;
  req.bucket = "bench";
  req.key = key;
  auto w = e.BeginPut(req);
  if (!w.has_value()) return false;
  constexpr size_t kChunk = 256 * 1024;
  for (size_t pos = 0; pos < data.size(); pos += kChunk) {
    if (!(*w)->Append(std::string_view(data).substr(pos, kChunk)).ok()) return false;
  }
  return (*w)->Commit().has_value();
}

bool GetOne(Engine& e, const std::string& key, std::vector<char>& buf) {
  maxiofs::engine::GetObjectRequest req;
  req.bucket = "bench";
  req.key = key;
  auto r = e.GetObject(req);
  if (!r.has_value()) return false;
  for (;;) {
    auto n = (*r)->Read(buf);
    if (!n.has_value()) return false;
    if (*n == 0) return true;
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  fs::path base = argc > 1 ? fs::path(argv[1]) : fs::current_path();
  double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
  fs::path dir = base / ("engine-bench-" + maxiofs::backends::NewBlobId());
  fs::create_directories(dir);
  std::printf("engine benchmark in %s, %.1f s per case, %u cores\n", dir.c_str(), seconds,
              std::thread::hardware_concurrency());
  std::printf("%-34s %12s %12s\n", "case", "ops/s", "MiB/s");
  auto row = [](const char* name, double ops, size_t size) {
    std::printf("%-34s %12.0f %12.1f\n", name, ops, ops * static_cast<double>(size) / (1 << 20));
    std::fflush(stdout);
  };
  row("disk fdatasync (4 KiB rewrite)", FsyncRate(dir.string(), seconds), 4096);
  {
    maxiofs::engine::EngineOptions o;
    o.data_dir = (dir / "data").string();
    auto opened = Engine::Open(o);
    if (!opened.has_value()) {
      std::fprintf(stderr, "open: %s\n", opened.error().ToString().c_str());
      return 1;
    }
    Engine& e = **opened;
    if (!e.CreateBucket({"bench"}).ok()) return 1;
    const std::string small = Data(4096), large = Data(1 << 20);
    for (int threads : {1, 16}) {
      double ops = RunFor(threads, seconds, [&](int t, uint64_t i) {
        return PutOne(e, "small/" + std::to_string(t) + "/" + std::to_string(i % 5000), small);
      });
      row(threads == 1 ? "PUT 4 KiB, 1 thread (durable)" : "PUT 4 KiB, 16 threads (durable)", ops,
          4096);
    }
    for (int threads : {1, 16}) {
      double ops = RunFor(threads, seconds, [&](int t, uint64_t i) {
        return PutOne(e, "large/" + std::to_string(t) + "/" + std::to_string(i % 8), large);
      });
      row(threads == 1 ? "PUT 1 MiB, 1 thread (durable)" : "PUT 1 MiB, 16 threads (durable)", ops,
          1 << 20);
    }
    for (int i = 0; i < 1000; ++i) PutOne(e, "get/" + std::to_string(i), small);
    for (int threads : {1, 16}) {
      double ops = RunFor(threads, seconds, [&](int t, uint64_t i) {
        thread_local std::vector<char> buf(256 * 1024);
        return GetOne(e, "get/" + std::to_string((i * 7 + t) % 1000), buf);
      });
      row(threads == 1 ? "GET 4 KiB, 1 thread" : "GET 4 KiB, 16 threads", ops, 4096);
    }
    for (int threads : {1, 16}) {
      double ops = RunFor(threads, seconds, [&](int t, uint64_t i) {
        thread_local std::vector<char> buf(256 * 1024);
        return GetOne(e, "large/" + std::to_string(t % 16) + "/" + std::to_string(i % 8), buf) ||
               GetOne(e, "large/0/0", buf);
      });
      row(threads == 1 ? "GET 1 MiB, 1 thread" : "GET 1 MiB, 16 threads", ops, 1 << 20);
    }
    // Listing: a bucket of exactly 10,000 keys, walked in pages of 1,000.
    if (!e.CreateBucket({"listing"}).ok()) return 1;
    for (int i = 0; i < 10000; ++i) {
      maxiofs::engine::PutObjectRequest req;
      req.bucket = "listing";
      req.key = "dir" + std::to_string(i % 10) + "/key-" + std::to_string(i);
      auto w = e.BeginPut(req);
      if (!w.has_value() || !(*w)->Commit().has_value()) return 1;
    }
    uint64_t keys = 0;
    auto t0 = Clock::now();
    while (Secs(Clock::now() - t0) < seconds) {
      std::string after;
      for (;;) {
        auto page = e.ListObjects({"listing", "", "", after, 1000});
        if (!page.has_value()) return 1;
        keys += page->objects.size();
        if (!page->truncated) break;
        after = page->next_start_after;
      }
    }
    row("LIST 10,000 keys (keys/s)", static_cast<double>(keys) / Secs(Clock::now() - t0), 0);
  }
  {
    // Multipart completion and version listing. Completion copies no data, so its time does not
    // depend on part sizes; parts are 1 KiB here (min_part_size lowered) to keep the run short.
    maxiofs::engine::EngineOptions o;
    o.data_dir = (dir / "data-mp").string();
    o.min_part_size = 1;
    auto opened = Engine::Open(o);
    if (!opened.has_value()) return 1;
    Engine& e = **opened;
    if (!e.CreateBucket({"mpu"}).ok()) return 1;
    maxiofs::engine::CreateMultipartRequest c;
    c.bucket = "mpu";
    c.key = "big";
    auto up = e.CreateMultipartUpload(c);
    if (!up.has_value()) return 1;
    std::vector<maxiofs::engine::CompletedPart> parts;
    const std::string part = Data(1024);
    for (uint32_t n = 1; n <= 1000; ++n) {
      maxiofs::engine::UploadPartRequest u;
      u.bucket = "mpu";
      u.key = "big";
      u.upload_id = up->upload_id;
      u.part_number = n;
      auto w = e.BeginUploadPart(u);
      if (!w.has_value() || !(*w)->Append(part).ok()) return 1;
      auto info = (*w)->Commit();
      if (!info.has_value()) return 1;
      parts.push_back({n, info->etag});
    }
    maxiofs::engine::CompleteMultipartRequest cm;
    cm.bucket = "mpu";
    cm.key = "big";
    cm.upload_id = up->upload_id;
    cm.parts = parts;
    auto t0 = Clock::now();
    auto done = e.CompleteMultipartUpload(cm);
    double ms = Secs(Clock::now() - t0) * 1000;
    if (!done.has_value()) return 1;
    std::printf("%-34s %12.2f ms (durable)\n", "COMPLETE 1,000-part upload", ms);
    if (!e.CreateBucket({"versions"}).ok()) return 1;
    if (!e.PutBucketVersioning("versions", maxiofs::engine::VersioningState::kEnabled).ok()) {
      return 1;
    }
    for (int i = 0; i < 10000; ++i) {
      maxiofs::engine::PutObjectRequest req;
      req.bucket = "versions";
      req.key = "hot";
      auto w = e.BeginPut(req);
      if (!w.has_value() || !(*w)->Commit().has_value()) return 1;
    }
    double best = 1e9;
    for (int r = 0; r < 5; ++r) {
      auto t1 = Clock::now();
      auto page = e.ListObjectVersions({"versions", "", "", "", "", 1000});
      best = std::min(best, Secs(Clock::now() - t1) * 1000);
      if (!page.has_value() || page->versions.size() != 1000) return 1;
    }
    std::printf("%-34s %12.2f ms\n", "LIST VERSIONS page (10,000 vers.)", best);
  }
  fs::remove_all(dir);
  return 0;
}
