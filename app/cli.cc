#include "cli.h"

#include "admin_command.h"
#include "config.h"
#include "config_keys.h"
#include "logging.h"
#include "man_page.h"
#include "server_command.h"

#include "maxiofs/app/version.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace maxiofs::app {
namespace {

void PrintError(const std::string& message) {
  std::fprintf(stderr, "maxiofs: error: %s\n", message.c_str());
}

// The --help line of a flag: what it sets, its environment variable and default.
std::string FlagHelp(const ConfigKey& key) {
  std::string help = std::string(key.help) + " [" + key.Dotted() + ", env " + key.EnvName();
  const std::string def = FormatValue(key, Config{});
  if (!key.secret) help += ", default " + (def.empty() ? std::string("none") : def);
  help += "]";
  if (key.secret) help += " (visible in ps: prefer the environment variable)";
  return help;
}

int RunServerCommand(ConfigSources sources) {
  auto config = LoadConfig(sources);
  if (!config.has_value()) {
    PrintError(std::string(config.error().message()));
    return kExitUsage;
  }
  LogSettings settings;
  settings.level = config->server.log_level;
  settings.json = config->logging.format == "json";
  settings.file = config->logging.file;
  settings.access_file = config->logging.access_file;
  settings.audit_file = config->logging.audit_file;
  auto log = SetupLogging(settings);
  if (!log.has_value()) {
    PrintError(std::string(log.error().message()));
    return kExitStartFailure;
  }
  return RunServer(*config, **log);
}

// `maxiofs config check [FILE]`: the same loading and validation as `maxiofs server --config
// FILE` (environment included), without starting anything; then every key with its value,
// where it came from, its option and its variable.
int CheckConfigFile(const std::string& file, Environment env) {
  ConfigSources sources;
  if (!file.empty()) sources.config_file = file;
  sources.env = std::move(env);
  auto loaded = LoadConfigWithOrigins(sources);
  if (!loaded.has_value()) {
    PrintError(std::string(loaded.error().message()));
    return kExitUsage;
  }
  const Config& config = loaded->config;
  std::printf("%s: configuration is valid\n",
              file.empty() ? "environment and defaults" : file.c_str());
  for (const ConfigKey& key : AllConfigKeys()) {
    auto origin = loaded->origins.find(key.Dotted());
    const std::string from = origin == loaded->origins.end() ? "default" : origin->second;
    std::string flags = key.LongFlag();
    if (!key.flag.empty()) flags = std::string(key.flag) + ", " + flags;
    std::printf("  %s = %s\n      from %s; %s, %s\n", key.Dotted().c_str(),
                FormatValue(key, config).c_str(), from.c_str(), flags.c_str(),
                key.EnvName().c_str());
  }
  if (!config.auth.enabled) {
    std::printf(
        "warning: auth.enabled is false: requests without credentials act as root (allowed "
        "on loopback addresses only)\n");
  }
  if (UsesDefaultCredentials(config)) {
    std::printf(
        "warning: auth.secret_key is the public default; change it before exposing the "
        "server\n");
  }
  return kExitOk;
}

}  // namespace

