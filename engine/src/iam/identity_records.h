// The stored form of identities: LevelDB keys and record encodings of the IdentityStore.
//
// All identity keys start with kIdentityTag ('i', see key_codec.h), then one sub-tag byte:
//
//   check-key   := 'i' 'C'                    -> SecretBoxCheck (secret_box.h): salt and check
//                                                value of the key that seals secrets
//   user-key    := 'i' 'u' lower(user-name)   -> UserRecord
//   akey-key    := 'i' 'k' access-key-id      -> AccessKeyRecord
//   group-key   := 'i' 'g' lower(group-name)  -> GroupRecord
//   policy-key  := 'i' 'p' lower(policy-name) -> PolicyRecord
//   session-key := 'i' 's' access-key-id      -> SessionRecord
//
// Names are unique case-insensitively (as IAM has them), so they are keyed by their ASCII
// lower-case form; the records keep the name as created. Values are JSON objects with a
// version field "v" (1); these records are read once at open, so readability beats size.
// Secrets (access-key secrets, session secrets and tokens) are stored only sealed
// (hex of SecretBox::Seal), console passwords only as a PBKDF2 hash (password_hash.h).
//
//   UserRecord      {"v":1,"name","id","created","enabled","groups":[group names],
//                    "policies":[policy names],"password":hash (absent: none)}
//   AccessKeyRecord {"v":1,"user","secret":sealed-hex,"status":"Active"|"Inactive","created",
//                    "last_used"}
//   GroupRecord     {"v":1,"name","id","created","policies":[policy names]}
//   PolicyRecord    {"v":1,"name","id","description","document","created","updated"}
//   SessionRecord   {"v":1,"user","secret":sealed-hex,"token":sealed-hex,"created","expires",
//                    "arn","policy"}
//
// Times are Unix ns. Group membership is kept on the user only (a group's members are derived).
#pragma once

#include "maxiofs/common/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::engine::iam {

inline constexpr char kUserSubTag = 'u';
inline constexpr char kAccessKeySubTag = 'k';
inline constexpr char kGroupSubTag = 'g';
inline constexpr char kPolicySubTag = 'p';
inline constexpr char kSessionSubTag = 's';

// ASCII lower case (names are ASCII).
std::string LowerName(std::string_view name);

std::string IdentityCheckKey();
std::string UserKey(std::string_view name);  // lower-cases
std::string AccessKeyKey(std::string_view access_key);
std::string GroupKey(std::string_view name);   // lower-cases
std::string PolicyKey(std::string_view name);  // lower-cases
std::string SessionKey(std::string_view access_key);
// The common prefix of every identity key, and of every key of one sub-tag.
std::string IdentityPrefix();
std::string IdentityPrefix(char sub_tag);

struct UserRecord {
  std::string name;
  std::string id;
  int64_t created_ns = 0;
  bool enabled = true;
  std::vector<std::string> groups;    // sorted by name, as created
  std::vector<std::string> policies;  // sorted
  std::string password_hash;          // "" = no console password
};

struct AccessKeyRecord {
  std::string user;
  std::string sealed_secret;  // raw bytes of SecretBox::Seal
  bool active = true;
  int64_t created_ns = 0;
  int64_t last_used_ns = 0;
};

struct GroupRecord {
  std::string name;
  std::string id;
  int64_t created_ns = 0;
  std::vector<std::string> policies;  // sorted
};

struct PolicyRecord {
  std::string name;
  std::string id;
  std::string description;
  std::string document;
  int64_t created_ns = 0;
  int64_t updated_ns = 0;
};

struct SessionRecord {
  std::string user;  // the IAM user who made the session; "" for root
  std::string sealed_secret;
  std::string sealed_token;
  int64_t created_ns = 0;
  int64_t expires_ns = 0;
  std::string arn;
  std::string policy;  // session policy JSON; "" = none
};

std::string EncodeUser(const UserRecord& r);
std::string EncodeAccessKey(const AccessKeyRecord& r);
std::string EncodeGroup(const GroupRecord& r);
std::string EncodePolicy(const PolicyRecord& r);
std::string EncodeSession(const SessionRecord& r);

// Corruption (naming the record kind) for anything that is not a well-formed record.
Result<UserRecord> DecodeUser(std::string_view value);
Result<AccessKeyRecord> DecodeAccessKey(std::string_view value);
Result<GroupRecord> DecodeGroup(std::string_view value);
Result<PolicyRecord> DecodePolicy(std::string_view value);
Result<SessionRecord> DecodeSession(std::string_view value);

}  // namespace maxiofs::engine::iam
