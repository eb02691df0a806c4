#include "config.h"

#include "config_keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>

namespace maxiofs::app {
namespace {

namespace fs = std::filesystem;

// Each test gets a fresh temp dir for its YAML files, removed afterwards.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "maxiofs-config-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes `yaml` to a file in the temp dir and returns its path.
  std::string WriteYaml(const std::string& yaml) {
    const std::string path = (dir_ / "maxiofs.yaml").string();
    std::ofstream(path) << yaml;
    return path;
  }

  // Loads with the given sources, expecting failure; returns the message.
  static std::string LoadError(const ConfigSources& sources) {
    auto config = LoadConfig(sources);
    EXPECT_FALSE(config.has_value());
    return config.has_value() ? "" : std::string(config.error().message());
  }

  fs::path dir_;
};

TEST_F(ConfigTest, DefaultsRunOutOfTheBox) {
  auto config = LoadConfig({});
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.listen, ":8080");
  EXPECT_EQ(config->server.console_listen, ":8081");
  EXPECT_EQ(config->server.data_dir, "./data");
  EXPECT_EQ(config->server.log_level, "info");
  EXPECT_EQ(config->server.region, "us-east-1");
  EXPECT_TRUE(config->server.virtual_host_domains.empty());
  EXPECT_TRUE(config->server.cors_allowed_origins.empty());
  EXPECT_EQ(config->auth.access_key, "maxioadmin");
  EXPECT_EQ(config->auth.secret_key, "maxioadmin");
  EXPECT_EQ(config->fuse.mountpoint, "");
  EXPECT_TRUE(config->fuse.parts_etag);
  EXPECT_FALSE(config->fuse.allow_other);
  EXPECT_EQ(config->fuse.atime, "noatime");
  EXPECT_EQ(config->fuse.versions, "hidden");
  EXPECT_EQ(config->engine.inline_threshold, 128u * 1024);
  EXPECT_TRUE(config->engine.sync);
  EXPECT_TRUE(UsesDefaultCredentials(*config));
  EXPECT_TRUE(ValidateConfig(Config{}).ok());
}

