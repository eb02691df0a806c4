// The stored form of a bucket's CORS configuration (the value of its 'X' 'c' key, key_codec.h):
//
//   cors  := 0x01 varint(n) n * rule
//   rule  := str(id) list(methods) list(origins) list(allowed headers) list(expose headers)
//            byte(0: no max age | 1) [varint(max age seconds)]
//   list  := varint(n) n * str
//   str   := varint(length) bytes          varint := LEB128 unsigned 64-bit
//
// Decoding checks every bound: a damaged value is Corruption, never a crash.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/engine/cors.h"

#include <string>
#include <string_view>

namespace maxiofs::engine {

std::string EncodeCorsConfiguration(const CorsConfiguration& config);
Result<CorsConfiguration> DecodeCorsConfiguration(std::string_view in);

}  // namespace maxiofs::engine
