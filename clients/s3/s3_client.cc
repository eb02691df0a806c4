#include "maxiofs/s3client/s3_client.h"

#include "maxiofs/aws/uri_encoding.h"

#include <sys/random.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <thread>

namespace maxiofs::s3client {

struct S3Client::Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // host[:port] as given
};

namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t RandomBelow(uint64_t n) {
  uint64_t r = 0;
  if (::getrandom(&r, sizeof(r), 0) != sizeof(r)) r = static_cast<uint64_t>(NowSeconds());
  return n == 0 ? 0 : r % n;
}

std::optional<uint64_t> ParseU64(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string Unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

class S3ObjectStream final : public ObjectStream {
 public:
  S3ObjectStream(std::unique_ptr<httpc::ResponseStream> s, uint64_t object_size,
                 S3ClientStats& stats)
      : s_(std::move(s)), object_size_(object_size), stats_(stats) {}
  uint64_t object_size() const override { return object_size_; }
  Result<size_t> Read(std::span<char> out) override {
    auto n = s_->Read(out);
    if (n.has_value()) stats_.bytes_received += *n;
    return n;
  }

 private:
  std::unique_ptr<httpc::ResponseStream> s_;
  const uint64_t object_size_;
  S3ClientStats& stats_;
};

}  // namespace

Result<std::unique_ptr<S3Client>> S3Client::Make(const S3ClientOptions& options) {
  auto ep = std::make_unique<Endpoint>();
  std::string_view e = options.endpoint;
  while (e.ends_with('/')) e.remove_suffix(1);
  if (e.starts_with("http://")) {
    ep->scheme = "http";
    e.remove_prefix(7);
  } else if (e.starts_with("https://")) {
    ep->scheme = "https";
    e.remove_prefix(8);
  } else {
    return Status::InvalidArgument("endpoint must start with http:// or https://: " +
                                   options.endpoint);
  }
  if (e.empty() || e.find_first_of("/?# @") != std::string_view::npos) {
    return Status::InvalidArgument("endpoint must be http(s)://host[:port] without a path: " +
                                   options.endpoint);
  }
  ep->host = std::string(e);
  if (options.max_attempts == 0) return Status::InvalidArgument("max_attempts must be >= 1");
  MAXIOFS_ASSIGN_OR_RETURN(auto http, httpc::HttpClient::Make(options.http));
  return std::unique_ptr<S3Client>(new S3Client(options, std::move(http), std::move(ep)));
}

S3Client::S3Client(S3ClientOptions options, std::unique_ptr<httpc::HttpClient> http,
                   std::unique_ptr<Endpoint> endpoint)
    : options_(std::move(options)),
      signer_(options_.credentials, options_.region),
      http_(std::move(http)),
      endpoint_(std::move(endpoint)) {}

S3Client::~S3Client() = default;

httpc::Request S3Client::Build(std::string_view method, std::string_view bucket,
                               std::string_view key, const std::vector<aws::QueryParam>& query,
                               httpc::Headers headers, const Body& body) const {
  std::string host = endpoint_->host;
  std::string path;
  if (options_.path_style) {
    path = "/" + aws::UriEncode(bucket, true);
    if (!key.empty()) path += "/" + aws::UriEncode(key, false);
  } else {
    host = std::string(bucket) + "." + host;
    path = "/" + aws::UriEncode(key, false);
  }
  std::string qs;
  for (const auto& p : query) {
    qs += qs.empty() ? "?" : "&";
    qs += aws::UriEncode(p.name, true);
    if (p.has_value) qs += "=" + aws::UriEncode(p.value, true);
  }
  aws::RequestToSign s;
  s.method = method;
  s.encoded_path = path;
  s.query = query;
  s.headers = std::move(headers);
  s.headers.emplace_back("host", host);
  if (body.size() > 0 || method == "PUT" || method == "POST") {
    s.headers.emplace_back("content-length", std::to_string(body.size()));
  }
  signer_.Sign(s, NowSeconds());
  httpc::Request r;
  r.method = std::string(method);
  r.url = endpoint_->scheme + "://" + host + path + qs;
  r.headers = std::move(s.headers);
  // libcurl writes Content-Length itself (from the body's size).
  std::erase_if(r.headers, [](const auto& h) { return h.first == "content-length"; });
  r.body = body;
  return r;
}

void S3Client::Backoff(uint32_t attempt) const {
  const uint64_t cap = std::min<uint64_t>(
      options_.retry_max_ms, uint64_t{options_.retry_base_ms} << std::min<uint32_t>(attempt, 16));
  std::this_thread::sleep_for(std::chrono::milliseconds(RandomBelow(cap + 1)));
}

