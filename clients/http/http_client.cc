// libcurl behind HttpClient. Every exchange runs on a pooled (multi, easy) pair driven with
// curl_multi_perform/curl_multi_poll: the multi handle owns the connection cache, so a pair
// taken from the pool reuses its keep-alive connection, and a streamed body is pulled in
// pieces (the write callback pauses the transfer while ~1 MiB waits to be read).
#include "maxiofs/httpc/http_client.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

namespace maxiofs::httpc {

std::string_view FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

namespace {

constexpr size_t kStreamBuffer = 1 << 20;

// libcurl's global state, initialized once before any handle (curl_global_init is not
// thread-safe before 7.84; a function-local static is).
void GlobalInit() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One exchange's state; the callbacks' userdata.
struct Exchange {
  const RequestBody* body = nullptr;
  uint64_t sent = 0;
  int status = 0;
  Headers headers;
  bool head_done = false;
  std::string data;     // received body bytes not yet consumed
  size_t max_body = 0;  // Send: limit of `data`; 0 = streaming
  bool too_large = false;
  bool paused = false;      // streaming: the write callback paused the transfer
  bool read_error = false;  // the request body could not be read
};

size_t OnHeader(char* p, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string_view line(p, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue or a redirect)
    x->headers.clear();
    x->head_done = false;
    const size_t sp = line.find(' ');
    x->status =
        sp == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(sp + 1, 3)).c_str());
    return size * n;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) {
    if (x->status >= 200) x->head_done = true;
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    x->headers.emplace_back(Lower(line.substr(0, colon)), std::string(v));
  }
  return size * n;
}

size_t OnWrite(char* p, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const size_t len = size * n;
  if (x->max_body > 0) {
    if (x->data.size() + len > x->max_body) {
      x->too_large = true;
      return 0;  // aborts the transfer
    }
  } else if (x->data.size() >= kStreamBuffer) {
    x->paused = true;
    return CURL_WRITEFUNC_PAUSE;  // libcurl keeps these bytes and delivers them again
  }
  x->data.append(p, len);
  return len;
}

size_t OnRead(char* out, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const RequestBody& b = *x->body;
  const uint64_t left = b.size() - x->sent;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(left, size * n));
  if (want == 0) return 0;
  if (b.fd < 0) {
    std::memcpy(out, b.bytes.data() + x->sent, want);
    x->sent += want;
    return want;
  }
  for (;;) {
    ssize_t got = ::pread(b.fd, out, want, static_cast<off_t>(b.offset + x->sent));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      x->read_error = true;
      return CURL_READFUNC_ABORT;
    }
    x->sent += static_cast<uint64_t>(got);
    return static_cast<size_t>(got);
  }
}

// A multi handle with one easy handle; the multi's connection cache is what keeps connections
// alive between exchanges.
struct Conn {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  Conn() : multi(curl_multi_init()), easy(curl_easy_init()) {}
  ~Conn() {
    if (headers) curl_slist_free_all(headers);
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
};

class CurlClient;

// Runs one exchange on a Conn: set up, then pumped until a condition holds or it ends.
class Transfer {
 public:
  Transfer(CurlClient& client, std::unique_ptr<Conn> conn)
      : client_(client), conn_(std::move(conn)) {}
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  Status Start(const Request& req, const HttpClientOptions& o, bool whole, size_t max_body);
  // Drives the transfer until `ready()` or it ends. Unavailable when it failed.
  template <class Ready>
  Status PumpUntil(Ready ready);
  Exchange& x() { return x_; }
  bool done() const { return done_; }
  void Resume() {
    if (x_.paused) {
      x_.paused = false;
      curl_easy_pause(conn_->easy, CURLPAUSE_CONT);
    }
  }

 private:
  Status Failure(CURLcode code) const;

  CurlClient& client_;
  std::unique_ptr<Conn> conn_;
  Exchange x_;
  bool added_ = false;
  bool done_ = false;
  CURLcode result_ = CURLE_OK;
  std::string what_;  // "GET http://host/path" for messages (no query: it may hold secrets)
};

class CurlStream final : public ResponseStream {
 public:
  explicit CurlStream(std::unique_ptr<Transfer> t) : t_(std::move(t)) {}
  int status() const override { return t_->x().status; }
  const Headers& headers() const override { return t_->x().headers; }
  Result<size_t> Read(std::span<char> out) override {
    if (out.empty()) return size_t{0};
    Exchange& x = t_->x();
    if (x.data.size() - pos_ == 0) {
      x.data.clear();
      pos_ = 0;
      t_->Resume();
      MAXIOFS_RETURN_IF_ERROR(t_->PumpUntil([&] { return !x.data.empty(); }));
    }
    const size_t n = std::min(out.size(), x.data.size() - pos_);
    std::memcpy(out.data(), x.data.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::unique_ptr<Transfer> t_;
  size_t pos_ = 0;  // consumed prefix of x.data
};

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(HttpClientOptions o) : o_(std::move(o)) {}

  Result<Response> Send(const Request& req, size_t max_body) override {
    auto t = std::make_unique<Transfer>(*this, Take());
    MAXIOFS_RETURN_IF_ERROR(t->Start(req, o_, /*whole=*/true, std::max<size_t>(max_body, 1)));
    MAXIOFS_RETURN_IF_ERROR(t->PumpUntil([] { return false; }));
    Response r;
    r.status = t->x().status;
    r.headers = std::move(t->x().headers);
    r.body = std::move(t->x().data);
    return r;
  }

  Result<std::unique_ptr<ResponseStream>> Open(const Request& req) override {
    auto t = std::make_unique<Transfer>(*this, Take());
    MAXIOFS_RETURN_IF_ERROR(t->Start(req, o_, /*whole=*/false, 0));
    Exchange& x = t->x();
    MAXIOFS_RETURN_IF_ERROR(t->PumpUntil([&] { return x.head_done; }));
    return std::unique_ptr<ResponseStream>(std::make_unique<CurlStream>(std::move(t)));
  }

  // A pooled connection, or a new one.
  std::unique_ptr<Conn> Take() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    return std::make_unique<Conn>();
  }
  // Returns a connection whose exchange ended cleanly.
  void Give(std::unique_ptr<Conn> c) {
    std::lock_guard<std::mutex> l(mu_);
    if (idle_.size() < o_.max_idle_connections) idle_.push_back(std::move(c));
  }

