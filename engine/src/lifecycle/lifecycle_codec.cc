#include "lifecycle/lifecycle_codec.h"

#include "codec_primitives.h"

#include <optional>

namespace maxiofs::engine::lifecycle {
namespace {

constexpr uint8_t kConfigV1 = 1;
constexpr uint8_t kCursorV1 = 1;

using codec::PutByte;
using codec::PutStr;
using codec::PutVarint;
using codec::Reader;

template <class T>
void PutOptVarint(std::string* out, const std::optional<T>& v) {
  PutByte(out, v ? 1 : 0);
  if (v) PutVarint(out, static_cast<uint64_t>(*v));
}

// A presence byte PutOptVarint (or an encoder's own flag) wrote: 0 or 1, anything else fails.
bool Present(Reader& rd) {
  const uint8_t b = rd.Byte();
  if (b > 1) rd.Fail();
  return b == 1;
}

template <class T>
std::optional<T> OptVarint(Reader& rd) {
  if (!Present(rd)) return std::nullopt;
  return static_cast<T>(rd.Varint());
}

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
    if (Present(rd)) r.filter.prefix = rd.Str();
    const uint64_t tags = rd.Count();
    for (uint64_t t = 0; t < tags && rd.ok(); ++t) {
      LifecycleTag tag;
      tag.key = rd.Str();
      tag.value = rd.Str();
      r.filter.tags.push_back(std::move(tag));
    }
    r.filter.size_greater_than = OptVarint<uint64_t>(rd);
    r.filter.size_less_than = OptVarint<uint64_t>(rd);
    if (Present(rd)) {
      LifecycleExpiration e;
      e.days = OptVarint<uint32_t>(rd);
      e.date_ns = OptVarint<int64_t>(rd);
      const uint8_t m = rd.Byte();
      if (m > 2) rd.Fail();
      if (m != 0) e.expired_object_delete_marker = (m == 2);
      r.expiration = e;
    }
    if (Present(rd)) {
      NoncurrentVersionExpiration nc;
      nc.noncurrent_days = OptVarint<uint32_t>(rd);
      nc.newer_noncurrent_versions = OptVarint<uint32_t>(rd);
      r.noncurrent_expiration = nc;
    }
    r.abort_incomplete_upload_days = OptVarint<uint32_t>(rd);
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
