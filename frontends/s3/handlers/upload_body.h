// The body of a data upload (PutObject and UploadPart share it): declared size (Content-Length
// or x-amz-decoded-content-length for aws-chunked), Content-MD5, an additional checksum as a
// header or as an aws-chunked trailer. The bytes stream into an engine ObjectWriter chunk by
// chunk; nothing is visible until Commit, and an abandoned request leaves nothing behind.
#pragma once

#include "handlers/handler.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace maxiofs::s3 {

struct UploadBody {
  std::optional<uint64_t> expected_size;
  std::optional<std::string> expected_md5;  // raw 16 bytes
  engine::ChecksumAlgorithm checksum_algorithm = engine::ChecksumAlgorithm::kNone;
  std::optional<std::string> expected_checksum;  // base64, from a header
  // Set when the checksum value arrives in an aws-chunked trailer.
  engine::ChecksumAlgorithm trailer_algorithm = engine::ChecksumAlgorithm::kNone;
};

// Reads the size, digest and checksum headers. MissingContentLength, InvalidDigest,
// InvalidRequest (checksum headers that disagree or are malformed).
S3Result<UploadBody> ExtractUploadBody(const RequestContext& ctx);

// Builds the success response from the committed object (or part).
using CommitResponder = std::function<S3Result<Response>(const engine::ObjectInfo& info)>;

// A consumer appending the payload to `writer`; Finish checks the trailer checksum, commits and
// calls `respond`.
std::unique_ptr<BodyConsumer> WriterBody(std::unique_ptr<engine::ObjectWriter> writer,
                                         engine::ChecksumAlgorithm trailer_algorithm,
                                         CommitResponder respond);

}  // namespace maxiofs::s3
