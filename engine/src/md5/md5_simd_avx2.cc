// The 8-lane MD5 kernel with AVX2 instructions. Compiled with -mavx2 (see md5_simd.h on why
// this file includes no standard library header).
#include "md5_simd.h"

#include <immintrin.h>

namespace maxiofs::engine::md5simd {

#define ROTL(x, s) _mm256_or_si256(_mm256_slli_epi32(x, s), _mm256_srli_epi32(x, 32 - (s)))
#define F(b, c, d) _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)))
#define G(b, c, d) _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)))
#define H(b, c, d) _mm256_xor_si256(_mm256_xor_si256(b, c), d)
#define I(b, c, d) \
  _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, _mm256_set1_epi32(-1))))
#define MD5_KERNEL Compress8Avx2
#include "md5_simd_kernel.inc"

}  // namespace maxiofs::engine::md5simd
