// Test helper: owns the strings an AuthRequest borrows.
#pragma once

#include "auth/auth.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maxiofs::s3::auth::testing {

struct TestRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t now_unix = 0;
  std::string virtual_host_bucket;
  std::string region;  // empty: any region (the vectors are signed for several)

  TestRequest& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  void RemoveHeader(const std::string& name) {
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
  }
  void SetHeader(const std::string& name, std::string value) {
    RemoveHeader(name);
    Header(name, std::move(value));
  }

  AuthRequest View() const {
    AuthRequest r;
    r.method = method;
    r.raw_path = path;
    r.raw_query = query;
    r.headers = &headers;
    r.now = std::chrono::system_clock::time_point(std::chrono::seconds(now_unix));
    r.virtual_host_bucket = virtual_host_bucket;
    r.region = region;
    return r;
  }
};

// A SecretLookup that knows one key.
inline SecretLookup OneKey(std::string access_key, std::string secret) {
  return [access_key = std::move(access_key),
          secret = std::move(secret)](std::string_view key) -> S3Result<std::string> {
    if (key == access_key) return secret;
    return S3Error{S3ErrorCode::kInvalidAccessKeyId, "unknown key"};
  };
}

// AWS's documentation example credentials.
inline constexpr const char* kAwsAccessKey = "AKIAIOSFODNN7EXAMPLE";
inline constexpr const char* kAwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr int64_t k20130524 = 1369353600;  // 2013-05-24T00:00:00Z

}  // namespace maxiofs::s3::auth::testing
