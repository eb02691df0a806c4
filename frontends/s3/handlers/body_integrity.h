// Integrity of small request documents (DeleteObjects, PutObjectLockConfiguration,
// PutObjectRetention, PutObjectLegalHold, PutBucketVersioning): Content-MD5 or one
// x-amz-checksum-* header, or a checksum in an aws-chunked trailer. AWS requires one of them
// for these operations; MaxIOFS verifies whichever is sent. Pure; thread-safe.
#pragma once

#include "http_types.h"
#include "s3_error.h"

#include "maxiofs/engine/types.h"

#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

struct BodyIntegrity {
  std::optional<std::string> md5;  // raw 16 bytes
  engine::ChecksumAlgorithm algorithm = engine::ChecksumAlgorithm::kNone;
  std::string checksum;  // raw digest bytes
  engine::ChecksumAlgorithm trailer_algorithm = engine::ChecksumAlgorithm::kNone;
  bool any() const {
    return md5 || algorithm != engine::ChecksumAlgorithm::kNone ||
           trailer_algorithm != engine::ChecksumAlgorithm::kNone;
  }
};

// Reads the integrity headers. InvalidDigest / InvalidRequest for malformed values; with
// `required`, InvalidRequest when none is present (AWS's answer).
S3Result<BodyIntegrity> ExtractBodyIntegrity(const HttpRequest& request, bool required);

// Checks `body` (and the trailer checksum, if one was declared) against what was sent:
// BadDigest on mismatch.
std::optional<S3Error> VerifyBodyIntegrity(const BodyIntegrity& integrity, std::string_view body,
                                           const HeaderList& trailers);

}  // namespace maxiofs::s3