TEST_F(ConfigTest, EnvironmentVariableNames) {
  std::vector<std::string> names;
  for (const ConfigKey& key : AllConfigKeys()) names.push_back(key.EnvName());
  for (const char* expected :
       {"MAXIOFS_SERVER_LISTEN", "MAXIOFS_SERVER_CONSOLE_LISTEN", "MAXIOFS_SERVER_DATA_DIR",
        "MAXIOFS_SERVER_LOG_LEVEL", "MAXIOFS_SERVER_REGION", "MAXIOFS_SERVER_VIRTUAL_HOST_DOMAINS",
        "MAXIOFS_AUTH_ACCESS_KEY", "MAXIOFS_AUTH_SECRET_KEY", "MAXIOFS_FUSE_MOUNTPOINT",
        "MAXIOFS_ENGINE_INLINE_THRESHOLD", "MAXIOFS_ENGINE_SYNC"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST_F(ConfigTest, EveryKeyIsReadFromTheEnvironment) {
  ConfigSources sources;
  sources.env = {{"MAXIOFS_SERVER_LISTEN", "127.0.0.1:9000"},
                 {"MAXIOFS_SERVER_CONSOLE_LISTEN", ":9001"},
                 {"MAXIOFS_SERVER_DATA_DIR", "/srv/maxiofs"},
                 {"MAXIOFS_SERVER_LOG_LEVEL", "debug"},
                 {"MAXIOFS_SERVER_REGION", "eu-west-1"},
                 {"MAXIOFS_SERVER_VIRTUAL_HOST_DOMAINS", "s3.example.com, s3.local"},
                 {"MAXIOFS_AUTH_ACCESS_KEY", "AKIAENV"},
                 {"MAXIOFS_AUTH_SECRET_KEY", "envsecret"},
                 {"MAXIOFS_FUSE_MOUNTPOINT", "/mnt/s3"},
                 {"MAXIOFS_FUSE_PARTS_ETAG", "false"},
                 {"MAXIOFS_FUSE_ALLOW_OTHER", "true"},
                 {"MAXIOFS_FUSE_ATIME", "relatime"},
                 {"MAXIOFS_FUSE_VERSIONS", "visible"},
                 {"MAXIOFS_ENGINE_INLINE_THRESHOLD", "4096"},
                 {"MAXIOFS_ENGINE_SYNC", "false"},
                 {"MAXIOFS_SOMETHING_ELSE", "ignored"}};
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.listen, "127.0.0.1:9000");
  EXPECT_EQ(config->server.console_listen, ":9001");
  EXPECT_EQ(config->server.data_dir, "/srv/maxiofs");
  EXPECT_EQ(config->server.log_level, "debug");
  EXPECT_EQ(config->server.region, "eu-west-1");
  EXPECT_EQ(config->server.virtual_host_domains,
            (std::vector<std::string>{"s3.example.com", "s3.local"}));
  EXPECT_EQ(config->auth.access_key, "AKIAENV");
  EXPECT_EQ(config->auth.secret_key, "envsecret");
  EXPECT_EQ(config->fuse.mountpoint, "/mnt/s3");
  EXPECT_FALSE(config->fuse.parts_etag);
  EXPECT_TRUE(config->fuse.allow_other);
  EXPECT_EQ(config->fuse.atime, "relatime");
  EXPECT_EQ(config->fuse.versions, "visible");
  EXPECT_EQ(config->engine.inline_threshold, 4096u);
  EXPECT_FALSE(config->engine.sync);
  EXPECT_FALSE(UsesDefaultCredentials(*config));
}

TEST_F(ConfigTest, FlagBeatsEnvBeatsFileBeatsDefault) {
  ConfigSources sources;
  sources.config_file = WriteYaml(R"(
server:
  listen: "127.0.0.1:1001"
  data_dir: /from/file
  log_level: warn
  console_listen: ":2001"
auth:
  access_key: file-access
  secret_key: file-secret
)");
  sources.env = {{"MAXIOFS_SERVER_LISTEN", "127.0.0.1:1002"},
                 {"MAXIOFS_SERVER_DATA_DIR", "/from/env"},
                 {"MAXIOFS_AUTH_SECRET_KEY", "env-secret"}};
  sources.flags = {{"server.listen", "127.0.0.1:1003"}};

  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.listen, "127.0.0.1:1003");       // flag > env > file
  EXPECT_EQ(config->server.data_dir, "/from/env");          // env > file
  EXPECT_EQ(config->auth.secret_key, "env-secret");         // env > file
  EXPECT_EQ(config->server.log_level, "warn");              // file > default
  EXPECT_EQ(config->server.console_listen, ":2001");        // file > default
  EXPECT_EQ(config->auth.access_key, "file-access");        // file > default
  EXPECT_EQ(config->server.region, "us-east-1");            // default
  EXPECT_EQ(config->engine.inline_threshold, 128u * 1024);  // default

  sources.flags = {{"server.data_dir", "/from/flag"},
                   {"auth.secret_key", "flag-secret"},
                   {"server.log_level", "error"},
                   {"fuse.mountpoint", "/mnt/flag"}};
  sources.env["MAXIOFS_FUSE_MOUNTPOINT"] = "/mnt/env";
  config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.listen, "127.0.0.1:1002");  // env, no flag now
  EXPECT_EQ(config->server.data_dir, "/from/flag");
  EXPECT_EQ(config->auth.secret_key, "flag-secret");
  EXPECT_EQ(config->server.log_level, "error");
  EXPECT_EQ(config->fuse.mountpoint, "/mnt/flag");
}

