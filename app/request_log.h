// RequestLog: the access log (one record per HTTP request) and the audit log (one record per
// management change: buckets created or deleted, versioning and object-lock settings, and
// later users and policies), written to the "access" and "audit" loggers (logging.h).
//
// Text records are key=value fields:
//   server=s3 request_id=... remote=127.0.0.1:5000 user=maxioadmin op=PutObject method=PUT
//   bucket=photos key=cat.jpg status=200 bytes_in=1024 bytes_out=0 latency_ms=1.234
// JSON records are objects with the same names plus "time" (UTC, milliseconds).
//
// Thread-safety: safe for concurrent use without external synchronization.
#pragma once

#include "request_facts.h"

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace maxiofs::app {

// The bucket and key a path-style request target names ("/b/k/x?q" -> "b", "k/x"), still
// percent-encoded as on the wire; both empty for the service root and the reserved
// /_maxiofs/ paths. Virtual-host-style requests show their path only.
struct TargetParts {
  std::string bucket;
  std::string key;
};
TargetParts SplitTarget(std::string_view target);

// True for operations the audit log records (management changes).
bool IsAuditedOperation(std::string_view operation);

// One access record, without a trailing newline. `now` is used for the JSON "time" field.
std::string FormatAccessRecord(const RequestFacts& facts, bool json,
                               std::chrono::system_clock::time_point now);
// One audit record: the access fields plus outcome=success|failure.
std::string FormatAuditRecord(const RequestFacts& facts, bool json,
                              std::chrono::system_clock::time_point now);

class RequestLog {
 public:
  // `access`: write access records (logging.access); `json`: logging.format == "json".
  // Takes the "access" and "audit" loggers registered by SetupLogging (none: no records).
  RequestLog(bool access, bool json);
  // Writes the access record (when enabled) and, for audited operations, the audit record.
  void Log(const RequestFacts& facts) const;
  // Writes only the audit record, whatever the operation (background actions such as the
  // lifecycle worker's, which are not HTTP requests).
  void Audit(const RequestFacts& facts) const;

 private:
  const bool json_;
  std::shared_ptr<spdlog::logger> access_log_;  // null when access records are off
  std::shared_ptr<spdlog::logger> audit_log_;
};

}  // namespace maxiofs::app
