// MD5 throughput: one stream (OpenSSL's assembly), the vector kernels with 1..8 lanes, and the
// engine's Md5Batcher fed by N threads hashing 1 MiB updates (as N concurrent PUTs do).
// Prints MB/s; asserts nothing. Usage: md5_bench [seconds per figure, default 1]
#include "md5/md5_batcher.h"
#include "md5/md5_lanes.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace maxiofs::engine;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kBlocks = 16384;  // 1 MiB per stream and call

double LanesMBps(Md5Kernel k, size_t lanes, const std::vector<std::string>& data, double secs) {
  uint32_t state[kMd5Lanes][4] = {};
  uint64_t bytes = 0;
  const auto end = Clock::now() + std::chrono::duration<double>(secs);
  const auto start = Clock::now();
  while (Clock::now() < end) {
    std::vector<Md5Lane> l;
    for (size_t i = 0; i < lanes; ++i) {
      l.push_back({state[i], reinterpret_cast<const unsigned char*>(data[i].data())});
    }
    Md5CompressLanes(k, l, kBlocks);
    bytes += lanes * kBlocks * 64;
  }
  return bytes / std::chrono::duration<double>(Clock::now() - start).count() / 1e6;
}

double BatcherMBps(Md5Kernel k, int threads, const std::vector<std::string>& data, double secs) {
  Md5Batcher batcher(k);
  std::atomic<uint64_t> bytes{0};
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(secs);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      const std::string& d = data[t % data.size()];
      while (Clock::now() < end) {
        auto m = NewBatchedMd5(batcher);
        m->Update(d);
        m->Final();
        bytes += d.size();
      }
    });
  }
  for (auto& th : ts) th.join();
  return bytes / std::chrono::duration<double>(Clock::now() - start).count() / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const double secs = argc > 1 ? std::atof(argv[1]) : 1.0;
  std::mt19937_64 rng(1);
  std::vector<std::string> data(kMd5Lanes, std::string(kBlocks * 64, '\0'));
  for (auto& d : data) {
    for (char& c : d) c = static_cast<char>(rng());
  }
  std::printf("MD5 throughput, MB/s (best kernel here: %s, %u cores)\n",
              Md5KernelName(BestMd5Kernel()), std::thread::hardware_concurrency());
  std::printf("%-10s %8s %8s %8s %8s\n", "kernel", "1 lane", "2 lanes", "4 lanes", "8 lanes");
  for (Md5Kernel k : {Md5Kernel::kScalar, Md5Kernel::kAvx2, Md5Kernel::kAvx512}) {
    if (!Md5KernelAvailable(k)) continue;
    std::printf("%-10s", Md5KernelName(k));
    for (size_t n : {1, 2, 4, 8}) std::printf(" %8.0f", LanesMBps(k, n, data, secs));
    std::printf("\n");
  }
  std::printf("\nMd5Batcher, N threads each hashing 1 MiB bodies (all cores)\n");
  std::printf("%-10s %8s %8s %8s %8s\n", "kernel", "1 thr", "2 thr", "8 thr", "16 thr");
  for (Md5Kernel k : {Md5Kernel::kScalar, BestMd5Kernel()}) {
    std::printf("%-10s", Md5KernelName(k));
    for (int t : {1, 2, 8, 16}) std::printf(" %8.0f", BatcherMBps(k, t, data, secs));
    std::printf("\n");
    if (k == BestMd5Kernel()) break;
  }
  return 0;
}
