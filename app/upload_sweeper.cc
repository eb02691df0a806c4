#include "upload_sweeper.h"

namespace maxiofs::app {

UploadSweeper::UploadSweeper(engine::Engine& engine, std::chrono::hours max_age,
                             std::chrono::seconds interval, spdlog::logger& log)
    : engine_(engine), max_age_(max_age), interval_(interval), log_(log), thread_([this] {
        Run();
      }) {}

UploadSweeper::~UploadSweeper() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void UploadSweeper::Run() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    l.unlock();
    const auto cutoff = std::chrono::system_clock::now() - max_age_;
    const int64_t cutoff_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(cutoff.time_since_epoch()).count();
    auto aborted = engine_.AbortUploadsInitiatedBefore(cutoff_ns);
    if (!aborted.has_value()) {
      log_.warn("abandoned-upload sweep failed: {}", aborted.error().ToString());
    } else if (*aborted > 0) {
      log_.info("aborted {} multipart uploads older than {} hours", *aborted, max_age_.count());
    }
    // Blob deletions a failing store refused earlier (a remote store that was down).
    auto owed = engine_.RetryOwedDeletions();
    if (!owed.has_value()) {
      log_.warn("owed blob deletions still failing: {}", owed.error().ToString());
    } else if (*owed > 0) {
      log_.info("finished {} owed blob deletions", *owed);
    }
    l.lock();
    cv_.wait_for(l, interval_, [this] { return stop_; });
  }
}

}  // namespace maxiofs::app
