#include "logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <string>

namespace maxiofs::app {

std::shared_ptr<spdlog::logger> SetupLogging(std::string_view level) {
  const spdlog::level::level_enum lvl = spdlog::level::from_str(std::string(level));
  // One sink for everyone, so lines from different subsystems never interleave mid-line.
  spdlog::sink_ptr sink;
  for (std::string_view name : kLoggerNames) {
    std::shared_ptr<spdlog::logger> logger = spdlog::get(std::string(name));
    if (logger == nullptr) {
      if (sink == nullptr) sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
      logger = std::make_shared<spdlog::logger>(std::string(name), sink);
      logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %-7l [%n] %v");
      spdlog::register_logger(logger);
    }
    logger->set_level(lvl);
    // stderr is unbuffered for us: flush every line so a supervisor or a test sees it at once.
    logger->flush_on(spdlog::level::trace);
  }
  std::shared_ptr<spdlog::logger> app = spdlog::get("app");
  spdlog::set_default_logger(app);
  return app;
}

}  // namespace maxiofs::app
