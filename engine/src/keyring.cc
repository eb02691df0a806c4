#include "keyring.h"

#include "seal.h"

namespace maxiofs::engine {

bool IsValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<Keyring> Keyring::Make(const EncryptionOptions& options) {
  Keyring k;
  for (const MasterKey& m : options.master_keys) {
    if (!IsValidKeyId(m.id)) {
      return Status::InvalidArgument("master key id '" + m.id +
                                     "' must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (m.key.size() != kDataKeySize) {
      return Status::InvalidArgument("master key '" + m.id +
                                     "' must be 32 bytes (base64 of 32 "
                                     "bytes), got " +
                                     std::to_string(m.key.size()));
    }
    if (!k.keys_.emplace(m.id, m.key).second) {
      return Status::InvalidArgument("master key id '" + m.id + "' is given twice");
    }
  }
  if (!options.active_key_id.empty()) {
    if (!k.keys_.count(options.active_key_id)) {
      return Status::InvalidArgument("the active master key '" + options.active_key_id +
                                     "' is not among the configured keys");
    }
    k.active_ = options.active_key_id;
  } else if (k.keys_.size() == 1) {
    k.active_ = k.keys_.begin()->first;
  } else if (k.keys_.size() > 1) {
    return Status::InvalidArgument("several master keys are configured: name the active one");
  }
  if (options.encrypt_new_data && k.keys_.empty()) {
    return Status::InvalidArgument("encryption is enabled but no master key is configured");
  }
  return k;
}

const std::string* Keyring::Find(std::string_view id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

std::string Keyring::CheckValue(std::string_view key) {
  return HmacSha256(key, "maxiofs-key-check-v1").substr(0, 16);
}

}  // namespace maxiofs::engine
