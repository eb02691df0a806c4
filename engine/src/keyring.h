// Keyring: the master keys an engine was opened with, and the data-key wrapping built on them.
// Immutable after Make, so safe for concurrent use.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/options.h"

#include <map>
#include <string>
#include <string_view>

namespace maxiofs::engine {

class Keyring {
 public:
  Keyring() = default;
  // InvalidArgument for a key that is not 32 bytes, a bad or repeated id, or an active id
  // that names no key.
  static Result<Keyring> Make(const EncryptionOptions& options);

  bool empty() const { return keys_.empty(); }
  const std::string& active_id() const { return active_; }
  // The key named `id`, or nullptr.
  const std::string* Find(std::string_view id) const;
  const std::map<std::string, std::string, std::less<>>& keys() const { return keys_; }

  // A value that tells whether a key is the one a data dir was sealed with, without revealing
  // it: the first 16 bytes of HMAC-SHA256(key, "maxiofs-key-check-v1").
  static std::string CheckValue(std::string_view key);

 private:
  std::map<std::string, std::string, std::less<>> keys_;
  std::string active_;
};

// True for a usable key id: 1-64 characters of [A-Za-z0-9._-].
bool IsValidKeyId(std::string_view id);

}  // namespace maxiofs::engine
