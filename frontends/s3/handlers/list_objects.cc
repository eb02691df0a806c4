// ListObjects (V1: marker) and ListObjectsV2 (continuation-token, start-after, fetch-owner).
// The continuation token is opaque to clients: base64 of the engine's next_start_after.
#include "encoding.h"
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/owner_xml.h"
#include "xml/xml_writer.h"

#include <algorithm>

namespace maxiofs::s3 {

HandlerOutcome HandleListObjects(RequestContext& ctx) {
  const Route& route = ctx.route;
  const bool v2 = route.op == S3Op::kListObjectsV2;

  auto max_param = MaxParam(route, "max-keys");
  if (!max_param.has_value()) return max_param.error();
  const uint32_t max_keys = max_param.value();
  auto url_encoding = UrlEncodingParam(route);
  if (!url_encoding.has_value()) return url_encoding.error();
  auto encode = [url = url_encoding.value()](std::string_view s) { return MaybeUrlEncode(url, s); };

  engine::ListObjectsRequest req;
  req.bucket = route.bucket;
  req.prefix = std::string(route.Query("prefix").value_or(""));
  req.delimiter = std::string(route.Query("delimiter").value_or(""));
  req.max_keys = max_keys;
  std::string marker, start_after, token;
  bool has_token = false;
  if (v2) {
    start_after = std::string(route.Query("start-after").value_or(""));
    req.start_after = start_after;
    if (auto t = route.Query("continuation-token")) {
      has_token = true;
      token = std::string(*t);
      // An empty token is the first page (S3 echoes it back empty).
      auto decoded = token.empty() ? std::optional<std::string>("") : Base64Decode(token);
      if (!decoded) {
        return S3Error{S3ErrorCode::kInvalidArgument,
                       "The continuation token provided is incorrect"};
      }
      req.start_after = std::max(*decoded, start_after);
    }
  } else {
    marker = std::string(route.Query("marker").value_or(""));
    req.start_after = marker;
  }

  // The engine checks the bucket and answers an empty page for a max of 0.
  auto listed = ctx.engine.ListObjects(req);
  if (!listed.has_value()) return FromStatus(listed.error());
  engine::ListObjectsResult result = std::move(listed).value();

  const bool fetch_owner = !v2 || route.Query("fetch-owner") == "true";
  XmlWriter w;
  w.Open("ListBucketResult", kS3Xmlns);
  w.Element("Name", route.bucket);
  // V1 answers its Prefix as sent even with encoding-type=url (as S3: botocore decodes only
  // Delimiter, Marker, NextMarker and keys of a V1 answer); control characters are escaped as
  // XML character references.
  w.Element("Prefix", v2 ? encode(req.prefix) : req.prefix);
  if (v2) {
    w.Element("MaxKeys", std::to_string(max_keys));
    w.Element("KeyCount", std::to_string(result.objects.size() + result.common_prefixes.size()));
    if (has_token) w.Element("ContinuationToken", token);
    if (result.truncated) {
      w.Element("NextContinuationToken", Base64Encode(result.next_start_after));
    }
    if (route.HasQuery("start-after")) w.Element("StartAfter", encode(start_after));
  } else {
    w.Element("Marker", encode(marker));
    if (result.truncated && !req.delimiter.empty()) {
      w.Element("NextMarker", encode(result.next_start_after));
    }
    w.Element("MaxKeys", std::to_string(max_keys));
  }
  if (!req.delimiter.empty()) w.Element("Delimiter", encode(req.delimiter));
  w.Element("IsTruncated", result.truncated ? "true" : "false");
  if (url_encoding.value()) w.Element("EncodingType", "url");
  for (const auto& o : result.objects) {
    w.Open("Contents");
    w.Element("Key", encode(o.key));
    w.Element("LastModified", FormatIso8601(o.last_modified_ns));
    w.Element("ETag", QuoteETag(o.etag));
    w.Element("Size", std::to_string(o.size));
    if (fetch_owner) {
      WriteOwnerElement(w, "Owner", ctx.options.owner_display_name);
    }
    w.Element("StorageClass", o.meta.storage_class.empty() ? "STANDARD" : o.meta.storage_class);
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
