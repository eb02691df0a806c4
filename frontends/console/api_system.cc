// Server information for the dashboard and the settings page: version, uptime, disk space,
// request statistics and the effective configuration (secrets masked by app/).
#include "api.h"

#include <sys/statvfs.h>

#include <charconv>

namespace maxiofs::console {

http::Response ConsoleApi::Info(const ApiCall& call) {
  const int64_t started_s =
      std::chrono::duration_cast<std::chrono::seconds>(options_.started.time_since_epoch()).count();
  nlohmann::json j = {
      {"version", options_.version},
      {"startedAt", Rfc3339FromNs(started_s * 1000000000LL)},
      {"uptimeSeconds", std::max<int64_t>(0, call.now_s - started_s)},
      {"region", options_.region},
      {"s3Port", options_.s3_port},
      {"user", call.session->subject},
  };
  struct statvfs vfs {};
  if (!options_.data_dir.empty() && statvfs(options_.data_dir.c_str(), &vfs) == 0) {
    j["disk"] = {{"totalBytes", static_cast<uint64_t>(vfs.f_blocks) * vfs.f_frsize},
                 {"freeBytes", static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize}};
  }
  return JsonResponse(200, j);
}

http::Response ConsoleApi::Stats(const ApiCall& call) {
  uint32_t step = 10;
  const std::string text = call.Query("step", "10");
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), step);
  if (ec != std::errc() || p != text.data() + text.size() || step < 1 ||
      step > RequestStats::kWindowSeconds) {
    return JsonError(400, "InvalidArgument", "step must be 1..900 seconds.");
  }
  StatsSnapshot snap;
  if (hooks_.stats) snap = hooks_.stats(step);
  auto point = [&](const StatsPoint& p, double seconds) {
    return nlohmann::json{
        {"t", p.start_s},
        {"requests", p.requests},
        {"rate", seconds > 0 ? static_cast<double>(p.requests) / seconds : 0.0},
        {"errors", p.errors},
        {"clientErrors", p.client_errors},
        {"avgLatencyMs",
         p.requests ? static_cast<double>(p.latency_us_sum) / p.requests / 1000.0 : 0.0},
        {"maxLatencyMs", static_cast<double>(p.latency_us_max) / 1000.0},
        {"bytesIn", p.bytes_in},
        {"bytesOut", p.bytes_out}};
  };
  nlohmann::json series = nlohmann::json::array();
  for (const StatsPoint& p : snap.series) series.push_back(point(p, snap.step_s));
  nlohmann::json totals = point(snap.totals, 0);
  totals.erase("rate");
  return JsonResponse(200, {{"stepSeconds", snap.step_s}, {"series", series}, {"totals", totals}});
}

http::Response ConsoleApi::Config(const ApiCall& call) {
  if (Status st = Authorize(call.caller, Op::kGetServerConfig); !st.ok()) return StatusError(st);
  nlohmann::json entries = nlohmann::json::array();
  for (const ConfigEntry& e : options_.config) {
    entries.push_back({{"key", e.key}, {"value", e.value}});
  }
  return JsonResponse(200, {{"entries", entries}});
}

}  // namespace maxiofs::console
