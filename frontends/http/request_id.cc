#include "request_id.h"

#include <cstdio>
#include <random>

namespace maxiofs::http {

RequestIdGenerator::RequestIdGenerator() {
  std::random_device rd;
  base_ = (uint64_t(rd()) << 32) ^ rd();
}

std::string RequestIdGenerator::Next() {
  // An odd multiplier makes consecutive ids look unrelated while staying unique.
  uint64_t v = base_ + counter_.fetch_add(1, std::memory_order_relaxed) * 0x9E3779B97F4A7C15ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace maxiofs::http
