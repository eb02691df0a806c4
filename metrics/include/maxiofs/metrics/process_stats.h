// Figures about this process and its file systems, read from /proc and statvfs, for the
// process_* and disk metrics.
//
// Thread-safety: pure functions of the system state; safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace maxiofs::metrics {

struct ProcessStats {
  uint64_t resident_bytes = 0;  // RSS (/proc/self/statm)
  uint64_t virtual_bytes = 0;   // address space size
  uint64_t open_fds = 0;        // entries of /proc/self/fd
  uint64_t max_fds = 0;         // RLIMIT_NOFILE soft limit
  double cpu_seconds = 0;       // user + system CPU time
};

// Reads the figures; a field that cannot be read stays 0.
ProcessStats ReadProcessStats();

struct DiskSpace {
  uint64_t free_bytes = 0;   // available to unprivileged users (f_bavail)
  uint64_t total_bytes = 0;  // size of the file system
};

// The space of the file system holding `path`; nullopt when statvfs fails.
std::optional<DiskSpace> ReadDiskSpace(const std::string& path);

}  // namespace maxiofs::metrics