TEST_F(ConfigTest, FullYamlFile) {
  ConfigSources sources;
  sources.config_file = WriteYaml(R"(
server:
  listen: ":9100"
  console_listen: "127.0.0.1:9101"
  data_dir: /var/lib/maxiofs
  log_level: trace
  region: ap-south-1
  virtual_host_domains: [s3.example.com]
auth:
  access_key: ak
  secret_key: sk
fuse:
  mountpoint: ""
engine:
  inline_threshold: 65536
  sync: false
  metadata_cache_bytes: 268435456
  metadata_compression: false
)");
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->server.listen, ":9100");
  EXPECT_EQ(config->server.console_listen, "127.0.0.1:9101");
  EXPECT_EQ(config->server.data_dir, "/var/lib/maxiofs");
  EXPECT_EQ(config->server.log_level, "trace");
  EXPECT_EQ(config->server.region, "ap-south-1");
  EXPECT_EQ(config->server.virtual_host_domains, std::vector<std::string>{"s3.example.com"});
  EXPECT_EQ(config->auth.access_key, "ak");
  EXPECT_EQ(config->auth.secret_key, "sk");
  EXPECT_EQ(config->fuse.mountpoint, "");
  EXPECT_EQ(config->engine.inline_threshold, 65536u);
  EXPECT_FALSE(config->engine.sync);
  EXPECT_EQ(config->engine.metadata_cache_bytes, 256ull << 20);
  EXPECT_FALSE(config->engine.metadata_compression);
  EXPECT_EQ(config->engine.metadata_write_buffer_bytes, 32ull << 20);  // default
}

TEST_F(ConfigTest, EmptyFileAndEmptySectionsAreFine) {
  ConfigSources sources;
  sources.config_file = WriteYaml("");
  EXPECT_TRUE(LoadConfig(sources).has_value());
  sources.config_file = WriteYaml("# only a comment\nfuse:\n");
  EXPECT_TRUE(LoadConfig(sources).has_value());
}

TEST_F(ConfigTest, UnknownKeyIsAnError) {
  ConfigSources sources;
  sources.config_file = WriteYaml("server:\n  listen: \":80\"\n  lisen: \":81\"\n");
  const std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("unknown key 'server.lisen'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find(*sources.config_file), std::string::npos) << msg;
}

TEST_F(ConfigTest, UnknownSectionIsAnError) {
  ConfigSources sources;
  sources.config_file = WriteYaml("sever:\n  listen: \":80\"\n");
  const std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("unknown section 'sever'"), std::string::npos) << msg;
}

