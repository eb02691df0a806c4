#include "auth/request_view.h"

namespace maxiofs::s3::auth {
namespace {

// Header names are lower-case by contract; compare case-insensitively anyway.
bool NameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> FindHeader(const AuthRequest& req, std::string_view name) {
  if (req.headers == nullptr) return std::nullopt;
  for (const auto& [n, v] : *req.headers) {
    if (NameEquals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> HeaderValues(const AuthRequest& req, std::string_view name) {
  std::vector<std::string_view> out;
  if (req.headers == nullptr) return out;
  for (const auto& [n, v] : *req.headers) {
    if (NameEquals(n, name)) out.emplace_back(v);
  }
  return out;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

S3Result<std::string> LookupSecret(const SecretLookup& secrets, std::string_view access_key) {
  if (!secrets) {
    return AuthError(S3ErrorCode::kInvalidAccessKeyId,
                     "The AWS Access Key Id you provided does not exist in our records.");
  }
  return secrets(access_key);
}

}  // namespace maxiofs::s3::auth
