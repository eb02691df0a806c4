// Fuzzes AWS Signature V4 as the S3 API verifies it: the Authorization header (parsing, the
// canonical request with its canonical headers and URI, the signature check), the presigned
// query form, and the credential parser. Input: a request as text (request_text.h).
#include "auth/auth.h"
#include "auth/sigv4.h"
#include "request_text.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using maxiofs::fuzz::RequestText;
namespace auth = maxiofs::s3::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const RequestText request(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto lookup = maxiofs::fuzz::AwsKey();
  // Once at the seeds' date (the signatures can match) and once far from it (skew, expiry).
  for (int64_t now : {maxiofs::fuzz::k20130524, maxiofs::fuzz::k20130524 + 7 * 24 * 3600 + 1}) {
    maxiofs::s3::AuthRequest view = request.View(now);
    (void)maxiofs::s3::Authenticate(view, lookup);
    view.region = "";
    view.allow_iam_sts = true;
    view.payload_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    (void)maxiofs::s3::Authenticate(view, lookup);
  }
  for (const auto& [name, value] : request.headers) {
    if (name != "authorization") continue;
    auto parsed = auth::ParseSigV4Authorization(value);
    if (parsed.has_value()) {
      (void)auth::CanonicalHeaders(request.View(0), parsed.value().signed_headers);
      auth::SigV4Credential again;
      (void)auth::ParseSigV4Credential(value, again);
    }
  }
  return 0;
}
