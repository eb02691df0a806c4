#include "lifecycle/lifecycle_codec.h"

#include <optional>

namespace maxiofs::engine::lifecycle {
namespace {

constexpr uint8_t kConfigV1 = 1;
constexpr uint8_t kCursorV1 = 1;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void PutStr(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}
void PutByte(std::string* out, uint8_t b) { out->push_back(static_cast<char>(b)); }
template <class T>
void PutOptVarint(std::string* out, const std::optional<T>& v) {
  PutByte(out, v ? 1 : 0);
  if (v) PutVarint(out, static_cast<uint64_t>(*v));
}

// Reads fields; any overrun sets ok_ = false and yields zero values.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint8_t Byte() {
    if (in_.empty()) return Fail(), 0;
    uint8_t b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return b;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (in_.empty()) return Fail(), 0;
      uint8_t b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail(), 0;
  }
  std::string Str() {
    uint64_t n = Varint();
    if (!ok_ || n > in_.size()) return Fail(), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  // A count of items that take at least one byte each: bounded by what is left.
  uint64_t Count() {
    uint64_t n = Varint();
    if (n > in_.size()) return Fail(), 0;
    return n;
  }
  bool Present() {
    uint8_t b = Byte();
    if (b > 1) Fail();
    return b == 1;
  }
  template <class T>
  std::optional<T> OptVarint() {
    if (!Present()) return std::nullopt;
    return static_cast<T>(Varint());
  }
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  void Fail() {
    ok_ = false;
    in_ = {};
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeConfig(const LifecycleConfiguration& config) {
  std::string out;
  PutByte(&out, kConfigV1);
  PutVarint(&out, config.rules.size());
  for (const LifecycleRule& r : config.rules) {
    PutStr(&out, r.id);
    PutByte(&out, r.enabled ? 1 : 0);
    const LifecycleFilter& f = r.filter;
    PutByte(&out, static_cast<uint8_t>(f.form));
    PutByte(&out, f.prefix ? 1 : 0);
    if (f.prefix) PutStr(&out, *f.prefix);
    PutVarint(&out, f.tags.size());
    for (const LifecycleTag& t : f.tags) {
      PutStr(&out, t.key);
      PutStr(&out, t.value);
    }
    PutOptVarint(&out, f.size_greater_than);
    PutOptVarint(&out, f.size_less_than);
    PutByte(&out, r.expiration ? 1 : 0);
    if (r.expiration) {
      PutOptVarint(&out, r.expiration->days);
      PutOptVarint(&out, r.expiration->date_ns);
      const auto& m = r.expiration->expired_object_delete_marker;
      PutByte(&out, !m ? 0 : (*m ? 2 : 1));
    }
    PutByte(&out, r.noncurrent_expiration ? 1 : 0);
    if (r.noncurrent_expiration) {
      PutOptVarint(&out, r.noncurrent_expiration->noncurrent_days);
      PutOptVarint(&out, r.noncurrent_expiration->newer_noncurrent_versions);
    }
    PutOptVarint(&out, r.abort_incomplete_upload_days);
  }
  return out;
}

Result<LifecycleConfiguration> DecodeConfig(std::string_view in) {
  Reader rd(in);
  if (rd.Byte() != kConfigV1) return Status::Corruption("unknown lifecycle record version");
  LifecycleConfiguration c;
  const uint64_t n = rd.Count();
  for (uint64_t i = 0; i < n && rd.ok(); ++i) {
    LifecycleRule r;
    r.id = rd.Str();
    r.enabled = rd.Byte() != 0;
    const uint8_t form = rd.Byte();
    if (form > static_cast<uint8_t>(LifecycleFilter::Form::kAnd)) rd.Fail();
    r.filter.form = static_cast<LifecycleFilter::Form>(form);
    if (rd.Present()) r.filter.prefix = rd.Str();
    const uint64_t tags = rd.Count();
    for (uint64_t t = 0; t < tags && rd.ok(); ++t) {
      LifecycleTag tag;
      tag.key = rd.Str();
      tag.value = rd.Str();
      r.filter.tags.push_back(std::move(tag));
    }
    r.filter.size_greater_than = rd.OptVarint<uint64_t>();
    r.filter.size_less_than = rd.OptVarint<uint64_t>();
    if (rd.Present()) {
      LifecycleExpiration e;
      e.days = rd.OptVarint<uint32_t>();
      e.date_ns = rd.OptVarint<int64_t>();
      const uint8_t m = rd.Byte();
      if (m > 2) rd.Fail();
      if (m != 0) e.expired_object_delete_marker = (m == 2);
      r.expiration = e;
    }
    if (rd.Present()) {
      NoncurrentVersionExpiration nc;
      nc.noncurrent_days = rd.OptVarint<uint32_t>();
      nc.newer_noncurrent_versions = rd.OptVarint<uint32_t>();
      r.noncurrent_expiration = nc;
    }
    r.abort_incomplete_upload_days = rd.OptVarint<uint32_t>();
    c.rules.push_back(std::move(r));
  }
  if (!rd.ok() || !rd.done()) return Status::Corruption("malformed lifecycle record");
  return c;
}

std::string EncodeCursor(const Cursor& c) {
  std::string out;
  PutByte(&out, kCursorV1);
  PutByte(&out, static_cast<uint8_t>(c.phase));
  PutStr(&out, c.key);
  PutStr(&out, c.vkey);
  PutVarint(&out, c.newer_count);
  PutVarint(&out, static_cast<uint64_t>(c.successor_mtime_ns));
  PutVarint(&out, static_cast<uint64_t>(c.pass_start_ns));
  return out;
}

Result<Cursor> DecodeCursor(std::string_view in) {
  Reader rd(in);
  if (rd.Byte() != kCursorV1) return Status::Corruption("unknown lifecycle cursor version");
  Cursor c;
  const uint8_t phase = rd.Byte();
  if (phase > static_cast<uint8_t>(Cursor::Phase::kUploads)) rd.Fail();
  c.phase = static_cast<Cursor::Phase>(phase);
  c.key = rd.Str();
  c.vkey = rd.Str();
  c.newer_count = rd.Varint();
  c.successor_mtime_ns = static_cast<int64_t>(rd.Varint());
  c.pass_start_ns = static_cast<int64_t>(rd.Varint());
  if (!rd.ok() || !rd.done()) return Status::Corruption("malformed lifecycle cursor");
  return c;
}

}  // namespace maxiofs::engine::lifecycle
