// Config: everything an operator can set, as one plain struct tree, and the loader that fills
// it from four sources in priority order:
//
//   command-line flags  >  environment (MAXIOFS_<SECTION>_<KEY>)  >  YAML file  >  defaults
//
// Only app/ sees Config; each component gets its own option struct built from it
// (component_options.h). docs/configuration.md lists every key; keep the two in step.
//
// Thread-safety: plain values; LoadConfig is a pure function of its inputs.
#pragma once

#include "maxiofs/common/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace maxiofs::app {

struct ServerConfig {
  // S3 API listen address, "host:port" or ":port" (all interfaces). Default ":8080". Port 0
  // picks a free port (the ready line shows which). Bind to 127.0.0.1 to keep it local.
  std::string listen = ":8080";
  // Web console listen address, same forms. Default ":8081". Bind to 127.0.0.1 to keep the
  // console local (it is plain HTTP unless put behind a TLS proxy).
  std::string console_listen = ":8081";
  // Data directory: meta/ (LevelDB), objects/ (blobs), tmp/. Created when missing. Default
  // "./data", relative to the working directory; use an absolute path for services.
  std::string data_dir = "./data";
  // Log level: trace, debug, info, warn, error, critical or off. Default "info" (one line at
  // start and stop plus one access-log line per request); debug is verbose.
  std::string log_level = "info";
  // Region reported to S3 clients and required in SigV4 scopes. Default "us-east-1", the one
  // most clients assume when none is configured.
  std::string region = "us-east-1";
  // Base domains for virtual-host-style requests ("<bucket>.<domain>"). Default empty:
  // path-style only. Needs wildcard DNS for the domain.
  std::vector<std::string> virtual_host_domains;
  // Origins allowed cross-origin access (CORS) to buckets that have no CORS rules of their own,
  // with every method and request header: for web apps served from these origins. Each may
  // hold one '*' ("https://*.example.com"; "*" allows any origin). Default empty: only a
  // bucket's own rules (PutBucketCors) allow cross-origin requests.
  std::vector<std::string> cors_allowed_origins;
};

struct AuthConfig {
  // Require credentials. Default true. false serves requests that carry no credentials as
  // root (S3), and lets anyone log in to the console as root; allowed only when every listen
  // address is loopback (the server refuses to start otherwise), and warned about loudly.
  bool enabled = true;
  // Root credentials (the break-glass admin). Defaults "maxioadmin"/"maxioadmin" so a first run
  // works out of the box; the server warns loudly while they are in use. Must be non-empty.
  std::string access_key = "maxioadmin";
  std::string secret_key = "maxioadmin";
  // Secret from which the key encrypting stored IAM secrets is derived. Empty: derived from
  // secret_key (then changing secret_key makes stored access keys unreadable).
  std::string iam_master_secret;
  // The console's session signing secret: another name for console.session_secret (setting
  // both to different values is an error). Default empty: generated in the data dir.
  std::string jwt_secret;
  // A YAML or JSON file of IAM users, access keys, groups and policies, applied at every start
  // (creating what is missing, updating what differs). Default empty: none.
  std::string users_file;
  // Also delete users, groups and managed policies the users file does not list. Default false.
  bool users_file_prune = false;
  // E-mail address of the account: ACL grants to it (x-amz-grant-* emailAddress=, an
  // AmazonCustomerByEmail grantee) name the account. Default empty: every e-mail grant is
  // refused with UnresolvableGrantByEmailAddress.
  std::string account_email;
  // The account's display name: the DisplayName of Owner elements and ACL grants in S3
  // answers (the Owner ID is the account's canonical id). Empty: DisplayName is left out.
  std::string account_display_name = "maxiofs";
};

