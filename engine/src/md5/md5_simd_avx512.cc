// The 8-lane MD5 kernel with AVX-512VL: a rotate and a three-input logic instruction each
// replace three AVX2 instructions per step. Compiled with -mavx512f -mavx512vl (see md5_simd.h
// on why this file includes no standard library header).
#include "md5_simd.h"

#include <immintrin.h>

namespace maxiofs::engine::md5simd {

// Ternary-logic truth tables, from f(0xF0, 0xCC, 0xAA) for f over (b, c, d).
#define ROTL(x, s) _mm256_rol_epi32(x, s)
#define F(b, c, d) _mm256_ternarylogic_epi32(b, c, d, 0xCA)  // (b & c) | (~b & d)
#define G(b, c, d) _mm256_ternarylogic_epi32(b, c, d, 0xE4)  // (b & d) | (c & ~d)
#define H(b, c, d) _mm256_ternarylogic_epi32(b, c, d, 0x96)  // b ^ c ^ d
#define I(b, c, d) _mm256_ternarylogic_epi32(b, c, d, 0x39)  // c ^ (b | ~d)
#define MD5_KERNEL Compress8Avx512
#include "md5_simd_kernel.inc"

}  // namespace maxiofs::engine::md5simd
