#include "xml/cors_document.h"

#include "headers.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <charconv>
#include <limits>

namespace maxiofs::s3 {
namespace {

S3Error RuleError(size_t index, const std::string& id, std::string_view what) {
  std::string name = "CORSRule " + std::to_string(index + 1);
  if (!id.empty()) name += " (ID \"" + id + "\")";
  return S3Error{S3ErrorCode::kMalformedXML,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema: " +
                     name + " " + std::string(what)};
}

std::optional<int32_t> ParseMaxAge(std::string_view text) {
  text = TrimOws(text);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<int32_t>(v);
}

}  // namespace

S3Result<engine::CorsConfiguration> ParseCorsConfiguration(std::string_view body) {
  if (body.size() > kMaxCorsDocumentBytes) {
    return S3Error{S3ErrorCode::kMalformedXML,
                   "The CORS configuration document is larger than 65536 bytes."};
  }
  auto doc = ParseXml(body);
  if (!doc || doc->name != "CORSConfiguration") return MalformedXmlError();
  engine::CorsConfiguration config;
  for (const XmlElement& rule_el : doc->children) {
    if (rule_el.name != "CORSRule") return MalformedXmlError();
    const size_t index = config.rules.size();
    if (index >= engine::kMaxCorsRules) {
      return S3Error{S3ErrorCode::kInvalidRequest,
                     "The number of CORS rules should not exceed allowed limit of 100 rules."};
    }
    engine::CorsRule rule;
    bool has_id = false;
    for (const XmlElement& e : rule_el.children) {
      if (e.name == "ID") {
        if (has_id) return RuleError(index, rule.id, "has more than one ID.");
        has_id = true;
        rule.id = e.text;
      }
    }
    for (const XmlElement& e : rule_el.children) {
      if (!e.children.empty()) return RuleError(index, rule.id, "has a nested " + e.name + ".");
      if (e.name == "ID") continue;
      std::string value(TrimOws(e.text));
      if (e.name == "AllowedMethod") {
        rule.allowed_methods.push_back(std::move(value));
      } else if (e.name == "AllowedOrigin") {
        rule.allowed_origins.push_back(std::move(value));
      } else if (e.name == "AllowedHeader") {
        rule.allowed_headers.push_back(std::move(value));
      } else if (e.name == "ExposeHeader") {
        rule.expose_headers.push_back(std::move(value));
      } else if (e.name == "MaxAgeSeconds") {
        if (rule.max_age_seconds) return RuleError(index, rule.id, "has two MaxAgeSeconds.");
        auto age = ParseMaxAge(e.text);
        if (!age) return RuleError(index, rule.id, "has a MaxAgeSeconds that is not an integer.");
        rule.max_age_seconds = *age;
      } else {
        return RuleError(index, rule.id, "has an unknown element " + e.name + ".");
      }
    }
    if (rule.allowed_methods.empty()) return RuleError(index, rule.id, "has no AllowedMethod.");
    if (rule.allowed_origins.empty()) return RuleError(index, rule.id, "has no AllowedOrigin.");
    config.rules.push_back(std::move(rule));
  }
  if (config.rules.empty()) return MalformedXmlError();
  return config;
}

std::string CorsConfigurationXml(const engine::CorsConfiguration& config) {
  XmlWriter w;
  w.Open("CORSConfiguration", kS3Xmlns);
  for (const engine::CorsRule& r : config.rules) {
    w.Open("CORSRule");
    if (!r.id.empty()) w.Element("ID", r.id);
    for (const std::string& h : r.allowed_headers) w.Element("AllowedHeader", h);
    for (const std::string& m : r.allowed_methods) w.Element("AllowedMethod", m);
    for (const std::string& o : r.allowed_origins) w.Element("AllowedOrigin", o);
    for (const std::string& h : r.expose_headers) w.Element("ExposeHeader", h);
    if (r.max_age_seconds) w.Element("MaxAgeSeconds", std::to_string(*r.max_age_seconds));
    w.Close();
  }
  return w.Finish();
}

}  // namespace maxiofs::s3
