#include "maxiofs/backends/azure_blob_store.h"

#include "../remote/spool_writer.h"

#include "maxiofs/aws/crypto.h"
#include "maxiofs/aws/uri_encoding.h"
#include "maxiofs/common/base64.h"
#include "maxiofs/s3client/s3_client.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace maxiofs::backends {
namespace {

constexpr std::string_view kVersion = "2021-08-06";

std::string HttpDate() {
  const time_t t = std::time(nullptr);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

std::optional<uint64_t> ParseU64(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

uint64_t RandomBelow(uint64_t n) {
  uint64_t r = 0;
  if (::getrandom(&r, sizeof(r), 0) != sizeof(r)) r = static_cast<uint64_t>(std::time(nullptr));
  return n == 0 ? 0 : r % n;
}

// Azure's error answers: <Error><Code>...</Code><Message>...</Message></Error>.
Status AzureError(int status, std::string_view body, std::string_view what) {
  const std::string code = s3client::XmlValue(body, "Code").value_or("");
  const std::string msg = s3client::XmlValue(body, "Message").value_or("");
  std::string text = std::string(what) + ": HTTP " + std::to_string(status);
  if (!code.empty()) text += " " + code;
  if (!msg.empty()) text += " (" + msg.substr(0, msg.find('\n')) + ")";
  if (status == 503 || status == 429 || code == "ServerBusy") {
    return Status::Unavailable(text).WithSubCode(Status::SubCode::kThrottled);
  }
  if (status >= 500 || code == "OperationTimedOut") return Status::Unavailable(text);
  if (code == "ContainerNotFound") return Status::NotFound(text + ": the container does not exist");
  if (status == 404) return Status::NotFound(text);
  if (status == 403 || status == 401) return Status::AccessDenied(text);
  return Status::IOError(text);
}

bool Retryable(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

class AzureStream final : public s3client::ObjectStream {
 public:
  AzureStream(std::unique_ptr<httpc::ResponseStream> s, uint64_t size)
      : s_(std::move(s)), size_(size) {}
  uint64_t object_size() const override { return size_; }
  Result<size_t> Read(std::span<char> out) override { return s_->Read(out); }

 private:
  std::unique_ptr<httpc::ResponseStream> s_;
  uint64_t size_;
};

struct Shared {
  AzureBlobStoreOptions o;
  std::unique_ptr<httpc::HttpClient> http;
  std::string scheme_host;  // "https://acct.blob.core.windows.net"
  std::string base_path;    // "" or "/devstoreaccount1" (emulator-style)
  std::string key;          // decoded account key
  std::atomic<uint64_t> requests{0}, errors{0}, retries{0}, sent{0}, received{0}, latency_us{0};

  std::string Name(std::string_view id) const { return o.prefix + std::string(id); }

  // Builds and signs a request for `blob` ("" = the container) with `query` (decoded).
  httpc::Request Build(std::string_view method, std::string_view blob,
                       const std::vector<std::pair<std::string, std::string>>& query,
                       httpc::Headers headers, const httpc::RequestBody& body) const {
    std::string path = base_path + "/" + aws::UriEncode(o.container, true);
    if (!blob.empty()) path += "/" + aws::UriEncode(blob, false);
    std::string qs;
    for (const auto& [n, v] : query) {
      qs += qs.empty() ? "?" : "&";
      qs += aws::UriEncode(n, true) + "=" + aws::UriEncode(v, true);
    }
    headers.emplace_back("x-ms-date", HttpDate());
    headers.emplace_back("x-ms-version", std::string(kVersion));
    if (!o.sas_token.empty()) {
      qs += (qs.empty() ? "?" : "&") + o.sas_token;
    } else {
      httpc::Headers signed_headers = headers;
      if (body.size() > 0)
        signed_headers.emplace_back("content-length", std::to_string(body.size()));
      std::string resource = "/" + o.account + path;
      std::map<std::string, std::string> q;
      for (const auto& [n, v] : query) {
        std::string lower = n;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        q[lower] = q.count(lower) ? q[lower] + "," + v : v;
      }
      for (const auto& [n, v] : q) resource += "\n" + n + ":" + v;
      const std::string sig =
          Base64Encode(aws::HmacSha256(key, AzureStringToSign(method, signed_headers, resource)));
      headers.emplace_back("authorization", "SharedKey " + o.account + ":" + sig);
    }
    httpc::Request r;
    r.method = std::string(method);
    r.url = scheme_host + path + qs;
    r.headers = std::move(headers);
    r.body = body;
    return r;
  }

  void Backoff(uint32_t attempt) const {
    const uint64_t cap =
        std::min<uint64_t>(o.retry_max_ms, uint64_t{o.retry_base_ms} << std::min(attempt, 16u));
    std::this_thread::sleep_for(std::chrono::milliseconds(RandomBelow(cap + 1)));
  }

  // Sends with retries; `ok` statuses are answers, others errors.
  Result<httpc::Response> Call(std::string_view method, std::string_view blob,
                               const std::vector<std::pair<std::string, std::string>>& query,
                               const httpc::Headers& headers, const httpc::RequestBody& body,
                               std::initializer_list<int> ok, size_t max_body = 16 << 20) {
    const std::string what = std::string(method) + " " + o.container + "/" + std::string(blob);
    Status last;
    for (uint32_t attempt = 0; attempt < o.max_attempts; ++attempt) {
      if (attempt > 0) {
        ++retries;
        Backoff(attempt);
      }
      ++requests;
      const auto t0 = std::chrono::steady_clock::now();
      auto r = http->Send(Build(method, blob, query, headers, body), max_body);
      latency_us += static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::steady_clock::now() - t0)
                                              .count());
      if (!r.has_value()) {
        last = r.error();
        if (r.error().code() != Status::Code::kUnavailable) break;
        continue;
      }
      sent += body.size();
      received += r->body.size();
      if (std::find(ok.begin(), ok.end(), r->status) != ok.end()) return std::move(r).value();
      last = AzureError(r->status, r->body, what);
      if (!Retryable(r->status)) break;
    }
    ++errors;
    return last;
  }

  Result<std::unique_ptr<s3client::ObjectStream>> Get(const std::string& blob, uint64_t offset,
                                                      std::optional<uint64_t> length) {
    const std::string what = "GET " + o.container + "/" + blob;
    httpc::Headers h;
    const uint64_t len = length.value_or(0);  // 0: to the end
    if (offset > 0 || len > 0) {
      std::string range = "bytes=" + std::to_string(offset) + "-";
      if (len > 0) range += std::to_string(offset + len - 1);
      h.emplace_back("x-ms-range", range);
    }
    Status last;
    for (uint32_t attempt = 0; attempt < o.max_attempts; ++attempt) {
      if (attempt > 0) {
        ++retries;
        Backoff(attempt);
      }
      ++requests;
      const auto t0 = std::chrono::steady_clock::now();
      auto s = http->Open(Build("GET", blob, {}, h, {}));
      latency_us += static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::steady_clock::now() - t0)
                                              .count());
      if (!s.has_value()) {
        last = s.error();
        if (s.error().code() != Status::Code::kUnavailable) break;
        continue;
      }
      const int status = (*s)->status();
      if (status == 200 || status == 206) {
        const std::string_view cr = httpc::FindHeader((*s)->headers(), "content-range");
        const size_t slash = cr.rfind('/');
        uint64_t size = 0;
        if (status == 206 && slash != std::string_view::npos) {
          size = ParseU64(cr.substr(slash + 1)).value_or(0);
        } else {
          size = ParseU64(httpc::FindHeader((*s)->headers(), "content-length")).value_or(0);
        }
        return std::unique_ptr<s3client::ObjectStream>(
            std::make_unique<AzureStream>(std::move(s).value(), size));
      }
      if (status == 416 && offset == 0) {
        h.clear();  // an empty blob has no byte 0
        continue;
      }
      std::string body;
      char buf[4096];
      for (;;) {
        auto n = (*s)->Read(buf);
        if (!n.has_value() || *n == 0 || body.size() > 65536) break;
        body.append(buf, *n);
      }
      last = AzureError(status, body, what);
      if (!Retryable(status)) break;
    }
    ++errors;
    return last;
  }

