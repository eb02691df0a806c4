// Test helper of the fuzz harnesses: an HTTP request written as text, the way the seeds are
// stored ("METHOD target" then one "name: value" per line). Owns the strings an
// s3::AuthRequest borrows. Header names are lower-cased, as the HTTP server hands them over.
#pragma once

#include "auth/auth.h"

#include <cctype>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::fuzz {

struct RequestText {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;

  explicit RequestText(std::string_view text) {
    size_t line_no = 0;
    while (!text.empty()) {
      const size_t eol = text.find('\n');
      std::string_view line = text.substr(0, eol);
      text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line_no++ == 0) {
        const size_t sp = line.find(' ');
        method = std::string(line.substr(0, sp));
        std::string_view target = sp == std::string_view::npos ? "/" : line.substr(sp + 1);
        const size_t q = target.find('?');
        path = std::string(target.substr(0, q));
        if (q != std::string_view::npos) query = std::string(target.substr(q + 1));
        continue;
      }
      const size_t colon = line.find(':');
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(colon == std::string_view::npos ? std::string_view()
                                                        : line.substr(colon + 1));
      headers.emplace_back(std::move(name), std::move(value));
    }
  }

  // `now_unix`: the server's clock, seconds since the epoch.
  s3::AuthRequest View(int64_t now_unix) const {
    s3::AuthRequest r;
    r.method = method;
    r.raw_path = path;
    r.raw_query = query;
    r.headers = &headers;
    r.now = std::chrono::system_clock::time_point(std::chrono::seconds(now_unix));
    return r;
  }
};

// AWS's documentation example credentials, which the seeds are signed with.
inline constexpr const char* kAwsAccessKey = "AKIAIOSFODNN7EXAMPLE";
inline constexpr const char* kAwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr int64_t k20130524 = 1369353600;  // 2013-05-24T00:00:00Z

inline s3::SecretLookup AwsKey() {
  return [](std::string_view key) -> s3::S3Result<std::string> {
    if (key == kAwsAccessKey) return std::string(kAwsSecret);
    return s3::S3Error{s3::S3ErrorCode::kInvalidAccessKeyId, "unknown key"};
  };
}

}  // namespace maxiofs::fuzz
