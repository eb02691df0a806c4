// The signature of a POST Object form (browser-based uploads): the form's base64 `policy`
// field signed with the credential's secret, as S3 defines it:
//  - Signature V4: x-amz-algorithm "AWS4-HMAC-SHA256", x-amz-credential
//    "AKID/yyyymmdd/region/s3/aws4_request", x-amz-date "yyyymmddThhmmssZ" (same day as the
//    credential), x-amz-signature = hex(HMAC-SHA256(signing key, policy)).
//  - Signature V2: AWSAccessKeyId, signature = base64(HMAC-SHA1(secret, policy)).
// The policy document itself (expiration, conditions) is checked by post/post_policy.h.
//
// Thread-safety: pure functions, safe for concurrent use (`secrets` must be too).
#pragma once

#include "auth/auth.h"

#include <string>
#include <string_view>

namespace maxiofs::s3::auth {

// The signature fields of a form, values as sent ("" when absent).
struct PostSignatureFields {
  std::string_view policy;  // the base64 policy, exactly as sent (it is what was signed)
  std::string_view algorithm;
  std::string_view credential;
  std::string_view date;
  std::string_view signature_v4;
  std::string_view access_key_v2;
  std::string_view signature_v2;
};

// Verifies the form's signature. The result names the access key and the scheme (kSigV4Header
// for V4, kSigV2Header for V2: a form is signed like a header, not a presigned URL).
// Errors:
//  - InvalidArgument "Bucket POST must contain a field named '...'" for a missing field (with
//    a policy, a V4 form needs x-amz-credential, x-amz-date and x-amz-signature; a V2 form
//    AWSAccessKeyId and signature); an x-amz-algorithm other than AWS4-HMAC-SHA256; a
//    malformed credential or date, a date not of the credential's day, a region other than
//    `region` (unless empty), a service other than s3.
//  - whatever `secrets` answers for the key (InvalidAccessKeyId, ExpiredToken);
//  - SignatureDoesNotMatch (compared in constant time).
S3Result<AuthResult> VerifyPostSignature(const PostSignatureFields& fields, std::string_view region,
                                         const SecretLookup& secrets);

}  // namespace maxiofs::s3::auth