  Status Upload(const BlobId& id, const remote::Spool& spool) {
    const std::string name = Name(id);
    if (spool.size <= spool.part_size) {
      httpc::RequestBody body;
      body.fd = spool.fd;
      body.length = spool.size;
      return Call("PUT", name, {},
                  {{"x-ms-blob-type", "BlockBlob"}, {"content-md5", spool.part_md5s.front()}}, body,
                  {201})
          .status();
    }
    const uint32_t blocks =
        static_cast<uint32_t>((spool.size + spool.part_size - 1) / spool.part_size);
    std::vector<std::string> ids(blocks);
    for (uint32_t i = 0; i < blocks; ++i) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "blk-%06u", i);
      ids[i] = Base64Encode(buf);  // every block id of a blob has the same length
    }
    std::atomic<uint32_t> next{0};
    std::mutex mu;  // guards first_error
    Status first_error;
    auto work = [&] {
      for (;;) {
        const uint32_t i = next.fetch_add(1);
        if (i >= blocks) return;
        {
          std::lock_guard<std::mutex> l(mu);
          if (!first_error.ok()) return;
        }
        httpc::RequestBody body;
        body.fd = spool.fd;
        body.offset = uint64_t{i} * spool.part_size;
        body.length = std::min<uint64_t>(spool.part_size, spool.size - body.offset);
        Status s = Call("PUT", name, {{"comp", "block"}, {"blockid", ids[i]}},
                        {{"content-md5", spool.part_md5s[i]}}, body, {201})
                       .status();
        if (!s.ok()) {
          std::lock_guard<std::mutex> l(mu);
          if (first_error.ok()) first_error = s;
          return;
        }
      }
    };
    const uint32_t threads = std::max<uint32_t>(1, std::min(o.parallel_blocks, blocks));
    std::vector<std::thread> pool;
    for (uint32_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    // Blocks never committed are dropped by the service after a week.
    MAXIOFS_RETURN_IF_ERROR(first_error);
    std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
    for (const std::string& b : ids) xml += "<Latest>" + b + "</Latest>";
    xml += "</BlockList>";
    httpc::RequestBody body;
    body.bytes = xml;
    return Call("PUT", name, {{"comp", "blocklist"}}, {{"content-type", "application/xml"}}, body,
                {201})
        .status();
  }

  Result<std::pair<std::vector<std::string>, std::string>> List(const std::string& marker,
                                                                uint32_t max) {
    std::vector<std::pair<std::string, std::string>> q = {
        {"restype", "container"}, {"comp", "list"}, {"maxresults", std::to_string(max)}};
    if (!o.prefix.empty()) q.emplace_back("prefix", o.prefix);
    if (!marker.empty()) q.emplace_back("marker", marker);
    MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r, Call("GET", "", q, {}, {}, {200}));
    std::vector<std::string> names;
    for (std::string_view b : s3client::XmlBlocks(r.body, "Blob")) {
      names.push_back(s3client::XmlValue(b, "Name").value_or(""));
    }
    return std::make_pair(std::move(names), s3client::XmlValue(r.body, "NextMarker").value_or(""));
  }
};

