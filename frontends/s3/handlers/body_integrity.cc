#include "handlers/body_integrity.h"

#include "digest.h"
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"

#include <array>

namespace maxiofs::s3 {

namespace {

constexpr std::array<engine::ChecksumAlgorithm, 5> kAlgorithms = {
    engine::ChecksumAlgorithm::kCRC32, engine::ChecksumAlgorithm::kCRC32C,
    engine::ChecksumAlgorithm::kCRC64NVME, engine::ChecksumAlgorithm::kSHA1,
    engine::ChecksumAlgorithm::kSHA256};

S3Error ChecksumMismatch(engine::ChecksumAlgorithm alg) {
  return S3Error{S3ErrorCode::kBadDigest, "The " + ChecksumHeaderName(alg) +
                                              " you specified did not match the calculated "
                                              "checksum."};
}

}  // namespace

S3Result<BodyIntegrity> ExtractBodyIntegrity(const HttpRequest& request, bool required) {
  BodyIntegrity integrity;
  if (auto md5 = request.Header("content-md5")) {
    auto raw = Base64Decode(TrimOws(*md5));
    if (!raw || raw->size() != 16) {
      return S3Error{S3ErrorCode::kInvalidDigest, "The Content-MD5 you specified was invalid."};
    }
    integrity.md5 = std::move(*raw);
  }
  for (auto alg : kAlgorithms) {
    if (auto v = request.Header(ChecksumHeaderName(alg))) {
      auto raw = Base64Decode(TrimOws(*v));
      if (!raw || raw->size() != ChecksumLength(alg)) {
        return S3Error{S3ErrorCode::kInvalidChecksum,
                       "Value for " + ChecksumHeaderName(alg) + " header is invalid."};
      }
      integrity.algorithm = alg;
      integrity.checksum = std::move(*raw);
    }
  }
  if (auto trailer = request.Header("x-amz-trailer")) {
    std::string_view name = TrimOws(*trailer);
    if (name.starts_with("x-amz-checksum-")) {
      integrity.trailer_algorithm = ChecksumAlgorithmFromName(name.substr(15));
      if (integrity.trailer_algorithm == engine::ChecksumAlgorithm::kNone) {
        return S3Error{S3ErrorCode::kInvalidRequest, "Invalid x-amz-trailer."};
      }
    }
  }
  if (required && !integrity.any()) {
    return S3Error{S3ErrorCode::kInvalidRequest,
                   "Missing required header for this request: Content-MD5 or x-amz-checksum-*"};
  }
  return integrity;
}

std::optional<S3Error> VerifyBodyIntegrity(const BodyIntegrity& integrity, std::string_view body,
                                           const HeaderList& trailers) {
  if (integrity.md5 && Md5(body) != *integrity.md5) {
    return S3Error{S3ErrorCode::kBadDigest,
                   "The Content-MD5 you specified did not match what we received."};
  }
  if (integrity.algorithm != engine::ChecksumAlgorithm::kNone &&
      ComputeChecksum(integrity.algorithm, body) != integrity.checksum) {
    return ChecksumMismatch(integrity.algorithm);
  }
  if (integrity.trailer_algorithm != engine::ChecksumAlgorithm::kNone) {
    std::string name = ChecksumHeaderName(integrity.trailer_algorithm);
    const std::string* value = nullptr;
    for (const auto& [n, v] : trailers) {
      if (n == name) value = &v;
    }
    if (value == nullptr) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "The trailer " + name + " declared in x-amz-trailer was not sent."};
    }
    auto raw = Base64Decode(TrimOws(*value));
    if (!raw || raw->size() != ChecksumLength(integrity.trailer_algorithm)) {
      return S3Error{S3ErrorCode::kInvalidChecksum, "Value for " + name + " trailer is invalid."};
    }
    if (ComputeChecksum(integrity.trailer_algorithm, body) != *raw) {
      return ChecksumMismatch(integrity.trailer_algorithm);
    }
  }
  return std::nullopt;
}

}  // namespace maxiofs::s3
