// The byte-level pieces of the engine's stored value formats (record_codec, lifecycle, CORS,
// usage counters, KMS key records): little-endian base-128 varints, length-prefixed strings,
// single bytes, and a bounds-checked reader. One implementation, so every format agrees on
// what a varint is and every decoder refuses an overrun the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace maxiofs::engine::codec {

// Appends `v` as a varint (7 bits a byte, low first; 1-10 bytes).
inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Appends the length of `s` as a varint, then `s`.
inline void PutStr(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

inline void PutByte(std::string* out, uint8_t b) { out->push_back(static_cast<char>(b)); }

// Reads the fields PutVarint/PutStr/PutByte wrote, front to back, from a view it does not own
// (the bytes must outlive the reader). The first overrun or malformed varint makes ok() false
// for good; from then on every read yields zero or empty. Not thread-safe.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  uint8_t Byte() {
    if (in_.empty()) return Fail(), 0;
    const auto b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return b;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (in_.empty()) break;
      const auto b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail(), 0;
  }
  std::string Str() {
    const uint64_t n = Varint();
    if (!ok_ || n > in_.size()) return Fail(), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  // A count of items that take at least one byte each: more than the bytes left is an overrun.
  uint64_t Count() {
    const uint64_t n = Varint();
    if (n > in_.size()) return Fail(), 0;
    return n;
  }

  bool ok() const { return ok_; }
  // True when every byte has been read.
  bool done() const { return in_.empty(); }
  // Marks the input malformed (for checks the caller makes on values it read).
  void Fail() {
    ok_ = false;
    in_ = {};
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace maxiofs::engine::codec
