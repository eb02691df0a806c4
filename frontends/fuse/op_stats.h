// OpStats: how many times each FUSE operation ran and how many of those failed, by errno.
// The op table records every operation here (one choke point, ops_table.cc); the mount hands
// snapshots to app/ for the metrics.
//
// Thread-safety: safe for concurrent use without external synchronization.
#pragma once

#include "maxiofs/fuse/fuse_mount.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::fuse {

class OpStats {
 public:
  // Counts one call of `op`, and one failure with `err` when err != 0. REQUIRES: `op` is a
  // string with static storage (the op table's literals); it is kept by reference.
  void Record(const char* op, int err);
  // Every count so far: per op one entry with error 0 (all calls), plus one per errno seen.
  std::vector<FuseOpCount> Snapshot() const;

 private:
  mutable std::mutex mu_;  // guards counts_; leaf lock, held for a map update only
  std::map<std::pair<std::string_view, int>, uint64_t> counts_;
};

}  // namespace maxiofs::fuse
