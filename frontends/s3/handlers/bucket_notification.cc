// Bucket notifications: Put/GetBucketNotificationConfiguration (?notification on a bucket).
// The rules (events, targets, overlaps, the test event, the queue) are the engine's
// (Engine::PutBucketNotification); these translate the NotificationConfiguration document.
#include "handlers/handler.h"
#include "responses.h"
#include "xml/notification_document.h"
#include "xml/request_documents.h"

namespace maxiofs::s3 {

HandlerOutcome HandlePutBucketNotification(RequestContext& ctx) {
  if (ctx.request.content_length && *ctx.request.content_length > kMaxNotificationDocumentBytes) {
    return S3Error{S3ErrorCode::kMalformedXML, "The notification document is too large."};
  }
  // x-amz-skip-destination-validation would skip the check that the targets exist; this
  // server's targets are its own configuration, so it is always checked (and the header
  // ignored).
  return ReadCheckedDocument(ctx, kMaxNotificationDocumentBytes, /*integrity_required=*/false,
                             [&engine = ctx.engine, bucket = ctx.route.bucket,
                              origin = OriginOf(ctx)](std::string_view body) -> S3Result<Response> {
                               if (body.empty()) return MalformedXmlError();
                               auto config = ParseNotificationConfiguration(body);
                               if (!config.has_value()) return config.error();
                               Status st =
                                   engine.PutBucketNotification(bucket, config.value(), origin);
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetBucketNotification(RequestContext& ctx) {
  auto config = ctx.engine.GetBucketNotification(ctx.route.bucket);
  if (!config.has_value()) return FromStatus(config.error());
  return Respond(MakeXmlResponse(NotificationConfigurationXml(config.value())));
}

}  // namespace maxiofs::s3
