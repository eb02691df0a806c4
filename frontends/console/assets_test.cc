#include "assets.h"

#include "http_util.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <string>

namespace maxiofs::console {
namespace {

std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class AssetsTest : public ::testing::Test {
 protected:
  const std::string index_ = "<html>app</html>";
  const std::string js_ = "console.log(1)";
  const std::string index_gz_ = Gzip(index_);
  const std::string js_gz_ = Gzip(js_);
  const std::array<Asset, 2> assets_ = {
      Asset{"/index.html", "text/html; charset=utf-8", "\"i1\"", index_gz_, index_.size()},
      Asset{"/assets/app-1a2b.js", "text/javascript; charset=utf-8", "\"j1\"", js_gz_, js_.size()}};
};

TEST_F(AssetsTest, ExactAndFallback) {
  EXPECT_EQ(FindAsset(assets_, "/assets/app-1a2b.js"), &assets_[1]);
  EXPECT_EQ(FindAsset(assets_, "/"), &assets_[0]);
  EXPECT_EQ(FindAsset(assets_, "/buckets/photos"), &assets_[0]);  // client-side route
  EXPECT_EQ(FindAsset(assets_, "/assets/missing.js"), nullptr);
  EXPECT_EQ(FindAsset(assets_, "/favicon.png"), nullptr);
  EXPECT_EQ(FindAsset(assets_, "/api/v1/nothing"), nullptr);
}

TEST_F(AssetsTest, TraversalNeverResolves) {
  for (const char* raw :
       {"/../etc/passwd", "/assets/../index.html", "/assets/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd", "/assets/..\\..\\etc\\passwd", "/..", "/a/../../b"}) {
    auto target = ParseTarget(raw);
    ASSERT_TRUE(target.has_value()) << raw;
    EXPECT_EQ(FindAsset(assets_, target->path), nullptr) << raw;
  }
}

TEST_F(AssetsTest, GzipWithCacheHeaders) {
  http::HttpRequest req;
  req.headers = {{"accept-encoding", "gzip, deflate, br"}};
  http::Response r = AssetResponse(assets_[1], req, false);
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(r.source != nullptr);
  EXPECT_EQ(r.content_length.value_or(0), js_gz_.size());
  std::string got(js_gz_.size() + 10, '\0');
  auto n = r.source->Read(got);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(got.substr(0, *n), js_gz_);
  auto header = [&](std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return std::string();
  };
  EXPECT_EQ(header("Content-Encoding"), "gzip");
  EXPECT_EQ(header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header("ETag"), "\"j1\"");
  http::Response index = AssetResponse(assets_[0], req, false);
  for (const auto& [k, v] : index.headers) {
    if (k == "Cache-Control") {
      EXPECT_EQ(v, "no-cache");
    }
  }
}

TEST_F(AssetsTest, IdentityWhenGzipNotAccepted) {
  http::HttpRequest req;
  http::Response r = AssetResponse(assets_[0], req, false);
  EXPECT_EQ(r.body, index_);
  req.headers = {{"accept-encoding", "gzip;q=0"}};
  EXPECT_EQ(AssetResponse(assets_[0], req, false).body, index_);
}

TEST_F(AssetsTest, NotModified) {
  http::HttpRequest req;
  req.headers = {{"if-none-match", "\"x\", W/\"i1\""}};
  http::Response r = AssetResponse(assets_[0], req, false);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.source == nullptr);
}

}  // namespace
}  // namespace maxiofs::console
