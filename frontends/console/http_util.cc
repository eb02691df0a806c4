#include "http_util.h"

#include "maxiofs/common/utf8.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace maxiofs::console {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Target> ParseTarget(std::string_view raw) {
  if (raw.empty() || raw.front() != '/') return std::nullopt;
  const size_t q = raw.find('?');
  const std::string_view path = raw.substr(0, q);
  Target target;
  auto decoded = PercentDecode(path, /*plus_is_space=*/false);
  if (!decoded || decoded->find('\0') != std::string::npos || !IsValidUtf8(*decoded)) {
    return std::nullopt;
  }
  target.path = std::move(*decoded);
  if (q == std::string_view::npos) return target;
  std::string_view query = raw.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    target.query[*name] = std::move(*value);
  }
  return target;
}

std::optional<std::string> GetCookie(const http::HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      const std::string_view item = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(item.substr(0, eq)) == name) {
        std::string_view v = Trim(item.substr(eq + 1));
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return std::string(v);
      }
    }
  }
  return std::nullopt;
}

std::string SetCookie(std::string_view name, std::string_view value, int64_t max_age_s,
                      bool http_only, bool secure) {
  std::string out = std::string(name) + "=" + std::string(value) +
                    "; Path=/; Max-Age=" + std::to_string(max_age_s) + "; SameSite=Strict";
  if (http_only) out += "; HttpOnly";
  if (secure) out += "; Secure";
  return out;
}

