// The Azure Blob Storage BlobStore: blobs are block blobs <prefix><id> in one container,
// reached through the Blob service REST API (x-ms-version 2021-08-06) with SharedKey
// authorization (or a SAS token). Writes spool locally and upload at Commit: one Put Blob up to
// block_size, else Put Block (up to parallel_blocks at once) + Put Block List; every request
// carries the bytes' Content-MD5. Reads stream Get Blob with x-ms-range; listing uses List Blobs
// with markers. Retries, timeouts and pooling as the S3 store (transport errors, 500, 503
// ServerBusy and 429 are retried with jittered backoff; then Unavailable).
//
// Thread-safety: safe for concurrent use; writers and readers are one owner's at a time.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/result.h"
#include "maxiofs/httpc/http_client.h"

#include <memory>
#include <string>

namespace maxiofs::backends {

struct AzureBlobStoreOptions {
  // The blob service: https://<account>.blob.core.windows.net, or an emulator's
  // http://127.0.0.1:10000/<account> (the account then is the first path segment). Empty: the
  // public cloud's for `account`.
  std::string endpoint;
  std::string account;    // required
  std::string key;        // base64 account key (SharedKey); or
  std::string sas_token;  // a SAS token (query string without '?')
  std::string container;  // required; must exist
  std::string prefix;
  std::string spool_dir;              // required: local directory for blobs being written
  uint64_t block_size = 16ull << 20;  // Put Blob up to this; larger blobs in blocks of it
  uint32_t parallel_blocks = 4;
  httpc::HttpClientOptions http;
  uint32_t max_attempts = 4;
  uint32_t retry_base_ms = 100;
  uint32_t retry_max_ms = 2000;
};

// Opens the store and lists the container once: NotFound (no such container), AccessDenied
// (bad key or token, with the service's answer), Unavailable, or InvalidArgument (bad options).
Result<std::unique_ptr<BlobStore>> OpenAzureBlobStore(const AzureBlobStoreOptions& options);

// Creates the container (OK when it exists already): for tests and set-up scripts.
Status CreateAzureContainer(const AzureBlobStoreOptions& options);

// The SharedKey string to sign of a request (exposed for its test against Azure's documented
// example). `headers` are lower-case names; `canonical_resource` is "/account/path" plus the
// sorted "\nname:value" query lines.
std::string AzureStringToSign(std::string_view method, const httpc::Headers& headers,
                              std::string_view canonical_resource);

}  // namespace maxiofs::backends
