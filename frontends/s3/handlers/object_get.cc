// GetObject and HeadObject: versionId, partNumber, ranges, conditional reads, response-*
// overrides, checksum mode, version / delete-marker / object-lock headers.
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
  bool reads_without_waiting() const override { return true; }  // ObjectReader::Read says so

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

engine::HeadObjectRequest HeadRequest(const Route& route, std::string_view version_id,
                                      engine::Preconditions pre, std::string customer_key) {
  engine::HeadObjectRequest req;
  req.customer_key = std::move(customer_key);
  req.bucket = route.bucket;
  req.key = route.key;
  req.version_id = std::string(version_id);
  req.preconditions = std::move(pre);
  return req;
}

// 304 carries the validators; the engine's status has none, so look them up.
HandlerOutcome NotModified(RequestContext& ctx, const Route& route, std::string_view version_id,
                           const std::string& customer_key) {
  Response nm;
  nm.status = 304;
  auto current = ctx.engine.HeadObject(HeadRequest(route, version_id, {}, customer_key));
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
  auto version = VersionIdParam(route);
  if (!version.has_value()) return version.error();
  const std::string& version_id = version.value();
  uint32_t part_number = 0;
  if (auto pn = route.Query("partNumber")) {
    auto n = ParseUint64(*pn);
    if (!n || *n == 0 || *n > 10000) {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "Part number must be an integer between 1 and 10000, inclusive"};
    }
    part_number = static_cast<uint32_t>(*n);
  }
  engine::Preconditions pre = ExtractPreconditions(ctx.request, "");
  std::optional<engine::RangeSpec> range;
  if (auto rh = ctx.request.Header("range")) range = ParseRange(*rh);
  if (range && part_number > 0) {
    return S3Error{S3ErrorCode::kInvalidRequest,
                   "Cannot specify both Range header and partNumber "
                   "query parameter"};
  }

  auto customer = ExtractCustomerKey(ctx, "x-amz-server-side-encryption-customer-");
  if (!customer.has_value()) return customer.error();
  const std::string& customer_key = customer.value();

  engine::ObjectInfo info;
  Response r;
  if (!head || range || part_number > 0) {
    engine::GetObjectRequest req;
    req.bucket = route.bucket;
    req.key = route.key;
    req.version_id = version_id;
    req.range = range;
    req.part_number = part_number;
    req.preconditions = pre;
    req.customer_key = customer_key;
    auto reader = ctx.engine.GetObject(req);
    if (!reader.has_value()) {
      const Status& st = reader.error();
      if (st.code() == Status::Code::kNotModified) {
        return NotModified(ctx, route, version_id, customer_key);
      }
      if (st.code() == Status::Code::kInvalidRange && part_number > 0) {
        return S3Error{S3ErrorCode::kInvalidPartNumber,
                       "The requested partnumber is not satisfiable"};
      }
      if (st.code() == Status::Code::kInvalidRange) {
        Response err =
            MakeErrorResponse(FromStatus(st), route.Resource(), ctx.request.request_id, head);
        auto current = ctx.engine.HeadObject(HeadRequest(route, version_id, {}, customer_key));
        if (current.has_value()) {
          err.AddHeader("Content-Range", "bytes */" + std::to_string(current->size));
        }
        return Respond(std::move(err));
      }
      return ObjectError(ctx, st);
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
    auto got = ctx.engine.HeadObject(HeadRequest(route, version_id, pre, customer_key));
    if (!got.has_value()) {
      if (got.error().code() == Status::Code::kNotModified) {
        return NotModified(ctx, route, version_id, customer_key);
      }
      return ObjectError(ctx, got.error());
    }
    info = std::move(got).value();
    AddObjectHeaders(info, r);
    r.head = true;
    r.content_length = info.size;
  }
  r.AddHeader("Accept-Ranges", "bytes");
  AddSseHeaders(info.storage, customer_key, r);
  AddReadVersionHeader(ctx.engine, route.bucket, info.version_id, r);
  AddLockHeaders(info, r);
  AddTaggingCountHeader(info, r);
  AddExpirationHeader(info, r);
  if (part_number > 0 && info.parts_count > 0) {
    r.AddHeader("x-amz-mp-parts-count", std::to_string(info.parts_count));
  }
  // The whole object's checksum, or with partNumber the part's (the engine gives that one);
  // none for a byte range, which no stored checksum covers.
  const bool whole_or_part = r.status == 200 || (part_number > 0 && info.parts_count > 0);
  if (auto mode = ctx.request.Header("x-amz-checksum-mode");
      mode && TrimOws(*mode) == "ENABLED" && whole_or_part &&
      info.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    r.AddHeader(ChecksumHeaderName(info.checksum.algorithm), info.checksum.value);
    r.AddHeader("x-amz-checksum-type", std::string(ChecksumTypeName(info.checksum_type)));
  }
  ApplyOverrides(route, r);
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
