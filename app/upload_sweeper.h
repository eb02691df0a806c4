// UploadSweeper: aborts abandoned multipart uploads (initiated longer ago than a maximum age)
// and retries blob deletions the store refused earlier (Engine::RetryOwedDeletions), on its
// own thread, once at start and then every `interval`.
//
// Thread-safety: construct and destroy from one thread; the destructor stops and joins.
#pragma once

#include "maxiofs/engine/engine.h"

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace maxiofs::app {

class UploadSweeper {
 public:
  // REQUIRES: `engine` and `log` outlive the sweeper; max_age > 0.
  UploadSweeper(engine::Engine& engine, std::chrono::hours max_age, std::chrono::seconds interval,
                spdlog::logger& log);
  ~UploadSweeper();
  UploadSweeper(const UploadSweeper&) = delete;
  UploadSweeper& operator=(const UploadSweeper&) = delete;

 private:
  void Run();

  engine::Engine& engine_;
  const std::chrono::hours max_age_;
  const std::chrono::seconds interval_;
  spdlog::logger& log_;
  std::mutex mu_;  // guards stop_
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after every member above is ready
};

}  // namespace maxiofs::app
