#include "jwt.h"

#include "crypto_util.h"

#include <nlohmann/json.hpp>

namespace maxiofs::console {
namespace {

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

std::string SignJwt(const SessionClaims& claims, std::string_view key) {
  nlohmann::json payload = {
      {"sub", claims.subject},   {"knd", claims.kind == SessionKind::kUser ? "user" : "root"},
      {"iat", claims.issued_at}, {"exp", claims.expires_at},
      {"jti", claims.id},        {"csrf", claims.csrf}};
  std::string signing_input = Base64UrlEncode(kHeader) + "." + Base64UrlEncode(payload.dump());
  const std::string signature = HmacSha256(key, signing_input);
  return signing_input + "." + Base64UrlEncode(signature);
}

Result<SessionClaims> VerifyJwt(std::string_view token, std::string_view key, int64_t now_s) {
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Status::AccessDenied("malformed session token");
  }
  const std::string_view signing_input = token.substr(0, dot2);
  auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!signature || !ConstantTimeEquals(*signature, HmacSha256(key, signing_input))) {
    return Status::AccessDenied("bad session token signature");
  }
  auto header_text = Base64UrlDecode(token.substr(0, dot1));
  auto payload_text = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!header_text || !payload_text) return Status::AccessDenied("malformed session token");
  auto header = nlohmann::json::parse(*header_text, nullptr, /*allow_exceptions=*/false);
  auto payload = nlohmann::json::parse(*payload_text, nullptr, /*allow_exceptions=*/false);
  // find, not value("alg", ""): value() throws when "alg" is there but not a string.
  const auto alg = header.is_object() ? header.find("alg") : header.end();
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "HS256" ||
      !payload.is_object()) {
    return Status::AccessDenied("unsupported session token");
  }
  SessionClaims claims;
  const auto sub = payload.find("sub");
  const auto iat = payload.find("iat");
  const auto exp = payload.find("exp");
  const auto jti = payload.find("jti");
  const auto csrf = payload.find("csrf");
  const auto knd = payload.find("knd");
  const std::string kind =
      knd != payload.end() && knd->is_string() ? knd->get<std::string>() : std::string();
  if (sub == payload.end() || !sub->is_string() || exp == payload.end() ||
      !exp->is_number_integer() || iat == payload.end() || !iat->is_number_integer() ||
      jti == payload.end() || !jti->is_string() || csrf == payload.end() || !csrf->is_string() ||
      (kind != "root" && kind != "user")) {
    return Status::AccessDenied("incomplete session token");
  }
  claims.subject = sub->get<std::string>();
  claims.kind = kind == "user" ? SessionKind::kUser : SessionKind::kRoot;
  claims.issued_at = iat->get<int64_t>();
  claims.expires_at = exp->get<int64_t>();
  claims.id = jti->get<std::string>();
  claims.csrf = csrf->get<std::string>();
  if (now_s >= claims.expires_at) return Status::AccessDenied("session expired");
  return claims;
}

}  // namespace maxiofs::console
