// Fuzzes AWS Signature V2 as the S3 API verifies it: the "AWS AKID:signature" header, the
// query form (AWSAccessKeyId, Expires, Signature), and the string to sign with its
// canonicalized resource (sub-resources) and x-amz-* headers. Input: a request as text
// (request_text.h).
#include "auth/auth.h"
#include "auth/sigv2.h"
#include "request_text.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using maxiofs::fuzz::RequestText;
namespace auth = maxiofs::s3::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const RequestText request(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto lookup = maxiofs::fuzz::AwsKey();
  for (int64_t now : {maxiofs::fuzz::k20130524, maxiofs::fuzz::k20130524 + 3600}) {
    maxiofs::s3::AuthRequest view = request.View(now);
    (void)maxiofs::s3::Authenticate(view, lookup);
    view.virtual_host_bucket = "examplebucket";
    (void)maxiofs::s3::Authenticate(view, lookup);
  }
  const maxiofs::s3::AuthRequest view = request.View(maxiofs::fuzz::k20130524);
  const auto params = auth::ParseQuery(request.query);
  (void)auth::StringToSignV2(view, params, "", true);
  (void)auth::CanonicalizedResourceV2(view, params);
  (void)auth::CanonicalizedAmzHeadersV2(view);
  return 0;
}
