#include "op_stats.h"

#include <string>

namespace maxiofs::fuse {

void OpStats::Record(const char* op, int err) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[{op, 0}];
  if (err != 0) ++counts_[{op, err}];
}

std::vector<FuseOpCount> OpStats::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<FuseOpCount> out;
  out.reserve(counts_.size());
  for (const auto& [key, count] : counts_) {
    out.push_back(FuseOpCount{std::string(key.first), key.second, count});
  }
  return out;
}

}  // namespace maxiofs::fuse
