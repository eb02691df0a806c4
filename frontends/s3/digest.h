// Digests the S3 front end computes itself: SHA-256 of signed payloads (streamed), and the
// MD5 / checksums of the small bodies it buffers (DeleteObjects). Object data digests are the
// engine's job. Results are raw bytes (CRCs big-endian, as S3 encodes them).
#pragma once

#include "maxiofs/engine/types.h"

#include <memory>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

std::string Md5(std::string_view data);
std::string Sha256(std::string_view data);
// The raw digest of `data` for an additional-checksum algorithm (kNone: empty).
std::string ComputeChecksum(engine::ChecksumAlgorithm algorithm, std::string_view data);

// Incremental SHA-256. Not thread-safe; one owner.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view data);
  // The raw 32-byte digest; the stream must not be used afterwards.
  std::string Final();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace maxiofs::s3
