#include "config_keys.h"

#include "address.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

namespace maxiofs::app {
namespace {

constexpr uint64_t kMaxInlineThreshold = 16ull << 20;
constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                        "error", "critical", "off"};

Status CheckAddress(const std::string& value) {
  auto parsed = ParseHostPort(value);
  return parsed.has_value() ? Status::OK() : parsed.error();
}

Status CheckNotEmpty(const std::string& value) {
  return value.empty() ? Status::InvalidArgument("must not be empty") : Status::OK();
}

Status CheckLogLevel(const std::string& value) {
  if (std::find(kLogLevels.begin(), kLogLevels.end(), value) != kLogLevels.end()) {
    return Status::OK();
  }
  return Status::InvalidArgument("expected one of trace, debug, info, warn, error, critical, off");
}

Status CheckDomains(const std::vector<std::string>& domains) {
  for (const std::string& d : domains) {
    if (d.empty() || d.find_first_of(":/ ") != std::string::npos) {
      return Status::InvalidArgument("each domain must be a bare host name such as s3.example.com");
    }
  }
  return Status::OK();
}

// Each origin as a CORS AllowedOrigin may be: non-empty, visible ASCII without ',' and at most
// one '*' (the engine checks the same again when it opens).
Status CheckCorsOrigins(const std::vector<std::string>& origins) {
  for (const std::string& o : origins) {
    bool visible = std::all_of(o.begin(), o.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (o.empty() || !visible || o.find(',') != std::string::npos ||
        std::count(o.begin(), o.end(), '*') > 1) {
      return Status::InvalidArgument(
          "each origin must be like https://app.example.com, with at most one '*' (got \"" + o +
          "\")");
    }
  }
  return Status::OK();
}

Status CheckInlineThreshold(uint64_t value) {
  if (value > kMaxInlineThreshold) {
    return Status::InvalidArgument("must be at most 16777216 (16 MiB)");
  }
  return Status::OK();
}

bool ValidTargetName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// notify.targets and the webhook_* keys: names valid and unique, known types and settings.
Status CheckNotifyTargets(const Config& c) {
  const NotifyConfig& n = c.notify;
  if (n.webhook_name.empty() != n.webhook_endpoint.empty()) {
    return Status::InvalidArgument(
        "notify.webhook_name and notify.webhook_endpoint are given together");
  }
  std::vector<NotifyTargetConfig> all = n.targets;
  if (!n.webhook_name.empty()) {
    all.push_back({n.webhook_name,
                   "webhook",
                   {{"endpoint", n.webhook_endpoint}, {"auth_token", n.webhook_auth_token}},
                   "notify.webhook_name"});
  }
  std::set<std::string> names;
  for (const NotifyTargetConfig& t : all) {
    const std::string at = t.where.empty() ? "" : t.where + ": ";
    if (!ValidTargetName(t.name)) {
      return Status::InvalidArgument(at + "a target's name must be 1-64 of [A-Za-z0-9_.-], got '" +
                                     t.name + "'");
    }
    if (!names.insert(t.name).second) {
      return Status::InvalidArgument(at + "two notification targets are named '" + t.name + "'");
    }
    if (t.type != "webhook") {
      return Status::InvalidArgument(at + "target '" + t.name + "': unknown type '" + t.type +
                                     "' (expected webhook)");
    }
    for (const auto& [k, v] : t.settings) {
      if (k != "endpoint" && k != "auth_token" && k != "ca_file" && k != "timeout_ms") {
        return Status::InvalidArgument(at + "target '" + t.name + "': unknown setting '" + k +
                                       "' (webhook: endpoint, auth_token, ca_file, timeout_ms)");
      }
    }
    auto endpoint = t.settings.find("endpoint");
    if (endpoint == t.settings.end() ||
        (!endpoint->second.starts_with("http://") && !endpoint->second.starts_with("https://"))) {
      return Status::InvalidArgument(at + "target '" + t.name +
                                     "': endpoint must be an http:// or https:// URL");
    }
    auto timeout = t.settings.find("timeout_ms");
    if (timeout != t.settings.end()) {
      const std::string& v = timeout->second;
      if (v.empty() || v.size() > 7 ||
          !std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
          std::stoul(v) == 0) {
        return Status::InvalidArgument(at + "target '" + t.name +
                                       "': timeout_ms must be 1-9999999");
      }
    }
  }
  return Status::OK();
}

Status CheckRange(uint64_t value, uint64_t low, uint64_t high) {
  if (value < low || value > high) {
    return Status::InvalidArgument("must be from " + std::to_string(low) + " to " +
                                   std::to_string(high));
  }
  return Status::OK();
}

Status CheckOptionalAddress(const std::string& value) {
  return value.empty() ? Status::OK() : CheckAddress(value);
}

// A file the server must read at start: it exists, is a regular file and opens for reading.
Status CheckReadableFile(const std::string& path) {
  if (path.empty()) return Status::OK();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::InvalidArgument("file does not exist");
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::InvalidArgument("not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(std::string("cannot read: ") + std::strerror(errno));
  return Status::OK();
}

// TLS needs both files; one without the other is a mistake worth stopping for. With
// tls.enabled: false the files are not used, so not checked either.
Status CheckTlsFile(const Config& c, const std::string& file, const std::string& other,
                    std::string_view other_key) {
  if (c.tls.enabled == false) return Status::OK();
  if (file.empty() && (!other.empty() || c.tls.enabled == true)) {
    return Status::InvalidArgument(c.tls.enabled == true
                                       ? "must be set when tls.enabled is true"
                                       : "must be set too when " + std::string(other_key) +
                                             " is set (TLS needs both)");
  }
  return CheckReadableFile(file);
}

// auth.enabled: false is only for a server nobody else can reach.
Status CheckAuthDisabledOnlyOnLoopback(const Config& c) {
  if (c.auth.enabled) return Status::OK();
  const std::pair<std::string_view, const std::string*> listens[] = {
      {"server.listen", &c.server.listen},
      {"server.console_listen", &c.server.console_listen},
      {"metrics.listen", &c.metrics.listen}};
  for (const auto& [key, value] : listens) {
    if (value->empty()) continue;
    auto addr = ParseHostPort(*value);
    if (!addr.has_value()) continue;  // its own check reports it
    if (!IsLoopbackHost(addr->host)) {
      return Status::InvalidArgument(
          "authentication may be turned off only when every listen address is loopback, and " +
          std::string(key) + " is '" + *value +
          "' (bind it to 127.0.0.1, or keep auth.enabled true)");
    }
  }
  return Status::OK();
}

Status CheckOneOf(const std::string& value, std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (std::string_view a : allowed) {
    if (value == a) return Status::OK();
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return Status::InvalidArgument("expected one of " + list);
}

Status CheckMetricsPath(const Config& c) {
  const std::string& path = c.metrics.path;
  if (path.empty() || path.front() != '/' || path.find_first_of("?# ") != std::string::npos) {
    return Status::InvalidArgument("must be an absolute URL path such as /metrics");
  }
  if (path.starts_with("/_maxiofs/health/")) {
    return Status::InvalidArgument("must not be under /_maxiofs/health/ (the health paths)");
  }
  return Status::OK();
}

Status CheckMetricsInterval(uint64_t value) {
  if (value >= 1 && value <= 86400) return Status::OK();
  return Status::InvalidArgument("must be 1..86400 seconds");
}

// A remote backend's endpoint: empty (the backend's default) or http(s)://host[:port].
Status CheckRemoteUrl(const std::string& value) {
  if (value.empty()) return Status::OK();
  const bool scheme = value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0;
  const size_t host = value.find("://") + 3;
  if (!scheme || host >= value.size() || value.find_first_of("?# ", host) != std::string::npos) {
    return Status::InvalidArgument("must be http://host[:port] or https://host[:port]");
  }
  return Status::OK();
}

Status CheckSessionSecret(const std::string& value) {
  if (!value.empty() && value.size() < 32) {
    return Status::InvalidArgument("must be empty (generated) or at least 32 characters");
  }
  return Status::OK();
}

Status CheckJwtSecret(const Config& c) {
  MAXIOFS_RETURN_IF_ERROR(CheckSessionSecret(c.auth.jwt_secret));
  if (!c.auth.jwt_secret.empty() && !c.console.session_secret.empty() &&
      c.auth.jwt_secret != c.console.session_secret) {
    return Status::InvalidArgument(
        "is another name for console.session_secret, and the two are set to different values "
        "(set one of them)");
  }
  return Status::OK();
}

Status CheckSessionTtl(uint64_t value) {
  if (value < 60 || value > 7 * 86400) {
    return Status::InvalidArgument("must be 60..604800 seconds");
  }
  return Status::OK();
}

Status CheckPublicUrl(const std::string& value) {
  if (value.empty()) return Status::OK();
  const bool scheme = value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0;
  const size_t host = value.find("://") + 3;
  if (!scheme || host >= value.size() || value.find_first_of("?# ", host) != std::string::npos) {
    return Status::InvalidArgument("must be an http:// or https:// base URL without a query");
  }
  return Status::OK();
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The storage backends this build has (storage.backend).
constexpr std::array<std::string_view, 4> kStorageBackends = {"filesystem", "s3", "azure", "gcs"};

Status CheckStorageBackend(const std::string& value) {
  if (std::find(kStorageBackends.begin(), kStorageBackends.end(), value) !=
      kStorageBackends.end()) {
    return Status::OK();
  }
  std::string list;
  for (std::string_view b : kStorageBackends) list += (list.empty() ? "" : ", ") + std::string(b);
  return Status::InvalidArgument("this build has the storage backends: " + list);
}

// The compression algorithms and their levels (the engine's chunk_codec.cc has the same).
struct CompressionAlgorithm {
  std::string_view name;
  uint64_t min_level, max_level, default_level;
};
constexpr CompressionAlgorithm kCompressionAlgorithms[] = {
    {"zstd", 1, 19, 3}, {"gzip", 1, 9, 6}, {"lz4", 1, 12, 1}};

const CompressionAlgorithm* FindCompression(std::string_view name) {
  for (const CompressionAlgorithm& a : kCompressionAlgorithms) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Status CheckCompressionType(const std::string& value) {
  if (value == "none" || FindCompression(value) != nullptr) return Status::OK();
  return Status::InvalidArgument("expected none, zstd, gzip or lz4");
}

Status CheckCompressionEnabled(const Config& c) {
  if (c.storage.compression.enabled == true && c.storage.compression.type == "none") {
    return Status::InvalidArgument(
        "is true but storage.compression.type is none (choose zstd, gzip or lz4)");
  }
  return Status::OK();
}

Status CheckCompressionLevel(const Config& c) {
  const uint64_t level = c.storage.compression.level;
  const CompressionAlgorithm* a = FindCompression(c.storage.compression.type);
  if (level == 0 || a == nullptr) return Status::OK();  // the default; or no algorithm
  if (level >= a->min_level && level <= a->max_level) return Status::OK();
  return Status::InvalidArgument("expected a " + std::string(a->name) + " level from " +
                                 std::to_string(a->min_level) + " to " +
                                 std::to_string(a->max_level) + " (or 0 for its default, " +
                                 std::to_string(a->default_level) + ")");
}

// The key table. To add a key: add the Config field (config.h, with its comment), append one
// row here, and document it in docs/configuration.md. Order here is the order of --help.
const ConfigKey kKeys[] = {
    {"server", "listen", "--listen", "ADDR", "S3 API listen address, host:port or :port", false,
     [](Config& c) -> FieldPtr { return &c.server.listen; },
     [](const Config& c) { return CheckAddress(c.server.listen); }},
    {"server", "console_listen", "--console-listen", "ADDR",
     "web console listen address, host:port or :port", false,
     [](Config& c) -> FieldPtr { return &c.server.console_listen; },
     [](const Config& c) { return CheckAddress(c.server.console_listen); }},
    {"server", "data_dir", "--data-dir", "DIR", "data directory, created when missing", false,
     [](Config& c) -> FieldPtr { return &c.server.data_dir; },
     [](const Config& c) { return CheckNotEmpty(c.server.data_dir); }},
    {"server", "log_level", "--log-level", "LEVEL",
     "log level: trace, debug, info, warn, error, critical, off", false,
     [](Config& c) -> FieldPtr { return &c.server.log_level; },
     [](const Config& c) { return CheckLogLevel(c.server.log_level); }},
    {"server", "region", "", "TEXT", "region reported to S3 clients", false,
     [](Config& c) -> FieldPtr { return &c.server.region; },
     [](const Config& c) { return CheckNotEmpty(c.server.region); }},
    {"server", "virtual_host_domains", "", "LIST", "base domains for virtual-host-style requests",
     false, [](Config& c) -> FieldPtr { return &c.server.virtual_host_domains; },
     [](const Config& c) { return CheckDomains(c.server.virtual_host_domains); }},
    {"server", "cors_allowed_origins", "", "LIST",
     "origins allowed CORS on buckets without their own rules (\"*\": any)", false,
     [](Config& c) -> FieldPtr { return &c.server.cors_allowed_origins; },
     [](const Config& c) { return CheckCorsOrigins(c.server.cors_allowed_origins); }},
    {"auth", "enabled", "", "BOOL",
     "require credentials; false serves unauthenticated requests as root (loopback only)", false,
     [](Config& c) -> FieldPtr { return &c.auth.enabled; }, CheckAuthDisabledOnlyOnLoopback},
    {"auth", "access_key", "--access-key", "KEY", "root access key id", false,
     [](Config& c) -> FieldPtr { return &c.auth.access_key; },
     [](const Config& c) { return CheckNotEmpty(c.auth.access_key); }},
    {"auth", "secret_key", "--secret-key", "SECRET", "root secret key", true,
     [](Config& c) -> FieldPtr { return &c.auth.secret_key; },
     [](const Config& c) { return CheckNotEmpty(c.auth.secret_key); }},
    {"auth", "iam_master_secret", "", "SECRET",
     "secret that encrypts stored IAM secrets (default: derived from secret_key)", true,
     [](Config& c) -> FieldPtr { return &c.auth.iam_master_secret; }, nullptr},
    {"auth", "jwt_secret", "", "SECRET",
     "console session signing secret (same as console.session_secret)", true,
     [](Config& c) -> FieldPtr { return &c.auth.jwt_secret; }, CheckJwtSecret},
    {"auth", "users_file", "", "FILE",
     "YAML or JSON file of IAM users, keys, groups and policies applied at start", false,
     [](Config& c) -> FieldPtr { return &c.auth.users_file; },
     [](const Config& c) { return CheckReadableFile(c.auth.users_file); }},
    {"auth", "users_file_prune", "", "BOOL",
     "delete users, groups and policies the users file does not list", false,
     [](Config& c) -> FieldPtr { return &c.auth.users_file_prune; }, nullptr},
    {"auth", "account_email", "", "EMAIL",
     "e-mail address of the account, for ACL grants by e-mail (default: none)", false,
     [](Config& c) -> FieldPtr { return &c.auth.account_email; }, nullptr},
    {"auth", "account_display_name", "", "NAME",
     "DisplayName of the account in S3 Owner elements and ACLs (default: maxiofs)", false,
     [](Config& c) -> FieldPtr { return &c.auth.account_display_name; }, nullptr},
    {"fuse", "mountpoint", "--mount", "DIR", "mount the store here with FUSE", false,
     [](Config& c) -> FieldPtr { return &c.fuse.mountpoint; }, nullptr},
    {"fuse", "user", "", "NAME", "IAM user the mount acts as (default: root)", false,
     [](Config& c) -> FieldPtr { return &c.fuse.user; }, nullptr},
    {"fuse", "parts_etag", "", "BOOL",
     "files of 8 MiB or more written in the mount get aws s3 cp's parts ETag (false: MD5)", false,
     [](Config& c) -> FieldPtr { return &c.fuse.parts_etag; }, nullptr},
    {"fuse", "allow_other", "", "BOOL",
     "let other local users use the mount (the kernel checks mode, owner and group)", false,
     [](Config& c) -> FieldPtr { return &c.fuse.allow_other; }, nullptr},
    {"fuse", "atime", "", "MODE", "access times: noatime (reads never write) or relatime", false,
     [](Config& c) -> FieldPtr { return &c.fuse.atime; },
     [](const Config& c) {
       return CheckOneOf(c.fuse.atime, {"noatime", "relatime"});
     }},
    {"fuse", "versions", "", "MODE",
     "<bucket>/.versions view of versioned buckets: hidden (by name only), visible or off", false,
     [](Config& c) -> FieldPtr { return &c.fuse.versions; },
     [](const Config& c) {
       return CheckOneOf(c.fuse.versions, {"hidden", "visible", "off"});
     }},
    {"engine", "inline_threshold", "", "BYTES", "objects up to this many bytes are stored inline",
     false, [](Config& c) -> FieldPtr { return &c.engine.inline_threshold; },
     [](const Config& c) { return CheckInlineThreshold(c.engine.inline_threshold); }},
    {"engine", "sync", "", "BOOL", "fsync before acknowledging writes", false,
     [](Config& c) -> FieldPtr { return &c.engine.sync; }, nullptr},
    {"engine", "abandoned_upload_hours", "", "HOURS",
     "abort multipart uploads older than this (0: never)", false,
     [](Config& c) -> FieldPtr { return &c.engine.abandoned_upload_hours; }, nullptr},
    {"engine", "lifecycle_day_seconds", "", "SECONDS",
     "length of a lifecycle day (tests only; default 86400)", false,
     [](Config& c) -> FieldPtr { return &c.engine.lifecycle_day_seconds; },
     [](const Config& c) { return CheckRange(c.engine.lifecycle_day_seconds, 1, 86400); }},
    {"engine", "lifecycle_interval_seconds", "", "SECONDS",
     "seconds between lifecycle passes (0: no worker)", false,
     [](Config& c) -> FieldPtr { return &c.engine.lifecycle_interval_seconds; },
     [](const Config& c) { return CheckRange(c.engine.lifecycle_interval_seconds, 0, 86400); }},
    {"engine", "metadata_cache_bytes", "", "BYTES", "metadata store block cache (default 64 MiB)",
     false, [](Config& c) -> FieldPtr { return &c.engine.metadata_cache_bytes; },
     [](const Config& c) {
       return CheckRange(c.engine.metadata_cache_bytes, 1ull << 20, 64ull << 30);
     }},
    {"engine", "metadata_write_buffer_bytes", "", "BYTES",
     "metadata writes gathered in memory per table (default 32 MiB)", false,
     [](Config& c) -> FieldPtr { return &c.engine.metadata_write_buffer_bytes; },
     [](const Config& c) {
       return CheckRange(c.engine.metadata_write_buffer_bytes, 1ull << 20, 1ull << 30);
     }},
    {"engine", "metadata_max_file_bytes", "", "BYTES",
     "target size of a metadata table file (default 32 MiB)", false,
     [](Config& c) -> FieldPtr { return &c.engine.metadata_max_file_bytes; },
     [](const Config& c) {
       return CheckRange(c.engine.metadata_max_file_bytes, 1ull << 20, 1ull << 30);
     }},
    {"engine", "metadata_max_open_files", "", "N", "metadata table files kept open (default 2000)",
     false, [](Config& c) -> FieldPtr { return &c.engine.metadata_max_open_files; },
     [](const Config& c) { return CheckRange(c.engine.metadata_max_open_files, 100, 50000); }},
    {"engine", "metadata_bloom_bits_per_key", "", "N",
     "bloom filter bits per metadata key (0: no filters; default 10)", false,
     [](Config& c) -> FieldPtr { return &c.engine.metadata_bloom_bits_per_key; },
     [](const Config& c) { return CheckRange(c.engine.metadata_bloom_bits_per_key, 0, 32); }},
    {"engine", "metadata_compression", "", "BOOL",
     "Snappy-compress metadata table blocks (default true)", false,
     [](Config& c) -> FieldPtr { return &c.engine.metadata_compression; }, nullptr},
    {"storage", "backend", "", "NAME", "where object data lives: filesystem, s3, azure or gcs",
     false, [](Config& c) -> FieldPtr { return &c.storage.backend; },
     [](const Config& c) { return CheckStorageBackend(c.storage.backend); }},
    {"storage", "root", "", "DIR",
     "the filesystem backend's blob directory (empty: <data_dir>/objects)", false,
     [](Config& c) -> FieldPtr { return &c.storage.root; }, nullptr},
    {"storage", "encryption.enabled", "", "BOOL",
     "seal new data with SSE-S3 unless the request says otherwise", false,
     [](Config& c) -> FieldPtr { return &c.storage.encryption.enabled; }, nullptr},
    {"storage", "encryption.key", "", "BASE64", "master key: base64 of 32 bytes", true,
     [](Config& c) -> FieldPtr { return &c.storage.encryption.key; }, nullptr},
    {"storage", "encryption.key_file", "", "FILE",
     "file of master keys, one per line: base64 or name:base64", false,
     [](Config& c) -> FieldPtr { return &c.storage.encryption.key_file; }, nullptr},
    {"storage", "encryption.keys", "", "LIST", "more master keys, name:base64 each", true,
     [](Config& c) -> FieldPtr { return &c.storage.encryption.keys; }, nullptr},
    {"storage", "encryption.active_key", "", "NAME",
     "the master key that wraps new data keys (default: the only one)", false,
     [](Config& c) -> FieldPtr { return &c.storage.encryption.active_key; }, nullptr},
    {"storage", "encryption.allow_insecure_sse_c", "", "BOOL",
     "accept SSE-C over plain HTTP (behind a TLS-terminating proxy)", false,
     [](Config& c) -> FieldPtr { return &c.storage.encryption.allow_insecure_sse_c; }, nullptr},
    {"storage", "compression.enabled", "", "BOOL",
     "compress new data (auto: when compression.type is not none)", false,
     [](Config& c) -> FieldPtr { return &c.storage.compression.enabled; }, CheckCompressionEnabled},
    {"storage", "compression.type", "", "TYPE", "compression of new data: none, zstd, gzip or lz4",
     false, [](Config& c) -> FieldPtr { return &c.storage.compression.type; },
     [](const Config& c) { return CheckCompressionType(c.storage.compression.type); }},
    {"storage", "compression.level", "", "LEVEL",
     "level: zstd 1-19, gzip 1-9, lz4 1-12 (0: the algorithm's default)", false,
     [](Config& c) -> FieldPtr { return &c.storage.compression.level; }, CheckCompressionLevel},
    {"storage", "compression.min_size", "", "BYTES", "smaller bodies are not compressed", false,
     [](Config& c) -> FieldPtr { return &c.storage.compression.min_size; }, nullptr},
    {"storage", "compression.excluded_content_types", "", "LIST",
     "content types never compressed (type/* for a family)", false,
     [](Config& c) -> FieldPtr { return &c.storage.compression.excluded_content_types; }, nullptr},
    {"storage", "compression.excluded_extensions", "", "LIST", "key extensions never compressed",
     false, [](Config& c) -> FieldPtr { return &c.storage.compression.excluded_extensions; },
     nullptr},
    {"storage", "object_lock.enabled", "", "BOOL",
     "allow creating buckets with object lock (existing locks always hold)", false,
     [](Config& c) -> FieldPtr { return &c.storage.object_lock_enabled; }, nullptr},
    {"tls", "enabled", "", "BOOL",
     "HTTPS on both ports (auto: when tls.cert_file and tls.key_file are set)", false,
     [](Config& c) -> FieldPtr { return &c.tls.enabled; }, nullptr},
    {"storage", "s3.endpoint", "", "URL", "S3 backend: http(s)://host[:port] of the service", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.endpoint; },
     [](const Config& c) { return CheckRemoteUrl(c.storage.s3.endpoint); }},
    {"storage", "s3.bucket", "", "NAME", "S3 backend: bucket holding the blobs", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.bucket; }, nullptr},
    {"storage", "s3.prefix", "", "TEXT", "S3 backend: key prefix of the blobs", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.prefix; }, nullptr},
    {"storage", "s3.region", "", "REGION", "S3 backend: SigV4 region", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.region; },
     [](const Config& c) { return CheckNotEmpty(c.storage.s3.region); }},
    {"storage", "s3.access_key", "", "KEY", "S3 backend: access key id", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.access_key; }, nullptr},
    {"storage", "s3.secret_key", "", "SECRET", "S3 backend: secret key", true,
     [](Config& c) -> FieldPtr { return &c.storage.s3.secret_key; }, nullptr},
    {"storage", "s3.secret_key_file", "", "FILE", "S3 backend: file holding the secret key", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.secret_key_file; },
     [](const Config& c) { return CheckReadableFile(c.storage.s3.secret_key_file); }},
    {"storage", "s3.path_style", "", "BOOL",
     "S3 backend: path-style URLs (false: virtual-host style)", false,
     [](Config& c) -> FieldPtr { return &c.storage.s3.path_style; }, nullptr},
    {"storage", "s3.ca_file", "", "FILE", "S3 backend: CA bundle for https (default: system's)",
     false, [](Config& c) -> FieldPtr { return &c.storage.s3.ca_file; },
     [](const Config& c) { return CheckReadableFile(c.storage.s3.ca_file); }},
    {"storage", "azure.endpoint", "", "URL",
     "Azure backend: blob service URL (default https://ACCOUNT.blob.core.windows.net)", false,
     [](Config& c) -> FieldPtr { return &c.storage.azure.endpoint; },
     [](const Config& c) { return CheckRemoteUrl(c.storage.azure.endpoint); }},
    {"storage", "azure.account", "", "NAME", "Azure backend: storage account", false,
     [](Config& c) -> FieldPtr { return &c.storage.azure.account; }, nullptr},
    {"storage", "azure.key", "", "BASE64", "Azure backend: account key (SharedKey)", true,
     [](Config& c) -> FieldPtr { return &c.storage.azure.key; }, nullptr},
    {"storage", "azure.key_file", "", "FILE", "Azure backend: file holding the account key", false,
     [](Config& c) -> FieldPtr { return &c.storage.azure.key_file; },
     [](const Config& c) { return CheckReadableFile(c.storage.azure.key_file); }},
    {"storage", "azure.sas_token", "", "TOKEN", "Azure backend: SAS token instead of a key", true,
     [](Config& c) -> FieldPtr { return &c.storage.azure.sas_token; }, nullptr},
    {"storage", "azure.container", "", "NAME", "Azure backend: container holding the blobs", false,
     [](Config& c) -> FieldPtr { return &c.storage.azure.container; }, nullptr},
    {"storage", "azure.prefix", "", "TEXT", "Azure backend: name prefix of the blobs", false,
     [](Config& c) -> FieldPtr { return &c.storage.azure.prefix; }, nullptr},
    {"storage", "azure.ca_file", "", "FILE", "Azure backend: CA bundle for https", false,
     [](Config& c) -> FieldPtr { return &c.storage.azure.ca_file; },
     [](const Config& c) { return CheckReadableFile(c.storage.azure.ca_file); }},
    {"storage", "gcs.endpoint", "", "URL", "GCS backend: XML API endpoint", false,
     [](Config& c) -> FieldPtr { return &c.storage.gcs.endpoint; },
     [](const Config& c) { return CheckRemoteUrl(c.storage.gcs.endpoint); }},
    {"storage", "gcs.bucket", "", "NAME", "GCS backend: bucket holding the blobs", false,
     [](Config& c) -> FieldPtr { return &c.storage.gcs.bucket; }, nullptr},
    {"storage", "gcs.prefix", "", "TEXT", "GCS backend: name prefix of the blobs", false,
     [](Config& c) -> FieldPtr { return &c.storage.gcs.prefix; }, nullptr},
    {"storage", "gcs.access_key", "", "KEY", "GCS backend: HMAC access key id", false,
     [](Config& c) -> FieldPtr { return &c.storage.gcs.access_key; }, nullptr},
    {"storage", "gcs.secret_key", "", "SECRET", "GCS backend: HMAC secret", true,
     [](Config& c) -> FieldPtr { return &c.storage.gcs.secret_key; }, nullptr},
    {"storage", "gcs.secret_key_file", "", "FILE", "GCS backend: file holding the HMAC secret",
     false, [](Config& c) -> FieldPtr { return &c.storage.gcs.secret_key_file; },
     [](const Config& c) { return CheckReadableFile(c.storage.gcs.secret_key_file); }},
    {"storage", "gcs.ca_file", "", "FILE", "GCS backend: CA bundle for https", false,
     [](Config& c) -> FieldPtr { return &c.storage.gcs.ca_file; },
     [](const Config& c) { return CheckReadableFile(c.storage.gcs.ca_file); }},
    {"storage", "cache.dir", "", "DIR", "local read cache of remote blobs (default DATA/cache)",
     false, [](Config& c) -> FieldPtr { return &c.storage.cache.dir; }, nullptr},
    {"storage", "cache.size", "", "BYTES", "bytes the read cache keeps (0: no cache)", false,
     [](Config& c) -> FieldPtr { return &c.storage.cache.size; }, nullptr},
    {"storage", "cache.max_blob", "", "BYTES", "larger blobs are never cached", false,
     [](Config& c) -> FieldPtr { return &c.storage.cache.max_blob; }, nullptr},
    {"tls", "cert_file", "--tls-cert", "FILE",
     "PEM certificate chain; with tls.key_file serves HTTPS on both ports", false,
     [](Config& c) -> FieldPtr { return &c.tls.cert_file; },
     [](const Config& c) {
       return CheckTlsFile(c, c.tls.cert_file, c.tls.key_file, "tls.key_file");
     }},
    {"tls", "key_file", "--tls-key", "FILE", "PEM private key of tls.cert_file", false,
     [](Config& c) -> FieldPtr { return &c.tls.key_file; },
     [](const Config& c) {
       return CheckTlsFile(c, c.tls.key_file, c.tls.cert_file, "tls.cert_file");
     }},
    {"tls", "min_version", "", "VERSION", "lowest TLS version accepted: 1.2 or 1.3", false,
     [](Config& c) -> FieldPtr { return &c.tls.min_version; },
     [](const Config& c) {
       return CheckOneOf(c.tls.min_version, {"1.2", "1.3"});
     }},
    {"metrics", "enabled", "", "BOOL", "serve Prometheus metrics", false,
     [](Config& c) -> FieldPtr { return &c.metrics.enabled; }, nullptr},
    {"metrics", "path", "", "PATH",
     "URL path of the metrics on metrics.listen (and the S3 port when under /_maxiofs/)", false,
     [](Config& c) -> FieldPtr { return &c.metrics.path; }, CheckMetricsPath},
    {"metrics", "interval", "", "SECONDS",
     "seconds between collections of disk and bucket-usage gauges", false,
     [](Config& c) -> FieldPtr { return &c.metrics.interval; },
     [](const Config& c) { return CheckMetricsInterval(c.metrics.interval); }},
    {"metrics", "listen", "", "ADDR",
     "extra plain-HTTP address for metrics and health only (empty: S3 port only)", false,
     [](Config& c) -> FieldPtr { return &c.metrics.listen; },
     [](const Config& c) { return CheckOptionalAddress(c.metrics.listen); }},
    {"logging", "format", "--log-format", "FORMAT",
     "log line format for server, access and audit logs: text or json", false,
     [](Config& c) -> FieldPtr { return &c.logging.format; },
     [](const Config& c) {
       return CheckOneOf(c.logging.format, {"text", "json"});
     }},
    {"logging", "file", "--log-file", "FILE", "server log file (empty: stderr); reopened on SIGHUP",
     false, [](Config& c) -> FieldPtr { return &c.logging.file; }, nullptr},
    {"logging", "access", "", "BOOL", "one access-log line per HTTP request", false,
     [](Config& c) -> FieldPtr { return &c.logging.access; }, nullptr},
    {"logging", "access_file", "", "FILE",
     "access log file (empty: the server log); reopened on SIGHUP", false,
     [](Config& c) -> FieldPtr { return &c.logging.access_file; }, nullptr},
    {"logging", "audit_file", "", "FILE",
     "audit log of management changes (empty: the server log); reopened on SIGHUP", false,
     [](Config& c) -> FieldPtr { return &c.logging.audit_file; }, nullptr},
    {"logging", "bucket_flush_seconds", "", "SECONDS",
     "bucket access logs (PutBucketLogging) are delivered this long after their first record",
     false, [](Config& c) -> FieldPtr { return &c.logging.bucket_flush_seconds; },
     [](const Config& c) { return CheckRange(c.logging.bucket_flush_seconds, 1, 86400); }},
    {"logging", "bucket_flush_bytes", "", "BYTES", "... or once they reach this size", false,
     [](Config& c) -> FieldPtr { return &c.logging.bucket_flush_bytes; },
     [](const Config& c) { return CheckRange(c.logging.bucket_flush_bytes, 1024, 64ull << 20); }},
    {"console", "session_secret", "", "SECRET",
     "key signing console sessions (empty: generated in the data dir)", true,
     [](Config& c) -> FieldPtr { return &c.console.session_secret; },
     [](const Config& c) { return CheckSessionSecret(c.console.session_secret); }},
    {"console", "session_ttl", "", "SECONDS", "console session lifetime in seconds", false,
     [](Config& c) -> FieldPtr { return &c.console.session_ttl; },
     [](const Config& c) { return CheckSessionTtl(c.console.session_ttl); }},
    {"console", "s3_public_url", "", "URL",
     "S3 API base URL for console share links (empty: console host, S3 port)", false,
     [](Config& c) -> FieldPtr { return &c.console.s3_public_url; },
     [](const Config& c) { return CheckPublicUrl(c.console.s3_public_url); }},
    {"notify", "queue_limit", "", "N",
     "bucket notifications waiting per target, at most (then the oldest are dropped)", false,
     [](Config& c) -> FieldPtr { return &c.notify.queue_limit; },
     [](const Config& c) { return CheckRange(c.notify.queue_limit, 1, 100000000); }},
    {"notify", "retry_max_ms", "", "MS",
     "longest wait between two delivery attempts to a target that is down", false,
     [](Config& c) -> FieldPtr { return &c.notify.retry_max_ms; },
     [](const Config& c) { return CheckRange(c.notify.retry_max_ms, 10, 3600000); }},
    {"notify", "webhook_name", "", "NAME",
     "one more webhook target (with webhook_endpoint), named arn:maxiofs:sqs::NAME", false,
     [](Config& c) -> FieldPtr { return &c.notify.webhook_name; },
     [](const Config& c) { return CheckNotifyTargets(c); }},
    {"notify", "webhook_endpoint", "", "URL", "the URL that webhook POSTs events to", false,
     [](Config& c) -> FieldPtr { return &c.notify.webhook_endpoint; }, nullptr},
    {"notify", "webhook_auth_token", "", "TOKEN", "bearer token sent to that webhook", true,
     [](Config& c) -> FieldPtr { return &c.notify.webhook_auth_token; }, nullptr},
};

}  // namespace

