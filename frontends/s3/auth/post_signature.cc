#include "auth/post_signature.h"

#include "auth/crypto.h"
#include "auth/request_view.h"
#include "auth/sigv4.h"

#include <algorithm>

namespace maxiofs::s3::auth {
namespace {

S3Error MissingField(std::string_view name) {
  return AuthError(S3ErrorCode::kInvalidArgument,
                   "Bucket POST must contain a field named '" + std::string(name) +
                       "'.  If it is specified, please check the order of the fields.");
}

S3Error Mismatch() {
  return AuthError(S3ErrorCode::kSignatureDoesNotMatch,
                   "The request signature we calculated does not match the signature you "
                   "provided. Check your key and signing method.");
}

// yyyymmddThhmmssZ
bool IsAmzDate(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return false;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (d[i] < '0' || d[i] > '9')) return false;
  }
  return true;
}

S3Result<AuthResult> VerifyV4(const PostSignatureFields& f, std::string_view region,
                              const SecretLookup& secrets) {
  if (f.algorithm != kSigV4Algorithm) {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "Unsupported x-amz-algorithm in the POST form: only AWS4-HMAC-SHA256 is "
                     "supported.");
  }
  if (f.credential.empty()) return MissingField("x-amz-credential");
  if (f.date.empty()) return MissingField("x-amz-date");
  if (f.signature_v4.empty()) return MissingField("x-amz-signature");
  SigV4Credential cred;
  if (!ParseSigV4Credential(f.credential, cred)) {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "Invalid x-amz-credential: expecting "
                     "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  if (!IsAmzDate(f.date)) {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "Invalid x-amz-date: expecting the ISO 8601 basic format yyyyMMddTHHmmssZ.");
  }
  if (f.date.substr(0, 8) != cred.date) {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "The x-amz-date is not of the day the x-amz-credential names.");
  }
  if (!region.empty() && cred.region != region) {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "Error parsing the X-Amz-Credential parameter; the region '" + cred.region +
                         "' is wrong; expecting '" + std::string(region) + "'");
  }
  if (cred.service != "s3") {
    return AuthError(S3ErrorCode::kInvalidArgument,
                     "Error parsing the X-Amz-Credential parameter; incorrect service '" +
                         cred.service + "'. This endpoint belongs to 's3'.");
  }
  auto secret = secrets(cred.access_key);
  if (!secret.has_value()) return secret.error();
  const std::string key = DeriveSigningKey(secret.value(), cred.date, cred.region, "s3");
  std::string sent(f.signature_v4);
  std::transform(sent.begin(), sent.end(), sent.begin(),
                 [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c + 32) : c; });
  if (!ConstantTimeEquals(SignHex(key, f.policy), sent)) return Mismatch();
  AuthResult r;
  r.access_key = cred.access_key;
  r.scheme = AuthScheme::kSigV4Header;
  return r;
}

S3Result<AuthResult> VerifyV2(const PostSignatureFields& f, const SecretLookup& secrets) {
  if (f.access_key_v2.empty()) return MissingField("AWSAccessKeyId");
  if (f.signature_v2.empty()) return MissingField("Signature");
  auto secret = secrets(f.access_key_v2);
  if (!secret.has_value()) return secret.error();
  if (!ConstantTimeEquals(Base64Encode(HmacSha1(secret.value(), f.policy)), f.signature_v2)) {
    return Mismatch();
  }
  AuthResult r;
  r.access_key = std::string(f.access_key_v2);
  r.scheme = AuthScheme::kSigV2Header;
  r.service = "s3";
  return r;
}

}  // namespace

S3Result<AuthResult> VerifyPostSignature(const PostSignatureFields& fields, std::string_view region,
                                         const SecretLookup& secrets) {
  const bool v4 =
      !fields.algorithm.empty() || !fields.credential.empty() || !fields.signature_v4.empty();
  return v4 ? VerifyV4(fields, region, secrets) : VerifyV2(fields, secrets);
}

}  // namespace maxiofs::s3::auth
