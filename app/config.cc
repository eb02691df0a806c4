#include "config.h"

#include "config_file.h"
#include "config_keys.h"

#include <string_view>
#include <utility>

namespace maxiofs::app {
namespace {

constexpr std::string_view kEnvPrefix = "MAXIOFS_";
constexpr std::string_view kDefaultCredential = "maxioadmin";

// Checks every key of `config`, naming the origin of the first bad one.
Status Validate(const Config& config, const ConfigOrigins& origins) {
  for (const ConfigKey& key : AllConfigKeys()) {
    if (key.check == nullptr) continue;
    Status st = key.check(config);
    if (st.ok()) continue;
    auto origin = origins.find(key.Dotted());
    const std::string from = origin == origins.end() ? "default" : origin->second;
    const std::string shown = key.secret ? "" : " '" + FormatValue(key, config) + "'";
    return Status::InvalidArgument("invalid " + key.Dotted() + shown + " (from " + from +
                                   "): " + std::string(st.message()));
  }
  return Status::OK();
}

// Applies one string-valued source (environment or flags) for one key.
Status ApplyString(const ConfigKey& key, const std::string& value, const std::string& from,
                   Config& config, ConfigOrigins& origins) {
  Status st = SetFromString(key, value, config);
  if (!st.ok()) {
    const std::string shown = key.secret ? "" : " '" + value + "'";
    return Status::InvalidArgument("invalid " + key.Dotted() + shown + " (from " + from +
                                   "): " + std::string(st.message()));
  }
  origins[key.Dotted()] = from;
  return Status::OK();
}

}  // namespace

Environment EnvironmentFromEnvp(char** envp) {
  Environment env;
  for (char** p = envp; p != nullptr && *p != nullptr; ++p) {
    std::string_view entry(*p);
    if (!entry.starts_with(kEnvPrefix)) continue;
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Result<Config> LoadConfig(const ConfigSources& sources) {
  MAXIOFS_ASSIGN_OR_RETURN(LoadedConfig loaded, LoadConfigWithOrigins(sources));
  return std::move(loaded.config);
}

Result<LoadedConfig> LoadConfigWithOrigins(const ConfigSources& sources) {
  Config config;
  ConfigOrigins origins;

  if (sources.config_file.has_value()) {
    MAXIOFS_RETURN_IF_ERROR(ApplyConfigFile(*sources.config_file, config, origins));
  }
  for (const ConfigKey& key : AllConfigKeys()) {
    const std::string name = key.EnvName();
    auto it = sources.env.find(name);
    if (it == sources.env.end()) continue;
    MAXIOFS_RETURN_IF_ERROR(ApplyString(key, it->second, "environment " + name, config, origins));
  }
  for (const auto& [dotted, value] : sources.flags) {
    const ConfigKey* found = FindConfigKey(dotted);
    if (found == nullptr) return Status::InvalidArgument("unknown config key '" + dotted + "'");
    const std::string from =
        "flag " + (found->flag.empty() ? found->LongFlag() : std::string(found->flag));
    MAXIOFS_RETURN_IF_ERROR(ApplyString(*found, value, from, config, origins));
  }
  MAXIOFS_RETURN_IF_ERROR(Validate(config, origins));
  return LoadedConfig{std::move(config), std::move(origins)};
}

Status ValidateConfig(const Config& config) { return Validate(config, {}); }

bool TlsEnabled(const Config& config) {
  return config.tls.enabled.value_or(!config.tls.cert_file.empty() && !config.tls.key_file.empty());
}

bool CompressionEnabled(const Config& config) {
  return config.storage.compression.enabled.value_or(config.storage.compression.type != "none");
}

std::string SessionSecret(const Config& config) {
  return config.console.session_secret.empty() ? config.auth.jwt_secret
                                               : config.console.session_secret;
}

bool UsesDefaultCredentials(const Config& config) {
  return config.auth.secret_key == kDefaultCredential;
}

}  // namespace maxiofs::app