class AzureBlobStore final : public BlobStore {
 public:
  explicit AzureBlobStore(std::shared_ptr<Shared> sh) : sh_(std::move(sh)) {}

  remote::UploadFn Upload() const {
    return [sh = sh_](const BlobId& id, const remote::Spool& s) { return sh->Upload(id, s); };
  }

  Result<std::unique_ptr<BlobWriter>> Create() override {
    return remote::CreateRemoteWriter(sh_->o.spool_dir, sh_->o.block_size, Upload());
  }
  Result<std::unique_ptr<BlobWriter>> Adopt(int fd, uint64_t size) override {
    return remote::AdoptRemoteWriter(fd, size, sh_->o.block_size, Upload());
  }
  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    return OpenRange(id, 0, 0);
  }
  Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view id, uint64_t offset,
                                                uint64_t length) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    std::string name = sh_->Name(id);
    remote::OpenStreamFn open = [sh = sh_, name](uint64_t off, std::optional<uint64_t> len) {
      return sh->Get(name, off, len);
    };
    return remote::OpenStreamReader(name, std::move(open), offset, length);
  }
  Status Delete(std::string_view id) override {
    if (!IsValidBlobId(id)) return Status::NotFound("invalid blob id");
    auto r = sh_->Call("DELETE", sh_->Name(id), {}, {}, {}, {202});
    if (!r.has_value() && r.error().code() == Status::Code::kNotFound &&
        r.error().message().find("ContainerNotFound") == std::string::npos) {
      return Status::NotFound(r.error().message());
    }
    return r.status();
  }
  Status ForEach(const std::function<void(const BlobId&)>& fn) override {
    std::string marker;
    do {
      MAXIOFS_ASSIGN_OR_RETURN(auto page, sh_->List(marker, 5000));
      for (const std::string& n : page.first) {
        std::string_view id = n;
        id.remove_prefix(std::min(id.size(), sh_->o.prefix.size()));
        if (IsValidBlobId(id)) fn(BlobId(id));
      }
      marker = page.second;
    } while (!marker.empty());
    return Status::OK();
  }
  Result<uint64_t> RemoveUnfinished() override {
    return remote::RemoveSpoolFiles(sh_->o.spool_dir);
  }
  Result<SpaceInfo> Space() override { return SpaceInfo{0, 0}; }
  Status Ping() override { return sh_->List("", 1).status(); }
  std::string_view kind() const override { return "azure"; }
  BlobStoreCounters counters() const override {
    BlobStoreCounters c;
    c.requests = sh_->requests;
    c.errors = sh_->errors;
    c.retries = sh_->retries;
    c.bytes_sent = sh_->sent;
    c.bytes_received = sh_->received;
    c.latency_us = sh_->latency_us;
    return c;
  }

 private:
  std::shared_ptr<Shared> sh_;
};

}  // namespace

