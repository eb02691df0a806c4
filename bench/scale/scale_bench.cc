// Scale benchmark: durable PUT of small objects into one bucket from 16 threads until the store
// holds N objects, printing throughput and process CPU per PUT for each window of objects, so a
// slowdown as the store grows (LevelDB compaction: small objects are inline, so their bytes go
// through every compaction) shows as a curve. Ends with random GETs over the whole store.
// Every metadata-store knob of EngineOptions can be set, to compare settings in one data set.
//
// Usage: scale_bench [dir=PATH] [objects=N] [size=BYTES] [threads=T] [window=W] [seconds=S]
//                    [cache_mib=M] [write_buffer_mib=M] [max_file_mib=M] [bloom_bits=B]
//                    [compress=0|1] [max_open_files=F] [inline=BYTES] [keep=0|1]
// Defaults: a temp dir beside the working directory, 1,000,000 objects of 4096 bytes, 16
// threads, windows of 100,000, 5 s of GETs, the engine's default metadata options, and the dir
// removed afterwards (keep=1 leaves it). Keys are spread like hashed names (not sequential), the
// harder case for an LSM tree; bodies are random bytes (they do not compress).
#include "maxiofs/backends/blob_store.h"
#include "maxiofs/engine/engine.h"

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using maxiofs::engine::Engine;

double Secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

uint64_t Mix(uint64_t x) {  // splitmix64: a bijection, so distinct i give distinct keys
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::string KeyOf(uint64_t i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "photos/%016" PRIx64 ".jpg", Mix(i));
  return buf;
}

std::string RandomBody(size_t n, uint64_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = Mix(seed * 1000003 + i);
    for (size_t b = 0; b < 8 && i + b < n; ++b) s[i + b] = static_cast<char>(v >> (8 * b));
  }
  return s;
}

