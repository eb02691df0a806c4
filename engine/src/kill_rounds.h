// KillRounds: the crash-test harness (crash_test.cc, lifecycle_test.cc). A forked child works
// on a data dir and reports progress through a pipe; the parent SIGKILLs it mid-stream.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace maxiofs::engine {

// Runs `child(fd)` in a forked process once per entry of `delays_ms`, SIGKILLs it after that
// delay, and passes every (a, b) record the child wrote to `fd` to `on_record`. Fails the test
// when the child exits on its own or acknowledged nothing in a round.
inline void KillRounds(const std::vector<int>& delays_ms, const std::function<void(int fd)>& child,
                       const std::function<void(int32_t, int32_t)>& on_record) {
  for (int delay : delays_ms) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      child(fds[1]);
      _exit(99);  // children loop until killed
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    // On a loaded machine the child may not have acknowledged anything yet: the kill must
    // still land after at least one acknowledgment (waited for up to 20 s), or the round
    // proves nothing.
    pollfd acked{fds[0], POLLIN, 0};
    ::poll(&acked, 1, 20'000);
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    int32_t rec[2];
    int got = 0;
    while (read(fds[0], rec, sizeof(rec)) == sizeof(rec)) {
      on_record(rec[0], rec[1]);
      ++got;
    }
    close(fds[0]);
    ASSERT_GT(got, 0) << "the child acknowledged nothing before the kill";
  }
}

}  // namespace maxiofs::engine
