#include "access_log/bucket_log_recorder.h"

#include "encoding.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace maxiofs::s3 {
namespace {

std::optional<uint64_t> ParseNumber(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string_view HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return v;
    }
  }
  return {};
}

// The <Code> of an S3 error document, or "".
std::string ErrorCodeOf(const Response& r) {
  if (r.status < 300 || r.source) return {};
  const std::string_view body = r.body;
  size_t open = body.find("<Code>");
  if (open == std::string_view::npos) return {};
  open += 6;
  size_t close = body.find("</Code>", open);
  if (close == std::string_view::npos || close - open > 64) return {};
  return std::string(body.substr(open, close - open));
}

class WatchedBody final : public http::RequestBody {
 public:
  WatchedBody(BucketLogRecorder& recorder, std::unique_ptr<http::RequestBody> inner,
              std::string request_id)
      : recorder_(recorder), inner_(std::move(inner)), request_id_(std::move(request_id)) {}
  std::optional<Response> Feed(std::string_view raw) override {
    auto r = inner_->Feed(raw);
    if (r) recorder_.Answered(request_id_, *r);
    return r;
  }
  Response Finish() override {
    Response r = inner_->Finish();
    recorder_.Answered(request_id_, r);
    return r;
  }

 private:
  BucketLogRecorder& recorder_;
  std::unique_ptr<http::RequestBody> inner_;
  std::string request_id_;
};

}  // namespace

void BucketLogRecorder::Begin(const HttpRequest& request, const Route& route,
                              const RequestFacts& facts, std::string_view log_target,
                              std::chrono::system_clock::time_point now) {
  if (route.bucket.empty() || !engine_.IsBucketLogged(route.bucket)) return;
  ServerAccessLogEntry e;
  e.bucket_owner = std::string(engine::kCanonicalUserId);
  e.bucket = route.bucket;
  e.time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  std::string_view remote = request.remote;
  if (size_t colon = remote.rfind(':'); colon != std::string_view::npos) {
    remote = remote.substr(0, colon);
  }
  if (remote.size() > 2 && remote.front() == '[' && remote.back() == ']') {
    remote = remote.substr(1, remote.size() - 2);
  }
  e.remote_ip = std::string(remote);
  e.requester = facts.requester;
  e.request_id = request.request_id;
  e.operation = AwsLogOperation(route.op, request.method);
  e.key = route.key;
  e.request_uri = request.method + " " + std::string(log_target) + " HTTP/1.1";
  e.referer = std::string(request.Header("referer").value_or(""));
  e.user_agent = std::string(request.Header("user-agent").value_or(""));
  e.host_id = Base64Encode("maxiofs/" + request.request_id);
  switch (facts.scheme) {
    case AuthScheme::kAnonymous:
      break;
    case AuthScheme::kSigV4Header:
      e.signature_version = "SigV4";
      e.auth_type = "AuthHeader";
      break;
    case AuthScheme::kSigV4Query:
      e.signature_version = "SigV4";
      e.auth_type = "QueryString";
      break;
    case AuthScheme::kSigV2Header:
      e.signature_version = "SigV2";
      e.auth_type = "AuthHeader";
      break;
    case AuthScheme::kSigV2Query:
      e.signature_version = "SigV2";
      e.auth_type = "QueryString";
      break;
  }
  e.host_header = std::string(request.Header("host").value_or(""));
  if (route.op == S3Op::kPutObject || route.op == S3Op::kUploadPart) {
    auto decoded = request.Header("x-amz-decoded-content-length");
    if (decoded) {
      e.object_size = ParseNumber(*decoded);
    } else if (request.content_length) {
      e.object_size = *request.content_length;
    }
  }
  std::lock_guard<std::mutex> l(mu_);
  if (pending_.size() >= kMaxPending && !pending_.contains(request.request_id)) return;
  pending_[request.request_id] = std::move(e);
  pending_count_.store(pending_.size(), std::memory_order_relaxed);
}

void BucketLogRecorder::Answered(std::string_view request_id, const Response& response) {
  if (pending_count_.load(std::memory_order_relaxed) == 0) return;
  std::string code = ErrorCodeOf(response);
  std::string_view version = HeaderOf(response, "x-amz-version-id");
  std::optional<uint64_t> size;
  if (response.status < 300) {
    std::string_view range = HeaderOf(response, "content-range");
    if (size_t slash = range.rfind('/'); slash != std::string_view::npos) {
      size = ParseNumber(range.substr(slash + 1));
    } else if (std::string_view len = HeaderOf(response, "content-length"); !len.empty()) {
      size = ParseNumber(len);
    } else if (response.content_length) {
      size = *response.content_length;
    }
  }
  std::lock_guard<std::mutex> l(mu_);
  auto it = pending_.find(std::string(request_id));
  if (it == pending_.end()) return;
  ServerAccessLogEntry& e = it->second;
  e.http_status = response.status;
  e.error_code = std::move(code);
  e.version_id = std::string(version);
  const bool reads = e.operation == "REST.GET.OBJECT" || e.operation == "REST.HEAD.OBJECT";
  if (reads && size) e.object_size = size;
}

void BucketLogRecorder::Complete(const http::RequestRecord& record) {
  if (pending_count_.load(std::memory_order_relaxed) == 0) return;
  ServerAccessLogEntry e;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = pending_.find(std::string(record.request_id));
    if (it == pending_.end()) return;
    e = std::move(it->second);
    pending_.erase(it);
    pending_count_.store(pending_.size(), std::memory_order_relaxed);
  }
  if (record.status != 0) e.http_status = record.status;
  if (e.http_status == 0) return;  // no answer was sent (client gone): nothing to log
  e.bytes_sent = record.bytes_out;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(record.latency).count();
  e.total_time_ms = static_cast<uint64_t>(ms);
  const int64_t time_ns = e.time_ns;
  std::string bucket = e.bucket;
  engine_.AppendAccessLog(bucket, time_ns, FormatServerAccessLogRecord(e));
}

std::unique_ptr<http::RequestBody> BucketLogRecorder::Watch(std::unique_ptr<http::RequestBody> body,
                                                            std::string request_id) {
  return std::make_unique<WatchedBody>(*this, std::move(body), std::move(request_id));
}

}  // namespace maxiofs::s3
