// SecretBox: HKDF-SHA256 key derivation and AES-256-GCM sealing (see secret_box.h).
#include "secret_box.h"

#include "../seal.h"

#include <cryptopp/hkdf.h>
#include <cryptopp/misc.h>
#include <cryptopp/sha.h>

namespace maxiofs::engine::iam {
namespace {

constexpr std::string_view kHkdfInfo = "maxiofs-iam-secrets-v1";
constexpr std::string_view kCheckLabel = "maxiofs-iam-key-check-v1";
constexpr char kCheckRecordVersion = '1';
constexpr size_t kCheckSize = 16;

const CryptoPP::byte* B(const char* p) { return reinterpret_cast<const CryptoPP::byte*>(p); }

std::string DeriveKey(std::string_view master_secret, std::string_view salt) {
  std::string key(kDataKeySize, '\0');
  CryptoPP::HKDF<CryptoPP::SHA256> hkdf;
  hkdf.DeriveKey(reinterpret_cast<CryptoPP::byte*>(key.data()), key.size(), B(master_secret.data()),
                 master_secret.size(), B(salt.data()), salt.size(), B(kHkdfInfo.data()),
                 kHkdfInfo.size());
  return key;
}

}  // namespace

SecretBox SecretBox::Create(std::string_view master_secret) {
  std::string salt = RandomBytes(kSaltSize);
  std::string key = DeriveKey(master_secret, salt);
  return SecretBox(std::move(salt), std::move(key));
}

Result<SecretBox> SecretBox::FromCheckRecord(std::string_view master_secret,
                                             std::string_view record) {
  if (record.size() != 1 + kSaltSize + kCheckSize || record[0] != kCheckRecordVersion) {
    return Status::Corruption("unreadable IAM key check record");
  }
  std::string salt(record.substr(1, kSaltSize));
  std::string key = DeriveKey(master_secret, salt);
  SecretBox box(std::move(salt), std::move(key));
  const std::string want = box.CheckValue();
  std::string_view have = record.substr(1 + kSaltSize);
  if (!CryptoPP::VerifyBufsEqual(B(want.data()), B(have.data()), kCheckSize)) {
    return Status::InvalidArgument(kWrongMasterSecretMessage);
  }
  return box;
}

std::string SecretBox::CheckValue() const {
  return HmacSha256(key_, kCheckLabel).substr(0, kCheckSize);
}

std::string SecretBox::CheckRecord() const {
  std::string r(1, kCheckRecordVersion);
  r += salt_;
  r += CheckValue();
  return r;
}

std::string SecretBox::Seal(std::string_view secret, std::string_view aad) const {
  return WrapKey(key_, secret, aad);
}

Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view aad) const {
  auto r = UnwrapKey(key_, sealed, aad);
  if (!r.has_value()) return Status::Corruption("a stored IAM secret does not decrypt");
  return r;
}

}  // namespace maxiofs::engine::iam
