// Object data: uploads stream from the request body into an engine ObjectWriter chunk by
// chunk (memory bounded by the server's chunk size, whatever the file size); large files go
// through multipart uploads driven by the app (create, parts, complete). Downloads stream
// from an engine ObjectReader, with a single byte range when asked.
#include "api.h"

#include <charconv>

namespace maxiofs::console {
namespace {

// Streams a request body into an engine writer (a PUT or a part).
class WriterBody final : public http::RequestBody {
 public:
  using Done = std::function<http::Response(const engine::ObjectInfo&)>;
  WriterBody(std::unique_ptr<engine::ObjectWriter> writer, Done done)
      : writer_(std::move(writer)), done_(std::move(done)) {}

  std::optional<http::Response> Feed(std::string_view raw) override {
    if (raw.empty()) return std::nullopt;
    Status st = writer_->Append(std::span<const char>(raw.data(), raw.size()));
    if (!st.ok()) return StatusError(st);
    return std::nullopt;
  }

  http::Response Finish() override {
    auto info = writer_->Commit();
    if (!info.has_value()) return StatusError(info.error());
    return done_(*info);
  }

 private:
  std::unique_ptr<engine::ObjectWriter> writer_;
  Done done_;
};

class ReaderSource final : public http::BodySource {
 public:
  explicit ReaderSource(std::unique_ptr<engine::ObjectReader> reader)
      : reader_(std::move(reader)) {}
  Result<size_t> Read(std::span<char> out) override { return reader_->Read(out); }

