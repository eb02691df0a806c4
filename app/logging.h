// Logging setup: spdlog configured once, here, for the whole process (STYLE rule 31).
//
// One named logger per subsystem shares one sink (standard error, or logging.file): "app",
// "engine", "s3", "fuse", "console", "backend". Two more carry records rather than events:
// "access" (one line per HTTP request) and "audit" (management changes); each writes to its
// own file when one is configured, else to the server log. Event and audit lines are written at
// once; access lines are buffered and written within a second (or with the next event line, or
// at stop), one write for many requests. Other layers fetch theirs with
// spdlog::get("s3") and must cope with nullptr (unit tests run without app/).
//
// Text lines look like
//   2024-05-01T12:00:00.123+00:00 info    [s3] key=value ...
// JSON lines (logging.format: json) are one object each:
//   {"time":"2024-05-01T12:00:00.123Z","level":"info","logger":"s3","msg":"key=value ..."}
// and access/audit records in JSON are objects of their own fields (see access_log.h).
// Never log secrets: secret keys, signatures, JWTs, presigned query strings.
//
// Thread-safety: call SetupLogging from main() before starting any thread; the loggers and
// ReopenLogFiles are safe for concurrent use afterwards.
#pragma once

#include "maxiofs/common/result.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>

namespace maxiofs::app {

// The subsystem loggers, in registration order.
inline constexpr std::string_view kLoggerNames[] = {"app",  "engine",  "s3",
                                                    "fuse", "console", "backend"};
// The record loggers.
inline constexpr std::string_view kAccessLogger = "access";
inline constexpr std::string_view kAuditLogger = "audit";

struct LogSettings {
  std::string level = "info";  // a validated server.log_level
  bool json = false;           // logging.format == "json"
  std::string file;            // server log file; empty: standard error
  std::string access_file;     // access log file; empty: the server log
  std::string audit_file;      // audit log file; empty: the server log
};

// Creates (or re-configures) every logger, makes "app" the default logger, and returns it.
// The access and audit loggers log at info whatever the level ("off" silences them too).
// IOError naming the file when a log file cannot be opened for appending.
Result<std::shared_ptr<spdlog::logger>> SetupLogging(const LogSettings& settings);

// Text to standard error at `level`: SetupLogging with the other settings at their defaults.
std::shared_ptr<spdlog::logger> SetupLogging(std::string_view level);

// Writes out every logger's buffered lines (access records wait up to a second otherwise).
void FlushLogs();

// Closes and reopens every log file by name (SIGHUP, after logrotate moved them). Lines
// logged meanwhile go to the old or the new file, never lost. A file that cannot be reopened
// keeps the old descriptor and the failure is logged.
void ReopenLogFiles();

// `s` as the contents of a JSON string (without the quotes).
std::string JsonEscape(std::string_view s);

}  // namespace maxiofs::app