TEST_F(ConfigTest, WrongTypesAreErrors) {
  ConfigSources sources;
  sources.config_file = WriteYaml("server:\n  listen: [\":80\"]\n");
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("server.listen must be a string, got a list"), std::string::npos) << msg;

  sources.config_file = WriteYaml("engine:\n  inline_threshold: lots\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("engine.inline_threshold 'lots'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("integer"), std::string::npos) << msg;

  sources.config_file = WriteYaml("engine:\n  metadata_write_buffer_bytes: 1024\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("engine.metadata_write_buffer_bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("must be from 1048576"), std::string::npos) << msg;

  sources.config_file = WriteYaml("engine:\n  metadata_bloom_bits_per_key: 33\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("engine.metadata_bloom_bits_per_key"), std::string::npos) << msg;

  sources.config_file = WriteYaml("engine:\n  sync: maybe\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("engine.sync 'maybe'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("boolean"), std::string::npos) << msg;

  sources.config_file = WriteYaml("server:\n  virtual_host_domains: {a: b}\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("server.virtual_host_domains must be a list"), std::string::npos) << msg;

  sources.config_file = WriteYaml("server: 42\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("section 'server' must be a map"), std::string::npos) << msg;

  sources.config_file = WriteYaml("- a\n- b\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("expected a map of sections"), std::string::npos) << msg;
}

TEST_F(ConfigTest, InvalidYamlSyntaxNamesTheLine) {
  ConfigSources sources;
  sources.config_file = WriteYaml("server: {listen: \":80\"\n");
  const std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("not valid YAML"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line "), std::string::npos) << msg;
}

TEST_F(ConfigTest, MissingOrUnreadableConfigFile) {
  ConfigSources sources;
  sources.config_file = (dir_ / "absent.yaml").string();
  auto config = LoadConfig(sources);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code(), Status::Code::kNotFound);
  EXPECT_NE(config.error().message().find("absent.yaml does not exist"), std::string_view::npos);

  sources.config_file = dir_.string();
  config = LoadConfig(sources);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code(), Status::Code::kIOError);
}

TEST_F(ConfigTest, BadPortNamesKeyValueAndOrigin) {
  ConfigSources sources;
  sources.flags = {{"server.listen", ":65536"}};
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid server.listen ':65536' (from flag --listen)"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("0-65535"), std::string::npos) << msg;

  sources.flags.clear();
  sources.env = {{"MAXIOFS_SERVER_CONSOLE_LISTEN", "localhost:http"}};
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid server.console_listen 'localhost:http' (from environment "
                     "MAXIOFS_SERVER_CONSOLE_LISTEN)"),
            std::string::npos)
      << msg;

  sources.env.clear();
  sources.config_file = WriteYaml("server:\n  listen: 8080\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid server.listen '8080' (from config file"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
}

TEST_F(ConfigTest, BadAddressForms) {
  for (const char* bad : {"8080", "localhost", "host:", "::1:80", "a b:80", ":-5"}) {
    ConfigSources sources;
    sources.flags = {{"server.listen", bad}};
    const std::string msg = LoadError(sources);
    EXPECT_NE(msg.find("host:port or :port"), std::string::npos) << bad << ": " << msg;
  }
  for (const char* good : {":0", "127.0.0.1:0", "[::1]:8080", "example.com:443"}) {
    ConfigSources sources;
    sources.flags = {{"server.listen", good}};
    EXPECT_TRUE(LoadConfig(sources).has_value()) << good;
  }
}

TEST_F(ConfigTest, EmptySecretIsAnErrorWithoutEchoingSecrets) {
  ConfigSources sources;
  sources.env = {{"MAXIOFS_AUTH_SECRET_KEY", ""}};
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid auth.secret_key (from environment MAXIOFS_AUTH_SECRET_KEY): must "
                     "not be empty"),
            std::string::npos)
      << msg;

  sources.env.clear();
  sources.flags = {{"auth.access_key", ""}};
  msg = LoadError(sources);
  EXPECT_NE(msg.find("auth.access_key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("must not be empty"), std::string::npos) << msg;

  sources.flags.clear();
  sources.config_file = WriteYaml("auth:\n  secret_key:\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("auth.secret_key"), std::string::npos) << msg;

  // A secret with a wrong type is reported without its value.
  sources.config_file = WriteYaml("auth:\n  secret_key: [topsecret]\n");
  msg = LoadError(sources);
  EXPECT_EQ(msg.find("topsecret"), std::string::npos) << msg;
}

TEST_F(ConfigTest, BadLogLevel) {
  ConfigSources sources;
  sources.flags = {{"server.log_level", "verbose"}};
  const std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid server.log_level 'verbose' (from flag --log-level)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("trace, debug, info, warn, error, critical, off"), std::string::npos);
}

TEST_F(ConfigTest, OtherValueChecks) {
  ConfigSources sources;
  sources.env = {{"MAXIOFS_ENGINE_INLINE_THRESHOLD", "999999999"}};
  EXPECT_NE(LoadError(sources).find("16 MiB"), std::string::npos);
  sources.env = {{"MAXIOFS_ENGINE_INLINE_THRESHOLD", "-1"}};
  EXPECT_NE(LoadError(sources).find("non-negative integer"), std::string::npos);
  sources.env = {{"MAXIOFS_SERVER_DATA_DIR", ""}};
  EXPECT_NE(LoadError(sources).find("server.data_dir"), std::string::npos);
  sources.env = {{"MAXIOFS_SERVER_VIRTUAL_HOST_DOMAINS", "http://x"}};
  EXPECT_NE(LoadError(sources).find("server.virtual_host_domains"), std::string::npos);
  sources.env = {{"MAXIOFS_SERVER_CORS_ALLOWED_ORIGINS", "https://*.*.example"}};
  EXPECT_NE(LoadError(sources).find("server.cors_allowed_origins"), std::string::npos);
  sources.env = {{"MAXIOFS_SERVER_CORS_ALLOWED_ORIGINS", "https://app.example,http://localhost:*"}};
  auto cors = LoadConfig(sources);
  ASSERT_TRUE(cors.has_value()) << cors.error().ToString();
  EXPECT_EQ(cors->server.cors_allowed_origins,
            (std::vector<std::string>{"https://app.example", "http://localhost:*"}));
  sources.env = {{"MAXIOFS_ENGINE_SYNC", "ON"}};
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(config->engine.sync);
}

TEST_F(ConfigTest, EnvironmentFromEnvpKeepsOnlyMaxiofsVariables) {
  std::string a = "MAXIOFS_SERVER_LISTEN=:1234";
  std::string b = "PATH=/bin";
  std::string c = "MAXIOFS_AUTH_SECRET_KEY=x=y";
  char* envp[] = {a.data(), b.data(), c.data(), nullptr};
  Environment env = EnvironmentFromEnvp(envp);
  EXPECT_EQ(env.size(), 2u);
  EXPECT_EQ(env["MAXIOFS_SERVER_LISTEN"], ":1234");
  EXPECT_EQ(env["MAXIOFS_AUTH_SECRET_KEY"], "x=y");
  EXPECT_TRUE(EnvironmentFromEnvp(nullptr).empty());
}

TEST_F(ConfigTest, EveryFlagMatchesTheCommandLineContract) {
  std::map<std::string, std::string> flags;
  for (const ConfigKey& key : AllConfigKeys()) {
    if (!key.flag.empty()) flags[key.Dotted()] = std::string(key.flag);
  }
  EXPECT_EQ(flags,
            (std::map<std::string, std::string>{{"server.listen", "--listen"},
                                                {"server.console_listen", "--console-listen"},
                                                {"server.data_dir", "--data-dir"},
                                                {"server.log_level", "--log-level"},
                                                {"auth.access_key", "--access-key"},
                                                {"auth.secret_key", "--secret-key"},
                                                {"fuse.mountpoint", "--mount"},
                                                {"tls.cert_file", "--tls-cert"},
                                                {"tls.key_file", "--tls-key"},
                                                {"logging.format", "--log-format"},
                                                {"logging.file", "--log-file"}}));
}

TEST_F(ConfigTest, EveryKeyHasAUniqueLongFlagAndEnvironmentName) {
  std::set<std::string> flags, envs;
  for (const ConfigKey& key : AllConfigKeys()) {
    EXPECT_TRUE(flags.insert(key.LongFlag()).second) << key.LongFlag();
    EXPECT_TRUE(envs.insert(key.EnvName()).second) << key.EnvName();
    EXPECT_EQ(FindConfigKey(key.Dotted()), &key);
  }
  EXPECT_TRUE(flags.contains("--tls-cert-file"));
  EXPECT_TRUE(flags.contains("--engine-inline-threshold"));
  EXPECT_TRUE(envs.contains("MAXIOFS_METRICS_LISTEN"));
  EXPECT_TRUE(envs.contains("MAXIOFS_LOGGING_ACCESS_FILE"));
}

TEST_F(ConfigTest, TlsNeedsBothReadableFiles) {
  const std::string cert = (dir_ / "cert.pem").string();
  std::ofstream(cert) << "not checked here";
  ConfigSources sources;
  sources.env = {{"MAXIOFS_TLS_CERT_FILE", cert}};
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid tls.key_file"), std::string::npos) << msg;
  EXPECT_NE(msg.find("TLS needs both"), std::string::npos) << msg;

  sources.env["MAXIOFS_TLS_KEY_FILE"] = (dir_ / "missing.pem").string();
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid tls.key_file"), std::string::npos) << msg;
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  EXPECT_NE(msg.find("MAXIOFS_TLS_KEY_FILE"), std::string::npos) << msg;

  sources.env["MAXIOFS_TLS_KEY_FILE"] = dir_.string();  // a directory
  msg = LoadError(sources);
  EXPECT_NE(msg.find("not a regular file"), std::string::npos) << msg;

  sources.env["MAXIOFS_TLS_KEY_FILE"] = cert;
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_TRUE(TlsEnabled(*config));
  EXPECT_FALSE(TlsEnabled(Config{}));

  sources.flags = {{"tls.min_version", "1.1"}};
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid tls.min_version '1.1'"), std::string::npos) << msg;
}

TEST_F(ConfigTest, FuseModesAreChecked) {
  ConfigSources sources;
  sources.flags = {{"fuse.atime", "strictatime"}};
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid fuse.atime 'strictatime'"), std::string::npos) << msg;
  sources.flags = {{"fuse.versions", "shown"}};
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid fuse.versions 'shown'"), std::string::npos) << msg;
  sources.flags = {{"fuse.versions", "off"}, {"fuse.atime", "relatime"}};
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->fuse.versions, "off");
}

TEST_F(ConfigTest, MetricsAndLoggingKeys) {
  ConfigSources sources;
  sources.config_file = WriteYaml(R"(
metrics:
  enabled: false
  path: /metrics
  listen: "127.0.0.1:9464"
logging:
  format: json
  file: /var/log/maxiofs/server.log
  access: no
  access_file: /var/log/maxiofs/access.log
  audit_file: /var/log/maxiofs/audit.log
tls:
  min_version: "1.3"
)");
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_FALSE(config->metrics.enabled);
  EXPECT_EQ(config->metrics.path, "/metrics");
  EXPECT_EQ(config->metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(config->logging.format, "json");
  EXPECT_EQ(config->logging.file, "/var/log/maxiofs/server.log");
  EXPECT_FALSE(config->logging.access);
  EXPECT_EQ(config->logging.access_file, "/var/log/maxiofs/access.log");
  EXPECT_EQ(config->logging.audit_file, "/var/log/maxiofs/audit.log");
  EXPECT_EQ(config->tls.min_version, "1.3");

  // Any absolute path: outside /_maxiofs/ it is served on metrics.listen only (the original
  // design's "/metrics" with no listener is accepted; the server logs where the metrics are).
  sources.config_file = WriteYaml("metrics:\n  path: /metrics\n  interval: 60\n");
  config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->metrics.interval, 60u);
  EXPECT_EQ(Config{}.metrics.interval, 5u);
  sources.config_file = WriteYaml("metrics:\n  path: metrics\n");
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid metrics.path 'metrics'"), std::string::npos) << msg;
  sources.config_file = WriteYaml("metrics:\n  path: /_maxiofs/health/x\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("health"), std::string::npos) << msg;
  sources.config_file = WriteYaml("metrics:\n  interval: 0\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid metrics.interval '0'"), std::string::npos) << msg;

  sources.config_file.reset();
  sources.env = {{"MAXIOFS_METRICS_LISTEN", "127.0.0.1:70000"}};
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid metrics.listen"), std::string::npos) << msg;
  sources.env = {{"MAXIOFS_LOGGING_FORMAT", "xml"}};
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid logging.format 'xml'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("text, json"), std::string::npos) << msg;
}

