// Server-side encryption headers: x-amz-server-side-encryption (AES256, aws:kms) with the KMS key
// id and encryption context, and SSE-C (customer key, its MD5, algorithm) on writes, reads and
// copy sources; and the headers AWS answers with.
#include "digest.h"
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"

namespace maxiofs::s3 {
namespace {

constexpr std::string_view kSse = "x-amz-server-side-encryption";
constexpr std::string_view kKmsKeyId = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr std::string_view kContext = "x-amz-server-side-encryption-context";

S3Error Invalid(std::string message) {
  return S3Error{S3ErrorCode::kInvalidArgument, std::move(message)};
}

}  // namespace

S3Result<std::string> ExtractCustomerKey(const RequestContext& ctx, std::string_view prefix) {
  const HttpRequest& request = ctx.request;
  const std::string p(prefix);
  auto algorithm = request.Header(p + "algorithm");
  auto key = request.Header(p + "key");
  auto md5 = request.Header(p + "key-md5");
  if (!algorithm && !key && !md5) return std::string();
  if (!request.tls && !ctx.options.allow_insecure_sse_c) {
    return S3Error{S3ErrorCode::kInvalidRequest,
                   "Requests specifying Server Side Encryption with Customer provided keys must "
                   "be made over a secure connection."};
  }
  if (!algorithm) {
    return Invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must provide a "
        "valid encryption algorithm.");
  }
  if (TrimOws(*algorithm) != "AES256") {
    return S3Error{S3ErrorCode::kInvalidEncryptionAlgorithmError,
                   "The encryption request you specified is not valid. The valid value is AES256."};
  }
  if (!key) {
    return Invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must provide an "
        "appropriate secret key.");
  }
  std::optional<std::string> raw = Base64Decode(TrimOws(*key));
  if (!raw || raw->size() != 32) {
    return Invalid("The secret key was invalid for the specified algorithm.");
  }
  if (!md5) {
    return Invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must provide the "
        "client calculated MD5 of the secret key.");
  }
  if (Base64Decode(TrimOws(*md5)) != Md5(*raw)) {
    return Invalid("The calculated MD5 hash of the key did not match the hash that was provided.");
  }
  return std::move(*raw);
}

S3Result<engine::EncryptionRequest> ExtractEncryption(const RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  engine::EncryptionRequest req;
  auto customer = ExtractCustomerKey(ctx, "x-amz-server-side-encryption-customer-");
  if (!customer.has_value()) return customer.error();
  auto sse = request.Header(kSse);
  auto kms_key = request.Header(kKmsKeyId);
  auto context = request.Header(kContext);
  if (!customer.value().empty()) {
    if (sse || kms_key || context) {
      return Invalid(
          "Server Side Encryption with Customer provided key is incompatible with the encryption "
          "method specified");
    }
    req.kind = engine::EncryptionRequest::Kind::kC;
    req.customer_key = std::move(customer).value();
    return req;
  }
  if (!sse) {
    if (kms_key || context) {
      return Invalid(
          "x-amz-server-side-encryption-aws-kms-key-id and -context require "
          "x-amz-server-side-encryption: aws:kms");
    }
    return req;  // kDefault
  }
  const std::string_view v = TrimOws(*sse);
  if (v == "AES256") {
    if (kms_key || context) {
      return Invalid("Server Side Encryption with AWS KMS keys requires aws:kms");
    }
    req.kind = engine::EncryptionRequest::Kind::kS3;
  } else if (v == "aws:kms" || v == "aws:kms:dsse") {
    req.kind = engine::EncryptionRequest::Kind::kKms;
    if (kms_key) req.kms_key_id = std::string(TrimOws(*kms_key));
    if (context) {
      std::string_view c = TrimOws(*context);
      std::optional<std::string> json = Base64Decode(c);
      if (!json || json->empty() || json->front() != '{') {
        return Invalid("The encryption context must be base64-encoded JSON");
      }
      req.kms_context = std::string(c);
    }
  } else {
    return Invalid("The encryption method specified is not supported");
  }
  return req;
}

void AddSseHeaders(const engine::StorageInfo& storage, std::string_view customer_key, Response& r) {
  switch (storage.sse) {
    case engine::Sse::kNone:
      break;
    case engine::Sse::kS3:
      r.AddHeader(std::string(kSse), "AES256");
      break;
    case engine::Sse::kKms:
      r.AddHeader(std::string(kSse), "aws:kms");
      r.AddHeader(std::string(kKmsKeyId), storage.kms_key_id);
      if (!storage.kms_context.empty()) r.AddHeader(std::string(kContext), storage.kms_context);
      break;
    case engine::Sse::kC:
      r.AddHeader("x-amz-server-side-encryption-customer-algorithm", "AES256");
      if (!customer_key.empty()) {
        r.AddHeader("x-amz-server-side-encryption-customer-key-MD5",
                    Base64Encode(Md5(customer_key)));
      }
      break;
  }
}

}  // namespace maxiofs::s3
