// Bucket default encryption: Put/Get/DeleteBucketEncryption (?encryption on a bucket). The rule
// (which writes get it) is the engine's; these translate XML.
#include "handlers/body_integrity.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {
namespace {

constexpr size_t kMaxEncryptionBody = 16 * 1024;

}  // namespace

HandlerOutcome HandlePutBucketEncryption(RequestContext& ctx) {
  return ReadCheckedDocument(ctx, kMaxEncryptionBody, /*integrity_required=*/false,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto enc = ParseServerSideEncryptionConfiguration(body);
                               if (!enc.has_value()) return enc.error();
                               Status st = engine.PutBucketEncryption(bucket, enc.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetBucketEncryption(RequestContext& ctx) {
  auto enc = ctx.engine.GetBucketEncryption(ctx.route.bucket);
  if (!enc.has_value()) {
    if (enc.error().IsNotFound()) {
      return S3Error{S3ErrorCode::kServerSideEncryptionConfigurationNotFoundError,
                     "The server side encryption configuration was not found"};
    }
    return FromStatus(enc.error());
  }
  XmlWriter w;
  w.Open("ServerSideEncryptionConfiguration", kS3Xmlns);
  w.Open("Rule");
  w.Open("ApplyServerSideEncryptionByDefault");
  w.Element("SSEAlgorithm", enc->sse == engine::Sse::kKms ? "aws:kms" : "AES256");
  if (!enc->kms_key_id.empty()) w.Element("KMSMasterKeyID", enc->kms_key_id);
  w.Close();
  w.Element("BucketKeyEnabled", enc->bucket_key_enabled ? "true" : "false");
  w.Close();
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandleDeleteBucketEncryption(RequestContext& ctx) {
  Status st = ctx.engine.DeleteBucketEncryption(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
