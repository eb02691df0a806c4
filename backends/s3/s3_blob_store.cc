#include "maxiofs/backends/s3_blob_store.h"

#include "../remote/spool_writer.h"

#include "maxiofs/common/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace maxiofs::backends {
namespace {

struct Shared {
  S3BlobStoreOptions o;
  std::unique_ptr<s3client::S3Client> client;
  std::string Key(std::string_view id) const { return o.prefix + std::string(id); }

  // One PUT, or a multipart upload with up to parallel_parts parts in flight.
  Status Upload(const BlobId& id, const remote::Spool& spool) const {
    const std::string key = Key(id);
    if (spool.size <= spool.part_size) {
      s3client::Body body;
      body.fd = spool.fd;
      body.length = spool.size;
      return client->PutObject(o.bucket, key, body, spool.part_md5s.front()).status();
    }
    MAXIOFS_ASSIGN_OR_RETURN(std::string upload, client->CreateMultipartUpload(o.bucket, key));
    const uint64_t part = spool.part_size;
    const uint32_t parts = static_cast<uint32_t>((spool.size + part - 1) / part);
    std::vector<std::string> etags(parts);
    std::atomic<uint32_t> next{0};
    std::mutex mu;  // guards first_error
    Status first_error;
    auto work = [&] {
      for (;;) {
        const uint32_t i = next.fetch_add(1);
        if (i >= parts) return;
        {
          std::lock_guard<std::mutex> l(mu);
          if (!first_error.ok()) return;
        }
        s3client::Body body;
        body.fd = spool.fd;
        body.offset = uint64_t{i} * part;
        body.length = std::min<uint64_t>(part, spool.size - body.offset);
        auto etag = client->UploadPart(o.bucket, key, upload, i + 1, body, spool.part_md5s[i]);
        if (!etag.has_value()) {
          std::lock_guard<std::mutex> l(mu);
          if (first_error.ok()) first_error = etag.error();
          return;
        }
        etags[i] = std::move(etag).value();
      }
    };
    const uint32_t threads = std::max<uint32_t>(1, std::min(o.parallel_parts, parts));
    std::vector<std::thread> pool;
    for (uint32_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    Status s = first_error;
    if (s.ok()) s = client->CompleteMultipartUpload(o.bucket, key, upload, etags);
    if (!s.ok()) {
      // Best effort; an upload left behind is aborted when the blob's intent is settled.
      client->AbortMultipartUpload(o.bucket, key, upload).IgnoreError();
    }
    return s;
  }
};

class S3BlobStore final : public BlobStore {
 public:
  explicit S3BlobStore(std::shared_ptr<Shared> sh, std::string kind)
      : sh_(std::move(sh)), kind_(std::move(kind)) {}

  remote::UploadFn UploadFn() const {
    return
        [sh = sh_](const BlobId& id, const remote::Spool& spool) { return sh->Upload(id, spool); };
  }

