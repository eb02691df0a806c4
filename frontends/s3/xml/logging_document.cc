#include "xml/logging_document.h"

#include "headers.h"
#include "xml/acl_document.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <array>
#include <utility>

namespace maxiofs::s3 {
namespace {

constexpr std::array<std::pair<engine::AclPermission, std::string_view>, 3> kPermissions = {{
    {engine::AclPermission::kFullControl, "FULL_CONTROL"},
    {engine::AclPermission::kRead, "READ"},
    {engine::AclPermission::kWrite, "WRITE"},
}};

S3Error Malformed(std::string_view why) {
  return S3Error{S3ErrorCode::kMalformedXML,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema: " +
                     std::string(why)};
}

// Each child of `el` named in `names` at most once.
bool NoRepeats(const XmlElement& el) {
  for (size_t i = 0; i < el.children.size(); ++i) {
    for (size_t j = i + 1; j < el.children.size(); ++j) {
      if (el.children[i].name == el.children[j].name) return false;
    }
  }
  return true;
}

S3Result<engine::LogTargetGrant> ParseGrant(const XmlElement& grant) {
  if (grant.name != "Grant") return Malformed("TargetGrants holds only Grant elements");
  const XmlElement* grantee = grant.Child("Grantee");
  const XmlElement* permission = grant.Child("Permission");
  if (grantee == nullptr || permission == nullptr || !NoRepeats(grant)) {
    return Malformed("a Grant needs one Grantee and one Permission");
  }
  engine::LogTargetGrant g;
  if (!ParseGrantee(*grantee, &g)) {
    return Malformed("a Grantee needs an ID, a URI or an EmailAddress");
  }
  for (const auto& [perm, name] : kPermissions) {
    if (TrimOws(permission->text) == name) {
      g.permission = perm;
      return g;
    }
  }
  return Malformed("a target grant's Permission is FULL_CONTROL, READ or WRITE");
}

S3Result<bool> ParseKeyFormat(const XmlElement& el, engine::BucketLoggingConfig& c) {
  if (el.children.size() != 1) {
    return Malformed("TargetObjectKeyFormat holds either SimplePrefix or PartitionedPrefix");
  }
  const XmlElement& f = el.children[0];
  if (f.name == "SimplePrefix") {
    if (!f.children.empty()) return Malformed("SimplePrefix is empty");
    c.key_format = engine::LogKeyFormat::kSimplePrefix;
    return true;
  }
  if (f.name != "PartitionedPrefix") {
    return Malformed("TargetObjectKeyFormat holds either SimplePrefix or PartitionedPrefix");
  }
  c.key_format = engine::LogKeyFormat::kPartitionedPrefix;
  c.date_source = engine::LogPartitionDateSource::kEventTime;  // S3's default
  for (const XmlElement& d : f.children) {
    if (d.name != "PartitionDateSource" || f.children.size() > 1) {
      return Malformed("PartitionedPrefix holds one PartitionDateSource");
    }
    std::string_view v = TrimOws(d.text);
    if (v == "EventTime") {
      c.date_source = engine::LogPartitionDateSource::kEventTime;
    } else if (v == "DeliveryTime") {
      c.date_source = engine::LogPartitionDateSource::kDeliveryTime;
    } else {
      return Malformed("PartitionDateSource is EventTime or DeliveryTime");
    }
  }
  return true;
}

}  // namespace

S3Result<std::optional<engine::BucketLoggingConfig>> ParseBucketLoggingStatus(
    std::string_view body) {
  if (body.size() > kMaxLoggingDocumentBytes) return Malformed("the document is too large");
  auto doc = ParseXml(body);
  if (!doc || doc->name != "BucketLoggingStatus") return MalformedXmlError();
  if (doc->children.empty()) return std::optional<engine::BucketLoggingConfig>();
  if (doc->children.size() != 1 || doc->children[0].name != "LoggingEnabled") {
    return Malformed("BucketLoggingStatus holds at most one LoggingEnabled");
  }
  const XmlElement& le = doc->children[0];
  if (!NoRepeats(le)) return Malformed("LoggingEnabled repeats an element");
  engine::BucketLoggingConfig c;
  bool has_bucket = false, has_prefix = false;
  for (const XmlElement& e : le.children) {
    if (e.name == "TargetBucket") {
      if (!e.children.empty()) return Malformed("TargetBucket is text");
      c.target_bucket = std::string(TrimOws(e.text));
      has_bucket = !c.target_bucket.empty();
    } else if (e.name == "TargetPrefix") {
      if (!e.children.empty()) return Malformed("TargetPrefix is text");
      c.target_prefix = e.text;  // kept as given: spaces are valid key characters
      has_prefix = true;
    } else if (e.name == "TargetGrants") {
      for (const XmlElement& g : e.children) {
        auto grant = ParseGrant(g);
        if (!grant.has_value()) return grant.error();
        c.target_grants.push_back(std::move(grant).value());
      }
    } else if (e.name == "TargetObjectKeyFormat") {
      auto ok = ParseKeyFormat(e, c);
      if (!ok.has_value()) return ok.error();
    } else {
      return Malformed("LoggingEnabled has an unknown element " + e.name);
    }
  }
  if (!has_bucket) return Malformed("LoggingEnabled needs a TargetBucket");
  if (!has_prefix) return Malformed("LoggingEnabled needs a TargetPrefix");
  return std::optional<engine::BucketLoggingConfig>(std::move(c));
}

std::string BucketLoggingStatusXml(const std::optional<engine::BucketLoggingConfig>& config) {
  XmlWriter w;
  w.Open("BucketLoggingStatus", kS3Xmlns);
  if (config) {
    w.Open("LoggingEnabled");
    w.Element("TargetBucket", config->target_bucket);
    w.Element("TargetPrefix", config->target_prefix);
    if (!config->target_grants.empty()) {
      w.Open("TargetGrants");
      for (const engine::LogTargetGrant& g : config->target_grants) {
        w.Open("Grant");
        WriteGrantee(w, g, "");
        for (const auto& [perm, name] : kPermissions) {
          if (perm == g.permission) w.Element("Permission", name);
        }
        w.Close();
      }
      w.Close();
    }
    w.Open("TargetObjectKeyFormat");
    if (config->key_format == engine::LogKeyFormat::kPartitionedPrefix) {
      w.Open("PartitionedPrefix");
      w.Element("PartitionDateSource",
                config->date_source == engine::LogPartitionDateSource::kEventTime ? "EventTime"
                                                                                  : "DeliveryTime");
      w.Close();
    } else {
      w.Open("SimplePrefix");
      w.Close();
    }
    w.Close();
    w.Close();
  }
  return w.Finish();
}

}  // namespace maxiofs::s3
