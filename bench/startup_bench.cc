// Start-up time against the number of stored blobs: how long Engine::Open takes over a data dir
// holding N blob objects, with blob intents (what the engine does now: it settles only what was
// in flight) and with the full sweep of the store (what it did before intents, still done once
// for a data dir from before them; forced here by removing the intents marker).
//
// Usage: startup_bench DIR [N ...]   (default N: 0 10000 57000). Prints one line per N.
#include "maxiofs/engine/engine.h"

#include <leveldb/db.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

using maxiofs::engine::Engine;
using maxiofs::engine::EngineOptions;

EngineOptions Options(const std::string& dir) {
  EngineOptions o;
  o.data_dir = dir;
  o.inline_threshold = 0;  // every non-empty body is a blob
  o.sync = false;          // building the data set only; the opens measured are the same
  return o;
}

double OpenSeconds(const std::string& dir) {
  const auto t0 = std::chrono::steady_clock::now();
  auto e = Engine::Open(Options(dir));
  const auto t1 = std::chrono::steady_clock::now();
  if (!e.has_value()) {
    std::fprintf(stderr, "open failed: %s\n", e.error().ToString().c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(t1 - t0).count();
}

void DropIntentsMarker(const std::string& dir) {
  leveldb::DB* raw = nullptr;
  leveldb::Options o;
  if (!leveldb::DB::Open(o, dir + "/meta", &raw).ok()) std::exit(1);
  std::unique_ptr<leveldb::DB> db(raw);
  if (!db->Delete(leveldb::WriteOptions(), "Fintents").ok()) std::exit(1);
}

double Best(const std::vector<double>& v) {
  double b = v.front();
  for (double x : v) b = std::min(b, x);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: startup_bench DIR [N ...]\n");
    return 2;
  }
  std::vector<long> counts;
  for (int i = 2; i < argc; ++i) counts.push_back(std::atol(argv[i]));
  if (counts.empty()) counts = {0, 10000, 57000};
  std::printf("%10s %16s %20s\n", "blobs", "open_intents_ms", "open_full_sweep_ms");
  for (long n : counts) {
    const std::string dir = std::string(argv[1]) + "/startup-" + std::to_string(n);
    std::filesystem::remove_all(dir);
    {
      auto e = Engine::Open(Options(dir));
      if (!e.has_value()) return 1;
      if (!(*e)->CreateBucket({"bench"}).ok()) return 1;
      for (long i = 0; i < n; ++i) {
        maxiofs::engine::PutObjectRequest req;
        req.bucket = "bench";
        req.key = "k" + std::to_string(i);
        auto w = (*e)->BeginPut(req);
        if (!w.has_value() || !(*w)->Append(std::string_view("x")).ok() ||
            !(*w)->Commit().has_value()) {
          return 1;
        }
      }
      if (!(*e)->Sync().ok()) return 1;
    }
    std::vector<double> intents, sweep;
    for (int r = 0; r < 3; ++r) intents.push_back(OpenSeconds(dir));
    for (int r = 0; r < 3; ++r) {
      DropIntentsMarker(dir);
      sweep.push_back(OpenSeconds(dir));
    }
    std::printf("%10ld %16.1f %20.1f\n", n, Best(intents) * 1e3, Best(sweep) * 1e3);
    std::fflush(stdout);
    std::filesystem::remove_all(dir);
  }
  return 0;
}
