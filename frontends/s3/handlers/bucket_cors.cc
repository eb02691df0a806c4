// Bucket CORS rules: Put/Get/DeleteBucketCors (?cors on a bucket). Validation and matching are
// the engine's (Engine::PutBucketCors, MatchCors); these translate the CORSConfiguration
// document. Preflights and the headers of actual requests are cors_headers.cc's.
#include "handlers/handler.h"
#include "responses.h"
#include "xml/cors_document.h"
#include "xml/request_documents.h"

namespace maxiofs::s3 {

HandlerOutcome HandlePutBucketCors(RequestContext& ctx) {
  if (ctx.request.content_length && *ctx.request.content_length > kMaxCorsDocumentBytes) {
    return S3Error{S3ErrorCode::kMalformedXML,
                   "The CORS configuration document is larger than 65536 bytes."};
  }
  // AWS's model requires Content-MD5 or a checksum (requestChecksumRequired).
  return ReadCheckedDocument(ctx, kMaxCorsDocumentBytes, /*integrity_required=*/true,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               if (body.empty()) return MalformedXmlError();
                               auto config = ParseCorsConfiguration(body);
                               if (!config.has_value()) return config.error();
                               Status st = engine.PutBucketCors(bucket, config.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetBucketCors(RequestContext& ctx) {
  auto config = ctx.engine.GetBucketCors(ctx.route.bucket);
  if (!config.has_value()) return FromStatus(config.error());
  return Respond(MakeXmlResponse(CorsConfigurationXml(config.value())));
}

HandlerOutcome HandleDeleteBucketCors(RequestContext& ctx) {
  Status st = ctx.engine.DeleteBucketCors(ctx.route.bucket);
  if (!st.ok()) return FromStatus(st);
  Response r;
  r.status = 204;
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
