// Beast-free helpers for the console's HTTP handling: target parsing (path segments and
// query parameters, percent-decoded), cookies, JSON responses and the Status -> JSON error
// mapping (the console's one error-language table).
//
// Thread-safety: pure functions.
#pragma once

#include "maxiofs/common/status.h"
#include "maxiofs/http/types.h"
#include "maxiofs/http/url.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::console {

// A request target split into its decoded path and query parameters.
struct Target {
  std::string path;                          // percent-decoded; "/api/v1/buckets"
  std::map<std::string, std::string> query;  // decoded; a repeated name keeps the last value
};

// nullopt for a target that is not origin-form or whose escapes are malformed or decode to
// NUL or to invalid UTF-8 in the path.
std::optional<Target> ParseTarget(std::string_view raw);

// Percent-encoding and -decoding (maxiofs/http/url.h).
using http::PercentDecode;
using http::PercentEncode;

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
std::optional<std::string> GetCookie(const http::HttpRequest& request, std::string_view name);

// A Set-Cookie value: Path=/, SameSite=Strict, Secure when `secure`, HttpOnly when
// `http_only`; max_age_s 0 deletes the cookie.
std::string SetCookie(std::string_view name, std::string_view value, int64_t max_age_s,
                      bool http_only, bool secure);

// A JSON response with Cache-Control: no-store.
http::Response JsonResponse(int status, const nlohmann::json& body);
// {"error":{"code":..., "message":...}} with the given status.
http::Response JsonError(int status, std::string_view code, std::string_view message);
// The engine's Status in the console's error language: HTTP status and code string.
http::Response StatusError(const Status& status);
int HttpStatusFor(Status::Code code);
std::string_view ErrorCodeFor(Status::Code code);

// Unix seconds and milliseconds-since-epoch helpers for the API's timestamps (RFC 3339 UTC).
std::string Rfc3339FromNs(int64_t ns);
std::optional<int64_t> NsFromRfc3339(std::string_view text);

}  // namespace maxiofs::console
