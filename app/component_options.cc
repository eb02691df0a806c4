#include "component_options.h"

#include "config_keys.h"

#include "maxiofs/app/version.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace maxiofs::app {
namespace {

constexpr std::string_view kDesignDefaultRoot = "./data/objects";

// `path` absolute and normalized, without a trailing slash.
std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (ec) p = path;
  std::string text = p.lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

std::string BlobDirectory(const Config& config, const std::string& data_dir) {
  // The original design's example value means "the data dir's objects/", as it did there, so
  // a pasted example follows --data-dir.
  if (config.storage.root.empty() || config.storage.root == kDesignDefaultRoot) {
    return std::string();
  }
  const std::string root = AbsolutePath(config.storage.root);
  const std::string standard = AbsolutePath(data_dir + "/objects");
  if (root == standard) return std::string();
  std::error_code ec;
  if (std::filesystem::equivalent(root, standard, ec) && !ec) return std::string();
  return root;
}

engine::EngineOptions ToEngineOptions(const Config& config, const std::string& data_dir) {
  engine::EngineOptions options;
  options.data_dir = data_dir;
  options.blob_dir = BlobDirectory(config, data_dir);
  options.inline_threshold = config.engine.inline_threshold;
  options.sync = config.engine.sync;
  options.object_lock_enabled = config.storage.object_lock_enabled;
  options.metadata.cache_bytes = config.engine.metadata_cache_bytes;
  options.metadata.write_buffer_bytes = config.engine.metadata_write_buffer_bytes;
  options.metadata.max_file_bytes = config.engine.metadata_max_file_bytes;
  options.metadata.max_open_files = static_cast<int>(config.engine.metadata_max_open_files);
  options.metadata.bloom_bits_per_key = static_cast<int>(config.engine.metadata_bloom_bits_per_key);
  options.metadata.compress_tables = config.engine.metadata_compression;
  options.lifecycle.day_seconds = static_cast<uint32_t>(config.engine.lifecycle_day_seconds);
  options.lifecycle.interval_seconds =
      static_cast<uint32_t>(config.engine.lifecycle_interval_seconds);
  options.iam.root_access_key = config.auth.access_key;
  options.iam.root_secret_key = config.auth.secret_key;
  options.iam.master_secret = config.auth.iam_master_secret;
  options.cors_allowed_origins = config.server.cors_allowed_origins;
  options.iam.account_email = config.auth.account_email;
  options.access_log.flush_seconds = static_cast<uint32_t>(config.logging.bucket_flush_seconds);
  options.access_log.flush_bytes = config.logging.bucket_flush_bytes;
  options.access_log.region = config.server.region;
  options.notify.queue_limit = config.notify.queue_limit;
  options.notify.retry_max_ms = static_cast<uint32_t>(config.notify.retry_max_ms);
  options.notify.retry_min_ms = std::min<uint32_t>(100, options.notify.retry_max_ms);
  options.notify.region = config.server.region;
  return options;
}

fuse::FuseOptions ToFuseOptions(const Config& config, const std::string& data_dir) {
  fuse::FuseOptions options;
  options.mountpoint = config.fuse.mountpoint;
  options.iam_user = config.fuse.user;
  options.parts_etag = config.fuse.parts_etag;
  options.allow_other = config.fuse.allow_other;
  options.atime =
      config.fuse.atime == "relatime" ? fuse::AtimeMode::kRelatime : fuse::AtimeMode::kNoatime;
  options.versions = config.fuse.versions == "off"       ? fuse::VersionsView::kOff
                     : config.fuse.versions == "visible" ? fuse::VersionsView::kVisible
                                                         : fuse::VersionsView::kHidden;
  options.data_dir = data_dir;
  options.uid = getuid();
  options.gid = getgid();
  return options;
}

s3::S3Options ToS3Options(const Config& config) {
  s3::S3Options options;
  options.listen = config.server.listen;
  options.access_key = config.auth.access_key;
  options.owner_display_name = config.auth.account_display_name;
  options.anonymous_as_root = !config.auth.enabled;
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
  options.session_secret = SessionSecret(config);
  options.login_required = config.auth.enabled;
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