std::string ConfigKey::Dotted() const { return std::string(section) + "." + std::string(name); }

std::string ConfigKey::EnvName() const {
  std::string out = "MAXIOFS_" + std::string(section) + "_" + std::string(name);
  for (char& c : out) {
    c = c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string ConfigKey::LongFlag() const {
  std::string out = "--" + Dotted();
  for (char& c : out) {
    if (c == '.' || c == '_') c = '-';
  }
  return out;
}

std::span<const ConfigKey> AllConfigKeys() { return kKeys; }

const ConfigKey* FindConfigKey(std::string_view section, std::string_view name) {
  for (const ConfigKey& key : kKeys) {
    if (key.section == section && key.name == name) return &key;
  }
  return nullptr;
}

const ConfigKey* FindConfigKey(std::string_view dotted) {
  for (const ConfigKey& key : kKeys) {
    if (key.Dotted() == dotted) return &key;
  }
  return nullptr;
}

bool IsConfigKeyPrefix(std::string_view section, std::string_view prefix) {
  for (const ConfigKey& key : kKeys) {
    if (key.section == section && key.name.size() > prefix.size() && key.name.starts_with(prefix) &&
        key.name[prefix.size()] == '.') {
      return true;
    }
  }
  return false;
}

Status SetFromString(const ConfigKey& key, std::string_view text, Config& config) {
  FieldPtr field = key.field(config);
  if (auto* s = std::get_if<std::string*>(&field)) {
    **s = std::string(text);
    return Status::OK();
  }
  if (auto* list = std::get_if<std::vector<std::string>*>(&field)) {
    (*list)->clear();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string_view::npos) comma = text.size();
      std::string item = Trim(text.substr(start, comma - start));
      if (!item.empty()) (*list)->push_back(std::move(item));
      start = comma + 1;
    }
    return Status::OK();
  }
  if (auto* n = std::get_if<uint64_t*>(&field)) {
    const std::string t = Trim(text);
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
      return Status::InvalidArgument("expected a non-negative integer");
    }
    **n = value;
    return Status::OK();
  }
  const std::string t = Lower(Trim(text));
  std::optional<bool> value;
  if (t == "true" || t == "yes" || t == "on" || t == "1") {
    value = true;
  } else if (t == "false" || t == "no" || t == "off" || t == "0") {
    value = false;
  }
  if (auto* opt = std::get_if<std::optional<bool>*>(&field)) {
    if (!value && t != "auto") return Status::InvalidArgument("expected true, false or auto");
    **opt = value;
    return Status::OK();
  }
  if (!value) return Status::InvalidArgument("expected a boolean (true or false)");
  *std::get<bool*>(field) = *value;
  return Status::OK();
}

std::string FormatValue(const ConfigKey& key, const Config& config) {
  if (key.secret) return "<hidden>";
  Config copy = config;  // field() hands out mutable pointers; read through a copy
  FieldPtr field = key.field(copy);
  if (auto* s = std::get_if<std::string*>(&field)) return **s;
  if (auto* list = std::get_if<std::vector<std::string>*>(&field)) {
    std::string out;
    for (const std::string& item : **list) out += (out.empty() ? "" : ",") + item;
    return out;
  }
  if (auto* n = std::get_if<uint64_t*>(&field)) return std::to_string(**n);
  if (auto* opt = std::get_if<std::optional<bool>*>(&field)) {
    return !(*opt)->has_value() ? "auto" : **(*opt) ? "true" : "false";
  }
  return *std::get<bool*>(field) ? "true" : "false";
}

}  // namespace maxiofs::app
