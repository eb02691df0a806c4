#include "request_body.h"

#include "digest.h"
#include "encoding.h"
#include "responses.h"

namespace maxiofs::s3 {

RequestBody::RequestBody(std::unique_ptr<BodyConsumer> consumer, const AuthResult& auth,
                         std::string resource, std::string request_id)
    : consumer_(std::move(consumer)),
      mode_(auth.payload_mode),
      expected_sha256_(auth.expected_sha256),
      resource_(std::move(resource)),
      request_id_(std::move(request_id)) {
  switch (mode_) {
    case PayloadMode::kUnsigned:
      break;
    case PayloadMode::kSignedSha256:
      sha256_ = std::make_unique<Sha256Stream>();
      break;
    case PayloadMode::kStreamingSigned:
      decoder_ = std::make_unique<ChunkedDecoder>(auth.chunk, false);
      break;
    case PayloadMode::kStreamingSignedTrailer:
      decoder_ = std::make_unique<ChunkedDecoder>(auth.chunk, true);
      break;
    case PayloadMode::kStreamingUnsignedTrailer:
      decoder_ = std::make_unique<ChunkedDecoder>(std::nullopt, true);
      break;
  }
}

RequestBody::~RequestBody() = default;

Response RequestBody::Error(const S3Error& e) const {
  return MakeErrorResponse(e, resource_, request_id_, false);
}

std::optional<Response> RequestBody::Feed(std::string_view raw) {
  std::string_view payload = raw;
  if (sha256_) sha256_->Update(raw);
  if (decoder_) {
    decoded_.clear();
    if (auto err = decoder_->Feed(raw, decoded_)) return Error(*err);
    payload = decoded_;
  }
  if (auto err = consumer_->Consume(payload)) return Error(*err);
  return std::nullopt;
}

Response RequestBody::Finish() {
  static const HeaderList kNoTrailers;
  const HeaderList* trailers = &kNoTrailers;
  if (sha256_) {
    if (HexEncode(sha256_->Final()) != expected_sha256_) {
      return Error(S3Error{S3ErrorCode::kXAmzContentSHA256Mismatch,
                           "The provided 'x-amz-content-sha256' header does not match what was "
                           "computed."});
    }
  }
  if (decoder_) {
    if (!decoder_->done()) {
      return Error(S3Error{S3ErrorCode::kIncompleteBody,
                           "The request body ended before the final aws-chunked chunk."});
    }
    trailers = &decoder_->trailers();
  }
  auto result = consumer_->Finish(*trailers);
  if (!result.has_value()) return Error(result.error());
  return std::move(result).value();
}

}  // namespace maxiofs::s3
