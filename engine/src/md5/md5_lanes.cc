#include "md5/md5_lanes.h"

#include "md5/md5_simd.h"

#include <cassert>
#include <cstdlib>
#include <cstring>
// OpenSSL's low-level MD5 (see checksums.cc): MD5_CTX's fields are public, and an update of
// whole blocks from a block boundary runs its assembly over them without buffering.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

namespace maxiofs::engine {

Md5Kernel BestMd5Kernel() {
  if (Md5KernelAvailable(Md5Kernel::kAvx512)) return Md5Kernel::kAvx512;
  if (Md5KernelAvailable(Md5Kernel::kAvx2)) return Md5Kernel::kAvx2;
  return Md5Kernel::kScalar;
}

Md5Kernel Md5KernelFromEnvironment() {
  const char* name = std::getenv("MAXIOFS_MD5_KERNEL");
  if (name != nullptr) {
    for (Md5Kernel k : {Md5Kernel::kScalar, Md5Kernel::kAvx2, Md5Kernel::kAvx512}) {
      if (std::strcmp(name, Md5KernelName(k)) == 0 && Md5KernelAvailable(k)) return k;
    }
  }
  return BestMd5Kernel();
}

bool Md5KernelAvailable(Md5Kernel kernel) {
  // libgcc's CPU model also checks that the OS saves the vector registers (XCR0).
  switch (kernel) {
    case Md5Kernel::kScalar:
      return true;
#if MAXIOFS_MD5_SIMD
    case Md5Kernel::kAvx2:
      return __builtin_cpu_supports("avx2");
    case Md5Kernel::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
#else
    case Md5Kernel::kAvx2:
    case Md5Kernel::kAvx512:
      return false;
#endif
  }
  return false;
}

const char* Md5KernelName(Md5Kernel kernel) {
  switch (kernel) {
    case Md5Kernel::kScalar:
      return "scalar";
    case Md5Kernel::kAvx2:
      return "avx2";
    case Md5Kernel::kAvx512:
      return "avx512vl";
  }
  return "?";
}

void Md5CompressScalar(uint32_t state[4], const unsigned char* data, size_t blocks) {
  if (blocks == 0) return;
  MD5_CTX ctx;
  MD5_Init(&ctx);
  ctx.A = state[0];
  ctx.B = state[1];
  ctx.C = state[2];
  ctx.D = state[3];
  MD5_Update(&ctx, data, blocks * 64);
  state[0] = ctx.A;
  state[1] = ctx.B;
  state[2] = ctx.C;
  state[3] = ctx.D;
}

void Md5CompressLanes(Md5Kernel kernel, std::span<Md5Lane> lanes, size_t blocks) {
  assert(lanes.size() <= kMd5Lanes && Md5KernelAvailable(kernel));
  if (blocks == 0) return;
  if (kernel == Md5Kernel::kScalar || lanes.size() == 1) {
    for (Md5Lane& l : lanes) {
      Md5CompressScalar(l.state, l.data, blocks);
      l.data += blocks * 64;
    }
    return;
  }
  // Idle lanes hash one block of zeros over and over; their state is thrown away.
  alignas(64) static const unsigned char kIdle[64] = {};
  alignas(32) uint32_t state[4][8] = {};
  const unsigned char* data[8];
  size_t step[8];
  for (size_t i = 0; i < kMd5Lanes; ++i) {
    const bool used = i < lanes.size();
    for (int w = 0; w < 4; ++w) state[w][i] = used ? lanes[i].state[w] : 0;
    data[i] = used ? lanes[i].data : kIdle;
    step[i] = used ? 64 : 0;
  }
#if MAXIOFS_MD5_SIMD
  if (kernel == Md5Kernel::kAvx512) {
    md5simd::Compress8Avx512(state, data, step, blocks);
  } else {
    md5simd::Compress8Avx2(state, data, step, blocks);
  }
#endif
  for (size_t i = 0; i < lanes.size(); ++i) {
    for (int w = 0; w < 4; ++w) lanes[i].state[w] = state[w][i];
    lanes[i].data += blocks * 64;
  }
}

}  // namespace maxiofs::engine
