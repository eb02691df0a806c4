// SigningKeyCache: SigV4 signing keys kept across requests. Deriving one takes four chained
// HMAC-SHA256s of the secret, the date, the region and the service (4% of the server's CPU on
// small GETs), and every request a client signs on one day uses the same one.
// Thread-safe. Bounded: at most kMaxEntries keys; when full it starts over.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace maxiofs::s3::auth {

class SigningKeyCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // DeriveSigningKey(secret, date, region, service), computed once per distinct arguments. The
  // secret is part of the cache key, so a changed secret never meets the old key.
  std::string Get(std::string_view secret, std::string_view date, std::string_view region,
                  std::string_view service);

  size_t size();

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> keys_;  // date/region/service/secret -> key
};

}  // namespace maxiofs::s3::auth
