// Health checks: GET/HEAD /_maxiofs/health/live and /_maxiofs/health/ready, without auth.
// live: the process answers HTTP. ready: the engine answers a metadata read (ListBuckets).
#include "handlers/handler.h"

namespace maxiofs::s3 {

HandlerOutcome HandleHealth(RequestContext& ctx) {
  Response r;
  r.AddHeader("Content-Type", "application/json");
  r.AddHeader("Cache-Control", "no-store");
  if (ctx.route.op == S3Op::kHealthReady) {
    auto buckets = ctx.engine.ListBuckets();
    if (!buckets.has_value()) {
      r.status = 503;
      r.body = "{\"status\":\"unavailable\"}\n";
    } else {
      r.body = "{\"status\":\"ok\"}\n";
    }
  } else {
    r.body = "{\"status\":\"ok\"}\n";
  }
  if (ctx.request.method == "HEAD") {
    r.head = true;
    r.content_length = r.body.size();
    r.body.clear();
  }
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
