#include "log_keys.h"

#include <cstdio>
#include <ctime>

namespace maxiofs::engine {
namespace {

std::tm UtcOf(int64_t ns) {
  std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

// "YYYY-mm-DD-HH-MM-SS-"
std::string Stamp(int64_t ns) {
  const std::tm tm = UtcOf(ns);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d-%02d-%02d-%02d-", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// "YYYY/MM/DD/"
std::string DateDirs(int64_t ns) {
  const std::tm tm = UtcOf(ns);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d/%02d/%02d/", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

}  // namespace

std::string LogObjectKey(const BucketLoggingConfig& config, const LogKeyInputs& in) {
  std::string key = config.target_prefix;
  if (config.key_format == LogKeyFormat::kPartitionedPrefix) {
    key.append(in.source_account).append("/");
    key.append(in.region).append("/");
    key.append(in.source_bucket).append("/");
    key += DateDirs(config.date_source == LogPartitionDateSource::kEventTime ? in.event_ns
                                                                             : in.delivery_ns);
  }
  key += Stamp(in.delivery_ns);
  key.append(in.unique);
  return key;
}

}  // namespace maxiofs::engine
