// Logging setup: spdlog configured once, here, for the whole process (STYLE rule 31).
//
// One named logger per subsystem shares one stderr sink: "app", "engine", "s3", "fuse",
// "console", "backend". Other layers fetch theirs with spdlog::get("s3") and must cope with
// nullptr (unit tests run without app/). Lines look like
//   2024-05-01T12:00:00.123+00:00 info  [s3] key=value ...
// Never log secrets: secret keys, signatures, JWTs, presigned query strings.
//
// Thread-safety: call SetupLogging once from main() before starting any thread; the loggers
// themselves are safe for concurrent use.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace maxiofs::app {

// The subsystem loggers, in registration order.
inline constexpr std::string_view kLoggerNames[] = {"app",  "engine",  "s3",
                                                    "fuse", "console", "backend"};

// Creates and registers every logger at `level` (a validated config log level: trace, debug,
// info, warn, error, critical, off), makes "app" the default logger, and returns it.
// Idempotent: a second call re-levels the existing loggers.
std::shared_ptr<spdlog::logger> SetupLogging(std::string_view level);

}  // namespace maxiofs::app