  Result<std::unique_ptr<BlobWriter>> Create() override {
    return remote::CreateRemoteWriter(sh_->o.spool_dir, sh_->o.part_size, UploadFn());
  }
  Result<std::unique_ptr<BlobWriter>> Adopt(int fd, uint64_t size) override {
    return remote::AdoptRemoteWriter(fd, size, sh_->o.part_size, UploadFn());
  }

  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    return OpenRange(id, 0, 0);
  }

  Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view id, uint64_t offset,
                                                uint64_t length) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    std::string key = sh_->Key(id);
    remote::OpenStreamFn open = [sh = sh_, key](uint64_t off, std::optional<uint64_t> len) {
      return sh->client->GetObject(sh->o.bucket, key, off, len);
    };
    return remote::OpenStreamReader(key, std::move(open), offset, length);
  }

  Status Delete(std::string_view id) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    return sh_->client->DeleteObject(sh_->o.bucket, sh_->Key(id));
  }

  Status Discard(std::string_view id) override {
    if (!IsValidBlobId(id)) return Status::OK();
    const std::string key = sh_->Key(id);
    auto listed = sh_->client->ListMultipartUploads(sh_->o.bucket, key);
    // A service that cannot list uploads (s3rver) leaves them to the bucket's lifecycle rule
    // (AbortIncompleteMultipartUpload; docs/storage-backends.md).
    if (!listed.has_value() && listed.error().code() != Status::Code::kNotImplemented) {
      return listed.error();
    }
    std::vector<s3client::ListedUpload> uploads;
    if (listed.has_value()) uploads = std::move(listed).value();
    for (const auto& u : uploads) {
      if (u.key != key) continue;
      MAXIOFS_RETURN_IF_ERROR(sh_->client->AbortMultipartUpload(sh_->o.bucket, key, u.upload_id));
    }
    return sh_->client->DeleteObject(sh_->o.bucket, key);
  }

  Status ForEach(const std::function<void(const BlobId&)>& fn) override {
    std::string token;
    do {
      MAXIOFS_ASSIGN_OR_RETURN(auto page,
                               sh_->client->ListObjects(sh_->o.bucket, sh_->o.prefix, token));
      for (const auto& o : page.objects) {
        std::string_view id = o.key;
        id.remove_prefix(std::min(id.size(), sh_->o.prefix.size()));
        if (IsValidBlobId(id)) fn(BlobId(id));
      }
      token = page.next_token;
    } while (!token.empty());
    return Status::OK();
  }

  Result<uint64_t> RemoveUnfinished() override {
    // Spooled blobs only; unfinished multipart uploads are aborted per blob intent (Discard),
    // never wholesale, so another writer's uploads under the same prefix are left alone.
    return remote::RemoveSpoolFiles(sh_->o.spool_dir);
  }

  Result<SpaceInfo> Space() override {
    // A remote service reports no capacity: unknown (zero).
    return SpaceInfo{0, 0};
  }

  Status Ping() override { return sh_->client->CheckBucket(sh_->o.bucket); }

  std::string_view kind() const override { return kind_; }

  BlobStoreCounters counters() const override {
    const auto& s = sh_->client->stats();
    BlobStoreCounters c;
    c.requests = s.requests;
    c.errors = s.errors;
    c.retries = s.retries;
    c.bytes_sent = s.bytes_sent;
    c.bytes_received = s.bytes_received;
    c.latency_us = s.latency_us;
    return c;
  }

 private:
  std::shared_ptr<Shared> sh_;
  const std::string kind_;
};

}  // namespace

void ApplyGcsProfile(S3BlobStoreOptions* o) {
  if (o->client.endpoint.empty()) o->client.endpoint = "https://storage.googleapis.com";
  if (o->client.region.empty() || o->client.region == "us-east-1") o->client.region = "auto";
  o->client.path_style = true;
  o->kind = "gcs";
}

Result<std::unique_ptr<BlobStore>> OpenS3BlobStore(const S3BlobStoreOptions& options) {
  if (options.bucket.empty()) return Status::InvalidArgument("the bucket must be set");
  if (options.spool_dir.empty()) return Status::InvalidArgument("the spool dir must be set");
  if (options.part_size < (5ull << 20) || options.part_size > (5ull << 30)) {
    return Status::InvalidArgument("part size must be 5 MiB - 5 GiB");
  }
  if (::mkdir(options.spool_dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Status::IOError("mkdir " + options.spool_dir + ": " + std::strerror(errno));
  }
  auto sh = std::make_shared<Shared>();
  sh->o = options;
  MAXIOFS_ASSIGN_OR_RETURN(sh->client, s3client::S3Client::Make(options.client));
  MAXIOFS_RETURN_IF_ERROR(sh->client->CheckBucket(options.bucket));
  return std::unique_ptr<BlobStore>(std::make_unique<S3BlobStore>(sh, options.kind));
}

}  // namespace maxiofs::backends
