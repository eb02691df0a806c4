#include "component_options.h"

#include <unistd.h>

namespace maxiofs::app {

engine::EngineOptions ToEngineOptions(const Config& config, const std::string& data_dir) {
  engine::EngineOptions options;
  options.data_dir = data_dir;
  options.inline_threshold = config.engine.inline_threshold;
  options.sync = config.engine.sync;
  return options;
}

fuse::FuseOptions ToFuseOptions(const Config& config, const std::string& data_dir) {
  fuse::FuseOptions options;
  options.mountpoint = config.fuse.mountpoint;
  options.data_dir = data_dir;
  options.uid = getuid();
  options.gid = getgid();
  return options;
}

s3::S3Options ToS3Options(const Config& config) {
  s3::S3Options options;
  options.listen = config.server.listen;
  options.access_key = config.auth.access_key;
  options.secret_key = config.auth.secret_key;
  options.region = config.server.region;
  options.virtual_host_domains = config.server.virtual_host_domains;
  options.allow_insecure_sse_c = config.storage.encryption.allow_insecure_sse_c;
  if (TlsEnabled(config)) {
    options.tls =
        http::TlsOptions{config.tls.cert_file, config.tls.key_file, config.tls.min_version};
  }
  return options;
}

}  // namespace maxiofs::app
