#include "auth/signing_key_cache.h"

#include "auth/sigv4.h"

namespace maxiofs::s3::auth {

std::string SigningKeyCache::Get(std::string_view secret, std::string_view date,
                                 std::string_view region, std::string_view service) {
  // Date, region and service never contain '/' (the credential scope is split on it).
  std::string id;
  id.reserve(date.size() + region.size() + service.size() + secret.size() + 3);
  id.append(date).append("/").append(region).append("/").append(service).append("/").append(secret);
  {
    std::lock_guard lock(mu_);
    if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  }
  std::string key = DeriveSigningKey(secret, date, region, service);
  std::lock_guard lock(mu_);
  if (keys_.size() >= kMaxEntries) keys_.clear();
  keys_.emplace(std::move(id), key);
  return key;
}

size_t SigningKeyCache::size() {
  std::lock_guard lock(mu_);
  return keys_.size();
}

}  // namespace maxiofs::s3::auth
