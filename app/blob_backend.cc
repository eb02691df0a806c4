#include "blob_backend.h"

#include "maxiofs/backends/azure_blob_store.h"
#include "maxiofs/backends/blob_store.h"
#include "maxiofs/backends/caching_blob_store.h"
#include "maxiofs/backends/s3_blob_store.h"

#include <filesystem>
#include <fstream>

namespace maxiofs::app {
namespace {

Status Missing(const std::string& key, const std::string& backend) {
  return Status::InvalidArgument(key + " must be set when storage.backend is " + backend);
}

Result<std::unique_ptr<backends::BlobStore>> OpenS3Like(const Config& c,
                                                        const std::string& data_dir,
                                                        std::string* binding) {
  const bool gcs = c.storage.backend == "gcs";
  const std::string section = gcs ? "storage.gcs" : "storage.s3";
  backends::S3BlobStoreOptions o;
  std::string secret_value, secret_file, ca_file;
  if (gcs) {
    const GcsStorageConfig& g = c.storage.gcs;
    o.client.endpoint = g.endpoint;
    o.bucket = g.bucket;
    o.prefix = g.prefix;
    o.client.credentials.access_key = g.access_key;
    secret_value = g.secret_key;
    secret_file = g.secret_key_file;
    ca_file = g.ca_file;
    o.client.region = "";
    backends::ApplyGcsProfile(&o);
  } else {
    const S3StorageConfig& s = c.storage.s3;
    if (s.endpoint.empty()) return Missing(section + ".endpoint", "s3");
    o.client.endpoint = s.endpoint;
    o.client.region = s.region;
    o.client.path_style = s.path_style;
    o.bucket = s.bucket;
    o.prefix = s.prefix;
    o.client.credentials.access_key = s.access_key;
    secret_value = s.secret_key;
    secret_file = s.secret_key_file;
    ca_file = s.ca_file;
  }
  if (o.bucket.empty()) return Missing(section + ".bucket", c.storage.backend);
  if (o.client.credentials.access_key.empty()) {
    return Missing(section + ".access_key", c.storage.backend);
  }
  MAXIOFS_ASSIGN_OR_RETURN(o.client.credentials.secret_key,
                           SecretFrom(secret_value, secret_file, section + ".secret_key"));
  o.client.http.ca_file = ca_file;
  o.spool_dir = data_dir + "/tmp";
  *binding = c.storage.backend + " bucket=" + o.bucket + " prefix=" + o.prefix;
  auto store = backends::OpenS3BlobStore(o);
  if (!store.has_value()) {
    return Status::Error(
        store.error().code() == Status::Code::kInvalidArgument ? Status::Code::kInvalidArgument
                                                               : Status::Code::kUnavailable,
        "storage backend " + c.storage.backend + " (bucket " + o.bucket + " at " +
            o.client.endpoint + ") cannot be used: " + std::string(store.error().message()));
  }
  return store;
}

Result<std::unique_ptr<backends::BlobStore>> OpenAzure(const Config& c, const std::string& data_dir,
                                                       std::string* binding) {
  const AzureStorageConfig& a = c.storage.azure;
  backends::AzureBlobStoreOptions o;
  if (a.account.empty()) return Missing("storage.azure.account", "azure");
  if (a.container.empty()) return Missing("storage.azure.container", "azure");
  o.endpoint = a.endpoint;
  o.account = a.account;
  o.container = a.container;
  o.prefix = a.prefix;
  o.http.ca_file = a.ca_file;
  o.sas_token = a.sas_token;
  if (a.sas_token.empty()) {
    MAXIOFS_ASSIGN_OR_RETURN(o.key, SecretFrom(a.key, a.key_file, "storage.azure.key"));
  } else if (!a.key.empty() || !a.key_file.empty()) {
    return Status::InvalidArgument(
        "set storage.azure.key (or key_file) or storage.azure.sas_token, "
        "not both");
  }
  o.spool_dir = data_dir + "/tmp";
  *binding = "azure account=" + o.account + " container=" + o.container + " prefix=" + o.prefix;
  auto store = backends::OpenAzureBlobStore(o);
  if (!store.has_value()) {
    return Status::Error(
        store.error().code() == Status::Code::kInvalidArgument ? Status::Code::kInvalidArgument
                                                               : Status::Code::kUnavailable,
        "storage backend azure (container " + o.container + " of account " + o.account +
            ") cannot be used: " + std::string(store.error().message()));
  }
  return store;
}

}  // namespace

Result<std::string> SecretFrom(const std::string& value, const std::string& file,
                               const std::string& key) {
  if (!value.empty() && !file.empty()) {
    return Status::InvalidArgument(key + " and " + key + "_file are both set; set one");
  }
  if (!value.empty()) return value;
  if (file.empty()) return Status::InvalidArgument(key + " (or " + key + "_file) must be set");
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return Status::InvalidArgument("cannot read " + key + "_file " + file);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) return Status::InvalidArgument(key + "_file " + file + " is empty");
  return line;
}

Result<std::unique_ptr<engine::Engine>> OpenEngine(const Config& config,
                                                   engine::EngineOptions options) {
  const std::string& backend = config.storage.backend;
  if (backend == "filesystem") {
    options.blob_store_binding = "filesystem";
    return engine::Engine::Open(options);
  }
  std::unique_ptr<backends::BlobStore> store;
  // The remote store spools under the data dir: make it (Engine::Open would anyway).
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::IOError("cannot create data dir " + options.data_dir + ": " + ec.message());
  }
  if (backend == "s3" || backend == "gcs") {
    MAXIOFS_ASSIGN_OR_RETURN(store,
                             OpenS3Like(config, options.data_dir, &options.blob_store_binding));
  } else if (backend == "azure") {
    MAXIOFS_ASSIGN_OR_RETURN(store,
                             OpenAzure(config, options.data_dir, &options.blob_store_binding));
  } else {
    return Status::InvalidArgument("storage.backend " + backend +
                                   " is not available in this build (it has filesystem, s3, gcs "
                                   "and azure)");
  }
  if (config.storage.cache.size > 0) {
    backends::CacheOptions cache;
    cache.dir =
        config.storage.cache.dir.empty() ? options.data_dir + "/cache" : config.storage.cache.dir;
    cache.max_bytes = config.storage.cache.size;
    cache.max_blob = config.storage.cache.max_blob;
    MAXIOFS_ASSIGN_OR_RETURN(store, backends::NewCachingBlobStore(std::move(store), cache));
  }
  return engine::Engine::Open(options, std::move(store));
}

}  // namespace maxiofs::app