TEST_F(ConfigTest, TlsEnabledIsAutoTrueOrFalse) {
  const std::string cert = (dir_ / "cert.pem").string();
  std::ofstream(cert) << "x";
  ConfigSources sources;
  // auto (absent): TLS exactly when both files are set, as before the key existed.
  EXPECT_EQ(Config{}.tls.enabled, std::nullopt);
  sources.env = {{"MAXIOFS_TLS_CERT_FILE", cert}, {"MAXIOFS_TLS_KEY_FILE", cert}};
  EXPECT_TRUE(TlsEnabled(*LoadConfig(sources)));
  // false: plain HTTP with files named, and the files are not even checked.
  sources.env["MAXIOFS_TLS_ENABLED"] = "false";
  sources.env["MAXIOFS_TLS_KEY_FILE"] = (dir_ / "missing.pem").string();
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_FALSE(TlsEnabled(*config));
  // true: both files required.
  sources.env = {{"MAXIOFS_TLS_ENABLED", "true"}};
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid tls.cert_file"), std::string::npos) << msg;
  EXPECT_NE(msg.find("must be set when tls.enabled is true"), std::string::npos) << msg;
  sources.env["MAXIOFS_TLS_CERT_FILE"] = cert;
  sources.env["MAXIOFS_TLS_KEY_FILE"] = cert;
  EXPECT_TRUE(TlsEnabled(*LoadConfig(sources)));
  // "auto" can be written too; anything else is refused.
  sources.env["MAXIOFS_TLS_ENABLED"] = "auto";
  config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->tls.enabled, std::nullopt);
  const ConfigKey* key = FindConfigKey("tls.enabled");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(FormatValue(*key, *config), "auto");
  sources.env["MAXIOFS_TLS_ENABLED"] = "maybe";
  msg = LoadError(sources);
  EXPECT_NE(msg.find("expected true, false or auto"), std::string::npos) << msg;
  // In YAML it is a boolean like any other.
  sources.env.clear();
  sources.config_file = WriteYaml("tls:\n  enabled: [true]\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("tls.enabled must be a boolean"), std::string::npos) << msg;
}