http::Response JsonResponse(int status, const nlohmann::json& body) {
  http::Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.AddHeader("Content-Type", "application/json");
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

http::Response JsonError(int status, std::string_view code, std::string_view message) {
  return JsonResponse(status, {{"error", {{"code", code}, {"message", message}}}});
}

int HttpStatusFor(Status::Code code) {
  using C = Status::Code;
  switch (code) {
    case C::kOk:
      return 200;
    case C::kNoSuchBucket:
    case C::kNoSuchKey:
    case C::kNoSuchVersion:
    case C::kNoSuchUpload:
    case C::kNoSuchObjectLockConfiguration:
    case C::kObjectLockConfigurationNotFound:
    case C::kNotFound:
    case C::kNoSuchEntity:
    case C::kNoSuchBucketPolicy:
    case C::kNoSuchPublicAccessBlockConfiguration:
    case C::kNoSuchTagSet:
    case C::kNoSuchCORSConfiguration:
    case C::kOwnershipControlsNotFound:
      return 404;
    case C::kEntityAlreadyExists:
    case C::kDeleteConflict:
      return 409;
    case C::kMalformedPolicy:
    case C::kInvalidTag:
      return 400;
    case C::kInvalidAccessKeyId:
    case C::kExpiredToken:
      return 403;
    case C::kBucketNotEmpty:
    case C::kBucketAlreadyOwnedByYou:
    case C::kBucketAlreadyExists:
    case C::kInvalidBucketState:
    case C::kBusy:
      return 409;
    case C::kWouldBlock:   // never seen outside a NoWaitScope; retrying later works
    case C::kUnavailable:  // the blob store is unreachable; retrying later works
      return 503;
    case C::kInvalidBucketName:
    case C::kInvalidKey:
    case C::kInvalidArgument:
    case C::kInvalidRequest:
    case C::kBadDigest:
    case C::kIncompleteBody:
    case C::kEntityTooSmall:
    case C::kInvalidPart:
    case C::kInvalidPartOrder:
      return 400;
    case C::kAccessDenied:
    case C::kObjectLocked:
      return 403;
    case C::kInvalidRange:
      return 416;
    case C::kPreconditionFailed:
      return 412;
    case C::kNotModified:
      return 304;
    case C::kEntityTooLarge:
      return 413;
    case C::kNotImplemented:
      return 501;
    case C::kMethodNotAllowed:
      return 405;
    case C::kStorageFull:
      return 507;
    case C::kQuotaExceeded:
      return 403;
    case C::kReadOnly:
      return 503;
    case C::kIOError:
    case C::kCorruption:
    case C::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ErrorCodeFor(Status::Code code) {
  using C = Status::Code;
  switch (code) {
    case C::kOk:
      return "Ok";
    case C::kNoSuchBucket:
      return "NoSuchBucket";
    case C::kNoSuchKey:
      return "NoSuchKey";
    case C::kNoSuchVersion:
      return "NoSuchVersion";
    case C::kNoSuchUpload:
      return "NoSuchUpload";
    case C::kBucketNotEmpty:
      return "BucketNotEmpty";
    case C::kBucketAlreadyOwnedByYou:
      return "BucketAlreadyExists";
    case C::kBucketAlreadyExists:
      return "BucketAlreadyExists";
    case C::kInvalidBucketName:
      return "InvalidBucketName";
    case C::kInvalidKey:
      return "InvalidKey";
    case C::kAccessDenied:
      return "AccessDenied";
    case C::kObjectLocked:
      return "ObjectLocked";
    case C::kInvalidArgument:
      return "InvalidArgument";
    case C::kInvalidRequest:
      return "InvalidRequest";
    case C::kInvalidRange:
      return "InvalidRange";
    case C::kPreconditionFailed:
      return "PreconditionFailed";
    case C::kNotModified:
      return "NotModified";
    case C::kBadDigest:
      return "BadDigest";
    case C::kEntityTooLarge:
      return "EntityTooLarge";
    case C::kIncompleteBody:
      return "IncompleteBody";
    case C::kNotImplemented:
      return "NotImplemented";
    case C::kMethodNotAllowed:
      return "MethodNotAllowed";
    case C::kEntityTooSmall:
      return "EntityTooSmall";
    case C::kInvalidPart:
      return "InvalidPart";
    case C::kInvalidPartOrder:
      return "InvalidPartOrder";
    case C::kInvalidBucketState:
      return "InvalidBucketState";
    case C::kNoSuchObjectLockConfiguration:
      return "NoSuchObjectLockConfiguration";
    case C::kObjectLockConfigurationNotFound:
      return "ObjectLockConfigurationNotFound";
    case C::kNoSuchEntity:
      return "NoSuchEntity";
    case C::kEntityAlreadyExists:
      return "EntityAlreadyExists";
    case C::kDeleteConflict:
      return "DeleteConflict";
    case C::kMalformedPolicy:
      return "MalformedPolicy";
    case C::kNoSuchBucketPolicy:
      return "NoSuchBucketPolicy";
    case C::kNoSuchPublicAccessBlockConfiguration:
      return "NoSuchPublicAccessBlockConfiguration";
    case C::kInvalidTag:
      return "InvalidTag";
    case C::kNoSuchTagSet:
      return "NoSuchTagSet";
    case C::kNoSuchCORSConfiguration:
      return "NoSuchCORSConfiguration";
    case C::kOwnershipControlsNotFound:
      return "OwnershipControlsNotFoundError";
    case C::kInvalidAccessKeyId:
      return "InvalidAccessKeyId";
    case C::kExpiredToken:
      return "ExpiredToken";
    case C::kStorageFull:
      return "StorageFull";
    case C::kQuotaExceeded:
      return "QuotaExceeded";
    case C::kReadOnly:
      return "ReadOnly";
    case C::kBusy:
      return "Busy";
    case C::kWouldBlock:
      return "WouldBlock";
    case C::kUnavailable:
      return "ServiceUnavailable";
    case C::kNotFound:
      return "NotFound";
    case C::kIOError:
      return "IOError";
    case C::kCorruption:
      return "Corruption";
    case C::kInternal:
      return "InternalError";
  }
  return "InternalError";
}

http::Response StatusError(const Status& status) {
  return JsonError(HttpStatusFor(status.code()), ErrorCodeFor(status.code()), status.message());
}

std::string Rfc3339FromNs(int64_t ns) {
  const std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 80> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>((ns / 1000000) % 1000));
  return buf.data();
}

std::optional<int64_t> NsFromRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  auto num = [&](size_t pos, size_t len, int& out) {
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && p == text.data() + pos + len;
  };
  int y, mo, d, h, mi, s;
  if (!num(0, 4, y) || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' || !num(8, 2, d) ||
      text[10] != 'T' || !num(11, 2, h) || text[13] != ':' || !num(14, 2, mi) || text[16] != ':' ||
      !num(17, 2, s)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  int64_t frac_ns = 0;
  if (text[19] == '.') {
    int64_t scale = 100000000;
    for (size_t i = 20; i + 1 < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      frac_ns += (text[i] - '0') * scale;
      scale /= 10;
    }
  } else if (text.size() != 20) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const sys_days days{ymd};
  const int64_t secs = days.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s;
  // int64_t nanoseconds span 1677-09-21 to 2262-04-11: outside, the date is out of range.
  int64_t ns = 0;
  if (__builtin_mul_overflow(secs, int64_t{1000000000}, &ns) ||
      __builtin_add_overflow(ns, frac_ns, &ns)) {
    return std::nullopt;
  }
  return ns;
}

}  // namespace maxiofs::console