 private:
  const HttpClientOptions o_;
  std::mutex mu_;  // guards idle_; a leaf lock
  std::vector<std::unique_ptr<Conn>> idle_;
};

Transfer::~Transfer() {
  if (!conn_) return;
  if (added_) curl_multi_remove_handle(conn_->multi, conn_->easy);
  if (conn_->headers) {
    curl_slist_free_all(conn_->headers);
    conn_->headers = nullptr;
  }
  // Only a finished exchange leaves its connection reusable (libcurl closes one that was cut
  // off when the handle is removed); keep the pair either way unless it failed.
  if (done_ && result_ == CURLE_OK) client_.Give(std::move(conn_));
}

Status Transfer::Failure(CURLcode code) const {
  std::string msg = what_ + ": " + curl_easy_strerror(code);
  if (conn_->error[0] != '\0') msg += std::string(" (") + conn_->error + ")";
  return Status::Unavailable(msg);
}

Status Transfer::Start(const Request& req, const HttpClientOptions& o, bool whole,
                       size_t max_body) {
  if (!conn_->multi || !conn_->easy) return Status::Internal("libcurl: out of handles");
  CURL* e = conn_->easy;
  curl_easy_reset(e);  // keeps the connection cache (it is the multi's anyway)
  conn_->error[0] = '\0';
  const size_t q = req.url.find('?');
  what_ = req.method + " " + req.url.substr(0, q);
  x_.body = &req.body;
  x_.max_body = whole ? max_body : 0;
  curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, conn_->error);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
  if (whole) curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(o.request_timeout_ms));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.stall_timeout_s));
  if (!o.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, o.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &x_);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &OnWrite);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &x_);
  if (req.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (req.method == "PUT" || req.method == "POST") {
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(e, CURLOPT_READFUNCTION, &OnRead);
    curl_easy_setopt(e, CURLOPT_READDATA, &x_);
    if (req.method == "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "POST");
  } else if (req.method != "GET") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  curl_slist* list = nullptr;
  for (const auto& [n, v] : req.headers) {
    list = curl_slist_append(list, (n + ": " + v).c_str());
  }
  // No "Expect: 100-continue" round trip; no default Accept or Content-Type.
  list = curl_slist_append(list, "Expect:");
  list = curl_slist_append(list, "Accept:");
  if (req.method == "PUT" || req.method == "POST") {
    bool typed = false;
    for (const auto& h : req.headers) typed |= h.first == "content-type";
    if (!typed) list = curl_slist_append(list, "Content-Type:");
  }
  conn_->headers = list;
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  if (curl_multi_add_handle(conn_->multi, e) != CURLM_OK) {
    return Status::Internal("libcurl: cannot start a transfer");
  }
  added_ = true;
  return Status::OK();
}

template <class Ready>
Status Transfer::PumpUntil(Ready ready) {
  while (!done_ && !ready()) {
    int running = 0;
    if (curl_multi_perform(conn_->multi, &running) != CURLM_OK) {
      return Status::Internal("libcurl: transfer failed");
    }
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(conn_->multi, &left)) {
      if (m->msg == CURLMSG_DONE) {
        done_ = true;
        result_ = m->data.result;
      }
    }
    if (done_ || ready()) break;
    if (x_.paused) break;  // nothing moves until the reader takes what is buffered
    curl_multi_poll(conn_->multi, nullptr, 0, 1000, nullptr);
  }
  if (done_ && result_ != CURLE_OK) {
    if (x_.too_large) return Status::Unavailable(what_ + ": response body too large");
    if (x_.read_error) return Status::IOError(what_ + ": cannot read the request body");
    return Failure(result_);
  }
  if (done_ && !x_.head_done && x_.status >= 200) x_.head_done = true;  // HEAD, no blank line
  if (done_ && x_.status == 0) return Status::Unavailable(what_ + ": no response");
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Make(const HttpClientOptions& options) {
  GlobalInit();
  if (!options.ca_file.empty()) {
    std::ifstream in(options.ca_file);
    if (!in) return Status::InvalidArgument("cannot read the CA file " + options.ca_file);
  }
  return std::unique_ptr<HttpClient>(std::make_unique<CurlClient>(options));
}

}  // namespace maxiofs::httpc
