// RequestBody: takes a request body as it arrives on the wire and hands its payload to the
// handler's BodyConsumer, enforcing the payload mode auth decided: SHA-256 verification of
// signed payloads (XAmzContentSHA256Mismatch before anything is committed) and aws-chunked
// decoding with chunk signatures and trailers. Beast-free.
//
// Not thread-safe: one owner; the session calls it from the engine pool, one call at a time.
#pragma once

#include "auth/auth.h"
#include "digest.h"
#include "handlers/handler.h"
#include "http_types.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

class RequestBody final : public http::RequestBody {
 public:
  // `resource` and `request_id` are copied, for error documents.
  RequestBody(std::unique_ptr<BodyConsumer> consumer, const AuthResult& auth, std::string resource,
              std::string request_id);
  ~RequestBody() override;
  RequestBody(const RequestBody&) = delete;
  RequestBody& operator=(const RequestBody&) = delete;

  // The next raw body bytes. Returns an error response when the request must end now; the
  // caller sends it and stops reading (the consumer is then abandoned without effect).
  std::optional<Response> Feed(std::string_view raw) override;
  // The body is complete: verifies it and returns the handler's final response.
  Response Finish() override;

 private:
  Response Error(const S3Error& e) const;

  std::unique_ptr<BodyConsumer> consumer_;
  PayloadMode mode_;
  std::string expected_sha256_;
  std::unique_ptr<Sha256Stream> sha256_;
  std::unique_ptr<ChunkedDecoder> decoder_;
  std::string decoded_;
  std::string resource_;
  std::string request_id_;
};

}  // namespace maxiofs::s3