 private:
  std::unique_ptr<engine::ObjectReader> reader_;
};

// Starts streaming `body` into `writer`, or commits at once when the request has no body.
http::StartedRequest StartWrite(const ApiCall& call, std::unique_ptr<engine::ObjectWriter> writer,
                                WriterBody::Done done, std::string operation) {
  http::StartedRequest started;
  started.operation = std::move(operation);
  if (!call.http.has_body()) {
    started.accepted_empty_body = true;
    auto info = writer->Commit();
    started.response = info.has_value() ? done(*info) : StatusError(info.error());
    return started;
  }
  started.body = std::make_unique<WriterBody>(std::move(writer), std::move(done));
  return started;
}

std::optional<uint64_t> ParseU64(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "bytes=a-b" | "bytes=a-" | "bytes=-n"; nullopt for anything else (then the whole object
// is sent, as RFC 9110 allows for a Range the server does not support).
std::optional<engine::RangeSpec> ParseRange(std::string_view header) {
  if (!header.starts_with("bytes=")) return std::nullopt;
  header.remove_prefix(6);
  if (header.find(',') != std::string_view::npos) return std::nullopt;
  const size_t dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view first = header.substr(0, dash);
  const std::string_view last = header.substr(dash + 1);
  engine::RangeSpec r;
  if (first.empty()) {
    auto n = ParseU64(last);
    if (!n) return std::nullopt;
    r.kind = engine::RangeSpec::Kind::kSuffix;
    r.suffix = *n;
    return r;
  }
  auto a = ParseU64(first);
  if (!a) return std::nullopt;
  r.first = *a;
  if (last.empty()) {
    r.kind = engine::RangeSpec::Kind::kFrom;
    return r;
  }
  auto b = ParseU64(last);
  if (!b || *b < *a) return std::nullopt;
  r.kind = engine::RangeSpec::Kind::kFromTo;
  r.last = *b;
  return r;
}

bool IsPreviewable(std::string_view type) {
  for (std::string_view t : {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
                             "image/bmp", "application/pdf"}) {
    if (type == t) return true;
  }
  return false;
}

bool IsText(std::string_view type) {
  return type.starts_with("text/") || type == "application/json" || type == "application/xml" ||
         type == "application/javascript" || type == "application/x-yaml";
}

std::string FileName(std::string_view key) {
  const size_t slash = key.rfind('/');
  std::string name(slash == std::string_view::npos ? key : key.substr(slash + 1));
  return name.empty() ? "download" : name;
}

std::string ContentDisposition(bool inline_view, std::string_view key) {
  const std::string name = FileName(key);
  std::string ascii;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    ascii.push_back(u < 0x20 || u >= 0x7f || c == '"' || c == '\\' ? '_' : c);
  }
  return std::string(inline_view ? "inline" : "attachment") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + PercentEncode(name, false);
}

nlohmann::json PartJson(const engine::ObjectInfo& info) {
  return {{"etag", info.etag}, {"size", info.size}};
}

}  // namespace

http::StartedRequest ConsoleApi::Upload(const ApiCall& call, const std::string& bucket) {
  engine::PutObjectRequest req;
  req.bucket = bucket;
  req.key = call.Query("key");
  req.expected_size = call.http.content_length;
  if (auto type = call.http.Header("content-type"); type && !type->empty()) {
    req.meta.content_type = std::string(*type);
  }
  if (Status st = Authorize(call.caller, Op::kPutObject, bucket, req.key); !st.ok()) {
    return Started(StatusError(st));
  }
  auto writer = engine_.BeginPut(req);
  if (!writer.has_value()) return Started(StatusError(writer.error()));
  return StartWrite(
      call, std::move(writer).value(),
      [](const engine::ObjectInfo& info) { return JsonResponse(201, ObjectJson(info)); },
      "PutObject");
}

http::Response ConsoleApi::Download(const ApiCall& call, const std::string& bucket) {
  engine::GetObjectRequest req;
  req.bucket = bucket;
  req.key = call.Query("key");
  req.version_id = call.Query("versionId");
  if (auto range = call.http.Header("range")) req.range = ParseRange(*range);
  if (Status st =
          Authorize(call.caller, req.version_id.empty() ? Op::kGetObject : Op::kGetObjectVersion,
                    bucket, req.key);
      !st.ok()) {
    return StatusError(st);
  }
  auto reader = engine_.GetObject(req);
  if (!reader.has_value()) return StatusError(reader.error());
  const engine::ObjectInfo& info = (*reader)->info();
  const std::string stored_type =
      info.meta.content_type.empty() ? "application/octet-stream" : info.meta.content_type;
  const std::string base_type = stored_type.substr(0, stored_type.find(';'));
  const bool want_inline = call.Query("inline") == "1";
  // Only inert types are shown inline; text of any kind is shown as plain text, so an HTML or
  // SVG object can never run script in the console's origin.
  std::string type = "application/octet-stream";
  bool inline_view = false;
  if (want_inline && IsPreviewable(base_type)) {
    type = base_type;
    inline_view = true;
  } else if (want_inline && IsText(base_type)) {
    type = "text/plain; charset=utf-8";
    inline_view = true;
  } else if (!want_inline) {
    type = stored_type;
  }
  http::Response r;
  r.status = (*reader)->is_range() ? 206 : 200;
  r.AddHeader("Content-Type", type);
  r.AddHeader("Content-Disposition", ContentDisposition(inline_view, req.key));
  r.AddHeader("ETag", "\"" + info.etag + "\"");
  r.AddHeader("Accept-Ranges", "bytes");
  r.AddHeader("Cache-Control", "private, no-cache");
  r.AddHeader("X-Content-Type-Options", "nosniff");
  r.AddHeader("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox");
  if (!info.version_id.empty()) r.AddHeader("X-Version-Id", info.version_id);
  if ((*reader)->is_range()) {
    const uint64_t first = (*reader)->offset();
    const uint64_t length = (*reader)->length();
    r.AddHeader("Content-Range", "bytes " + std::to_string(first) + "-" +
                                     std::to_string(first + length - (length ? 1 : 0)) + "/" +
                                     std::to_string(info.size));
  }
  r.content_length = (*reader)->length();
  r.head = call.http.method == "HEAD";
  r.source = std::make_unique<ReaderSource>(std::move(reader).value());
  return r;
}

http::Response ConsoleApi::CreateMultipart(const ApiCall& call, const std::string& bucket) {
  engine::CreateMultipartRequest req;
  req.bucket = bucket;
  req.key = call.Query("key");
  req.meta.content_type = call.Query("contentType");
  if (Status st = Authorize(call.caller, Op::kPutObject, bucket, req.key); !st.ok()) {
    return StatusError(st);
  }
  auto upload = engine_.CreateMultipartUpload(req);
  if (!upload.has_value()) return StatusError(upload.error());
  return JsonResponse(201, {{"key", upload->key}, {"uploadId", upload->upload_id}});
}

http::StartedRequest ConsoleApi::UploadPart(const ApiCall& call, const std::string& bucket) {
  engine::UploadPartRequest req;
  req.bucket = bucket;
  req.key = call.Query("key");
  req.upload_id = call.Query("uploadId");
  auto part = ParseU64(call.Query("partNumber"));
  if (!part || *part < 1 || *part > 10000) {
    return Started(JsonError(400, "InvalidArgument", "partNumber must be 1..10000."));
  }
  req.part_number = static_cast<uint32_t>(*part);
  req.expected_size = call.http.content_length;
  if (Status st = Authorize(call.caller, Op::kPutObject, bucket, req.key); !st.ok()) {
    return Started(StatusError(st));
  }
  auto writer = engine_.BeginUploadPart(req);
  if (!writer.has_value()) return Started(StatusError(writer.error()));
  const uint32_t number = req.part_number;
  return StartWrite(
      call, std::move(writer).value(),
      [number](const engine::ObjectInfo& info) {
        nlohmann::json j = PartJson(info);
        j["partNumber"] = number;
        return JsonResponse(200, j);
      },
      "UploadPart");
}

http::StartedRequest ConsoleApi::CompleteMultipart(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "CompleteMultipartUpload";
  std::string key = call.Query("key");
  std::string upload_id = call.Query("uploadId");
  if (Status st = Authorize(call.caller, Op::kPutObject, bucket, key); !st.ok()) {
    return Started(StatusError(st));
  }
  started.body = JsonBody([this, bucket, key, upload_id](const nlohmann::json& doc) {
    auto parts = doc.find("parts");
    if (parts == doc.end() || !parts->is_array() || parts->empty()) {
      return JsonError(400, "InvalidArgument", "parts must be a non-empty array.");
    }
    engine::CompleteMultipartRequest req;
    req.bucket = bucket;
    req.key = key;
    req.upload_id = upload_id;
    for (const auto& p : *parts) {
      if (!p.is_object() || !p.contains("partNumber") || !p["partNumber"].is_number_unsigned() ||
          !JsonString(p, "etag")) {
        return JsonError(400, "InvalidArgument", "each part needs partNumber and etag.");
      }
      std::string etag = *JsonString(p, "etag");
      if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
        etag = etag.substr(1, etag.size() - 2);
      }
      req.parts.push_back({p["partNumber"].get<uint32_t>(), etag});
    }
    auto info = engine_.CompleteMultipartUpload(req);
    if (!info.has_value()) return StatusError(info.error());
    return JsonResponse(201, ObjectJson(*info));
  });
  return started;
}

http::Response ConsoleApi::AbortMultipart(const ApiCall& call, const std::string& bucket) {
  if (Status st = Authorize(call.caller, Op::kAbortMultipart, bucket, call.Query("key"));
      !st.ok()) {
    return StatusError(st);
  }
  if (Status st = engine_.AbortMultipartUpload(bucket, call.Query("key"), call.Query("uploadId"));
      !st.ok()) {
    return StatusError(st);
  }
  return JsonResponse(200, {{"aborted", true}});
}

}  // namespace maxiofs::console
