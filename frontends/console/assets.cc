#include "assets.h"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <string>

namespace maxiofs::console {
namespace {

bool HasDotDotSegment(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

bool AcceptsGzip(const http::HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != "accept-encoding") continue;
    // "gzip" listed and not refused with q=0.
    const size_t at = value.find("gzip");
    if (at == std::string::npos) continue;
    const std::string_view rest = std::string_view(value).substr(at + 4);
    const size_t comma = rest.find(',');
    const std::string_view params = rest.substr(0, comma);
    if (params.find("q=0") != std::string_view::npos &&
        params.find("q=0.") == std::string_view::npos) {
      return false;
    }
    return true;
  }
  return false;
}

std::string Inflate(std::string_view gz, uint64_t size) {
  std::string out(size, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return {};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  return out;
}

bool EtagMatches(const http::HttpRequest& request, std::string_view etag) {
  auto inm = request.Header("if-none-match");
  if (!inm) return false;
  if (*inm == "*") return true;
  // A list of (possibly weak) tags.
  std::string_view rest = *inm;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

// Streams bytes that live as long as the process (the embedded assets) without copying.
class StaticSource final : public http::BodySource {
 public:
  explicit StaticSource(std::string_view data) : data_(data) {}
  Result<size_t> Read(std::span<char> out) override {
    const size_t n = std::min(out.size(), data_.size());
    std::copy_n(data_.data(), n, out.data());
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
};

}  // namespace

const Asset* FindAsset(std::span<const Asset> assets, std::string_view path) {
  if (path.empty() || path.front() != '/' || HasDotDotSegment(path) ||
      path.find('\\') != std::string_view::npos) {
    return nullptr;
  }
  if (path == "/") path = "/index.html";
  for (const Asset& a : assets) {
    if (a.path == path) return &a;
  }
  if (path.starts_with("/assets/") || path.starts_with("/api/") || path == "/api") {
    return nullptr;
  }
  // A client-side route ("/buckets/photos") gets the app; a missing file ("/x.png") does not.
  const size_t slash = path.rfind('/');
  if (path.substr(slash).find('.') != std::string_view::npos) return nullptr;
  for (const Asset& a : assets) {
    if (a.path == "/index.html") return &a;
  }
  return nullptr;
}

http::Response AssetResponse(const Asset& asset, const http::HttpRequest& request, bool head) {
  http::Response response;
  const bool immutable = asset.path.starts_with("/assets/");
  response.AddHeader("ETag", std::string(asset.etag));
  response.AddHeader("Cache-Control",
                     immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.AddHeader("Vary", "Accept-Encoding");
  response.AddHeader("X-Content-Type-Options", "nosniff");
  if (asset.content_type.starts_with("text/html")) {
    response.AddHeader("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' blob: data:; "
                       "style-src 'self' 'unsafe-inline'; frame-src 'self' blob:; "
                       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    response.AddHeader("Referrer-Policy", "same-origin");
  }
  if (EtagMatches(request, asset.etag)) {
    response.status = 304;
    return response;
  }
  response.AddHeader("Content-Type", std::string(asset.content_type));
  response.head = head;
  if (AcceptsGzip(request)) {
    response.AddHeader("Content-Encoding", "gzip");
    response.content_length = asset.gzip.size();
    if (!head) response.source = std::make_unique<StaticSource>(asset.gzip);
  } else {
    if (head) {
      response.content_length = asset.size;
    } else {
      response.body = Inflate(asset.gzip, asset.size);
    }
  }
  return response;
}

}  // namespace maxiofs::console