std::string AzureStringToSign(std::string_view method, const httpc::Headers& headers,
                              std::string_view canonical_resource) {
  auto h = [&](std::string_view name) { return std::string(httpc::FindHeader(headers, name)); };
  std::string length = h("content-length");
  if (length == "0") length.clear();  // versions 2015-02-21 and later
  std::string out = std::string(method) + "\n" + h("content-encoding") + "\n" +
                    h("content-language") + "\n" + length + "\n" + h("content-md5") + "\n" +
                    h("content-type") + "\n" + h("date") + "\n" + h("if-modified-since") + "\n" +
                    h("if-match") + "\n" + h("if-none-match") + "\n" + h("if-unmodified-since") +
                    "\n" + h("range") + "\n";
  std::map<std::string, std::string> ms;
  for (const auto& [n, v] : headers) {
    if (n.starts_with("x-ms-")) ms[n] = v;
  }
  for (const auto& [n, v] : ms) out += n + ":" + v + "\n";
  out += canonical_resource;
  return out;
}

namespace {

Result<std::shared_ptr<Shared>> MakeShared(const AzureBlobStoreOptions& options) {
  if (options.account.empty()) return Status::InvalidArgument("the account must be set");
  if (options.container.empty()) return Status::InvalidArgument("the container must be set");
  if (options.spool_dir.empty()) return Status::InvalidArgument("the spool dir must be set");
  if (options.key.empty() == options.sas_token.empty()) {
    return Status::InvalidArgument("set exactly one of the account key and a SAS token");
  }
  if (options.block_size < (1ull << 20) || options.block_size > (4000ull << 20)) {
    return Status::InvalidArgument("block size must be 1 MiB - 4000 MiB");
  }
  auto sh = std::make_shared<Shared>();
  sh->o = options;
  if (!options.key.empty()) {
    auto key = Base64Decode(options.key);
    if (!key) return Status::InvalidArgument("the account key is not base64");
    sh->key = std::move(*key);
  }
  std::string ep = options.endpoint.empty()
                       ? "https://" + options.account + ".blob.core.windows.net"
                       : options.endpoint;
  while (ep.ends_with('/')) ep.pop_back();
  const size_t scheme = ep.find("://");
  if (scheme == std::string::npos || (!ep.starts_with("http://") && !ep.starts_with("https://"))) {
    return Status::InvalidArgument("endpoint must be http(s)://host[:port][/account]");
  }
  const size_t path = ep.find('/', scheme + 3);
  sh->scheme_host = ep.substr(0, path);
  sh->base_path = path == std::string::npos ? "" : ep.substr(path);
  if (::mkdir(options.spool_dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Status::IOError("mkdir " + options.spool_dir + ": " + std::strerror(errno));
  }
  MAXIOFS_ASSIGN_OR_RETURN(sh->http, httpc::HttpClient::Make(options.http));
  return sh;
}

}  // namespace

Result<std::unique_ptr<BlobStore>> OpenAzureBlobStore(const AzureBlobStoreOptions& options) {
  MAXIOFS_ASSIGN_OR_RETURN(auto sh, MakeShared(options));
  MAXIOFS_RETURN_IF_ERROR(sh->List("", 1).status());
  return std::unique_ptr<BlobStore>(std::make_unique<AzureBlobStore>(sh));
}

Status CreateAzureContainer(const AzureBlobStoreOptions& options) {
  MAXIOFS_ASSIGN_OR_RETURN(auto sh, MakeShared(options));
  return sh->Call("PUT", "", {{"restype", "container"}}, {}, {}, {201, 409}).status();
}

}  // namespace maxiofs::backends
