// The S3 BlobStore: blobs are objects <prefix><id> in one bucket of any S3-compatible service
// (AWS S3, Ceph RGW, MinIO, another maxiofs; GCS through its XML API with HMAC keys, see
// GcsProfile). It talks through the project's S3 client (maxiofs/s3client/s3_client.h).
//
// Writing: a blob is spooled to a local file (<spool_dir>/<id>, with its MD5 per part) and
// uploaded when committed: one PUT up to part_size, else a multipart upload with up to
// parallel_parts parts in flight. Commit returns once the service acknowledged the whole blob
// (its durability is the service's); the spool file is then removed. Spooling keeps memory per
// upload bounded and lets a failed attempt be repeated.
// Reading: a reader streams ranged GETs (one request per sequential run; a jump or a cut-off
// connection opens a new one where it stopped). Inside a NoWaitScope every read is WouldBlock
// (a network read is never made on a network thread).
// Deleting: DELETE (a missing object is no error); Discard also aborts unfinished multipart
// uploads of the key. Failures after the client's retries are Unavailable.
//
// Thread-safety: safe for concurrent use; writers and readers are one owner's at a time.
#pragma once

#include "maxiofs/backends/blob_store.h"
#include "maxiofs/common/result.h"
#include "maxiofs/s3client/s3_client.h"

#include <memory>
#include <string>

namespace maxiofs::backends {

struct S3BlobStoreOptions {
  s3client::S3ClientOptions client;
  std::string bucket;  // required; must exist
  std::string prefix;  // prepended to every blob id (e.g. "maxiofs/"); may be empty
  // Local directory for blobs being written (removed by RemoveUnfinished). Required.
  std::string spool_dir;
  // Blobs up to this size go in one PUT; larger ones in parts of this size. Default 16 MiB
  // (S3 needs >= 5 MiB parts; 10,000 parts then cover 160 GiB).
  uint64_t part_size = 16ull << 20;
  // Parts of one blob uploaded at once. Default 4.
  uint32_t parallel_parts = 4;
  // The store's kind() ("s3"; ApplyGcsProfile makes it "gcs").
  std::string kind = "s3";
};

// GCS's XML API as an S3 dialect: endpoint https://storage.googleapis.com, region "auto",
// path-style, HMAC keys as access/secret key. Fills the fields left empty in `options`.
void ApplyGcsProfile(S3BlobStoreOptions* options);

// Opens the store and checks, with one request, that the bucket exists and the credentials
// may list it: NotFound / AccessDenied / Unavailable (with the service's answer) otherwise.
// InvalidArgument for bad options.
Result<std::unique_ptr<BlobStore>> OpenS3BlobStore(const S3BlobStoreOptions& options);

}  // namespace maxiofs::backends