struct FuseConfig {
  // Directory to mount the store on with FUSE (buckets as directories). Default empty: no
  // mount. Must exist and be empty; a stale mount left by a crash is cleared at start.
  std::string mountpoint;
  // IAM user the mount acts as: every operation is authorized as that user's S3 request would
  // be. Default empty: the root identity (everything allowed).
  std::string user;
  // Files of 8 MiB or more written through the mount get the parts ETag `aws s3 cp` gives
  // them, hashed on several cores. false: the plain MD5 (slower sequential writes). Default
  // true.
  bool parts_etag = true;
  // Let other local users than the one running the server use the mount; the kernel then
  // checks each access against the files' mode, owner and group (default_permissions).
  // Default false: only the server's user (usually root) sees the files.
  bool allow_other = false;
  // Access times: "noatime" (default: reads never write metadata) or "relatime" (as Linux:
  // a read moves atime when it is not after mtime/ctime or is a day old; one metadata write).
  std::string atime = "noatime";
  // The read-only "<bucket>/.versions/<path>/" view of a versioned bucket's file versions:
  // "hidden" (default: reachable by name, not listed), "visible" (listed too) or "off".
  std::string versions = "hidden";
};

struct EngineConfig {
  // Objects up to this size (bytes) live inside the metadata store: one synced write per PUT
  // and no file. Default 131072 (128 KiB). Larger values speed small writes but grow
  // compaction work. At most 16 MiB.
  uint64_t inline_threshold = 128 * 1024;
  // fsync data and metadata before acknowledging a write. Default true. false is for
  // benchmarks and throw-away runs only: acknowledged writes may be lost on power failure.
  bool sync = true;
  // Multipart uploads neither completed nor aborted within this many hours are aborted and
  // their parts' space freed (checked at start and hourly). Default 168 (7 days); 0 keeps them
  // forever.
  uint64_t abandoned_upload_hours = 168;
  // Length of one lifecycle day in seconds (docs/lifecycle.md). Default 86400. For tests only:
  // a shorter day makes a rule of N days act after N times this many seconds (not rounded to
  // midnight), like RGW's rgw_lc_debug_interval. 1 to 86400.
  uint64_t lifecycle_day_seconds = 86400;
  // Seconds between passes of the lifecycle worker over the buckets with rules. Default 3600;
  // 0 turns the worker off. At most 86400.
  uint64_t lifecycle_interval_seconds = 3600;
  // The metadata store's (LevelDB's) tuning; engine::MetadataStoreOptions says what each does.
  // Block cache in bytes. Default 67108864 (64 MiB); 1 MiB to 64 GiB.
  uint64_t metadata_cache_bytes = 64ull << 20;
  // Memtable size in bytes. Default 33554432 (32 MiB); 1 MiB to 1 GiB.
  uint64_t metadata_write_buffer_bytes = 32ull << 20;
  // Target table file size in bytes. Default 33554432 (32 MiB); 1 MiB to 1 GiB.
  uint64_t metadata_max_file_bytes = 32ull << 20;
  // Table files kept open. Default 2000; 100 to 50000.
  uint64_t metadata_max_open_files = 2000;
  // Bloom filter bits per key; 0 turns filters off. Default 10; at most 32.
  uint64_t metadata_bloom_bits_per_key = 10;
  // Snappy compression of table blocks. Default true.
  bool metadata_compression = true;
};

struct EncryptionConfig {
  // Seal new data with SSE-S3 (AES-256-GCM, per-object data keys wrapped by the master key)
  // when the request asks for no encryption. Default false. Needs a master key.
  bool enabled = false;
  // The master key: base64 of 32 random bytes (openssl rand -base64 32), named "default".
  // Secret: prefer MAXIOFS_STORAGE_ENCRYPTION_KEY or key_file. Default empty.
  std::string key;
  // A file holding master keys, one per line: "base64" (named "default") or "name:base64".
  // Default empty.
  std::string key_file;
  // More master keys, "name:base64" each (secret). Default empty.
  std::vector<std::string> keys;
  // The master key that wraps new data keys. Default empty: the only key there is.
  std::string active_key;
  // Accept SSE-C requests over plain HTTP (e.g. behind a TLS-terminating proxy). Default false:
  // SSE-C needs TLS, as in S3, since the key travels in the request.
  bool allow_insecure_sse_c = false;
};

