#include "xml/notification_document.h"

#include "headers.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <array>
#include <utility>

namespace maxiofs::s3 {
namespace {

struct KindNames {
  engine::NotificationKind kind;
  std::string_view element;  // QueueConfiguration ...
  std::string_view arn;      // Queue ...
};
constexpr std::array<KindNames, 3> kKinds = {{
    {engine::NotificationKind::kTopic, "TopicConfiguration", "Topic"},
    {engine::NotificationKind::kQueue, "QueueConfiguration", "Queue"},
    {engine::NotificationKind::kCloudFunction, "CloudFunctionConfiguration", "CloudFunction"},
}};

S3Error Malformed(std::string_view why) {
  return S3Error{S3ErrorCode::kMalformedXML,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema: " +
                     std::string(why)};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

S3Result<bool> ParseFilter(const XmlElement& filter, engine::NotificationRule& rule) {
  bool has_prefix = false, has_suffix = false;
  for (const XmlElement& key : filter.children) {
    if (key.name != "S3Key") return Malformed("Filter holds only S3Key");
    for (const XmlElement& fr : key.children) {
      if (fr.name != "FilterRule") return Malformed("S3Key holds only FilterRule");
      const XmlElement* name = fr.Child("Name");
      const XmlElement* value = fr.Child("Value");
      if (name == nullptr || value == nullptr || fr.children.size() != 2) {
        return Malformed("a FilterRule has one Name and one Value");
      }
      const std::string n = Lower(TrimOws(name->text));
      if (n == "prefix") {
        if (has_prefix) {
          return S3Error{S3ErrorCode::kInvalidArgument,
                         "Cannot specify more than one prefix rule in a filter."};
        }
        has_prefix = true;
        rule.prefix = value->text;
      } else if (n == "suffix") {
        if (has_suffix) {
          return S3Error{S3ErrorCode::kInvalidArgument,
                         "Cannot specify more than one suffix rule in a filter."};
        }
        has_suffix = true;
        rule.suffix = value->text;
      } else {
        return S3Error{S3ErrorCode::kInvalidArgument,
                       "filter rule name must be either prefix or suffix"};
      }
    }
  }
  return true;
}

}  // namespace

S3Result<engine::NotificationConfiguration> ParseNotificationConfiguration(std::string_view body) {
  if (body.size() > kMaxNotificationDocumentBytes) return Malformed("the document is too large");
  auto doc = ParseXml(body);
  if (!doc || doc->name != "NotificationConfiguration") return MalformedXmlError();
  engine::NotificationConfiguration config;
  for (const XmlElement& c : doc->children) {
    if (c.name == "EventBridgeConfiguration") {
      return S3Error{S3ErrorCode::kNotImplemented,
                     "Not implemented in MaxIOFS yet: EventBridgeConfiguration"};
    }
    const KindNames* kind = nullptr;
    for (const KindNames& k : kKinds) {
      if (c.name == k.element) kind = &k;
    }
    if (kind == nullptr) return Malformed("unknown element " + c.name);
    engine::NotificationRule rule;
    rule.kind = kind->kind;
    bool has_id = false, has_arn = false, has_filter = false;
    for (const XmlElement& e : c.children) {
      if (e.name == "Id" && !has_id) {
        has_id = true;
        rule.id = std::string(TrimOws(e.text));
      } else if (e.name == kind->arn && !has_arn) {
        has_arn = true;
        rule.arn = std::string(TrimOws(e.text));
      } else if (e.name == "Event") {
        rule.events.emplace_back(TrimOws(e.text));
      } else if (e.name == "Filter" && !has_filter) {
        has_filter = true;
        auto ok = ParseFilter(e, rule);
        if (!ok.has_value()) return ok.error();
      } else {
        return Malformed(std::string(kind->element) + " has an unexpected " + e.name);
      }
    }
    if (!has_arn || rule.arn.empty()) {
      return Malformed(std::string(kind->element) + " needs a " + std::string(kind->arn));
    }
    if (rule.events.empty()) return Malformed(std::string(kind->element) + " needs an Event");
    config.rules.push_back(std::move(rule));
  }
  return config;
}

std::string NotificationConfigurationXml(const engine::NotificationConfiguration& config) {
  XmlWriter w;
  w.Open("NotificationConfiguration", kS3Xmlns);
  for (const KindNames& k : kKinds) {
    for (const engine::NotificationRule& r : config.rules) {
      if (r.kind != k.kind) continue;
      w.Open(k.element);
      w.Element("Id", r.id);
      w.Element(k.arn, r.arn);
      for (const std::string& e : r.events) w.Element("Event", e);
      if (!r.prefix.empty() || !r.suffix.empty()) {
        w.Open("Filter");
        w.Open("S3Key");
        if (!r.prefix.empty()) {
          w.Open("FilterRule");
          w.Element("Name", "prefix");
          w.Element("Value", r.prefix);
          w.Close();
        }
        if (!r.suffix.empty()) {
          w.Open("FilterRule");
          w.Element("Name", "suffix");
          w.Element("Value", r.suffix);
          w.Close();
        }
        w.Close();
        w.Close();
      }
      w.Close();
    }
  }
  w.Close();
  return w.Finish();
}

}  // namespace maxiofs::s3
