// Versioning: PutBucketVersioning, GetBucketVersioning and ListObjectVersions.
#include "encoding.h"
#include "handlers/body_integrity.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/owner_xml.h"
#include "xml/request_documents.h"
#include "xml/xml_writer.h"

#include <algorithm>

namespace maxiofs::s3 {

namespace {

// Largest VersioningConfiguration body accepted (bytes).
constexpr size_t kMaxVersioningBody = 16 * 1024;

}  // namespace

HandlerOutcome HandlePutBucketVersioning(RequestContext& ctx) {
  // AWS's model marks a checksum as required here, but S3 and many clients do without one; a
  // digest that is sent is verified.
  return ReadCheckedDocument(ctx, kMaxVersioningBody, /*integrity_required=*/false,
                             [&engine = ctx.engine, bucket = ctx.route.bucket](
                                 std::string_view body) -> S3Result<Response> {
                               auto state = ParseVersioningConfiguration(body);
                               if (!state.has_value()) return state.error();
                               Status st = engine.PutBucketVersioning(bucket, state.value());
                               if (!st.ok()) return FromStatus(st);
                               return Response{};
                             });
}

HandlerOutcome HandleGetBucketVersioning(RequestContext& ctx) {
  auto info = ctx.engine.HeadBucket(ctx.route.bucket);
  if (!info.has_value()) return FromStatus(info.error());
  XmlWriter w;
  w.Open("VersioningConfiguration", kS3Xmlns);
  // A bucket whose versioning was never enabled answers an empty configuration, as S3 does.
  switch (info->versioning) {
    case engine::VersioningState::kUnversioned:
      break;
    case engine::VersioningState::kEnabled:
      w.Element("Status", "Enabled");
      break;
    case engine::VersioningState::kSuspended:
      w.Element("Status", "Suspended");
      break;
  }
  return Respond(MakeXmlResponse(w.Finish()));
}

HandlerOutcome HandleListObjectVersions(RequestContext& ctx) {
  const Route& route = ctx.route;
  auto max_param = MaxParam(route, "max-keys");
  if (!max_param.has_value()) return max_param.error();
  const uint32_t max_keys = max_param.value();
  auto url_encoding = UrlEncodingParam(route);
  if (!url_encoding.has_value()) return url_encoding.error();
  auto encode = [url = url_encoding.value()](std::string_view s) { return MaybeUrlEncode(url, s); };

  engine::ListVersionsRequest req;
  req.bucket = route.bucket;
  req.prefix = std::string(route.Query("prefix").value_or(""));
  req.delimiter = std::string(route.Query("delimiter").value_or(""));
  req.key_marker = std::string(route.Query("key-marker").value_or(""));
  req.version_id_marker = std::string(route.Query("version-id-marker").value_or(""));
  req.max_keys = max_keys;

  // The engine checks the bucket and answers an empty page for a max of 0.
  auto listed = ctx.engine.ListObjectVersions(req);
  if (!listed.has_value()) return FromStatus(listed.error());
  engine::ListVersionsResult result = std::move(listed).value();

  XmlWriter w;
  w.Open("ListVersionsResult", kS3Xmlns);
  w.Element("Name", route.bucket);
  w.Element("Prefix", encode(req.prefix));
  w.Element("KeyMarker", encode(req.key_marker));
  w.Element("VersionIdMarker", req.version_id_marker);
  if (result.truncated) {
    w.Element("NextKeyMarker", encode(result.next_key_marker));
    if (!result.next_version_id_marker.empty()) {
      w.Element("NextVersionIdMarker", result.next_version_id_marker);
    }
  }
  w.Element("MaxKeys", std::to_string(max_keys));
  if (!req.delimiter.empty()) w.Element("Delimiter", encode(req.delimiter));
  w.Element("IsTruncated", result.truncated ? "true" : "false");
  if (url_encoding.value()) w.Element("EncodingType", "url");
  // Versions and delete markers interleaved, in the engine's order (key, then newest first).
  for (const auto& v : result.versions) {
    w.Open(v.delete_marker ? "DeleteMarker" : "Version");
    w.Element("Key", encode(v.key));
    w.Element("VersionId", v.version_id);
    w.Element("IsLatest", v.is_latest ? "true" : "false");
    w.Element("LastModified", FormatIso8601(v.last_modified_ns));
    if (!v.delete_marker) {
      w.Element("ETag", QuoteETag(v.etag));
      w.Element("Size", std::to_string(v.size));
      w.Element("StorageClass", v.meta.storage_class.empty() ? "STANDARD" : v.meta.storage_class);
      if (v.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
        w.Element("ChecksumAlgorithm", ChecksumAlgorithmName(v.checksum.algorithm));
      }
    }
    WriteOwnerElement(w, "Owner", ctx.options.owner_display_name);
    w.Close();
  }
  for (const auto& p : result.common_prefixes) {
    w.Open("CommonPrefixes");
    w.Element("Prefix", encode(p));
    w.Close();
  }
  return Respond(MakeXmlResponse(w.Finish()));
}

}  // namespace maxiofs::s3
