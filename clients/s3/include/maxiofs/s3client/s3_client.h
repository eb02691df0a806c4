// S3Client: the project's one client of the S3 API (any S3-compatible service: AWS, Ceph RGW,
// MinIO, another maxiofs, GCS's XML API with HMAC keys). The S3 blob store keeps object data
// with it; replication to another S3 (issue 26) is meant to reuse it.
//
// Requests are signed with SigV4 (maxiofs/aws/sigv4_signer.h, the code the S3 front end
// verifies with) and sent over pooled keep-alive connections (maxiofs/httpc/http_client.h).
// Payloads are sent UNSIGNED-PAYLOAD with a Content-MD5 when the caller gives one (TLS or the
// MD5 protects them in transit).
//
// Retries: an attempt that fails in transport (refused, reset, timed out) or is answered 500,
// 502, 503, 504, 429 or with an S3 SlowDown/RequestTimeout/InternalError code is retried with
// jittered exponential backoff, up to max_attempts; every call here is safe to repeat (a blob
// key is written once, a DELETE or an abort of what is gone is no error). After the last
// attempt: Unavailable (SubCode kThrottled when the service was throttling).
//
// Error mapping of answers that are not retried: NoSuchKey/NoSuchUpload/404 -> NotFound;
// NoSuchBucket -> NotFound naming the bucket; AccessDenied, InvalidAccessKeyId,
// SignatureDoesNotMatch, 403 -> AccessDenied with the service's code and message; anything
// NotImplemented/501 -> NotImplemented; anything else -> IOError with the service's code and
// message.
//
// Thread-safety: safe for concurrent use. An ObjectStream is one owner's at a time.
#pragma once

#include "maxiofs/aws/sigv4_signer.h"
#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/httpc/http_client.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3client {

struct S3ClientOptions {
  // "http://host:port" or "https://host[:port]" (no path). Required.
  std::string endpoint;
  // The SigV4 region ("us-east-1"; "auto" for GCS). Default us-east-1.
  std::string region = "us-east-1";
  aws::SigV4Credentials credentials;
  // Path-style URLs (endpoint/bucket/key) instead of virtual-host ones (bucket.endpoint/key).
  // Default true: what MinIO, Ceph RGW, s3rver and maxiofs serve without DNS set-up.
  bool path_style = true;
  // Timeouts and the connection pool (ca_file for TLS too).
  httpc::HttpClientOptions http;
  // Attempts per call, the first included. Default 4.
  uint32_t max_attempts = 4;
  // Backoff before retry n (1-based): random in [0, min(max, base * 2^n)] ms. Defaults 100, 2000.
  uint32_t retry_base_ms = 100;
  uint32_t retry_max_ms = 2000;
};

// What a caller sends: bytes in memory or a range of an open file (see httpc::RequestBody).
using Body = httpc::RequestBody;

struct ObjectHead {
  uint64_t size = 0;
  std::string etag;  // without quotes
};

struct ListedObject {
  std::string key;
  uint64_t size = 0;
};

struct ListPage {
  std::vector<ListedObject> objects;
  std::string next_token;  // empty: this was the last page
};

struct ListedUpload {
  std::string key;
  std::string upload_id;
};

// Counters of one client, for metrics. Monotonic.
struct S3ClientStats {
  std::atomic<uint64_t> requests{0};  // attempts sent
  std::atomic<uint64_t> errors{0};    // calls that failed (after their retries)
  std::atomic<uint64_t> retries{0};   // attempts that were repeats
  std::atomic<uint64_t> bytes_sent{0};
  std::atomic<uint64_t> bytes_received{0};
  std::atomic<uint64_t> latency_us{0};  // summed over attempts, head received
};

// A GET's body, read in pieces.
class ObjectStream {
 public:
  virtual ~ObjectStream() = default;
  ObjectStream(const ObjectStream&) = delete;
  ObjectStream& operator=(const ObjectStream&) = delete;
  // Size of the whole object (from Content-Range or Content-Length).
  virtual uint64_t object_size() const = 0;
  // Reads the next bytes of the requested range; 0 at its end. Unavailable when the
  // connection failed (the stream is then dead; open a new one from where it stopped).
  virtual Result<size_t> Read(std::span<char> out) = 0;

 protected:
  ObjectStream() = default;
};

