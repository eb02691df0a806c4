// Encryption and compression benchmark: PUT and GET of 1 MiB and 64 MiB objects stored plain,
// encrypted (SSE-S3, AES-256-GCM), compressed (zstd level 3) and both, and a 1 KiB range read
// from the middle of a 1 GiB object (plain and encrypted). Prints MiB/s (and µs for the range
// read) with the ratio to plain. Single thread; engine sync off, so the figures are the CPU
// cost of sealing, not the disk's fsync rate. The data is text-like (compresses about 4:1).
// Usage: encryption_bench [DIR]   (DIR defaults to a temp dir; removed afterwards)
#include "bench_engine.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using maxiofs::bench::Clock;
using maxiofs::bench::Get;
using maxiofs::bench::Put;
using maxiofs::bench::Secs;
using maxiofs::engine::Engine;
using maxiofs::engine::EngineOptions;

// Text-like bytes: numbered lines with some pseudo-random words.
std::string Data(size_t n) {
  std::string s;
  s.reserve(n + 128);
  uint32_t x = 12345;
  for (size_t i = 0; s.size() < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s += "line " + std::to_string(i) + " value=" + std::to_string(x >> 8) +
         " the quick brown fox jumps over the lazy dog\n";
  }
  s.resize(n);
  return s;
}

struct Mode {
  const char* name;
  bool encrypt;
  bool compress;
};

std::unique_ptr<Engine> Open(const std::string& dir, Mode m) {
  EngineOptions o;
  o.data_dir = dir;
  o.sync = false;
  o.encryption.master_keys = {{"bench", std::string(32, 'k')}};
  o.encryption.encrypt_new_data = m.encrypt;
  o.compression.enabled = m.compress;
  return maxiofs::bench::OpenWithBucket(o);
}

struct Figures {
  double put_mibs = 0, get_mibs = 0;
  uint64_t stored = 0;
};

Figures Measure(Engine& e, const std::string& data, int reps) {
  Figures f;
  std::string buf(1 << 20, '\0');
  auto t0 = Clock::now();
  for (int i = 0; i < reps; ++i) {
    if (!Put(e, "o" + std::to_string(i), data)) std::fprintf(stderr, "put failed\n");
  }
  f.put_mibs = reps * (data.size() / 1048576.0) / Secs(Clock::now() - t0);
  t0 = Clock::now();
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < reps; ++i) {
      if (Get(e, "o" + std::to_string(i), std::nullopt, buf) != uint64_t{data.size()}) {
        std::fprintf(stderr, "get failed\n");
      }
    }
  }
  f.get_mibs = 2 * reps * (data.size() / 1048576.0) / Secs(Clock::now() - t0);
  maxiofs::engine::HeadObjectRequest h;
  h.bucket = maxiofs::bench::kBucket;
  h.key = "o0";
  auto info = e.HeadObject(h);
  if (info.has_value()) f.stored = info->storage.stored_size;
  return f;
}

// Average µs of a 1 KiB range read from the middle of a 1 GiB object.
double RangeMicros(Engine& e, const std::string& chunk) {
  maxiofs::engine::PutObjectRequest req;
  req.bucket = maxiofs::bench::kBucket;
  req.key = "big";
  auto w = e.BeginPut(req);
  if (!w.has_value()) return -1;
  for (int i = 0; i < 1024; ++i) {
    if (!(*w)->Append(chunk).ok()) return -1;
  }
  if (!(*w)->Commit().has_value()) return -1;
  std::string buf(4096, '\0');
  const int n = 2000;
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    maxiofs::engine::RangeSpec r;
    r.kind = maxiofs::engine::RangeSpec::Kind::kFromTo;
    r.first = (512ull << 20) + static_cast<uint64_t>(i) * 7919 % (64 << 20);
    r.last = r.first + 1023;
    if (Get(e, "big", r, buf) != uint64_t{1024}) return -1;
  }
  return Secs(Clock::now() - t0) / n * 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fs::path root =
      argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "maxiofs-encryption-bench";
  fs::remove_all(root);
  fs::create_directories(root);
  const Mode modes[] = {{"plain", false, false},
                        {"encrypted", true, false},
                        {"compressed", false, true},
                        {"both", true, true}};
  std::printf("# single thread, sync off; MiB/s of logical bytes; ratio = mode / plain\n");
  for (size_t size : {size_t{1} << 20, size_t{64} << 20}) {
    const std::string data = Data(size);
    const int reps = size == (size_t{1} << 20) ? 64 : 3;
    Figures plain;
    for (const Mode& m : modes) {
      const fs::path dir = root / (std::string(m.name) + std::to_string(size));
      Figures f;
      {
        auto e = Open(dir.string(), m);
        f = Measure(*e, data, reps);
      }
      fs::remove_all(dir);
      if (!m.encrypt && !m.compress) plain = f;
      std::printf(
          "%-4s MiB %-10s PUT %8.1f MiB/s (x%.2f)  GET %8.1f MiB/s (x%.2f)  stored %5.1f%%\n",
          size == (size_t{1} << 20) ? "1" : "64", m.name, f.put_mibs, f.put_mibs / plain.put_mibs,
          f.get_mibs, f.get_mibs / plain.get_mibs,
          100.0 * static_cast<double>(f.stored) / static_cast<double>(size));
      std::fflush(stdout);
    }
  }
  const std::string chunk = Data(1 << 20);
  double plain_us = 0;
  for (const Mode& m : {modes[0], modes[1]}) {
    const fs::path dir = root / (std::string("range-") + m.name);
    double us;
    {
      auto e = Open(dir.string(), m);
      us = RangeMicros(*e, chunk);
    }
    fs::remove_all(dir);
    if (!m.encrypt) plain_us = us;
    std::printf("1 KiB range from the middle of 1 GiB, %-10s %8.1f us (x%.2f)\n", m.name, us,
                us / plain_us);
  }
  fs::remove_all(root);
  return 0;
}