uint64_t DirBytes(const std::filesystem::path& p, uint64_t* files) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
    if (e.is_regular_file(ec)) {
      total += e.file_size(ec);
      if (files && e.path().extension() == ".ldb") ++*files;
    }
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto eq = a.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "argument %s is not key=value\n", argv[i]);
      return 2;
    }
    args[a.substr(0, eq)] = a.substr(eq + 1);
  }
  auto num = [&](const char* k, uint64_t def) {
    auto it = args.find(k);
    return it == args.end() ? def : std::strtoull(it->second.c_str(), nullptr, 10);
  };
  const uint64_t objects = num("objects", 1000000), size = num("size", 4096);
  const int threads = static_cast<int>(num("threads", 16));
  const uint64_t window = num("window", 100000);
  const double get_seconds = static_cast<double>(num("seconds", 5));
  const bool keep = num("keep", 0) != 0;

  maxiofs::engine::EngineOptions o;
  auto& m = o.metadata;
  m.cache_bytes = num("cache_mib", m.cache_bytes >> 20) << 20;
  m.write_buffer_bytes = num("write_buffer_mib", m.write_buffer_bytes >> 20) << 20;
  m.max_file_bytes = num("max_file_mib", m.max_file_bytes >> 20) << 20;
  m.bloom_bits_per_key = static_cast<int>(num("bloom_bits", m.bloom_bits_per_key));
  m.compress_tables = num("compress", m.compress_tables ? 1 : 0) != 0;
  m.max_open_files = static_cast<int>(num("max_open_files", m.max_open_files));
  o.inline_threshold = num("inline", o.inline_threshold);

  fs::path base = args.count("dir") ? fs::path(args["dir"]) : fs::current_path();
  fs::path dir = base / ("scale-bench-" + maxiofs::backends::NewBlobId());
  fs::create_directories(dir);
  o.data_dir = (dir / "data").string();
  std::printf("scale bench in %s: %" PRIu64 " objects of %" PRIu64
              " B, %d threads, %u cores\n"
              "metadata: cache %" PRIu64 " MiB, write buffer %" PRIu64 " MiB, max file %" PRIu64
              " MiB, bloom %d bits/key, snappy %s, open files %d, inline up to %" PRIu64 " B\n",
              dir.c_str(), objects, size, threads, std::thread::hardware_concurrency(),
              m.cache_bytes >> 20, m.write_buffer_bytes >> 20, m.max_file_bytes >> 20,
              m.bloom_bits_per_key, m.compress_tables ? "on" : "off", m.max_open_files,
              o.inline_threshold);
  std::printf("%12s %10s %12s %10s %8s\n", "objects", "PUT/s", "CPU us/PUT", "meta MiB", "tables");
  std::fflush(stdout);
  int rc = 0;
  {
    auto opened = Engine::Open(o);
    if (!opened.has_value()) {
      std::fprintf(stderr, "open: %s\n", opened.error().ToString().c_str());
      return 1;
    }
    Engine& e = **opened;
    if (!e.CreateBucket({"bench"}).ok()) return 1;
    // A pool of bodies so each PUT does not pay for generating one.
    std::vector<std::string> bodies;
    for (uint64_t b = 0; b < 64; ++b) bodies.push_back(RandomBody(size, b));

    std::atomic<uint64_t> next{0};
    std::atomic<bool> failed{false};
    for (uint64_t done = 0; done < objects && !failed;) {
      const uint64_t end = std::min(objects, done + window);
      const double cpu0 = CpuSeconds();
      const auto t0 = Clock::now();
      std::vector<std::thread> ts;
      for (int t = 0; t < threads; ++t) {
        ts.emplace_back([&] {
          for (;;) {
            uint64_t i = next.fetch_add(1);
            if (i >= end) {
              next.fetch_sub(1);  // leaves `next` at `end` once all threads stop
              return;
            }
            maxiofs::engine::PutObjectRequest req;
            req.bucket = "bench";
            req.key = KeyOf(i);
            auto w = e.BeginPut(req);
            if (!w.has_value() || !(*w)->Append(bodies[i % bodies.size()]).ok() ||
                !(*w)->Commit().has_value()) {
              failed = true;
              return;
            }
          }
        });
      }
      for (auto& t : ts) t.join();
      next = end;
      const double secs = Secs(Clock::now() - t0), cpu = CpuSeconds() - cpu0;
      const double n = static_cast<double>(end - done);
      uint64_t tables = 0;
      const uint64_t meta = DirBytes(dir / "data" / "meta", &tables);
      std::printf("%12" PRIu64 " %10.0f %12.1f %10.0f %8" PRIu64 "\n", end, n / secs, cpu / n * 1e6,
                  static_cast<double>(meta) / (1 << 20), tables);
      std::fflush(stdout);
      done = end;
    }
    if (failed) {
      std::fprintf(stderr, "a PUT failed\n");
      rc = 1;
    } else {
      // Random GETs over every key written.
      std::atomic<uint64_t> gets{0};
      std::atomic<bool> stop{false};
      const double cpu0 = CpuSeconds();
      const auto t0 = Clock::now();
      std::vector<std::thread> ts;
      for (int t = 0; t < threads; ++t) {
        ts.emplace_back([&, t] {
          std::vector<char> buf(size + 1);
          for (uint64_t i = Mix(t); !stop.load(std::memory_order_relaxed); i = Mix(i)) {
            maxiofs::engine::GetObjectRequest req;
            req.bucket = "bench";
            req.key = KeyOf(i % objects);
            auto r = e.GetObject(req);
            if (!r.has_value()) {
              failed = true;
              return;
            }
            for (;;) {
              auto n = (*r)->Read(buf);
              if (!n.has_value()) {
                failed = true;
                return;
              }
              if (*n == 0) break;
            }
            gets.fetch_add(1, std::memory_order_relaxed);
          }
        });
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(get_seconds));
      stop = true;
      for (auto& t : ts) t.join();
      const double secs = Secs(Clock::now() - t0), cpu = CpuSeconds() - cpu0;
      const double n = static_cast<double>(gets.load());
      std::printf("GET random over %" PRIu64 " objects: %.0f GET/s, %.1f CPU us/GET%s\n", objects,
                  n / secs, n > 0 ? cpu / n * 1e6 : 0.0, failed ? " (a GET FAILED)" : "");
      if (failed) rc = 1;
    }
  }
  if (!keep) fs::remove_all(dir);
  return rc;
}