int RunCli(int argc, char** argv, char** envp) {
  CLI::App app{"MaxIOFS: an S3-compatible object store in one binary", "maxiofs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "maxiofs " + std::string(kVersion));
  app.footer(
      "Run 'maxiofs help COMMAND' or 'maxiofs COMMAND --help' for a command's options; "
      "man maxiofs for all of them.");

  CLI::App* server = app.add_subcommand("server", "run the object store server");
  std::string config_file;
  CLI::Option* config_opt =
      server->add_option("--config", config_file, "YAML or JSON configuration file")
          ->type_name("FILE");
  // One flag per config key that has one; values land in `values` until parsing ends.
  std::map<std::string, std::string> values;
  std::vector<std::pair<std::string, CLI::Option*>> flag_opts;
  // Every key has its long flag (--section-key); some also a short one (--listen).
  for (const ConfigKey& key : AllConfigKeys()) {
    const std::string dotted = key.Dotted();
    const std::string names =
        key.flag.empty() ? key.LongFlag() : std::string(key.flag) + "," + key.LongFlag();
    CLI::Option* opt = server->add_option(names, values[dotted], FlagHelp(key));
    opt->type_name(std::string(key.metavar));
    flag_opts.emplace_back(dotted, opt);
  }
  server->footer(
      "Priority: flags > environment (MAXIOFS_<SECTION>_<KEY>) > --config file > defaults.\n"
      "Every key is described in man maxiofs and docs/configuration.md.");

  CLI::App* version = app.add_subcommand("version", "print the version and exit");

  CLI::App* help = app.add_subcommand("help", "print the usage of maxiofs or of one command");
  std::vector<std::string> help_topic;
  help->add_option("COMMAND", help_topic, "a command: server, config, admin, version");
  bool help_man = false;
  help->add_flag("--man", help_man, "print the maxiofs(8) manual page (roff) instead");

  CLI::App* config_cmd = app.add_subcommand("config", "configuration tools");
  config_cmd->require_subcommand(1);
  CLI::App* check = config_cmd->add_subcommand(
      "check", "validate a config file (with the MAXIOFS_* environment), list every key and exit");
  std::string check_file;
  check->add_option("FILE", check_file, "YAML or JSON configuration file (none: environment)");
  // Offline maintenance: the data dir and keys come from the same config sources as `server`.
  CLI::App* admin = app.add_subcommand("admin", "offline maintenance of a data dir");
  admin->require_subcommand(1);
  std::string admin_config, admin_data_dir, kms_name;
  admin->add_option("--config", admin_config, "YAML or JSON configuration file")->type_name("FILE");
  CLI::Option* admin_dir_opt =
      admin->add_option("--data-dir", admin_data_dir, "data directory")->type_name("DIR");
  CLI::App* rotate = admin->add_subcommand(
      "rotate-key", "re-wrap every data key under the active master key (no data rewritten)");
  CLI::App* kms = admin->add_subcommand("kms-key", "keys of the built-in key service (SSE-KMS)");
  kms->require_subcommand(1);
  CLI::App* kms_create = kms->add_subcommand("create", "create a key");
  kms_create->add_option("name", kms_name, "key name")->required();
  CLI::App* kms_list = kms->add_subcommand("list", "list the keys");
  CLI::App* usage = admin->add_subcommand(
      "usage", "print bucket usage counters; --verify compares them with a scan of the records");
  std::vector<std::string> usage_buckets;
  bool usage_verify = false, usage_repair = false;
  usage->add_option("BUCKET", usage_buckets, "buckets (default: every bucket)");
  usage->add_flag("--verify", usage_verify, "compare the counters with a scan (exit 1 if not)");
  usage->add_flag("--repair", usage_repair, "with --verify: reset counters that differ");
  CLI::App* quota = admin->add_subcommand("quota", "bucket quotas (like MinIO's `mc quota`)");
  quota->require_subcommand(1);
  QuotaCommand quota_cmd;
  std::string quota_size;
  uint64_t quota_objects = 0;
  CLI::App* quota_set = quota->add_subcommand("set", "set a bucket's hard limits");
  quota_set->add_option("BUCKET", quota_cmd.bucket, "bucket")->required();
  CLI::Option* quota_size_opt =
      quota_set->add_option("--size", quota_size, "byte limit, e.g. 10GiB (0: none)")
          ->type_name("SIZE");
  CLI::Option* quota_objects_opt =
      quota_set->add_option("--objects", quota_objects, "object version limit (0: none)")
          ->type_name("N");
  CLI::App* quota_info = quota->add_subcommand("info", "show a bucket's limits and usage");
  quota_info->add_option("BUCKET", quota_cmd.bucket, "bucket")->required();
  CLI::App* quota_clear = quota->add_subcommand("clear", "remove a bucket's limits");
  quota_clear->add_option("BUCKET", quota_cmd.bucket, "bucket")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    PrintError(std::string(e.what()) + " (see maxiofs --help)");
    return kExitUsage;
  }

  if (version->parsed()) {
    std::printf("maxiofs %s\n", std::string(kVersion).c_str());
    return kExitOk;
  }
  if (help->parsed()) {
    if (help_man) {
      std::fputs(ManPage(kVersion).c_str(), stdout);
      return kExitOk;
    }
    if (help_topic.empty()) {
      // app.help() would describe the parsed subcommand (help itself): ask the formatter.
      std::fputs(
          app.get_formatter()->make_help(&app, "maxiofs", CLI::AppFormatMode::Normal).c_str(),
          stdout);
      return kExitOk;
    }
    CLI::App* topic = &app;
    std::string usage_name = "maxiofs";
    for (const std::string& name : help_topic) {
      CLI::App* sub = nullptr;
      for (CLI::App* candidate : topic->get_subcommands({})) {
        if (candidate->get_name() == name) sub = candidate;
      }
      if (sub == nullptr) {
        PrintError("no command '" + name + "' (see maxiofs help)");
        return kExitUsage;
      }
      topic = sub;
      usage_name += " " + name;
    }
    // What `maxiofs <command> --help` prints.
    std::fputs(
        topic->get_formatter()->make_help(topic, usage_name, CLI::AppFormatMode::Normal).c_str(),
        stdout);
    return kExitOk;
  }
  if (check->parsed()) return CheckConfigFile(check_file, EnvironmentFromEnvp(envp));
  if (admin->parsed()) {
    ConfigSources admin_sources;
    if (!admin_config.empty()) admin_sources.config_file = admin_config;
    admin_sources.env = EnvironmentFromEnvp(envp);
    if (admin_dir_opt->count() > 0) admin_sources.flags["server.data_dir"] = admin_data_dir;
    auto config = LoadConfig(admin_sources);
    if (!config.has_value()) {
      PrintError(std::string(config.error().message()));
      return kExitUsage;
    }
    if (rotate->parsed()) return RunRotateKey(*config);
    if (kms_create->parsed()) return RunKmsKeyCreate(*config, kms_name);
    if (kms_list->parsed()) return RunKmsKeyList(*config);
    if (usage->parsed()) {
      return RunUsage(*config, usage_buckets, usage_verify || usage_repair, usage_repair);
    }
    if (quota->parsed()) {
      if (quota_set->parsed()) {
        quota_cmd.kind = QuotaCommand::Kind::kSet;
        if (quota_size_opt->count() > 0) quota_cmd.size = quota_size;
        if (quota_objects_opt->count() > 0) quota_cmd.objects = quota_objects;
        if (!quota_cmd.size && !quota_cmd.objects) {
          PrintError("quota set needs --size and/or --objects");
          return kExitUsage;
        }
      } else if (quota_clear->parsed()) {
        quota_cmd.kind = QuotaCommand::Kind::kClear;
      } else if (quota_info->parsed()) {
        quota_cmd.kind = QuotaCommand::Kind::kInfo;
      }
      return RunQuota(*config, quota_cmd);
    }
  }
  ConfigSources sources;
  if (config_opt->count() > 0) sources.config_file = config_file;
  sources.env = EnvironmentFromEnvp(envp);
  for (const auto& [dotted, opt] : flag_opts) {
    if (opt->count() > 0) sources.flags[dotted] = values[dotted];
  }
  return RunServerCommand(std::move(sources));
}

}  // namespace maxiofs::app
