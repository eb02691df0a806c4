// Server access logging configuration: Put/GetBucketLogging (?logging on a bucket). The rules
// (target checks, storage) are the engine's (Engine::PutBucketLogging); these translate the
// BucketLoggingStatus document. The records themselves are made by access_log/.
#include "handlers/handler.h"
#include "responses.h"
#include "xml/logging_document.h"
#include "xml/request_documents.h"

namespace maxiofs::s3 {

HandlerOutcome HandlePutBucketLogging(RequestContext& ctx) {
  if (ctx.request.content_length && *ctx.request.content_length > kMaxLoggingDocumentBytes) {
    return S3Error{S3ErrorCode::kMalformedXML, "The logging document is larger than 65536 bytes."};
  }
  // AWS's model requires Content-MD5 or a checksum (requestChecksumRequired).
  return ReadCheckedDocument(ctx, kMaxLoggingDocumentBytes, /*integrity_required=*/true,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               if (body.empty()) return MalformedXmlError();
                               auto config = ParseBucketLoggingStatus(body);
                               if (!config.has_value()) return config.error();
                               Status st = engine.PutBucketLogging(bucket, config.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetBucketLogging(RequestContext& ctx) {
  auto state = ctx.engine.GetBucketLogging(ctx.route.bucket);
  if (!state.has_value()) return FromStatus(state.error());
  return Respond(MakeXmlResponse(BucketLoggingStatusXml(state->config)));
}

}  // namespace maxiofs::s3