Result<httpc::Response> S3Client::Call(std::string_view method, std::string_view bucket,
                                       std::string_view key,
                                       const std::vector<aws::QueryParam>& query,
                                       httpc::Headers headers, const Body& body,
                                       std::initializer_list<int> ok, size_t max_body) {
  const std::string what = std::string(method) + " " + std::string(bucket) + "/" + std::string(key);
  Status last;
  for (uint32_t attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      ++stats_.retries;
      Backoff(attempt);
    }
    ++stats_.requests;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = http_->Send(Build(method, bucket, key, query, headers, body), max_body);
    stats_.latency_us += static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count());
    if (!r.has_value()) {
      last = r.error();
      if (r.error().code() != Status::Code::kUnavailable) break;  // not a transport failure
      continue;
    }
    stats_.bytes_sent += body.size();
    stats_.bytes_received += r->body.size();
    if (std::find(ok.begin(), ok.end(), r->status) != ok.end()) return std::move(r).value();
    last = ErrorFromResponse(r->status, r->body, what);
    if (!IsRetryable(r->status, r->body)) break;
  }
  ++stats_.errors;
  return last;
}

Status S3Client::CheckBucket(std::string_view bucket) {
  return ListObjects(bucket, "", "", 1).status();
}

Result<std::string> S3Client::PutObject(std::string_view bucket, std::string_view key,
                                        const Body& body, std::string_view content_md5) {
  httpc::Headers h;
  if (!content_md5.empty()) h.emplace_back("content-md5", std::string(content_md5));
  MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r, Call("PUT", bucket, key, {}, h, body, {200}));
  return Unquote(httpc::FindHeader(r.headers, "etag"));
}

Result<std::unique_ptr<ObjectStream>> S3Client::GetObject(std::string_view bucket,
                                                          std::string_view key, uint64_t offset,
                                                          std::optional<uint64_t> length) {
  const std::string what = "GET " + std::string(bucket) + "/" + std::string(key);
  httpc::Headers h;
  const uint64_t len = length.value_or(0);  // 0: to the end (an empty range is not expressible)
  if (offset > 0 || len > 0) {
    std::string range = "bytes=" + std::to_string(offset) + "-";
    if (len > 0) range += std::to_string(offset + len - 1);
    h.emplace_back("range", range);
  }
  Status last;
  for (uint32_t attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      ++stats_.retries;
      Backoff(attempt);
    }
    ++stats_.requests;
    const auto t0 = std::chrono::steady_clock::now();
    auto s = http_->Open(Build("GET", bucket, key, {}, h, {}));
    stats_.latency_us += static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count());
    if (!s.has_value()) {
      last = s.error();
      if (s.error().code() != Status::Code::kUnavailable) break;
      continue;
    }
    const int status = (*s)->status();
    if (status == 200 || status == 206) {
      uint64_t size = 0;
      const std::string_view cr = httpc::FindHeader((*s)->headers(), "content-range");
      const size_t slash = cr.rfind('/');
      if (status == 206 && slash != std::string_view::npos) {
        size = ParseU64(cr.substr(slash + 1)).value_or(0);
      } else {
        size = ParseU64(httpc::FindHeader((*s)->headers(), "content-length")).value_or(0);
        if (offset > 0) {
          last = Status::IOError(what + ": the service ignored the Range header");
          break;
        }
      }
      return std::unique_ptr<ObjectStream>(
          std::make_unique<S3ObjectStream>(std::move(s).value(), size, stats_));
    }
    if (status == 416 && offset == 0) {
      // An empty object has no byte 0: read it whole.
      h.clear();
      --attempt;  // not a failure of the service
      continue;
    }
    std::string body;
    char buf[4096];
    for (;;) {
      auto n = (*s)->Read(buf);
      if (!n.has_value() || *n == 0 || body.size() > 65536) break;
      body.append(buf, *n);
    }
    last = ErrorFromResponse(status, body, what);
    if (!IsRetryable(status, body)) break;
  }
  ++stats_.errors;
  return last;
}

Result<ObjectHead> S3Client::HeadObject(std::string_view bucket, std::string_view key) {
  MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r, Call("HEAD", bucket, key, {}, {}, {}, {200}));
  ObjectHead out;
  out.size = ParseU64(httpc::FindHeader(r.headers, "content-length")).value_or(0);
  out.etag = Unquote(httpc::FindHeader(r.headers, "etag"));
  return out;
}

