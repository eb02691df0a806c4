// Hashes, MACs and encodings of AWS request signatures (SigV4, SigV2, aws-chunked), shared by
// the S3 front end (which verifies them) and the S3 client (which signs: backends, replication).
//
// A thin wrapper over Crypto++ so that no file that signs or verifies requests includes Crypto++
// headers. All functions take and return bytes in std::string / std::string_view (binary safe).
//
// Thread-safety: the free functions are safe for concurrent use. A Sha256Hasher is not
// thread-safe; one owner at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::aws {

inline constexpr std::string_view kEmptySha256Hex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);
// Lower-case hex of SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);
// HMAC-SHA256(key, data): 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// HMAC-SHA1(key, data): 20 raw bytes.
std::string HmacSha1(std::string_view key, std::string_view data);

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// Standard base64 (RFC 4648, with padding, no line breaks).
std::string Base64Encode(std::string_view bytes);

// True when `a` and `b` are equal. The time taken depends only on the lengths, never on the
// position of the first difference (for comparing signatures).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when `s` is exactly `len` hex digits (either case).
bool IsHex(std::string_view s, size_t len);

// Incremental SHA-256 for streamed data.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  // Lower-case hex digest of everything given since construction or the last Finish(); resets
  // the hasher.
  std::string FinishHex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace maxiofs::aws
