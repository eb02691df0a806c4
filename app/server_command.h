// `maxiofs server`: builds the engine and the front ends from a Config, announces readiness,
// waits for SIGINT/SIGTERM and tears everything down in reverse order (STYLE rule 20).
//
// Thread-safety: call from the main thread before any other thread exists: RunServer blocks
// SIGINT and SIGTERM in the calling thread so every thread it starts inherits the mask and
// only its sigwait() receives them.
#pragma once

#include "config.h"

#include <spdlog/logger.h>

namespace maxiofs::app {

// Process exit codes (docs/operations.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitStartFailure = 1;  // data dir, address in use, engine or S3 failure
inline constexpr int kExitUsage = 2;         // bad flag, config value or config file

// The exact prefix of the one line logged once every front end listens:
//   maxiofs ready: s3=<host>:<port> data=<absolute data dir>
// It is printed whatever the log level. <port> is the bound port (so --listen 127.0.0.1:0 reveals
// the one picked); <host> is the configured host, or 0.0.0.0 for ":port". Tests and docs match on
// it: do not change it.
inline constexpr char kReadyPrefix[] = "maxiofs ready: ";

// Runs the server with a validated `config`, logging to `log`. Returns kExitOk after a clean
// stop on SIGINT/SIGTERM, or logs one clear error line and returns kExitStartFailure (data dir
// not usable or held by another process, address in use) or kExitUsage (a feature that is not
// built, such as --mount).
int RunServer(const Config& config, spdlog::logger& log);

}  // namespace maxiofs::app
