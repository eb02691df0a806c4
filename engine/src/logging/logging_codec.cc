#include "logging_codec.h"

#include "../codec_primitives.h"

namespace maxiofs::engine {
namespace {

constexpr uint8_t kLoggingV1 = 1;

}  // namespace

std::string EncodeBucketLogging(const StoredBucketLogging& stored) {
  const BucketLoggingConfig& c = stored.config;
  std::string out;
  codec::PutByte(&out, kLoggingV1);
  codec::PutVarint(&out, static_cast<uint64_t>(stored.modified_ns));
  codec::PutStr(&out, c.target_bucket);
  codec::PutStr(&out, c.target_prefix);
  codec::PutByte(&out, static_cast<uint8_t>(c.key_format));
  codec::PutByte(&out, static_cast<uint8_t>(c.date_source));
  codec::PutVarint(&out, c.target_grants.size());
  for (const LogTargetGrant& g : c.target_grants) {
    codec::PutByte(&out, static_cast<uint8_t>(g.type));
    codec::PutStr(&out, g.grantee);
    codec::PutByte(&out, static_cast<uint8_t>(g.permission));
  }
  return out;
}

Result<StoredBucketLogging> DecodeBucketLogging(std::string_view in) {
  codec::Reader r(in);
  if (r.Byte() != kLoggingV1 || !r.ok()) {
    return Status::Corruption("bucket logging configuration: bad version");
  }
  StoredBucketLogging stored;
  BucketLoggingConfig& c = stored.config;
  stored.modified_ns = static_cast<int64_t>(r.Varint());
  c.target_bucket = r.Str();
  c.target_prefix = r.Str();
  const uint8_t format = r.Byte();
  const uint8_t source = r.Byte();
  if (format > static_cast<uint8_t>(LogKeyFormat::kPartitionedPrefix) ||
      source > static_cast<uint8_t>(LogPartitionDateSource::kDeliveryTime)) {
    r.Fail();
  }
  c.key_format = static_cast<LogKeyFormat>(format);
  c.date_source = static_cast<LogPartitionDateSource>(source);
  const uint64_t n = r.Count();
  for (uint64_t i = 0; r.ok() && i < n; ++i) {
    LogTargetGrant g;
    const uint8_t type = r.Byte();
    g.grantee = r.Str();
    const uint8_t perm = r.Byte();
    if (type > static_cast<uint8_t>(AclGrant::GranteeType::kEmail) ||
        perm > static_cast<uint8_t>(AclPermission::kFullControl)) {
      r.Fail();
    }
    g.type = static_cast<AclGrant::GranteeType>(type);
    g.permission = static_cast<AclPermission>(perm);
    c.target_grants.push_back(std::move(g));
  }
  if (!r.ok() || !r.done()) return Status::Corruption("bucket logging configuration: malformed");
  return stored;
}

}  // namespace maxiofs::engine