struct CompressionConfig {
  // Compress new data. Unset (the default): compress exactly when `type` is not "none", as
  // before this key existed. false: never, whatever `type` says. true: with `type`, which must
  // then name an algorithm.
  std::optional<bool> enabled;
  // "none", "zstd", "gzip" (zlib's DEFLATE) or "lz4". Default "none".
  std::string type = "none";
  // The algorithm's level: zstd 1-19, gzip 1-9, lz4 1-12; higher is smaller and slower to
  // write. Default 0: the algorithm's own default (zstd 3, gzip 6, lz4 1).
  uint64_t level = 0;
  // Bodies known to be smaller than this (bytes) are not compressed. Default 4096.
  uint64_t min_size = 4096;
  // Content types never compressed ("image/*" covers a family). Default: formats that are
  // compressed already.
  std::vector<std::string> excluded_content_types = {"image/*",
                                                     "video/*",
                                                     "audio/*",
                                                     "application/zip",
                                                     "application/gzip",
                                                     "application/x-gzip",
                                                     "application/zstd",
                                                     "application/x-7z-compressed",
                                                     "application/x-rar-compressed",
                                                     "application/x-bzip2",
                                                     "application/x-xz"};
  // Key extensions never compressed. Default: the same families.
  std::vector<std::string> excluded_extensions = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4",
                                                  ".mkv", ".mov",  ".mp3", ".zip", ".gz",   ".tgz",
                                                  ".zst", ".xz",   ".bz2", ".7z",  ".rar"};
};

// storage.s3: object data in a bucket of an S3-compatible service (storage.backend = s3).
struct S3StorageConfig {
  // The service: http(s)://host[:port], no path (AWS: https://s3.<region>.amazonaws.com).
  std::string endpoint;
  // The bucket holding the blobs; it must exist. Required.
  std::string bucket;
  // Prepended to every blob's key (e.g. "maxiofs/"), so a bucket may be shared. Default "".
  std::string prefix;
  // SigV4 region. Default us-east-1.
  std::string region = "us-east-1";
  std::string access_key;
  // Secret: prefer MAXIOFS_STORAGE_S3_SECRET_KEY or secret_key_file.
  std::string secret_key;
  // A file whose first line is the secret key (instead of secret_key). Default empty.
  std::string secret_key_file;
  // Path-style URLs (endpoint/bucket/key); false: virtual-host (bucket.endpoint/key). Default
  // true (MinIO, Ceph RGW and most S3-compatible services without DNS set-up).
  bool path_style = true;
  // PEM CA bundle to trust for https (a private CA); default: the system's store.
  std::string ca_file;
};

// storage.azure: object data in an Azure Blob Storage container (storage.backend = azure).
struct AzureStorageConfig {
  // Default https://<account>.blob.core.windows.net (azurite: http://127.0.0.1:10000/<account>).
  std::string endpoint;
  std::string account;
  // The account key (base64), for SharedKey; secret. Or key_file, or sas_token.
  std::string key;
  std::string key_file;
  // A SAS token (the query string, without '?') instead of the key; secret.
  std::string sas_token;
  std::string container;  // must exist. Required.
  std::string prefix;
  std::string ca_file;
};

// storage.gcs: object data in a Google Cloud Storage bucket through its XML API with HMAC keys
// (storage.backend = gcs).
struct GcsStorageConfig {
  std::string endpoint = "https://storage.googleapis.com";
  std::string bucket;
  std::string prefix;
  std::string access_key;  // HMAC key id
  std::string secret_key;  // HMAC secret; secret
  std::string secret_key_file;
  std::string ca_file;
};

// storage.cache: a bounded local copy of blobs read from (or written to) a remote backend.
struct StorageCacheConfig {
  // Directory of the cache. Default "": <data_dir>/cache.
  std::string dir;
  // Most bytes the cache keeps (least recently used go first). Default 1 GiB; 0 disables it.
  uint64_t size = 1ull << 30;
  // Blobs larger than this are never cached (bytes). Default 64 MiB.
  uint64_t max_blob = 64ull << 20;
};

