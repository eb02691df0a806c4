// SecretBox: seals the IAM secrets kept at rest (access-key secrets, session secrets and
// tokens) with AES-256-GCM under a key derived from the configured master secret:
//
//   key         := HKDF-SHA256(ikm = master secret, salt = random 16 bytes of the data dir,
//                              info = "maxiofs-iam-secrets-v1"), 32 bytes
//   sealed      := nonce(12) AES-256-GCM(secret) tag(16)       (WrapKey in seal.h)
//   check value := the first 16 bytes of HMAC-SHA256(key, "maxiofs-iam-key-check-v1")
//   stored check record := "1" salt(16) check(16)              (identity_records.h 'i' 'C')
//
// The AAD of each secret names what it belongs to (the access key id and the field), so a
// sealed value copied into another record does not open. The check value lets Load tell a
// wrong master secret (InvalidArgument) from a damaged record (Corruption).
//
// Thread-safety: immutable after construction; safe for concurrent use.
#pragma once

#include "maxiofs/common/result.h"

#include <string>
#include <string_view>

namespace maxiofs::engine::iam {

class SecretBox {
 public:
  inline static constexpr size_t kSaltSize = 16;

  // A box for `master_secret` with a new random salt.
  static SecretBox Create(std::string_view master_secret);
  // The box a stored check record describes, for `master_secret`. Corruption when the record
  // is malformed; InvalidArgument (naming auth.iam_master_secret) when the master secret is
  // not the one the record was made with.
  static Result<SecretBox> FromCheckRecord(std::string_view master_secret, std::string_view record);

  // The record to store so that FromCheckRecord can rebuild (and verify) this box.
  std::string CheckRecord() const;

  // Seals `secret`; `aad` binds it to its owner.
  std::string Seal(std::string_view secret, std::string_view aad) const;
  // Corruption when `sealed` does not authenticate under this key and `aad`.
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;

 private:
  SecretBox(std::string salt, std::string key) : salt_(std::move(salt)), key_(std::move(key)) {}
  std::string CheckValue() const;

  std::string salt_;
  std::string key_;
};

// The message of the InvalidArgument given for a wrong master secret.
inline constexpr std::string_view kWrongMasterSecretMessage =
    "the stored IAM secrets were encrypted with a different master secret: set "
    "auth.iam_master_secret (or, when it is empty, auth.secret_key) to the value they were "
    "created with";

}  // namespace maxiofs::engine::iam
