#include "presign.h"

#include "crypto_util.h"
#include "http_util.h"

#include <ctime>
#include <map>

namespace maxiofs::console {
namespace {

std::string FormatTime(int64_t secs, const char* format) {
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof(buf), format, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string PresignGetUrl(const PresignRequest& req) {
  return PresignGetUrlForPath(
      req, "/" + PercentEncode(req.bucket, false) + "/" + PercentEncode(req.key, true));
}

std::string PresignGetUrlForPath(const PresignRequest& req, std::string_view path) {
  const std::string date = FormatTime(req.now_s, "%Y%m%d");
  const std::string amz_date = FormatTime(req.now_s, "%Y%m%dT%H%M%SZ");
  const std::string scope = date + "/" + req.region + "/s3/aws4_request";
  const size_t scheme_end = req.base_url.find("://");
  const std::string host =
      scheme_end == std::string::npos ? req.base_url : req.base_url.substr(scheme_end + 3);

  std::map<std::string, std::string> query = {
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", req.access_key + "/" + scope},
      {"X-Amz-Date", amz_date},
      {"X-Amz-Expires", std::to_string(req.expires_s)},
      {"X-Amz-SignedHeaders", "host"},
  };
  if (!req.version_id.empty()) query["versionId"] = req.version_id;
  std::string canonical_query;
  for (const auto& [name, value] : query) {
    if (!canonical_query.empty()) canonical_query += '&';
    canonical_query += PercentEncode(name, false) + "=" + PercentEncode(value, false);
  }
  const std::string canonical_request = "GET\n" + std::string(path) + "\n" + canonical_query +
                                        "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Hex(Sha256(canonical_request));
  std::string key = HmacSha256("AWS4" + req.secret_key, date);
  key = HmacSha256(key, req.region);
  key = HmacSha256(key, "s3");
  key = HmacSha256(key, "aws4_request");
  const std::string signature = Hex(HmacSha256(key, string_to_sign));
  return req.base_url + std::string(path) + "?" + canonical_query + "&X-Amz-Signature=" + signature;
}

}  // namespace maxiofs::console
