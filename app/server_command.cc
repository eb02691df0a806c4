#include "server_command.h"

#include "address.h"
#include "blob_backend.h"
#include "component_options.h"
#include "logging.h"
#include "notify_targets.h"
#include "observability.h"
#include "storage_options.h"
#include "upload_sweeper.h"
#include "users_file.h"

#include "maxiofs/app/version.h"
#include "maxiofs/console/console_server.h"
#include "maxiofs/console/request_stats.h"
#include "maxiofs/engine/engine.h"
#include "maxiofs/s3/s3_server.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace maxiofs::app {
namespace {

namespace fs = std::filesystem;

// The data dir as one absolute, normalized path (no trailing slash), so the ready line, the
// errors and the engine all name the same directory.
std::string AbsoluteDataDir(const std::string& data_dir) {
  std::error_code ec;
  fs::path path = fs::absolute(data_dir, ec);
  if (ec) path = data_dir;
  path = path.lexically_normal();
  std::string text = path.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

// Blocks SIGINT, SIGTERM and SIGHUP in this thread (and so in every thread started later)
// and returns the set for sigwait().
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a socket must never kill the server; writes report EPIPE instead.
  signal(SIGPIPE, SIG_IGN);
  return set;
}

// Reports why the server cannot start: an error log line, or, when the log level hides errors
// (critical, off), one plain line on stderr, so a failed start is never silent.
template <typename... Args>
void StartFailure(spdlog::logger& log, fmt::format_string<Args...> format, Args&&... args) {
  const std::string message = fmt::format(format, std::forward<Args>(args)...);
  if (log.should_log(spdlog::level::err)) {
    log.error("{}", message);
    log.flush();
  } else {
    std::fprintf(stderr, "maxiofs: error: %s\n", message.c_str());
  }
}

// Applies auth.users_file (when set) and logs what changed. The error names the entry.
Status ApplyUsers(const Config& config, engine::Engine& engine, spdlog::logger& log) {
  if (config.auth.users_file.empty()) return Status::OK();
  auto applied = ApplyUsersFile(config.auth.users_file, config.auth.users_file_prune, engine.iam());
  if (!applied.has_value()) return applied.error();
  if (applied->empty()) {
    log.info("users file {} applied: no changes", config.auth.users_file);
    return Status::OK();
  }
  log.info("users file {} applied: {} changes", config.auth.users_file, applied->changes.size());
  for (const std::string& change : applied->changes) log.info("users file: {}", change);
  return Status::OK();
}

// Waits for SIGINT or SIGTERM and returns it; each SIGHUP meanwhile runs `on_hangup`.
int WaitForShutdownSignal(const sigset_t& set, const std::function<void()>& on_hangup) {
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig != SIGHUP) return sig;
    on_hangup();
  }
}

}  // namespace

