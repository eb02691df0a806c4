#include "sessions.h"

#include "crypto_util.h"

#include <algorithm>
#include <iterator>

namespace maxiofs::console {

Sessions::Sessions(std::string key, int64_t ttl_s) : key_(std::move(key)), ttl_s_(ttl_s) {}

SessionClaims Sessions::Issue(std::string_view subject, SessionKind kind, int64_t now_s) const {
  SessionClaims c;
  c.subject = std::string(subject);
  c.kind = kind;
  c.issued_at = now_s;
  c.expires_at = now_s + ttl_s_;
  c.id = Hex(RandomBytes(16));
  c.csrf = Hex(RandomBytes(16));
  return c;
}

Result<SessionClaims> Sessions::Verify(std::string_view token, int64_t now_s) const {
  auto claims = VerifyJwt(token, key_, now_s);
  if (!claims.has_value()) return claims;
  std::lock_guard<std::mutex> lock(mu_);
  if (revoked_.count(claims->id) != 0) return Status::AccessDenied("session logged out");
  return claims;
}

bool Sessions::ShouldRenew(const SessionClaims& claims, int64_t now_s) const {
  return now_s - claims.issued_at >= ttl_s_ / 2;
}

void Sessions::Revoke(const SessionClaims& claims, int64_t now_s) {
  std::lock_guard<std::mutex> lock(mu_);
  // Prune what has expired anyway; the map never holds more than a TTL's worth of logouts.
  for (auto it = revoked_.begin(); it != revoked_.end();) {
    it = it->second < now_s ? revoked_.erase(it) : std::next(it);
  }
  revoked_[claims.id] = claims.expires_at;
}

int64_t LoginLimiter::RetryAfter(std::string_view client, int64_t now_s) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(std::string(client));
  if (it == failures_.end()) return 0;
  size_t recent = 0;
  int64_t oldest_recent = now_s;
  for (int64_t t : it->second) {
    if (t > now_s - 60) {
      if (recent == 0) oldest_recent = t;
      ++recent;
    }
  }
  if (recent < limit_) return 0;
  return std::max<int64_t>(1, oldest_recent + 60 - now_s);
}

void LoginLimiter::RecordFailure(std::string_view client, int64_t now_s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() >= kMaxClients && failures_.count(std::string(client)) == 0) {
    // Drop addresses with no failure in the last minute; if none, drop any one.
    for (auto it = failures_.begin(); it != failures_.end();) {
      it = (it->second.empty() || it->second.back() <= now_s - 60) ? failures_.erase(it)
                                                                   : std::next(it);
    }
    if (failures_.size() >= kMaxClients) failures_.erase(failures_.begin());
  }
  auto& times = failures_[std::string(client)];
  while (!times.empty() && times.front() <= now_s - 60) times.pop_front();
  times.push_back(now_s);
  while (times.size() > limit_ + 1) times.pop_front();
}

void LoginLimiter::RecordSuccess(std::string_view client) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(std::string(client));
}

std::string ClientAddress(std::string_view remote) {
  if (!remote.empty() && remote.front() == '[') {
    const size_t close = remote.find(']');
    if (close != std::string_view::npos) return std::string(remote.substr(1, close - 1));
  }
  const size_t colon = remote.rfind(':');
  if (colon != std::string_view::npos && remote.find(':') == colon) {
    return std::string(remote.substr(0, colon));
  }
  return std::string(remote);
}

}  // namespace maxiofs::console
