#include "handlers/upload_body.h"

#include "encoding.h"
#include "headers.h"

#include <array>

namespace maxiofs::s3 {

namespace {

constexpr std::array<engine::ChecksumAlgorithm, 5> kAlgorithms = {
    engine::ChecksumAlgorithm::kCRC32, engine::ChecksumAlgorithm::kCRC32C,
    engine::ChecksumAlgorithm::kCRC64NVME, engine::ChecksumAlgorithm::kSHA1,
    engine::ChecksumAlgorithm::kSHA256};

S3Error InvalidChecksumValue(engine::ChecksumAlgorithm alg) {
  return S3Error{S3ErrorCode::kInvalidChecksum,
                 "Value for " + ChecksumHeaderName(alg) + " header is invalid."};
}

bool ValidChecksumValue(engine::ChecksumAlgorithm alg, std::string_view value) {
  auto raw = Base64Decode(value);
  return raw && raw->size() == ChecksumLength(alg);
}

class WriterConsumer final : public BodyConsumer {
 public:
  WriterConsumer(std::unique_ptr<engine::ObjectWriter> writer,
                 engine::ChecksumAlgorithm trailer_alg, CommitResponder respond)
      : writer_(std::move(writer)), trailer_alg_(trailer_alg), respond_(std::move(respond)) {}

  std::optional<S3Error> Consume(std::string_view payload) override {
    if (payload.empty()) return std::nullopt;
    Status st = writer_->Append(std::span<const char>(payload.data(), payload.size()));
    if (!st.ok()) return FromStatus(st);
    return std::nullopt;
  }

  S3Result<Response> Finish(const HeaderList& trailers) override {
    if (trailer_alg_ != engine::ChecksumAlgorithm::kNone) {
      std::string name = ChecksumHeaderName(trailer_alg_);
      const std::string* value = nullptr;
      for (const auto& [n, v] : trailers) {
        if (n == name) value = &v;
      }
      if (value == nullptr) {
        return S3Error{S3ErrorCode::kInvalidRequest,
                       "The trailer " + name + " declared in x-amz-trailer was not sent."};
      }
      std::string trimmed(TrimOws(*value));
      if (!ValidChecksumValue(trailer_alg_, trimmed)) return InvalidChecksumValue(trailer_alg_);
      writer_->SetExpectedChecksum(engine::Checksum{trailer_alg_, trimmed});
    }
    auto info = writer_->Commit();
    if (!info.has_value()) return FromStatus(info.error());
    return respond_(*info);
  }

 private:
  std::unique_ptr<engine::ObjectWriter> writer_;
  engine::ChecksumAlgorithm trailer_alg_;
  CommitResponder respond_;
};

}  // namespace

S3Result<UploadBody> ExtractUploadBody(const RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  UploadBody body;
  const bool streaming = ctx.payload_mode == PayloadMode::kStreamingSigned ||
                         ctx.payload_mode == PayloadMode::kStreamingSignedTrailer ||
                         ctx.payload_mode == PayloadMode::kStreamingUnsignedTrailer;
  if (streaming) {
    auto decoded = request.Header("x-amz-decoded-content-length");
    if (!decoded) {
      return S3Error{S3ErrorCode::kMissingContentLength,
                     "You must provide the x-amz-decoded-content-length HTTP header."};
    }
    auto n = ParseUint64(TrimOws(*decoded));
    if (!n) {
      return S3Error{S3ErrorCode::kInvalidArgument, "Invalid x-amz-decoded-content-length"};
    }
    body.expected_size = *n;
  } else if (request.content_length) {
    body.expected_size = *request.content_length;
  } else if (!request.chunked) {
    return S3Error{S3ErrorCode::kMissingContentLength,
                   "You must provide the Content-Length HTTP header."};
  }

  if (auto md5 = request.Header("content-md5")) {
    auto raw = Base64Decode(TrimOws(*md5));
    if (!raw || raw->size() != 16) {
      return S3Error{S3ErrorCode::kInvalidDigest, "The Content-MD5 you specified was invalid."};
    }
    body.expected_md5 = std::move(*raw);
  }

  // Additional checksum: a value header, or an algorithm with the value in a trailer.
  int value_headers = 0;
  for (auto alg : kAlgorithms) {
    if (auto v = request.Header(ChecksumHeaderName(alg))) {
      ++value_headers;
      std::string value(TrimOws(*v));
      if (!ValidChecksumValue(alg, value)) return InvalidChecksumValue(alg);
      body.checksum_algorithm = alg;
      body.expected_checksum = value;
    }
  }
  if (value_headers > 1) {
    return S3Error{S3ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                   "allowed."};
  }
  if (auto trailer = request.Header("x-amz-trailer")) {
    std::string_view name = TrimOws(*trailer);
    if (name.starts_with("x-amz-checksum-")) {
      body.trailer_algorithm = ChecksumAlgorithmFromName(name.substr(15));
      if (body.trailer_algorithm == engine::ChecksumAlgorithm::kNone) {
        return S3Error{S3ErrorCode::kInvalidRequest, "Invalid x-amz-trailer."};
      }
      if (value_headers > 0 && body.trailer_algorithm != body.checksum_algorithm) {
        return S3Error{S3ErrorCode::kInvalidRequest, "Expecting a single x-amz-checksum- header."};
      }
      body.checksum_algorithm = body.trailer_algorithm;
    }
  }
  if (auto sdk = request.Header("x-amz-sdk-checksum-algorithm")) {
    auto alg = ChecksumAlgorithmFromName(TrimOws(*sdk));
    if (alg == engine::ChecksumAlgorithm::kNone) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Value for x-amz-sdk-checksum-algorithm header is invalid."};
    }
    if (body.checksum_algorithm != engine::ChecksumAlgorithm::kNone &&
        body.checksum_algorithm != alg) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "Value for x-amz-sdk-checksum-algorithm header is invalid."};
    }
    body.checksum_algorithm = alg;
  }
  return body;
}

std::unique_ptr<BodyConsumer> WriterBody(std::unique_ptr<engine::ObjectWriter> writer,
                                         engine::ChecksumAlgorithm trailer_algorithm,
                                         CommitResponder respond) {
  return std::make_unique<WriterConsumer>(std::move(writer), trailer_algorithm, std::move(respond));
}

}  // namespace maxiofs::s3
