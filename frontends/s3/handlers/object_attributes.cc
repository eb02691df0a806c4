// GetObjectAttributes (GET ?attributes): the attributes x-amz-object-attributes names (ETag,
// Checksum, ObjectParts, StorageClass, ObjectSize) of one version, parts paged with
// x-amz-max-parts / x-amz-part-number-marker; SSE-C objects need their key, as for HEAD.
#include "handlers/handler.h"
#include "headers.h"
#include "responses.h"
#include "xml/xml_writer.h"

#include <array>

namespace maxiofs::s3 {
namespace {

enum Attribute : unsigned {
  kETag = 1,
  kChecksum = 2,
  kObjectParts = 4,
  kStorageClass = 8,
  kObjectSize = 16
};

constexpr std::array<std::pair<std::string_view, Attribute>, 5> kAttributes = {{
    {"ETag", kETag},
    {"Checksum", kChecksum},
    {"ObjectParts", kObjectParts},
    {"StorageClass", kStorageClass},
    {"ObjectSize", kObjectSize},
}};

// The attributes asked for (every x-amz-object-attributes header, comma-separated names).
S3Result<unsigned> RequestedAttributes(const HttpRequest& request) {
  unsigned mask = 0;
  for (const auto& [name, value] : request.headers) {
    if (name != "x-amz-object-attributes") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view item =
          TrimOws(rest.substr(0, comma == std::string_view::npos ? rest.size() : comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) continue;
      bool known = false;
      for (const auto& [attr_name, bit] : kAttributes) {
        if (item == attr_name) {
          mask |= bit;
          known = true;
        }
      }
      if (!known) {
        return S3Error{S3ErrorCode::kInvalidArgument,
                       "Invalid attribute name specified: " + std::string(item)};
      }
    }
  }
  if (mask == 0) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "The x-amz-object-attributes header specifying the attributes to be retrieved "
                   "is either missing or empty"};
  }
  return mask;
}

// An optional integer header; InvalidArgument when present but not a 32-bit integer.
S3Result<std::optional<uint32_t>> UintHeader(const HttpRequest& request, std::string_view name) {
  auto v = request.Header(name);
  if (!v) return std::optional<uint32_t>();
  auto n = ParseUint64(TrimOws(*v));
  if (!n || *n > 0x7fffffffu) {
    return S3Error{S3ErrorCode::kInvalidArgument,
                   "Provided " + std::string(name) + " not an integer or within integer range"};
  }
  return std::optional<uint32_t>(static_cast<uint32_t>(*n));
}

}  // namespace

HandlerOutcome HandleGetObjectAttributes(RequestContext& ctx) {
  auto mask = RequestedAttributes(ctx.request);
  if (!mask.has_value()) return mask.error();
  auto version = VersionIdParam(ctx.route);
  if (!version.has_value()) return version.error();
  auto max_parts = UintHeader(ctx.request, "x-amz-max-parts");
  if (!max_parts.has_value()) return max_parts.error();
  auto marker = UintHeader(ctx.request, "x-amz-part-number-marker");
  if (!marker.has_value()) return marker.error();
  auto customer = ExtractCustomerKey(ctx, "x-amz-server-side-encryption-customer-");
  if (!customer.has_value()) return customer.error();

  engine::GetObjectAttributesRequest req;
  req.bucket = ctx.route.bucket;
  req.key = ctx.route.key;
  req.version_id = version.value();
  req.customer_key = customer.value();
  req.max_parts = std::min<uint32_t>(max_parts.value().value_or(1000), 1000);
  req.part_number_marker = marker.value().value_or(0);
  auto got = ctx.engine.GetObjectAttributes(req);
  if (!got.has_value()) return ObjectError(ctx, got.error());
  const engine::ObjectAttributes& a = got.value();
  const engine::ObjectInfo& info = a.info;

  XmlWriter w;
  w.Open("GetObjectAttributesResponse", kS3Xmlns);
  if (mask.value() & kETag) w.Element("ETag", info.etag);
  if ((mask.value() & kChecksum) && info.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    w.Open("Checksum");
    w.Element(ChecksumElementName(info.checksum.algorithm), info.checksum.value);
    w.Element("ChecksumType", ChecksumTypeName(info.checksum_type));
    w.Close();
  }
  if ((mask.value() & kObjectParts) && info.parts_count > 0) {
    w.Open("ObjectParts");
    w.Element("PartsCount", std::to_string(info.parts_count));
    w.Element("PartNumberMarker", std::to_string(req.part_number_marker));
    const uint32_t next = a.parts.empty() ? req.part_number_marker : a.parts.back().part_number;
    w.Element("NextPartNumberMarker", std::to_string(next));
    w.Element("MaxParts", std::to_string(req.max_parts));
    w.Element("IsTruncated", a.truncated ? "true" : "false");
    for (const engine::PartInfo& p : a.parts) {
      w.Open("Part");
      w.Element("PartNumber", std::to_string(p.part_number));
      w.Element("Size", std::to_string(p.size));
      if (p.checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
        w.Element(ChecksumElementName(p.checksum.algorithm), p.checksum.value);
      }
      w.Close();
    }
    w.Close();
  }
  if (mask.value() & kStorageClass) {
    w.Element("StorageClass",
              info.meta.storage_class.empty() ? std::string("STANDARD") : info.meta.storage_class);
  }
  if (mask.value() & kObjectSize) w.Element("ObjectSize", std::to_string(info.size));
  Response r = MakeXmlResponse(w.Finish());
  r.AddHeader("Last-Modified", FormatHttpDate(info.last_modified_ns));
  AddReadVersionHeader(ctx.engine, ctx.route.bucket, info.version_id, r);
  return Respond(std::move(r));
}

}  // namespace maxiofs::s3
