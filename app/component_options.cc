#include "component_options.h"

#include "config_keys.h"

#include "maxiofs/app/version.h"

#include <unistd.h>

namespace maxiofs::app {

engine::EngineOptions ToEngineOptions(const Config& config, const std::string& data_dir) {
  engine::EngineOptions options;
  options.data_dir = data_dir;
  options.inline_threshold = config.engine.inline_threshold;
  options.sync = config.engine.sync;
  options.iam.root_access_key = config.auth.access_key;
  options.iam.root_secret_key = config.auth.secret_key;
  options.iam.master_secret = config.auth.iam_master_secret;
  return options;
}

fuse::FuseOptions ToFuseOptions(const Config& config, const std::string& data_dir) {
  fuse::FuseOptions options;
  options.mountpoint = config.fuse.mountpoint;
  options.iam_user = config.fuse.user;
  options.parts_etag = config.fuse.parts_etag;
  options.data_dir = data_dir;
  options.uid = getuid();
  options.gid = getgid();
  return options;
}

s3::S3Options ToS3Options(const Config& config) {
  s3::S3Options options;
  options.listen = config.server.listen;
  options.access_key = config.auth.access_key;
  options.region = config.server.region;
  options.virtual_host_domains = config.server.virtual_host_domains;
  options.allow_insecure_sse_c = config.storage.encryption.allow_insecure_sse_c;
  if (TlsEnabled(config)) {
    options.tls =
        http::TlsOptions{config.tls.cert_file, config.tls.key_file, config.tls.min_version};
  }
  return options;
}

console::ConsoleOptions ToConsoleOptions(const Config& config, const std::string& data_dir,
                                         uint16_t s3_port) {
  console::ConsoleOptions options;
  options.listen = config.server.console_listen;
  options.access_key = config.auth.access_key;
  options.secret_key = config.auth.secret_key;
  options.session_secret = config.console.session_secret;
  options.session_ttl_s = config.console.session_ttl;
  options.data_dir = data_dir;
  options.region = config.server.region;
  options.s3_port = s3_port;
  options.s3_public_url = config.console.s3_public_url;
  options.version = std::string(kVersion);
  if (TlsEnabled(config)) {
    options.tls =
        http::TlsOptions{config.tls.cert_file, config.tls.key_file, config.tls.min_version};
  }
  for (const ConfigKey& key : AllConfigKeys()) {
    options.config.push_back({key.Dotted(), FormatValue(key, config)});
  }
  return options;
}

}  // namespace maxiofs::app
