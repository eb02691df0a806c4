// CopyObject: x-amz-copy-source "bucket/key" or "/bucket/key" (URL-encoded, optional
// "?versionId=null"), metadata directive COPY/REPLACE, x-amz-copy-source-if-* preconditions.
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/xml_writer.h"

#include <cctype>

namespace maxiofs::s3 {

namespace {

struct CopySource {
  std::string bucket;
  std::string key;
};

S3Result<CopySource> ParseCopySource(std::string_view raw) {
  raw = TrimOws(raw);
  size_t q = raw.find('?');
  if (q != std::string_view::npos) {
    auto params = ParseQuery(raw.substr(q + 1));
    if (!params) return S3Error{S3ErrorCode::kInvalidArgument, "Invalid copy source."};
    for (const auto& p : *params) {
      if (p.name == "versionId" && p.value != "null") {
        return S3Error{S3ErrorCode::kNoSuchVersion, "The specified version does not exist."};
      }
    }
    raw = raw.substr(0, q);
  }
  auto decoded = PercentDecode(raw, false);
  if (!decoded) return S3Error{S3ErrorCode::kInvalidArgument, "Invalid copy source encoding."};
  std::string_view s = *decoded;
  if (!s.empty() && s.front() == '/') s.remove_prefix(1);
  size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "Copy Source must mention the source bucket and key: sourcebucket/sourcekey"};
  }
  return CopySource{std::string(s.substr(0, slash)), std::string(s.substr(slash + 1))};
}

}  // namespace

HandlerOutcome HandleCopyObject(RequestContext& ctx) {
  const HttpRequest& request = ctx.request;
  if (auto err = CheckKeyLength(ctx.route.key)) return *err;
  if (auto err = RejectUnsupportedWriteHeaders(request)) return *err;
  for (const auto& h : request.headers) {
    if (h.first.starts_with("x-amz-copy-source-server-side-encryption")) {
      return S3Error{S3ErrorCode::kNotImplemented, "SSE-C is not implemented."};
    }
  }
  if (request.HeaderCount("x-amz-copy-source") != 1) {
    return S3Error{S3ErrorCode::kInvalidArgument, "Exactly one x-amz-copy-source is required."};
  }
  auto source = ParseCopySource(*request.Header("x-amz-copy-source"));
  if (!source.has_value()) return source.error();

  engine::CopyObjectRequest req;
  req.src_bucket = source.value().bucket;
  req.src_key = source.value().key;
  req.dst_bucket = ctx.route.bucket;
  req.dst_key = ctx.route.key;
  std::string_view directive = TrimOws(request.Header("x-amz-metadata-directive").value_or("COPY"));
  if (directive == "REPLACE") {
    req.replace_metadata = true;
    auto meta = ExtractObjectMeta(request);
    if (!meta.has_value()) return meta.error();
    req.meta = std::move(meta).value();
  } else if (directive != "COPY") {
    return S3Error{S3ErrorCode::kInvalidArgument, "Unknown metadata directive."};
  }
  req.source_preconditions = ExtractPreconditions(request, "x-amz-copy-source-");
  engine::Preconditions dest = ExtractPreconditions(request, "");
  req.dest_preconditions.if_match = std::move(dest.if_match);
  req.dest_preconditions.if_none_match = std::move(dest.if_none_match);

  auto info = ctx.engine.CopyObject(req);
  if (!info.has_value()) {
    // Source conditions answer 412, never 304 (S3).
    if (info.error().code() == Status::Code::kNotModified) {
      return S3Error{S3ErrorCode::kPreconditionFailed,
                     "At least one of the pre-conditions you specified did not hold"};
    }
    return FromStatus(info.error());
  }
  XmlWriter w;
  w.Open("CopyObjectResult", kS3Xmlns);
  w.Element("LastModified", FormatIso8601(info->last_modified_ns));
  w.Element("ETag", QuoteETag(info->etag));
  if (info->checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    // "x-amz-checksum-crc32" -> "ChecksumCRC32".
    std::string element = "Checksum" + ChecksumHeaderName(info->checksum.algorithm).substr(15);
    for (size_t i = 8; i < element.size(); ++i) {
      element[i] = char(std::toupper(static_cast<unsigned char>(element[i])));
    }
    w.Element(element, info->checksum.value);
  }
  return Respond(MakeXmlResponse(w.Finish()));
}

}  // namespace maxiofs::s3
