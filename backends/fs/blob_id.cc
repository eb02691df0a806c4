#include "maxiofs/backends/blob_store.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <stdexcept>

namespace maxiofs::backends {

bool IsValidBlobId(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

BlobId NewBlobId() {
  uint8_t raw[16];
  size_t got = 0;
  while (got < sizeof(raw)) {
    ssize_t n = ::getrandom(raw + got, sizeof(raw) - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // getrandom only fails on a kernel without it (pre-3.17): a programmer/platform error.
      throw std::runtime_error("getrandom failed");
    }
    got += static_cast<size_t>(n);
  }
  // The second byte, which picks the blob's second-level folder (objects/ab/cd/), is always
  // zero: 256 folders in all rather than 65,536. A fresh store then creates (and fsyncs the
  // parent of) a folder for the first few hundred blobs, not for nearly every one of its first
  // hundred thousand, and the start-up sweep opens 512 folders, not 65,792. 112 random bits
  // remain. Blobs written before keep their ids and places.
  raw[1] = 0;
  static constexpr char kHex[] = "0123456789abcdef";
  BlobId id(32, '0');
  for (size_t i = 0; i < sizeof(raw); ++i) {
    id[2 * i] = kHex[raw[i] >> 4];
    id[2 * i + 1] = kHex[raw[i] & 15];
  }
  return id;
}

}  // namespace maxiofs::backends
