// Identity record keys and JSON encodings (see identity_records.h).
#include "identity_records.h"

#include "../key_codec.h"

#include <nlohmann/json.hpp>

namespace maxiofs::engine::iam {
namespace {

using Json = nlohmann::json;
constexpr int kRecordVersion = 1;

std::string Dump(const Json& j) {
  // Replace, never throw, on invalid UTF-8 (a description is user text).
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ToHex(std::string_view b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(b.size() * 2, '\0');
  for (size_t i = 0; i < b.size(); ++i) {
    auto c = static_cast<unsigned char>(b[i]);
    out[2 * i] = kHex[c >> 4];
    out[2 * i + 1] = kHex[c & 15];
  }
  return out;
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> FromHex(std::string_view h) {
  if (h.size() % 2 != 0) return std::nullopt;
  std::string out(h.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexVal(h[2 * i]), lo = HexVal(h[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// Typed, non-throwing field readers: false when the field is missing or of another type.
bool GetString(const Json& j, const char* k, std::string* out) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_string()) return false;
  *out = it->get_ref<const std::string&>();
  return true;
}
bool GetInt(const Json& j, const char* k, int64_t* out) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_number_integer()) return false;
  *out = it->get<int64_t>();
  return true;
}
bool GetBool(const Json& j, const char* k, bool* out) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_boolean()) return false;
  *out = it->get<bool>();
  return true;
}
bool GetStrings(const Json& j, const char* k, std::vector<std::string>* out) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_array()) return false;
  out->clear();
  for (const Json& e : *it) {
    if (!e.is_string()) return false;
    out->push_back(e.get_ref<const std::string&>());
  }
  return true;
}
bool GetHex(const Json& j, const char* k, std::string* out) {
  std::string h;
  if (!GetString(j, k, &h)) return false;
  auto raw = FromHex(h);
  if (!raw) return false;
  *out = std::move(*raw);
  return true;
}

// The parsed object when `value` is a JSON object of a known version; nullopt otherwise.
std::optional<Json> ParseObject(std::string_view value) {
  Json j = Json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  int64_t v = 0;
  if (!GetInt(j, "v", &v) || v != kRecordVersion) return std::nullopt;
  return j;
}

Status Bad(std::string_view kind) {
  return Status::Corruption("unreadable IAM " + std::string(kind) + " record");
}

std::string Key(char sub, std::string_view tail) {
  std::string k;
  k.reserve(2 + tail.size());
  k.push_back(kIdentityTag);
  k.push_back(sub);
  k.append(tail);
  return k;
}

}  // namespace

std::string LowerName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string IdentityCheckKey() { return Key('C', ""); }
std::string UserKey(std::string_view name) { return Key(kUserSubTag, LowerName(name)); }
std::string AccessKeyKey(std::string_view access_key) { return Key(kAccessKeySubTag, access_key); }
std::string GroupKey(std::string_view name) { return Key(kGroupSubTag, LowerName(name)); }
std::string PolicyKey(std::string_view name) { return Key(kPolicySubTag, LowerName(name)); }
std::string SessionKey(std::string_view access_key) { return Key(kSessionSubTag, access_key); }
std::string IdentityPrefix() { return std::string(1, kIdentityTag); }
std::string IdentityPrefix(char sub_tag) { return Key(sub_tag, ""); }

std::string EncodeUser(const UserRecord& r) {
  Json j = {{"v", kRecordVersion},     {"name", r.name},       {"id", r.id},
            {"created", r.created_ns}, {"enabled", r.enabled}, {"groups", r.groups},
            {"policies", r.policies}};
  if (!r.password_hash.empty()) j["password"] = r.password_hash;
  return Dump(j);
}

Result<UserRecord> DecodeUser(std::string_view value) {
  auto j = ParseObject(value);
  UserRecord r;
  if (!j || !GetString(*j, "name", &r.name) || !GetString(*j, "id", &r.id) ||
      !GetInt(*j, "created", &r.created_ns) || !GetBool(*j, "enabled", &r.enabled) ||
      !GetStrings(*j, "groups", &r.groups) || !GetStrings(*j, "policies", &r.policies)) {
    return Bad("user");
  }
  if (j->contains("password") && !GetString(*j, "password", &r.password_hash)) return Bad("user");
  return r;
}

std::string EncodeAccessKey(const AccessKeyRecord& r) {
  return Dump({{"v", kRecordVersion},
               {"user", r.user},
               {"secret", ToHex(r.sealed_secret)},
               {"status", r.active ? "Active" : "Inactive"},
               {"created", r.created_ns},
               {"last_used", r.last_used_ns}});
}

Result<AccessKeyRecord> DecodeAccessKey(std::string_view value) {
  auto j = ParseObject(value);
  AccessKeyRecord r;
  std::string status;
  if (!j || !GetString(*j, "user", &r.user) || !GetHex(*j, "secret", &r.sealed_secret) ||
      !GetString(*j, "status", &status) || !GetInt(*j, "created", &r.created_ns) ||
      !GetInt(*j, "last_used", &r.last_used_ns) || (status != "Active" && status != "Inactive")) {
    return Bad("access key");
  }
  r.active = status == "Active";
  return r;
}

std::string EncodeGroup(const GroupRecord& r) {
  return Dump({{"v", kRecordVersion},
               {"name", r.name},
               {"id", r.id},
               {"created", r.created_ns},
               {"policies", r.policies}});
}

Result<GroupRecord> DecodeGroup(std::string_view value) {
  auto j = ParseObject(value);
  GroupRecord r;
  if (!j || !GetString(*j, "name", &r.name) || !GetString(*j, "id", &r.id) ||
      !GetInt(*j, "created", &r.created_ns) || !GetStrings(*j, "policies", &r.policies)) {
    return Bad("group");
  }
  return r;
}

std::string EncodePolicy(const PolicyRecord& r) {
  return Dump({{"v", kRecordVersion},
               {"name", r.name},
               {"id", r.id},
               {"description", r.description},
               {"document", r.document},
               {"created", r.created_ns},
               {"updated", r.updated_ns}});
}

Result<PolicyRecord> DecodePolicy(std::string_view value) {
  auto j = ParseObject(value);
  PolicyRecord r;
  if (!j || !GetString(*j, "name", &r.name) || !GetString(*j, "id", &r.id) ||
      !GetString(*j, "description", &r.description) || !GetString(*j, "document", &r.document) ||
      !GetInt(*j, "created", &r.created_ns) || !GetInt(*j, "updated", &r.updated_ns)) {
    return Bad("policy");
  }
  return r;
}

std::string EncodeSession(const SessionRecord& r) {
  return Dump({{"v", kRecordVersion},
               {"user", r.user},
               {"secret", ToHex(r.sealed_secret)},
               {"token", ToHex(r.sealed_token)},
               {"created", r.created_ns},
               {"expires", r.expires_ns},
               {"arn", r.arn},
               {"policy", r.policy}});
}

Result<SessionRecord> DecodeSession(std::string_view value) {
  auto j = ParseObject(value);
  SessionRecord r;
  if (!j || !GetString(*j, "user", &r.user) || !GetHex(*j, "secret", &r.sealed_secret) ||
      !GetHex(*j, "token", &r.sealed_token) || !GetInt(*j, "created", &r.created_ns) ||
      !GetInt(*j, "expires", &r.expires_ns) || !GetString(*j, "arn", &r.arn) ||
      !GetString(*j, "policy", &r.policy)) {
    return Bad("session");
  }
  return r;
}

}  // namespace maxiofs::engine::iam