struct StorageConfig {
  // Where object data (blobs) lives: filesystem (the default: files under storage.root), s3,
  // azure or gcs. Metadata (and small inline objects) always stay in <data_dir>/meta.
  std::string backend = "filesystem";
  // The filesystem backend's directory of blob files. Default empty: <data_dir>/objects.
  // Relative paths are relative to the working directory, like server.data_dir. Put it on
  // another disk to keep object data apart from metadata; a data dir is bound to its blob
  // directory (a STORE file there names it), so moving it means moving the whole directory.
  std::string root;
  S3StorageConfig s3;
  AzureStorageConfig azure;
  GcsStorageConfig gcs;
  StorageCacheConfig cache;
  EncryptionConfig encryption;
  CompressionConfig compression;
  // Allow creating buckets with object lock (S3 CreateBucket with
  // x-amz-bucket-object-lock-enabled, the console's checkbox). Default true. false refuses new
  // locked buckets; buckets that already have object lock keep it, and their locks still hold.
  bool object_lock_enabled = true;
};

struct TlsConfig {
  // HTTPS on the S3 port and the console port. Unset (the default): when cert_file and
  // key_file are both set. true: always (both files required). false: plain HTTP even when
  // files are named.
  std::optional<bool> enabled;
  // PEM certificate chain and private key. Both empty (the default): plain HTTP. Both set:
  // HTTPS on the S3 port and the console port (unless enabled is false). Must be readable by the
  // server at start; both are re-read on SIGHUP (new connections get the new certificate, open ones
  // keep theirs).
  std::string cert_file;
  std::string key_file;
  // Lowest TLS version accepted: "1.2" (default) or "1.3". Older versions are always refused.
  std::string min_version = "1.2";
};

struct MetricsConfig {
  // Serve Prometheus metrics. Default true: they carry no object data or secrets.
  bool enabled = true;
  // URL path of the metrics on the metrics listener (metrics.listen), and on the S3 port too
  // when it starts with "/_maxiofs/" (a path there cannot shadow a bucket). The S3 port always
  // serves them at /_maxiofs/metrics. Default "/_maxiofs/metrics".
  std::string path = "/_maxiofs/metrics";
  // Seconds between two collections of the disk-space gauges: a scrape within the interval
  // gets the last collected values (per-bucket usage is read from the engine's counters at
  // every scrape). Default 5. At least 1.
  uint64_t interval = 5;
  // Extra plain-HTTP address serving only the metrics and health paths, e.g. "127.0.0.1:9464"
  // so a scraper needs no access to the S3 port. Default empty: the S3 port only.
  std::string listen;
};

struct LoggingConfig {
  // Line format of the server log, the access log and the audit log: "text" (default,
  // key=value) or "json" (one JSON object per line, for log shippers).
  std::string format = "text";
  // Server log file. Default empty: standard error (the journal under systemd). Reopened on
  // SIGHUP, so logrotate can move it away.
  std::string file;
  // One line per HTTP request (access log). Default true.
  bool access = true;
  // Access log file. Default empty: into the server log. Reopened on SIGHUP.
  std::string access_file;
  // Audit log of management changes (buckets created/deleted, versioning and lock settings).
  // Default empty: into the server log. Reopened on SIGHUP.
  std::string audit_file;
  // Server access logging to buckets (PutBucketLogging, docs/bucket-logging.md): a source
  // bucket's records are delivered as one log object at most this many seconds after the
  // first of them. Default 300 (S3 delivers within minutes); tests shorten it.
  uint64_t bucket_flush_seconds = 300;
  // ... or once they reach this many bytes. Default 4 MiB.
  uint64_t bucket_flush_bytes = 4ull << 20;
};

struct ConsoleConfig {
  // HMAC-SHA256 key signing console session tokens. Default empty: a random key generated on
  // first start and kept in <data_dir>/console.secret (0600), so sessions survive restarts.
  // Set it (32+ characters) to share sessions between replicas or to rotate it (rotating logs
  // everyone out).
  std::string session_secret;
  // Seconds a console session lasts. Default 3600. An active user's session is renewed past
  // half its life; an idle one ends after this. Shorter is safer on shared machines.
  uint64_t session_ttl = 3600;
  // Base URL of the S3 API as browsers reach it, for share links ("https://s3.example.com").
  // Default empty: the host the browser used for the console, with the S3 port.
  std::string s3_public_url;
};