class S3Client {
 public:
  // InvalidArgument for an endpoint that is not http(s)://host[:port] or a bad CA file.
  static Result<std::unique_ptr<S3Client>> Make(const S3ClientOptions& options);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Checks that the bucket exists and the credentials may use it (a ListObjectsV2 of one key:
  // GCS and s3rver answer it like AWS). NotFound / AccessDenied / Unavailable as above.
  Status CheckBucket(std::string_view bucket);

  // Stores `body` as `key`; `content_md5` is the base64 MD5 to send (empty: none).
  // Returns the ETag.
  Result<std::string> PutObject(std::string_view bucket, std::string_view key, const Body& body,
                                std::string_view content_md5 = {});
  // Streams `length` bytes from `offset` (nullopt: to the end). NotFound when absent.
  Result<std::unique_ptr<ObjectStream>> GetObject(std::string_view bucket, std::string_view key,
                                                  uint64_t offset, std::optional<uint64_t> length);
  Result<ObjectHead> HeadObject(std::string_view bucket, std::string_view key);
  // OK also when the key was not there.
  Status DeleteObject(std::string_view bucket, std::string_view key);
  // One page of keys under `prefix`, at most `max_keys` (1-1000).
  Result<ListPage> ListObjects(std::string_view bucket, std::string_view prefix,
                               std::string_view continuation_token, uint32_t max_keys = 1000);

  // Multipart upload. Returns the upload id.
  Result<std::string> CreateMultipartUpload(std::string_view bucket, std::string_view key);
  // Returns the part's ETag (as the service gave it, quotes kept, for Complete).
  Result<std::string> UploadPart(std::string_view bucket, std::string_view key,
                                 std::string_view upload_id, uint32_t part_number, const Body& body,
                                 std::string_view content_md5 = {});
  // `etags[i]` is part i+1's. Checks the answer's body too (S3 may answer 200 with an error).
  Status CompleteMultipartUpload(std::string_view bucket, std::string_view key,
                                 std::string_view upload_id, const std::vector<std::string>& etags);
  // OK also when the upload is gone.
  Status AbortMultipartUpload(std::string_view bucket, std::string_view key,
                              std::string_view upload_id);
  // Uploads in progress whose key starts with `prefix` (the first 1000).
  Result<std::vector<ListedUpload>> ListMultipartUploads(std::string_view bucket,
                                                         std::string_view prefix);

  const S3ClientStats& stats() const { return stats_; }
  const S3ClientOptions& options() const { return options_; }

 private:
  struct Endpoint;
  S3Client(S3ClientOptions options, std::unique_ptr<httpc::HttpClient> http,
           std::unique_ptr<Endpoint> endpoint);
  // A request for `bucket`/`key` (key may be empty) with `query` (decoded), signed now.
  httpc::Request Build(std::string_view method, std::string_view bucket, std::string_view key,
                       const std::vector<aws::QueryParam>& query, httpc::Headers headers,
                       const Body& body) const;
  // Sends with retries; `ok` says which statuses are answers (others are mapped to errors).
  Result<httpc::Response> Call(std::string_view method, std::string_view bucket,
                               std::string_view key, const std::vector<aws::QueryParam>& query,
                               httpc::Headers headers, const Body& body,
                               std::initializer_list<int> ok, size_t max_body = 1 << 20);
  // Sleeps before retry `attempt` (1-based).
  void Backoff(uint32_t attempt) const;

  const S3ClientOptions options_;
  const aws::SigV4Signer signer_;
  std::unique_ptr<httpc::HttpClient> http_;
  std::unique_ptr<Endpoint> endpoint_;
  mutable S3ClientStats stats_;
};

// Maps an S3 error answer (status and XML body) to a Status, as described above.
Status ErrorFromResponse(int status, std::string_view body, std::string_view what);
// True when an answer should be retried (5xx, 429, SlowDown, RequestTimeout...).
bool IsRetryable(int status, std::string_view body);
// The text of the first <tag>...</tag> in `xml`, entities decoded; nullopt when absent.
std::optional<std::string> XmlValue(std::string_view xml, std::string_view tag);
// Every <tag>...</tag> block's inner text, in order (not decoded).
std::vector<std::string_view> XmlBlocks(std::string_view xml, std::string_view tag);

}  // namespace maxiofs::s3client