int RunServer(const Config& config, spdlog::logger& log) {
  const sigset_t signals = BlockShutdownSignals();

  const std::string data_dir = AbsoluteDataDir(config.server.data_dir);
  log.info("starting maxiofs version={} listen={} data_dir={} region={} access_key={}", kVersion,
           config.server.listen, data_dir, config.server.region, config.auth.access_key);
  if (UsesDefaultCredentials(config)) {
    log.warn(
        "SECURITY WARNING: the default credentials maxioadmin/maxioadmin are in use; anyone "
        "who can reach this server can read and write every object. Set --access-key and "
        "MAXIOFS_AUTH_SECRET_KEY (or auth.access_key/auth.secret_key) before exposing it.");
  }

  if (!config.auth.enabled) {
    log.warn(
        "SECURITY WARNING: auth.enabled is false: S3 requests without credentials act as root "
        "and any console login is root. Allowed only because every listen address is loopback; "
        "anyone with a shell on this machine can read and delete every object.");
  }
  if (config.metrics.enabled && config.metrics.listen.empty() &&
      !config.metrics.path.starts_with("/_maxiofs/")) {
    log.warn(
        "metrics.path {} is served on metrics.listen, which is not set: the metrics are at "
        "/_maxiofs/metrics on the S3 port only",
        config.metrics.path);
  }

  std::error_code ec;
  if (fs::exists(data_dir, ec) && !fs::is_directory(data_dir, ec)) {
    StartFailure(log, "cannot use data dir {}: it exists and is not a directory", data_dir);
    return kExitStartFailure;
  }

  engine::EngineOptions engine_options = ToEngineOptions(config, data_dir);
  if (Status st = ApplyStorageOptions(config, &engine_options); !st.ok()) {
    StartFailure(log, "{}", st.message());
    return kExitStartFailure;
  }
  auto opened = OpenEngine(config, engine_options);
  if (!opened.has_value()) {
    if (opened.error().code() == Status::Code::kBusy) {
      StartFailure(log, "data dir {} is in use by another maxiofs process", data_dir);
    } else {
      StartFailure(log, "cannot open data dir {}: {}", data_dir, opened.error().message());
    }
    return kExitStartFailure;
  }
  std::unique_ptr<engine::Engine> engine = std::move(opened).value();
  if (Status st = ApplyUsers(config, *engine, log); !st.ok()) {
    StartFailure(log, "{}", st.message());
    return st.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitStartFailure;
  }

  // Bucket notifications: the targets are the engine's before any front end can change data.
  if (Status st = StartNotifyTargets(config, *engine, log); !st.ok()) {
    StartFailure(log, "{}", st.message());
    return kExitStartFailure;
  }

  // Metrics, access/audit logs and readiness hook into the front ends; request statistics
  // feed the console's dashboard. Both outlive the servers that call them.
  auto observability = std::make_unique<Observability>(config, *engine, data_dir);
  console::RequestStats stats;
  s3::S3Options s3_options = ToS3Options(config);
  observability->Attach(s3_options);
  s3_options.on_complete =
      [&stats, observe = std::move(s3_options.on_complete)](const http::RequestRecord& r) {
        if (observe) observe(r);
        stats.Record(r.status, r.latency, r.bytes_in, r.bytes_out);
      };
  auto started = s3::S3Server::Start(s3_options, *engine);
  if (!started.has_value()) {
    if (started.error().code() == Status::Code::kBusy) {
      StartFailure(log, "cannot listen on {} for the S3 API: address already in use",
                   config.server.listen);
    } else {
      StartFailure(log, "cannot start the S3 API on {}: {}", config.server.listen,
                   started.error().message());
    }
    return kExitStartFailure;  // the engine closes as `engine` goes out of scope
  }
  std::unique_ptr<s3::S3Server> s3_server = std::move(started).value();
  console::ConsoleHooks hooks;
  hooks.stats = [&stats](uint32_t step_s) { return stats.Snapshot(step_s); };
  hooks.on_complete = [&stats](int status, std::chrono::microseconds latency, uint64_t bytes_in,
                               uint64_t bytes_out) {
    stats.Record(status, latency, bytes_in, bytes_out);
  };
  console::ConsoleOptions console_options = ToConsoleOptions(config, data_dir, s3_server->port());
  observability->AttachConsole(console_options);
  auto console_started = console::ConsoleServer::Start(console_options, *engine, hooks);
  if (!console_started.has_value()) {
    if (console_started.error().code() == Status::Code::kBusy) {
      StartFailure(log, "cannot listen on {} for the web console: address already in use",
                   config.server.console_listen);
    } else {
      StartFailure(log, "cannot start the web console on {}: {}", config.server.console_listen,
                   console_started.error().message());
    }
    s3_server->Stop();
    return kExitStartFailure;
  }
  std::unique_ptr<console::ConsoleServer> console_server = std::move(console_started).value();
  {
    auto console_addr = ParseHostPort(config.server.console_listen);
    log.info("web console listening on {}://{}:{}", TlsEnabled(config) ? "https" : "http",
             console_addr.has_value() ? DisplayHost(*console_addr) : config.server.console_listen,
             console_server->port());
  }

  std::unique_ptr<fuse::FuseMount> mount;
  if (!config.fuse.mountpoint.empty()) {
    auto mounted = fuse::FuseMount::Start(ToFuseOptions(config, data_dir), *engine);
    if (!mounted.has_value()) {
      StartFailure(log, "cannot mount the store on {}: {}", config.fuse.mountpoint,
                   mounted.error().message());
      console_server->Stop();
      s3_server->Stop();
      return kExitStartFailure;
    }
    mount = std::move(mounted).value();
    observability->AttachFuse(*mount);
  }
  if (Status st = observability->StartMetricsListener(); !st.ok()) {
    StartFailure(log, "cannot serve metrics on {}: {}", config.metrics.listen, st.message());
    observability->Stop();
    console_server->Stop();
    s3_server->Stop();
    return kExitStartFailure;
  }
  std::unique_ptr<UploadSweeper> sweeper;
  if (config.engine.abandoned_upload_hours > 0) {
    sweeper = std::make_unique<UploadSweeper>(
        *engine, std::chrono::hours(config.engine.abandoned_upload_hours), std::chrono::hours(1),
        log);
  }

  // LoadConfig validated the address, so this parse succeeds; fall back to the raw text anyway.
  auto addr = ParseHostPort(config.server.listen);
  const std::string host = addr.has_value() ? DisplayHost(*addr) : config.server.listen;
  const std::string ready =
      fmt::format("{}s3={}:{} data={}{}", kReadyPrefix, host, s3_server->port(), data_dir,
                  mount ? " mount=" + mount->mountpoint() : std::string());
  if (log.should_log(spdlog::level::info)) {
    log.info("{}", ready);
    log.flush();
  } else {
    // The ready line is a contract (scripts wait for it): print it even when the level hides it.
    std::fprintf(stderr, "%s\n", ready.c_str());
    std::fflush(stderr);
  }

  const int sig = WaitForShutdownSignal(signals, [&] {
    ReopenLogFiles();
    log.info("SIGHUP: log files reopened");
    if (Status st = ApplyUsers(config, *engine, log); !st.ok()) {
      log.error("SIGHUP: the users file was not applied: {}", st.message());
    }
    if (TlsEnabled(config)) {
      Status st = s3_server->ReloadTls();
      if (st.ok()) st = console_server->ReloadTls();
      if (!st.ok()) {
        log.error("SIGHUP: cannot reload the TLS certificate, keeping the old one: {}",
                  st.message());
      }
    }
  });
  log.info("received {}, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");

  // Reverse order of construction: front ends first, the engine last.
  sweeper.reset();
  console_server->Stop();
  console_server.reset();
  observability->Stop();  // the metrics listener; the FUSE provider is detached
  s3_server->Stop();
  s3_server.reset();
  mount.reset();  // unmounts; after S3 so no request is cut, before the engine it calls
  observability.reset();
  engine.reset();
  log.info("maxiofs stopped");
  FlushLogs();
  return kExitOk;
}

}  // namespace maxiofs::app