TEST_F(ConfigTest, CompressionEnabledTypeAndLevel) {
  ConfigSources sources;
  EXPECT_FALSE(CompressionEnabled(Config{}));
  // Today's form: the type alone turns compression on.
  sources.config_file = WriteYaml("storage:\n  compression:\n    type: zstd\n");
  EXPECT_TRUE(CompressionEnabled(*LoadConfig(sources)));
  // The original design's form: enabled false wins over the type.
  sources.config_file =
      WriteYaml("storage:\n  compression:\n    enabled: false\n    type: gzip\n    level: 6\n");
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_FALSE(CompressionEnabled(*config));
  EXPECT_EQ(config->storage.compression.type, "gzip");
  EXPECT_EQ(config->storage.compression.level, 6u);
  sources.config_file = WriteYaml("storage:\n  compression:\n    enabled: true\n    type: lz4\n");
  EXPECT_TRUE(CompressionEnabled(*LoadConfig(sources)));
  // Each algorithm's own level range; 0 is its default.
  for (auto [type, ok, bad] : {std::tuple{"zstd", "19", "20"}, std::tuple{"gzip", "9", "10"},
                               std::tuple{"lz4", "12", "13"}}) {
    sources.config_file.reset();
    sources.env = {{"MAXIOFS_STORAGE_COMPRESSION_TYPE", type},
                   {"MAXIOFS_STORAGE_COMPRESSION_LEVEL", ok}};
    EXPECT_TRUE(LoadConfig(sources).has_value()) << type;
    sources.env["MAXIOFS_STORAGE_COMPRESSION_LEVEL"] = "0";
    EXPECT_TRUE(LoadConfig(sources).has_value()) << type;
    sources.env["MAXIOFS_STORAGE_COMPRESSION_LEVEL"] = bad;
    const std::string msg = LoadError(sources);
    EXPECT_NE(msg.find("invalid storage.compression.level '" + std::string(bad) + "'"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find(std::string(type) + " level from 1 to " + ok), std::string::npos) << msg;
  }
  sources.env = {{"MAXIOFS_STORAGE_COMPRESSION_TYPE", "brotli"}};
  EXPECT_NE(LoadError(sources).find("expected none, zstd, gzip or lz4"), std::string::npos);
  sources.env = {{"MAXIOFS_STORAGE_COMPRESSION_ENABLED", "true"}};
  EXPECT_NE(LoadError(sources).find("type is none"), std::string::npos);
}

TEST_F(ConfigTest, AuthDisabledOnlyOnLoopback) {
  ConfigSources sources;
  sources.env = {{"MAXIOFS_AUTH_ENABLED", "false"}};
  std::string msg = LoadError(sources);  // the defaults listen on every interface
  EXPECT_NE(msg.find("invalid auth.enabled 'false'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("server.listen is ':8080'"), std::string::npos) << msg;
  sources.flags = {{"server.listen", "127.0.0.1:9000"}, {"server.console_listen", "[::1]:9001"}};
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_FALSE(config->auth.enabled);
  sources.flags["metrics.listen"] = "10.0.0.1:9464";
  msg = LoadError(sources);
  EXPECT_NE(msg.find("metrics.listen is '10.0.0.1:9464'"), std::string::npos) << msg;
  sources.flags["metrics.listen"] = "localhost:9464";
  EXPECT_TRUE(LoadConfig(sources).has_value());
  sources.flags["server.console_listen"] = "0.0.0.0:9001";
  EXPECT_NE(LoadError(sources).find("server.console_listen"), std::string::npos);
}

TEST_F(ConfigTest, JwtSecretIsTheConsoleSessionSecret) {
  const std::string a(40, 'a'), b(40, 'b');
  ConfigSources sources;
  sources.env = {{"MAXIOFS_AUTH_JWT_SECRET", a}};
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(SessionSecret(*config), a);
  sources.env["MAXIOFS_CONSOLE_SESSION_SECRET"] = a;  // the same: fine
  EXPECT_EQ(SessionSecret(*LoadConfig(sources)), a);
  sources.env["MAXIOFS_CONSOLE_SESSION_SECRET"] = b;
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid auth.jwt_secret (from environment"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(a), std::string::npos) << "a secret was printed: " << msg;
  sources.env = {{"MAXIOFS_AUTH_JWT_SECRET", "short"}};
  EXPECT_NE(LoadError(sources).find("at least 32 characters"), std::string::npos);
}

TEST_F(ConfigTest, JsonFilesTakeTheSameKeysWithPositions) {
  const std::string path = (dir_ / "maxiofs.json").string();
  std::ofstream(path) << "{\n  \"server\": {\"listen\": \"127.0.0.1:9100\"},\n"
                         "  \"storage\": {\"compression\": {\"enabled\": true, \"type\": \"lz4\","
                         " \"level\": 9}},\n  \"tls\": {\"enabled\": false}\n}\n";
  ConfigSources sources;
  sources.config_file = path;
  auto loaded = LoadConfigWithOrigins(sources);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(loaded->config.server.listen, "127.0.0.1:9100");
  EXPECT_EQ(loaded->config.storage.compression.level, 9u);
  EXPECT_EQ(loaded->config.tls.enabled, false);
  EXPECT_EQ(loaded->origins.at("storage.compression.type"),
            "config file " + path + " line 3 column 48");
  EXPECT_EQ(loaded->origins.count("server.data_dir"), 0u);  // a default

  std::ofstream(path, std::ios::trunc) << "{\"server\": {\"listn\": \":1\"}}";
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("line 1 column 13: unknown key 'server.listn'"), std::string::npos) << msg;
  std::ofstream(path, std::ios::trunc) << "{\"server\": {\"listen\": \":1\",}}";
  msg = LoadError(sources);
  EXPECT_NE(msg.find("is not valid JSON: line 1, column"), std::string::npos) << msg;
  // A JSON document under another name is recognized by its first character.
  sources.config_file = WriteYaml("  {\"engine\": {\"sync\": \"maybe\"}}");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("invalid engine.sync 'maybe'"), std::string::npos) << msg;
  sources.config_file = WriteYaml("  {\"engine\": {\"sync\": true,}}");
  EXPECT_NE(LoadError(sources).find("not valid JSON"), std::string::npos);
}

TEST_F(ConfigTest, KeysGivenTwiceAreErrors) {
  ConfigSources sources;
  sources.config_file = WriteYaml("server:\n  listen: \":1\"\n  listen: \":2\"\n");
  std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("line 3 column 3: key 'server.listen' is given twice"), std::string::npos)
      << msg;
  sources.config_file = WriteYaml("engine:\n  sync: true\nengine:\n  sync: false\n");
  msg = LoadError(sources);
  EXPECT_NE(msg.find("section 'engine' is given twice"), std::string::npos) << msg;
}

TEST_F(ConfigTest, StorageBackendAndRoot) {
  ConfigSources sources;
  sources.config_file = WriteYaml(R"(
storage:
  backend: "filesystem"
  root: "./data/objects"
)");
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->storage.backend, "filesystem");
  EXPECT_EQ(config->storage.root, "./data/objects");
  EXPECT_EQ(Config{}.storage.backend, "filesystem");
  EXPECT_EQ(Config{}.storage.root, "");

  // A backend this build does not have is refused, naming the ones it has.
  sources.env = {{"MAXIOFS_STORAGE_BACKEND", "ceph"}};
  const std::string error = LoadError(sources);
  EXPECT_NE(error.find("invalid storage.backend 'ceph' (from environment MAXIOFS_STORAGE_BACKEND)"),
            std::string::npos)
      << error;
  for (const char* name : {"filesystem", "s3", "azure", "gcs"}) {
    EXPECT_NE(error.find(name), std::string::npos) << error;
  }
  sources.env.clear();
  sources.flags = {{"storage.root", "/srv/blobs"}};
  config = LoadConfig(sources);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->storage.root, "/srv/blobs");
}

TEST_F(ConfigTest, UnknownSectionMessageListsTheSections) {
  ConfigSources sources;
  sources.config_file = WriteYaml("metric:\n  enabled: true\n");
  const std::string msg = LoadError(sources);
  EXPECT_NE(msg.find("unknown section 'metric'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("metrics"), std::string::npos) << msg;
  EXPECT_NE(msg.find("tls"), std::string::npos) << msg;
}

}  // namespace
}  // namespace maxiofs::app
