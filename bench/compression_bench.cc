// Compression benchmark: for each algorithm (none, zstd, gzip, lz4 at their default levels, plus
// gzip 1 and lz4 9 for the range of each), PUT and GET MiB/s of a 64 MiB object and the stored
// ratio (stored bytes / object bytes), on text-like data and on random (incompressible) data,
// side by side; and the time of a 1 KiB range read from the middle of the text object (each
// read opens one 64 KiB chunk, whatever the algorithm). Single thread, engine sync off, so the
// figures are the CPU cost of compressing and decompressing, not the disk's fsync rate. Each
// figure is the median of 3 runs.
// Usage: compression_bench [DIR]   (DIR defaults to a temp dir; removed afterwards)
#include "bench_engine.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using maxiofs::bench::Clock;
using maxiofs::bench::Median;
using maxiofs::bench::Put;
using maxiofs::bench::Secs;
using maxiofs::engine::CompressionCodec;
using maxiofs::engine::Engine;
using maxiofs::engine::EngineOptions;

constexpr size_t kObjectSize = size_t{64} << 20;
constexpr int kRuns = 3;

// Text-like bytes: log lines with timestamps, levels, paths and numbers from a small
// vocabulary (compresses about as well as application logs do).
std::string Text(size_t n) {
  static const char* const kWords[] = {"GET",     "PUT",      "bucket", "object",  "user",
                                       "request", "complete", "error",  "latency", "bytes",
                                       "client",  "session",  "upload", "part",    "range"};
  static const char* const kLevels[] = {"INFO", "WARN", "DEBUG", "ERROR"};
  std::string s;
  s.reserve(n + 256);
  uint32_t x = 12345;
  auto next = [&x] {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
  };
  for (uint64_t i = 0; s.size() < n; ++i) {
    s += "2026-01-";
    s += std::to_string(10 + i % 20);
    s += "T12:" + std::to_string(10 + next() % 50) + ":" + std::to_string(10 + next() % 50);
    s += " ";
    s += kLevels[next() % 4];
    for (int w = 0; w < 6; ++w) {
      s += ' ';
      s += kWords[next() % 15];
    }
    s += " id=" + std::to_string(next()) + " /photos/2026/img_" + std::to_string(next() % 5000) +
         ".jpg status=200\n";
  }
  s.resize(n);
  return s;
}

std::string Random(size_t n) {
  std::string s(n, '\0');
  std::ifstream("/dev/urandom", std::ios::binary).read(s.data(), static_cast<std::streamsize>(n));
  return s;
}

struct Algorithm {
  const char* name;
  bool enabled;
  CompressionCodec codec;
  int level;
};

std::unique_ptr<Engine> Open(const std::string& dir, const Algorithm& a) {
  EngineOptions o;
  o.data_dir = dir;
  o.sync = false;
  o.compression.enabled = a.enabled;
  o.compression.codec = a.codec;
  o.compression.level = a.level;
  return maxiofs::bench::OpenWithBucket(o);
}

// Reads the object (or a range) fully and checks the bytes; returns false on any error.
bool Get(Engine& e, const std::string& key, std::optional<maxiofs::engine::RangeSpec> range,
         std::string_view expected, std::string& buf) {
  return maxiofs::bench::Get(e, key, range, buf, expected).has_value();
}

struct Figures {
  double put_mibs = 0, get_mibs = 0, ratio = 0, range_us = 0;
};

Figures Measure(const std::filesystem::path& dir, const Algorithm& a, const std::string& data,
                bool range) {
  std::vector<double> puts, gets, ranges;
  Figures f;
  std::string buf(1 << 20, '\0');
  for (int run = 0; run < kRuns; ++run) {
    std::filesystem::remove_all(dir);
    auto e = Open(dir.string(), a);
    auto t0 = Clock::now();
    if (!Put(*e, "o", data)) std::fprintf(stderr, "%s: put failed\n", a.name);
    puts.push_back(data.size() / 1048576.0 / Secs(Clock::now() - t0));
    t0 = Clock::now();
    if (!Get(*e, "o", std::nullopt, data, buf)) std::fprintf(stderr, "%s: get failed\n", a.name);
    gets.push_back(data.size() / 1048576.0 / Secs(Clock::now() - t0));
    maxiofs::engine::HeadObjectRequest h;
    h.bucket = maxiofs::bench::kBucket;
    h.key = "o";
    auto info = e->HeadObject(h);
    if (info.has_value()) {
      f.ratio = static_cast<double>(info->storage.stored_size) / static_cast<double>(data.size());
    }
    if (range) {
      const int n = 500;
      t0 = Clock::now();
      for (int i = 0; i < n; ++i) {
        maxiofs::engine::RangeSpec r;
        r.kind = maxiofs::engine::RangeSpec::Kind::kFromTo;
        r.first = data.size() / 2 + static_cast<uint64_t>(i) * 7919 % (8 << 20);
        r.last = r.first + 1023;
        if (!Get(*e, "o", r, std::string_view(data).substr(r.first, 1024), buf)) {
          std::fprintf(stderr, "%s: range failed\n", a.name);
        }
      }
      ranges.push_back(Secs(Clock::now() - t0) / n * 1e6);
    }
  }
  std::filesystem::remove_all(dir);
  f.put_mibs = Median(puts);
  f.get_mibs = Median(gets);
  if (range) f.range_us = Median(ranges);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fs::path root =
      argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "maxiofs-compression-bench";
  fs::remove_all(root);
  fs::create_directories(root);
  const Algorithm algorithms[] = {
      {"none", false, CompressionCodec::kZstd, 0},  {"zstd 3", true, CompressionCodec::kZstd, 3},
      {"gzip 6", true, CompressionCodec::kGzip, 6}, {"lz4 1", true, CompressionCodec::kLz4, 1},
      {"gzip 1", true, CompressionCodec::kGzip, 1}, {"lz4 9", true, CompressionCodec::kLz4, 9}};
  const std::string text = Text(kObjectSize);
  const std::string random = Random(kObjectSize);
  std::printf(
      "# 64 MiB objects, single thread, sync off, median of %d runs; MiB/s of object bytes;"
      "\n# stored = stored bytes / object bytes; range = 1 KiB from the middle (text)\n",
      kRuns);
  std::printf("%-8s | %-30s | %-30s | %s\n", "", "text-like", "random", "");
  std::printf("%-8s | %9s %9s %8s | %9s %9s %8s | %9s\n", "algo", "PUT MiB/s", "GET MiB/s",
              "stored", "PUT MiB/s", "GET MiB/s", "stored", "range us");
  for (const Algorithm& a : algorithms) {
    const Figures t = Measure(root / "text", a, text, true);
    const Figures r = Measure(root / "random", a, random, false);
    std::printf("%-8s | %9.1f %9.1f %7.1f%% | %9.1f %9.1f %7.1f%% | %9.1f\n", a.name, t.put_mibs,
                t.get_mibs, 100 * t.ratio, r.put_mibs, r.get_mibs, 100 * r.ratio, t.range_us);
    std::fflush(stdout);
  }
  fs::remove_all(root);
  return 0;
}
