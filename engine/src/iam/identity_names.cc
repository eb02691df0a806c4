// IAM name rules and generated identifiers (see identity_names.h).
#include "identity_names.h"

#include "../seal.h"

namespace maxiofs::engine::iam {
namespace {

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '=' || c == ',' || c == '.' || c == '@' || c == '_' || c == '-';
}

bool AllNameChars(std::string_view s) {
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// `n` characters drawn uniformly from `alphabet` (rejection sampling, so no bias).
std::string RandomFrom(std::string_view alphabet, size_t n) {
  const size_t limit = 256 - 256 % alphabet.size();
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    for (char b : RandomBytes(n)) {
      auto v = static_cast<unsigned char>(b);
      if (v >= limit) continue;
      out.push_back(alphabet[v % alphabet.size()]);
      if (out.size() == n) break;
    }
  }
  return out;
}

constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

Status CheckName(std::string_view what, std::string_view name, size_t max_length) {
  if (name.empty() || name.size() > max_length || !AllNameChars(name)) {
    return Status::InvalidArgument(
        std::string("invalid ") + std::string(what) + " '" + std::string(name.substr(0, 200)) +
        "': use 1-" + std::to_string(max_length) + " characters of letters, digits and +=,.@_-");
  }
  return Status::OK();
}

Status CheckSessionName(std::string_view name) {
  if (name.size() < 2 || name.size() > 64 || !AllNameChars(name)) {
    return Status::InvalidArgument(
        "invalid role session name: use 2-64 characters of letters, digits and +=,.@_-");
  }
  return Status::OK();
}

std::string NewId(std::string_view prefix, size_t n) {
  return std::string(prefix) + RandomFrom(kIdAlphabet, n);
}

std::string NewSecretKey() { return RandomFrom(kSecretAlphabet, 40); }

std::string NewSessionToken() { return RandomFrom(kSecretAlphabet, 128); }

std::string RoleNameFromArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return "";
  std::string_view rest = arn.substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return "";
  std::string_view account = rest.substr(0, colon);
  for (char c : account) {
    if (c < '0' || c > '9') return "";
  }
  std::string_view resource = rest.substr(colon + 1);
  if (resource.substr(0, 5) != "role/") return "";
  size_t slash = resource.rfind('/');
  std::string_view name = resource.substr(slash + 1);
  if (CheckName("role name", name, 64).ok()) return std::string(name);
  return "";
}

}  // namespace maxiofs::engine::iam