// One bucket notification target: an entry of the YAML list notify.targets (docs/events.md).
struct NotifyTargetConfig {
  std::string name;  // arn:maxiofs:sqs::NAME; [A-Za-z0-9_.-], 1-64 chars, unique
  std::string type;  // "webhook"
  // The type's settings. webhook: endpoint (http(s) URL, required), auth_token (sent as a
  // bearer token), ca_file (PEM, for https), timeout_ms (one POST, default 5000).
  std::map<std::string, std::string> settings;
  std::string where;  // the entry's place in the config file, for messages
};

struct NotifyConfig {
  // The targets bucket rules may name (a YAML list; not settable from the environment, except
  // one webhook through the webhook_* keys below).
  std::vector<NotifyTargetConfig> targets;
  // Events waiting per target, at most; past it the oldest are dropped (and counted).
  // Default 100000.
  uint64_t queue_limit = 100000;
  // Longest wait between two delivery attempts to a target that is down (ms). Default 5000.
  uint64_t retry_max_ms = 5000;
  // One more webhook target, for containers (MAXIOFS_NOTIFY_WEBHOOK_NAME and
  // MAXIOFS_NOTIFY_WEBHOOK_ENDPOINT): both or neither.
  std::string webhook_name;
  std::string webhook_endpoint;
  std::string webhook_auth_token;
};

struct Config {
  ServerConfig server;
  AuthConfig auth;
  FuseConfig fuse;
  EngineConfig engine;
  StorageConfig storage;
  TlsConfig tls;
  MetricsConfig metrics;
  LoggingConfig logging;
  ConsoleConfig console;
  NotifyConfig notify;
};

// The process environment, injected so tests can supply their own. Only names starting with
// MAXIOFS_ matter; an unknown MAXIOFS_* name is ignored (it may belong to another version).
using Environment = std::map<std::string, std::string>;

// Collects the MAXIOFS_* entries of a NULL-terminated `envp` (as given to main).
Environment EnvironmentFromEnvp(char** envp);

struct ConfigSources {
  // YAML or JSON file to read, from --config. nullopt: no file.
  std::optional<std::string> config_file;
  // Environment variables (see Environment).
  Environment env;
  // Flag values keyed by config key ("server.listen"), for flags given on the command line
  // only: a flag absent from the map does not override anything.
  std::map<std::string, std::string> flags;
};

// Merges the sources over the defaults and validates the result. On failure returns one
// Status whose message names the key, the offending value and where it came from, e.g.
// "invalid server.listen 'x' (from environment MAXIOFS_SERVER_LISTEN): ...":
//   InvalidArgument  unknown YAML key, wrong YAML type, bad address, log level, number,
//                    boolean, empty credential or path;
//   NotFound/IOError the config file is missing or unreadable;
//   InvalidArgument  the file is not valid YAML (with line and column).
Result<Config> LoadConfig(const ConfigSources& sources);

// LoadConfig, also returning where each key's value came from ("config file F line L column
// C", "environment MAXIOFS_X", "flag --x"), keyed by dotted key; keys at their default are
// absent.
struct LoadedConfig {
  Config config;
  std::map<std::string, std::string> origins;
};
Result<LoadedConfig> LoadConfigWithOrigins(const ConfigSources& sources);

// Checks a complete Config (LoadConfig already does). OK or InvalidArgument naming the key.
Status ValidateConfig(const Config& config);

// True while the secret key is the built-in default "maxioadmin", i.e. anyone who has read
// the README can sign requests (the server warns loudly).
bool UsesDefaultCredentials(const Config& config);

// True when the servers speak TLS: tls.enabled, or when it is unset, both tls.cert_file and
// tls.key_file set.
bool TlsEnabled(const Config& config);

// True when new data is compressed (storage.compression.enabled, or when it is unset, a
// storage.compression.type other than "none").
bool CompressionEnabled(const Config& config);

// The console's session secret: console.session_secret, else auth.jwt_secret (LoadConfig
// refuses two different values).
std::string SessionSecret(const Config& config);

}  // namespace maxiofs::app
