// MD5 compression of several independent streams at once, in the SIMD lanes of one core when
// the CPU has AVX2 or AVX-512VL (one stream's MD5 is a serial chain of dependent steps, so it
// cannot use them; eight streams side by side can). Whole 64-byte blocks only: padding and the
// bytes of a partial block are the caller's (OpenSSL's MD5_CTX, in md5_batcher.h).
// Thread-safe: these functions keep no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace maxiofs::engine {

enum class Md5Kernel { kScalar, kAvx2, kAvx512 };

inline constexpr size_t kMd5Lanes = 8;

// The fastest kernel this CPU (and OS) can run.
Md5Kernel BestMd5Kernel();
// BestMd5Kernel(), unless the environment variable MAXIOFS_MD5_KERNEL names an available one
// ("scalar", "avx2", "avx512vl"): for A/B benchmarks and for CPUs that misreport.
Md5Kernel Md5KernelFromEnvironment();
// Whether this CPU can run `kernel` (kScalar always).
bool Md5KernelAvailable(Md5Kernel kernel);
const char* Md5KernelName(Md5Kernel kernel);

// One stream in a lane: its chaining state (A, B, C, D) and its next block.
struct Md5Lane {
  uint32_t* state;  // 4 words, updated in place
  const unsigned char* data;
};

// Advances every lane (lanes.size() <= kMd5Lanes) over `blocks` 64-byte blocks of its data, and
// each lane's data pointer past them. REQUIRES: Md5KernelAvailable(kernel).
void Md5CompressLanes(Md5Kernel kernel, std::span<Md5Lane> lanes, size_t blocks);

// One stream, with OpenSSL's assembly.
void Md5CompressScalar(uint32_t state[4], const unsigned char* data, size_t blocks);

}  // namespace maxiofs::engine
