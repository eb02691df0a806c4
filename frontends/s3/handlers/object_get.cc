// GetObject and HeadObject: ranges, conditional reads, response-* overrides, checksum mode.
// The body streams from the engine's ObjectReader chunk by chunk (see Response::source).
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"

namespace maxiofs::s3 {

namespace {

class ReaderSource final : public BodySource {
 public:
  explicit ReaderSource(std::unique_ptr<engine::ObjectReader> reader)
      : reader_(std::move(reader)) {}
  Result<size_t> Read(std::span<char> out) override { return reader_->Read(out); }

 private:
  std::unique_ptr<engine::ObjectReader> reader_;
};

void SetHeader(Response& r, std::string_view name, std::string value) {
  for (auto& [n, v] : r.headers) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  r.AddHeader(std::string(name), std::move(value));
}

// response-content-type & co. override the stored headers (GET and HEAD).
void ApplyOverrides(const Route& route, Response& r) {
  static constexpr std::pair<std::string_view, std::string_view> kOverrides[] = {
      {"response-content-type", "Content-Type"},
      {"response-content-language", "Content-Language"},
      {"response-expires", "Expires"},
      {"response-cache-control", "Cache-Control"},
      {"response-content-disposition", "Content-Disposition"},
      {"response-content-encoding", "Content-Encoding"},
  };
  for (const auto& [param, header] : kOverrides) {
    if (auto v = route.Query(param)) SetHeader(r, header, std::string(*v));
  }
}

engine::HeadObjectRequest HeadRequest(const Route& route, engine::Preconditions pre) {
  engine::HeadObjectRequest req;
  req.bucket = route.bucket;
  req.key = route.key;
  req.preconditions = std::move(pre);
  return req;
}

// 304 carries the validators; the engine's status has none, so look them up.
HandlerOutcome NotModified(RequestContext& ctx, const Route& route) {
  Response nm;
  nm.status = 304;
  auto current = ctx.engine.HeadObject(HeadRequest(route, {}));
  if (current.has_value()) {
    nm.AddHeader("ETag", QuoteETag(current->etag));
    nm.AddHeader("Last-Modified", FormatHttpDate(current->last_modified_ns));
  }
  return Respond(std::move(nm));
}

}  // namespace

HandlerOutcome HandleGetObject(RequestContext& ctx) {
  const Route& route = ctx.route;
  const bool head = route.op == S3Op::kHeadObject;
  if (auto v = route.Query("versionId"); v && *v != "null") {
    return S3Error{S3ErrorCode::kNoSuchVersion, "The specified version does not exist."};
  }
  engine::Preconditions pre = ExtractPreconditions(ctx.request, "");
  std::optional<engine::RangeSpec> range;
  if (auto rh = ctx.request.Header("range")) range = ParseRange(*rh);

  engine::ObjectInfo info;
  Response r;
  if (!head || range) {
    engine::GetObjectRequest req;
    req.bucket = route.bucket;
    req.key = route.key;
    req.range = range;
    req.preconditions = pre;
    auto reader = ctx.engine.GetObject(req);
    if (!reader.has_value()) {
      const Status& st = reader.error();
      if (st.code() == Status::Code::kNotModified) {
        return NotModified(ctx, route);
      }
      if (st.code() == Status::Code::kInvalidRange) {
        Response err =
            MakeErrorResponse(FromStatus(st), route.Resource(), ctx.request.request_id, head);
        auto current = ctx.engine.HeadObject(HeadRequest(route, {}));
        if (current.has_value()) {
          err.AddHeader("Content-Range", "bytes */" + std::to_string(current->size));
        }
        return Respond(std::move(err));
      }
      return FromStatus(st);
    }
    auto& rd = *reader;
    info = rd->info();
    AddObjectHeaders(info, r);
    r.content_length = rd->length();
    if (rd->is_range()) {
      r.status = 206;
      uint64_t last = rd->length() == 0 ? rd->offset() : rd->offset() + rd->length() - 1;
      r.AddHeader("Content-Range", "bytes " + std::to_string(rd->offset()) + "-" +
                                       std::to_string(last) + "/" + std::to_string(info.size));
    }
    if (head) {
      r.head = true;
    } else {
      r.source = std::make_unique<ReaderSource>(std::move(rd));
    }
  } else {
    auto got = ctx.engine.HeadObject(HeadRequest(route, pre));
    if (!got.has_value()) {
      if (got.error().code() == Status::Code::kNotModified) {
        return NotModified(ctx, route);
      }
      return FromStatus(got.error());
    }
    info = std::move(got).value();
    AddObjectHeaders(info, r);
    r.head = true;
    r.content_length = info.size;
  }
  r.AddHeader("Accept-Ranges", "bytes");
  if (auto mode = ctx.request.Header("x-amz-checksum-mode");
      mode && TrimOws(*mode) == "ENABLED" && r.status == 200 &&
      info.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    r.AddHeader(ChecksumHeaderName(info.checksum.algorithm), info.checksum.value);
  }
  ApplyOverrides(route, r);
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
