#include "request_log.h"

#include "logging.h"

#include <spdlog/spdlog.h>

#include <array>
#include <ctime>

namespace maxiofs::app {
namespace {

constexpr std::array<std::string_view, 4> kAuditedExact = {
    "CreateBucket", "DeleteBucket", "PutObjectLockConfiguration", "PutBucketVersioning"};
// Families of management operations, present and future (bucket policies, lifecycle, users).
constexpr std::array<std::string_view, 6> kAuditedPrefixes = {
    "PutBucket", "DeleteBucket", "CreateUser", "DeleteUser", "UpdateUser", "PutUser"};

std::string IsoTime(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf, n) + fmt::format(".{:03d}Z", static_cast<int>(ms.count() % 1000));
}

std::string_view Or(std::string_view s) { return s.empty() ? std::string_view("-") : s; }

// The shared fields, as key=value text or as the inside of a JSON object.
std::string Fields(const RequestFacts& f, bool json) {
  const TargetParts parts = SplitTarget(f.target);
  const double latency_ms = std::chrono::duration<double, std::milli>(f.latency).count();
  if (json) {
    std::string out = fmt::format(
        "\"server\":\"{}\",\"request_id\":\"{}\",\"remote\":\"{}\",\"user\":\"{}\","
        "\"op\":\"{}\",\"method\":\"{}\",\"target\":\"{}\",\"bucket\":\"{}\",\"key\":\"{}\","
        "\"status\":{},\"bytes_in\":{},\"bytes_out\":{},\"latency_ms\":{:.3f}",
        JsonEscape(f.server), JsonEscape(f.request_id), JsonEscape(f.remote), JsonEscape(f.user),
        JsonEscape(f.operation), JsonEscape(f.method), JsonEscape(f.target),
        JsonEscape(parts.bucket), JsonEscape(parts.key), f.status, f.bytes_in, f.bytes_out,
        latency_ms);
    if (!f.note.empty()) out += ",\"note\":\"" + JsonEscape(f.note) + "\"";
    return out;
  }
  std::string out = fmt::format(
      "server={} request_id={} remote={} user={} op={} method={} bucket={} key={} status={} "
      "bytes_in={} bytes_out={} latency_ms={:.3f}",
      Or(f.server), Or(f.request_id), Or(f.remote), Or(f.user), Or(f.operation), Or(f.method),
      Or(parts.bucket), Or(parts.key), f.status, f.bytes_in, f.bytes_out, latency_ms);
  if (!f.note.empty()) out += fmt::format(" note=\"{}\"", f.note);
  return out;
}

}  // namespace

TargetParts SplitTarget(std::string_view target) {
  TargetParts parts;
  std::string_view path = target.substr(0, target.find('?'));
  if (path.starts_with("http://") || path.starts_with("https://")) {  // absolute-form
    const size_t slash = path.find('/', path.find("//") + 2);
    path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  }
  while (path.starts_with('/')) path.remove_prefix(1);
  if (path.empty() || path.starts_with("_maxiofs/") || path == "_maxiofs") return parts;
  const size_t slash = path.find('/');
  parts.bucket = std::string(path.substr(0, slash));
  if (slash != std::string_view::npos) parts.key = std::string(path.substr(slash + 1));
  return parts;
}

bool IsAuditedOperation(std::string_view operation) {
  for (std::string_view op : kAuditedExact) {
    if (operation == op) return true;
  }
  for (std::string_view prefix : kAuditedPrefixes) {
    if (operation.starts_with(prefix)) return true;
  }
  return false;
}

std::string FormatAccessRecord(const RequestFacts& facts, bool json,
                               std::chrono::system_clock::time_point now) {
  if (json) return "{\"time\":\"" + IsoTime(now) + "\"," + Fields(facts, true) + "}";
  return Fields(facts, false);
}

std::string FormatAuditRecord(const RequestFacts& facts, bool json,
                              std::chrono::system_clock::time_point now) {
  const bool ok = facts.status >= 200 && facts.status < 300;
  if (json) {
    return "{\"time\":\"" + IsoTime(now) + "\",\"event\":\"management\",\"outcome\":\"" +
           (ok ? "success" : "failure") + "\"," + Fields(facts, true) + "}";
  }
  return std::string("event=management outcome=") + (ok ? "success " : "failure ") +
         Fields(facts, false);
}

RequestLog::RequestLog(bool access, bool json)
    : json_(json),
      access_log_(access ? spdlog::get(std::string(kAccessLogger)) : nullptr),
      audit_log_(spdlog::get(std::string(kAuditLogger))) {}

void RequestLog::Log(const RequestFacts& facts) const {
  const auto now = std::chrono::system_clock::now();
  if (access_log_ && access_log_->should_log(spdlog::level::info)) {
    access_log_->info("{}", FormatAccessRecord(facts, json_, now));
  }
  if (audit_log_ && IsAuditedOperation(facts.operation) &&
      audit_log_->should_log(spdlog::level::info)) {
    audit_log_->info("{}", FormatAuditRecord(facts, json_, now));
  }
}

void RequestLog::Audit(const RequestFacts& facts) const {
  if (audit_log_ && audit_log_->should_log(spdlog::level::info)) {
    audit_log_->info("{}", FormatAuditRecord(facts, json_, std::chrono::system_clock::now()));
  }
}

}  // namespace maxiofs::app
