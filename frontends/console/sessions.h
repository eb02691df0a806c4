// Sessions: issues and checks session tokens (JWT in an HttpOnly cookie), remembers logged-out
// tokens until they expire, and limits failed logins per client address.
//
// Thread-safety: safe for concurrent use without external synchronization.
#pragma once

#include "jwt.h"

#include "maxiofs/common/result.h"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace maxiofs::console {

class Sessions {
 public:
  // `key`: the HMAC secret (any length > 0). `ttl_s`: token lifetime in seconds.
  Sessions(std::string key, int64_t ttl_s);

  // A new session of `kind` for `subject` (root access key or IAM user name) starting at
  // now_s, with fresh random id and CSRF token.
  SessionClaims Issue(std::string_view subject, SessionKind kind, int64_t now_s) const;
  std::string Sign(const SessionClaims& claims) const { return SignJwt(claims, key_); }

  // The claims of a valid, unexpired, not logged-out token; AccessDenied otherwise.
  Result<SessionClaims> Verify(std::string_view token, int64_t now_s) const;
  // True when the session is past half its life (the next response renews it).
  bool ShouldRenew(const SessionClaims& claims, int64_t now_s) const;
  // Refuses the token from now on (logout), until it expires anyway.
  void Revoke(const SessionClaims& claims, int64_t now_s);

  int64_t ttl_s() const { return ttl_s_; }

 private:
  const std::string key_;
  const int64_t ttl_s_;
  mutable std::mutex mu_;                   // guards revoked_; a leaf lock
  std::map<std::string, int64_t> revoked_;  // token id -> expiry (pruned as they expire)
};

// Failed logins per client address in a sliding minute. Bounded memory: at most kMaxClients
// addresses are tracked (the oldest are dropped first).
class LoginLimiter {
 public:
  static constexpr size_t kMaxClients = 10000;
  explicit LoginLimiter(unsigned failures_per_minute) : limit_(failures_per_minute) {}

  // Seconds the client must wait before trying again (0: it may try now).
  int64_t RetryAfter(std::string_view client, int64_t now_s) const;
  void RecordFailure(std::string_view client, int64_t now_s);
  void RecordSuccess(std::string_view client);

 private:
  const unsigned limit_;
  mutable std::mutex mu_;  // guards failures_; a leaf lock
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

// The address part of "ip:port" / "[v6]:port".
std::string ClientAddress(std::string_view remote);

}  // namespace maxiofs::console
