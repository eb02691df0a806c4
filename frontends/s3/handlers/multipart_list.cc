// ListMultipartUploads (GET /bucket?uploads) and ListParts (GET /bucket/key?uploadId).
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/owner_xml.h"
#include "xml/xml_writer.h"

#include <algorithm>

namespace maxiofs::s3 {

namespace {}  // namespace

HandlerOutcome HandleListMultipartUploads(RequestContext& ctx) {
  const Route& route = ctx.route;
  auto max_uploads = MaxParam(route, "max-uploads");
  if (!max_uploads.has_value()) return max_uploads.error();
  auto url_encoding = UrlEncodingParam(route);
  if (!url_encoding.has_value()) return url_encoding.error();
  auto encode = [url = url_encoding.value()](std::string_view s) { return MaybeUrlEncode(url, s); };
  engine::ListUploadsRequest req;
  req.bucket = route.bucket;
  req.prefix = std::string(route.Query("prefix").value_or(""));
  req.delimiter = std::string(route.Query("delimiter").value_or(""));
  req.key_marker = std::string(route.Query("key-marker").value_or(""));
  req.upload_id_marker = std::string(route.Query("upload-id-marker").value_or(""));
  req.max_uploads = max_uploads.value();
  // S3 ignores upload-id-marker without key-marker.
  if (req.key_marker.empty()) req.upload_id_marker.clear();

  // The engine checks the bucket and answers an empty page for a max of 0.
  auto listed = ctx.engine.ListMultipartUploads(req);
  if (!listed.has_value()) return FromStatus(listed.error());
  engine::ListUploadsResult result = std::move(listed).value();

  XmlWriter w;
  w.Open("ListMultipartUploadsResult", kS3Xmlns);
  w.Element("Bucket", route.bucket);
  w.Element("KeyMarker", encode(req.key_marker));
  w.Element("UploadIdMarker", req.upload_id_marker);
  if (result.truncated) {
    w.Element("NextKeyMarker", encode(result.next_key_marker));
    w.Element("NextUploadIdMarker", result.next_upload_id_marker);
  }
  if (!req.delimiter.empty()) w.Element("Delimiter", encode(req.delimiter));
  w.Element("Prefix", encode(req.prefix));
  w.Element("MaxUploads", std::to_string(req.max_uploads));
  w.Element("IsTruncated", result.truncated ? "true" : "false");
  if (url_encoding.value()) w.Element("EncodingType", "url");
  for (const auto& u : result.uploads) {
    w.Open("Upload");
    w.Element("Key", encode(u.key));
    w.Element("UploadId", u.upload_id);
    WriteOwnerElement(w, "Initiator", ctx.options.owner_display_name);
    WriteOwnerElement(w, "Owner", ctx.options.owner_display_name);
    w.Element("StorageClass", u.meta.storage_class.empty() ? "STANDARD" : u.meta.storage_class);
    w.Element("Initiated", FormatIso8601(u.initiated_ns));
    if (u.checksum_algorithm != engine::ChecksumAlgorithm::kNone) {
      w.Element("ChecksumAlgorithm", ChecksumAlgorithmName(u.checksum_algorithm));
      w.Element("ChecksumType", ChecksumTypeName(u.checksum_type));
    }
    w.Close();
  }
  for (const auto& p : result.common_prefixes) {
    w.Open("CommonPrefixes");
    w.Element("Prefix", encode(p));
    w.Close();
  }
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandleListParts(RequestContext& ctx) {
  const Route& route = ctx.route;
  auto max_parts = MaxParam(route, "max-parts");
  if (!max_parts.has_value()) return max_parts.error();
  engine::ListPartsRequest req;
  req.bucket = route.bucket;
  req.key = route.key;
  req.upload_id = std::string(route.Query("uploadId").value_or(""));
  req.max_parts = max_parts.value();
  if (auto marker = route.Query("part-number-marker")) {
    auto n = ParseUint64(*marker);
    if (!n || *n > 0xffffffffu) {
      return S3Error{S3ErrorCode::kInvalidArgument,
                     "Provided part-number-marker not an integer or within integer range"};
    }
    req.part_number_marker = static_cast<uint32_t>(*n);
  }
  auto listed = ctx.engine.ListParts(req);
  if (!listed.has_value()) return FromStatus(listed.error());
  const engine::ListPartsResult& result = listed.value();

  XmlWriter w;
  w.Open("ListPartsResult", kS3Xmlns);
  w.Element("Bucket", route.bucket);
  w.Element("Key", route.key);
  w.Element("UploadId", req.upload_id);
  w.Element("PartNumberMarker", std::to_string(req.part_number_marker));
  if (result.truncated) {
    w.Element("NextPartNumberMarker", std::to_string(result.next_part_number_marker));
  }
  w.Element("MaxParts", std::to_string(req.max_parts));
  w.Element("IsTruncated", result.truncated ? "true" : "false");
  for (const auto& p : result.parts) {
    w.Open("Part");
    w.Element("PartNumber", std::to_string(p.part_number));
    w.Element("LastModified", FormatIso8601(p.last_modified_ns));
    w.Element("ETag", QuoteETag(p.etag));
    w.Element("Size", std::to_string(p.size));
    if (p.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
      w.Element(ChecksumElementName(p.checksum.algorithm), p.checksum.value);
    }
    w.Close();
  }
  WriteOwnerElement(w, "Initiator", ctx.options.owner_display_name);
  WriteOwnerElement(w, "Owner", ctx.options.owner_display_name);
  w.Element("StorageClass", result.upload.meta.storage_class.empty()
                                ? "STANDARD"
                                : result.upload.meta.storage_class);
  if (result.upload.checksum_algorithm != engine::ChecksumAlgorithm::kNone) {
    w.Element("ChecksumAlgorithm", ChecksumAlgorithmName(result.upload.checksum_algorithm));
    w.Element("ChecksumType", ChecksumTypeName(result.upload.checksum_type));
  }
  return Respond(MakeXmlResponse(w.Finish()));
}

}  // namespace maxiofs::s3
