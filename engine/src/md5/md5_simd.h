// The vector MD5 compression kernels behind md5_lanes.h. Each hashes 8 independent MD5 streams
// at once, one per 32-bit lane. Only md5_lanes.cc calls them, and only after checking that the
// CPU has the instructions (each kernel's translation unit is compiled for them).
// This header includes nothing from the standard library on purpose: the kernels' translation
// units are compiled with -mavx2 / -mavx512*, and any inline library code instantiated there
// could be picked by the linker for the whole program.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace maxiofs::engine::md5simd {

// state[w][lane]: MD5 word w (A, B, C, D) of each of the 8 lanes.
// data[lane]: the lane's next block; it advances by step[lane] bytes per block (64, or 0 for an
// idle lane that rereads one block and whose state the caller ignores).
// Hashes `blocks` 64-byte blocks per lane.
void Compress8Avx2(uint32_t state[4][8], const unsigned char* const data[8], const size_t step[8],
                   size_t blocks);
void Compress8Avx512(uint32_t state[4][8], const unsigned char* const data[8], const size_t step[8],
                     size_t blocks);

}  // namespace maxiofs::engine::md5simd