Status S3Client::DeleteObject(std::string_view bucket, std::string_view key) {
  auto r = Call("DELETE", bucket, key, {}, {}, {}, {200, 204});
  if (!r.has_value() && r.error().code() == Status::Code::kNotFound &&
      r.error().message().find("NoSuchBucket") == std::string::npos) {
    return Status::OK();
  }
  return r.status();
}

Result<ListPage> S3Client::ListObjects(std::string_view bucket, std::string_view prefix,
                                       std::string_view continuation_token, uint32_t max_keys) {
  std::vector<aws::QueryParam> q = {{"list-type", "2", true},
                                    {"max-keys", std::to_string(max_keys), true},
                                    {"prefix", std::string(prefix), true}};
  if (!continuation_token.empty()) {
    q.push_back({"continuation-token", std::string(continuation_token), true});
  }
  MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r, Call("GET", bucket, "", q, {}, {}, {200}, 16 << 20));
  ListPage page;
  for (std::string_view c : XmlBlocks(r.body, "Contents")) {
    ListedObject o;
    o.key = XmlValue(c, "Key").value_or("");
    o.size = ParseU64(XmlValue(c, "Size").value_or("")).value_or(0);
    page.objects.push_back(std::move(o));
  }
  if (XmlValue(r.body, "IsTruncated").value_or("false") == "true") {
    page.next_token = XmlValue(r.body, "NextContinuationToken").value_or("");
  }
  return page;
}

Result<std::string> S3Client::CreateMultipartUpload(std::string_view bucket, std::string_view key) {
  MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r,
                           Call("POST", bucket, key, {{"uploads", "", false}}, {}, {}, {200}));
  auto id = XmlValue(r.body, "UploadId");
  if (!id || id->empty()) {
    return Status::IOError("POST " + std::string(key) + "?uploads: no UploadId in the answer");
  }
  return *id;
}

Result<std::string> S3Client::UploadPart(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id, uint32_t part_number,
                                         const Body& body, std::string_view content_md5) {
  httpc::Headers h;
  if (!content_md5.empty()) h.emplace_back("content-md5", std::string(content_md5));
  MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r,
                           Call("PUT", bucket, key,
                                {{"partNumber", std::to_string(part_number), true},
                                 {"uploadId", std::string(upload_id), true}},
                                h, body, {200}));
  std::string etag(httpc::FindHeader(r.headers, "etag"));
  if (etag.empty()) return Status::IOError("UploadPart: no ETag in the answer");
  return etag;
}

Status S3Client::CompleteMultipartUpload(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id,
                                         const std::vector<std::string>& etags) {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    std::string etag = etags[i];
    if (etag.empty() || etag.front() != '"') etag = "\"" + etag + "\"";
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etag +
           "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  Body body;
  body.bytes = xml;
  MAXIOFS_ASSIGN_OR_RETURN(httpc::Response r,
                           Call("POST", bucket, key, {{"uploadId", std::string(upload_id), true}},
                                {{"content-type", "application/xml"}}, body, {200}));
  // S3 may answer 200 and put the error in the body.
  if (XmlValue(r.body, "Code")) {
    Status s = ErrorFromResponse(500, r.body, "CompleteMultipartUpload " + std::string(key));
    if (s.code() == Status::Code::kUnavailable) {
      // A failure the service asks us to retry: once more (a completed upload answers
      // NoSuchUpload to a repeat, which then means it is done).
      auto again = Call("POST", bucket, key, {{"uploadId", std::string(upload_id), true}},
                        {{"content-type", "application/xml"}}, body, {200});
      if (again.has_value() && !XmlValue(again->body, "Code")) return Status::OK();
    }
    return s;
  }
  return Status::OK();
}

Status S3Client::AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id) {
  auto r =
      Call("DELETE", bucket, key, {{"uploadId", std::string(upload_id), true}}, {}, {}, {200, 204});
  if (!r.has_value() && r.error().code() == Status::Code::kNotFound) return Status::OK();
  return r.status();
}

Result<std::vector<ListedUpload>> S3Client::ListMultipartUploads(std::string_view bucket,
                                                                 std::string_view prefix) {
  MAXIOFS_ASSIGN_OR_RETURN(
      httpc::Response r,
      Call("GET", bucket, "", {{"uploads", "", false}, {"prefix", std::string(prefix), true}}, {},
           {}, {200}, 16 << 20));
  std::vector<ListedUpload> out;
  for (std::string_view u : XmlBlocks(r.body, "Upload")) {
    out.push_back({XmlValue(u, "Key").value_or(""), XmlValue(u, "UploadId").value_or("")});
  }
  return out;
}

}  // namespace maxiofs::s3client
