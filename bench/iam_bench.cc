// IAM identity benchmark: the per-request cost of Iam::LookupCredential (an IAM user's access
// key among N users, a session, the root key) single-threaded and with 2 threads, and of a
// console login (PBKDF2 password check). Prints ns/op and ms; asserts nothing.
// Usage: iam_bench [USERS]   (default 1000; data in a temp dir, removed afterwards)
#include "maxiofs/engine/engine.h"
#include "maxiofs/engine/iam.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using maxiofs::engine::Engine;
using maxiofs::engine::EngineOptions;
using maxiofs::engine::Iam;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ns per lookup of random keys from `keys`, over `threads` threads.
double LookupNs(Iam& iam, const std::vector<std::string>& keys, int threads, int per_thread) {
  std::atomic<int> failures{0};
  auto t0 = Clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      std::mt19937 rng(t);
      const int64_t now = NowNs();
      for (int i = 0; i < per_thread; ++i) {
        auto c = iam.LookupCredential(keys[rng() % keys.size()], now);
        if (!c.has_value()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : ts) t.join();
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
  if (failures.load() != 0) std::fprintf(stderr, "%d lookups failed\n", failures.load());
  return ns / (static_cast<double>(threads) * per_thread) * threads;  // per op per thread
}

}  // namespace

int main(int argc, char** argv) {
  const int users = argc > 1 ? std::atoi(argv[1]) : 1000;
  const auto dir =
      std::filesystem::temp_directory_path() / ("maxiofs-iam-bench-" + std::to_string(::getpid()));
  EngineOptions o;
  o.data_dir = dir.string();
  o.sync = false;
  o.iam.master_secret = "bench-master-secret";
  {
    auto opened = Engine::Open(o);
    if (!opened.has_value()) {
      std::fprintf(stderr, "open: %s\n", opened.error().ToString().c_str());
      return 1;
    }
    Iam& iam = (*opened)->iam();
    std::vector<std::string> keys;
    auto t0 = Clock::now();
    for (int i = 0; i < users; ++i) {
      const std::string name = "user" + std::to_string(i);
      if (!iam.CreateUser(name).has_value()) return 1;
      auto k = iam.CreateAccessKey(name);
      if (!k.has_value()) return 1;
      keys.push_back(k->access_key);
    }
    double create_us =
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / (2.0 * users);
    maxiofs::engine::SessionRequest req;
    req.caller.kind = maxiofs::engine::PrincipalKind::kRoot;
    auto s = iam.CreateSession(req, NowNs());
    if (!s.has_value()) return 1;

    constexpr int kOps = 1'000'000;
    LookupNs(iam, keys, 1, kOps / 10);  // warm up
    std::printf("users=%d  mutation (create user / key, sync off): %.1f us/op\n", users, create_us);
    std::printf("LookupCredential user key, 1 thread : %.0f ns/op\n", LookupNs(iam, keys, 1, kOps));
    std::printf("LookupCredential user key, 2 threads: %.0f ns/op per thread\n",
                LookupNs(iam, keys, 2, kOps / 2));
    std::printf("LookupCredential session,  1 thread : %.0f ns/op\n",
                LookupNs(iam, {s->access_key}, 1, kOps));
    std::printf("LookupCredential root,     1 thread : %.0f ns/op\n",
                LookupNs(iam, {"maxioadmin"}, 1, kOps));

    if (!iam.SetConsolePassword("user0", "bench-password").ok()) return 1;
    t0 = Clock::now();
    constexpr int kLogins = 10;
    for (int i = 0; i < kLogins; ++i) {
      if (!iam.CheckConsolePassword("user0", "bench-password").has_value()) return 1;
    }
    std::printf("CheckConsolePassword (PBKDF2): %.1f ms/login\n",
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / kLogins);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
