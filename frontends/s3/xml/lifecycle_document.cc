#include "xml/lifecycle_document.h"

#include "headers.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <algorithm>
#include <set>

namespace maxiofs::s3 {
namespace {

using engine::LifecycleFilter;
using engine::LifecycleRule;

S3Error Malformed(const std::string& rule_id, std::string_view what) {
  return S3Error{S3ErrorCode::kMalformedXML,
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema (rule '" +
                     rule_id + "': " + std::string(what) + ")"};
}

// Children of `e` must be among `allowed`; the ones marked single at most once.
bool OnlyChildren(const XmlElement& e, std::initializer_list<std::string_view> single,
                  std::initializer_list<std::string_view> repeated = {}) {
  std::set<std::string_view> seen;
  for (const XmlElement& c : e.children) {
    const bool is_single = std::find(single.begin(), single.end(), c.name) != single.end();
    const bool is_repeated = std::find(repeated.begin(), repeated.end(), c.name) != repeated.end();
    if (!is_single && !is_repeated) return false;
    if (is_single && !seen.insert(c.name).second) return false;
  }
  return true;
}

std::optional<uint64_t> Uint(const XmlElement& e) { return ParseUint64(TrimOws(e.text)); }

std::optional<uint32_t> Uint32(const XmlElement& e) {
  auto n = Uint(e);
  if (!n || *n > 0xffffffffu) return std::nullopt;
  return static_cast<uint32_t>(*n);
}

// An ISO 8601 date ("2030-01-01T00:00:00Z", with a fraction or an offset, as SDKs send it).
std::optional<int64_t> Date(const XmlElement& e) { return ParseLockDate(e.text); }

S3Result<engine::LifecycleTag> ParseTag(const std::string& id, const XmlElement& e) {
  if (!OnlyChildren(e, {"Key", "Value"})) return Malformed(id, "a Tag takes Key and Value");
  const XmlElement* k = e.Child("Key");
  const XmlElement* v = e.Child("Value");
  if (k == nullptr || v == nullptr) return Malformed(id, "a Tag needs a Key and a Value");
  return engine::LifecycleTag{k->text, v->text};
}

// The members of a Filter or of its And (`in_and`: several tags allowed).
S3Result<LifecycleFilter> ParseFilterMembers(const std::string& id, const XmlElement& e,
                                             bool in_and) {
  LifecycleFilter f;
  for (const XmlElement& c : e.children) {
    if (c.name == "Prefix") {
      if (f.prefix) return Malformed(id, "Prefix given twice");
      f.prefix = c.text;
    } else if (c.name == "Tag") {
      if (!in_and && !f.tags.empty()) return Malformed(id, "a Filter takes one Tag; use And");
      auto tag = ParseTag(id, c);
      if (!tag.has_value()) return tag.error();
      f.tags.push_back(std::move(tag).value());
    } else if (c.name == "ObjectSizeGreaterThan" || c.name == "ObjectSizeLessThan") {
      auto n = Uint(c);
      if (!n) return Malformed(id, std::string(c.name) + " must be a whole number");
      auto& slot = c.name == "ObjectSizeGreaterThan" ? f.size_greater_than : f.size_less_than;
      if (slot) return Malformed(id, std::string(c.name) + " given twice");
      slot = *n;
    } else if (c.name == "And" && !in_and) {
      if (!e.children.empty() && e.children.size() != 1) {
        return Malformed(id, "And stands alone in a Filter");
      }
      auto inner = ParseFilterMembers(id, c, /*in_and=*/true);
      if (!inner.has_value()) return inner.error();
      f = std::move(inner).value();
      f.form = LifecycleFilter::Form::kAnd;
      return f;
    } else {
      return Malformed(id, "unexpected element " + c.name + " in a Filter");
    }
  }
  if (!in_and) {
    const int members = (f.prefix ? 1 : 0) + static_cast<int>(f.tags.size()) +
                        (f.size_greater_than ? 1 : 0) + (f.size_less_than ? 1 : 0);
    if (members > 1) {
      return Malformed(id,
                       "a Filter takes one of Prefix, Tag, ObjectSizeGreaterThan, "
                       "ObjectSizeLessThan and And");
    }
  }
  return f;
}

S3Result<engine::LifecycleTransition> ParseTransition(const std::string& id, const XmlElement& e,
                                                      bool noncurrent) {
  engine::LifecycleTransition t;
  for (const XmlElement& c : e.children) {
    if (c.name == (noncurrent ? "NoncurrentDays" : "Days")) {
      t.days = Uint32(c);
      if (!t.days) return Malformed(id, "transition days must be a whole number");
    } else if (!noncurrent && c.name == "Date") {
      t.date_ns = Date(c);
      if (!t.date_ns) return Malformed(id, "a transition Date must be an ISO 8601 date");
    } else if (noncurrent && c.name == "NewerNoncurrentVersions") {
      t.newer_noncurrent_versions = Uint32(c);
      if (!t.newer_noncurrent_versions) return Malformed(id, "bad NewerNoncurrentVersions");
    } else if (c.name == "StorageClass") {
      t.storage_class = std::string(TrimOws(c.text));
    } else {
      return Malformed(id, "unexpected element " + c.name + " in a transition");
    }
  }
  return t;
}

S3Result<LifecycleRule> ParseRule(const XmlElement& e, size_t index) {
  LifecycleRule r;
  if (const XmlElement* idel = e.Child("ID")) r.id = idel->text;
  const std::string id = r.id.empty() ? "#" + std::to_string(index + 1) : r.id;
  if (!OnlyChildren(e,
                    {"ID", "Prefix", "Filter", "Status", "Expiration",
                     "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"},
                    {"Transition", "NoncurrentVersionTransition"})) {
    return Malformed(id, "unexpected or repeated element in a Rule");
  }
  const XmlElement* status = e.Child("Status");
  if (status == nullptr) return Malformed(id, "a Rule needs a Status");
  if (status->text == "Enabled") {
    r.enabled = true;
  } else if (status->text == "Disabled") {
    r.enabled = false;
  } else {
    return Malformed(id, "Status must be Enabled or Disabled");
  }
  const XmlElement* prefix = e.Child("Prefix");
  const XmlElement* filter = e.Child("Filter");
  if (prefix != nullptr && filter != nullptr) {
    return Malformed(id, "a Rule takes a Filter or a Prefix, not both");
  }
  if (prefix != nullptr) {
    r.filter.form = LifecycleFilter::Form::kRulePrefix;
    r.filter.prefix = prefix->text;
  } else if (filter != nullptr) {
    auto f = ParseFilterMembers(id, *filter, /*in_and=*/false);
    if (!f.has_value()) return f.error();
    r.filter = std::move(f).value();
  } else {
    return Malformed(id, "a Rule needs a Filter or a Prefix");
  }
  if (const XmlElement* exp = e.Child("Expiration")) {
    if (!OnlyChildren(*exp, {"Days", "Date", "ExpiredObjectDeleteMarker"})) {
      return Malformed(id, "Expiration takes Days, Date or ExpiredObjectDeleteMarker");
    }
    engine::LifecycleExpiration x;
    if (const XmlElement* d = exp->Child("Days")) {
      x.days = Uint32(*d);
      if (!x.days) return Malformed(id, "Days must be a whole number");
    }
    if (const XmlElement* d = exp->Child("Date")) {
      x.date_ns = Date(*d);
      if (!x.date_ns) return Malformed(id, "Date must be an ISO 8601 date");
    }
    if (const XmlElement* m = exp->Child("ExpiredObjectDeleteMarker")) {
      const std::string_view v = TrimOws(m->text);
      if (v != "true" && v != "false") {
        return Malformed(id, "ExpiredObjectDeleteMarker must be true or false");
      }
      x.expired_object_delete_marker = v == "true";
    }
    r.expiration = x;
  }
  if (const XmlElement* nc = e.Child("NoncurrentVersionExpiration")) {
    if (!OnlyChildren(*nc, {"NoncurrentDays", "NewerNoncurrentVersions"})) {
      return Malformed(id,
                       "NoncurrentVersionExpiration takes NoncurrentDays and "
                       "NewerNoncurrentVersions");
    }
    engine::NoncurrentVersionExpiration x;
    if (const XmlElement* d = nc->Child("NoncurrentDays")) {
      x.noncurrent_days = Uint32(*d);
      if (!x.noncurrent_days) return Malformed(id, "NoncurrentDays must be a whole number");
    }
    if (const XmlElement* d = nc->Child("NewerNoncurrentVersions")) {
      x.newer_noncurrent_versions = Uint32(*d);
      if (!x.newer_noncurrent_versions) {
        return Malformed(id, "NewerNoncurrentVersions must be a whole number");
      }
    }
    r.noncurrent_expiration = x;
  }
  if (const XmlElement* ab = e.Child("AbortIncompleteMultipartUpload")) {
    const XmlElement* d = ab->Child("DaysAfterInitiation");
    if (!OnlyChildren(*ab, {"DaysAfterInitiation"}) || d == nullptr) {
      return Malformed(id, "AbortIncompleteMultipartUpload takes DaysAfterInitiation");
    }
    r.abort_incomplete_upload_days = Uint32(*d);
    if (!r.abort_incomplete_upload_days) {
      return Malformed(id, "DaysAfterInitiation must be a whole number");
    }
  }
  for (const XmlElement& c : e.children) {
    if (c.name != "Transition" && c.name != "NoncurrentVersionTransition") continue;
    const bool noncurrent = c.name == "NoncurrentVersionTransition";
    auto t = ParseTransition(id, c, noncurrent);
    if (!t.has_value()) return t.error();
    (noncurrent ? r.noncurrent_transitions : r.transitions).push_back(std::move(t).value());
  }
  return r;
}

std::string DateText(int64_t ns) {
  // "2030-01-01T00:00:00.000Z" (S3 answers dates with milliseconds).
  return FormatIso8601(ns);
}

void WriteFilterMembers(XmlWriter& w, const LifecycleFilter& f) {
  if (f.prefix) w.Element("Prefix", *f.prefix);
  for (const engine::LifecycleTag& t : f.tags) {
    w.Open("Tag");
    w.Element("Key", t.key);
    w.Element("Value", t.value);
    w.Close();
  }
  if (f.size_greater_than) {
    w.Element("ObjectSizeGreaterThan", std::to_string(*f.size_greater_than));
  }
  if (f.size_less_than) w.Element("ObjectSizeLessThan", std::to_string(*f.size_less_than));
}

}  // namespace

S3Result<engine::LifecycleConfiguration> ParseLifecycleConfiguration(std::string_view body) {
  XmlLimits limits;
  limits.max_elements = 40000;  // 1,000 rules of a few dozen elements
  auto doc = ParseXml(body, limits);
  if (!doc || doc->name != "LifecycleConfiguration") return MalformedXmlError();
  engine::LifecycleConfiguration config;
  for (const XmlElement& c : doc->children) {
    if (c.name != "Rule") return MalformedXmlError();
    if (config.rules.size() == engine::kMaxLifecycleRules) {
      return S3Error{S3ErrorCode::kMalformedXML,
                     "A lifecycle configuration has at most 1000 rules"};
    }
    auto rule = ParseRule(c, config.rules.size());
    if (!rule.has_value()) return rule.error();
    config.rules.push_back(std::move(rule).value());
  }
  if (config.rules.empty()) return MalformedXmlError();
  return config;
}

std::string RenderLifecycleConfiguration(const engine::LifecycleConfiguration& config) {
  XmlWriter w;
  w.Open("LifecycleConfiguration", kS3Xmlns);
  for (const LifecycleRule& r : config.rules) {
    w.Open("Rule");
    w.Element("ID", r.id);
    switch (r.filter.form) {
      case LifecycleFilter::Form::kRulePrefix:
        w.Element("Prefix", r.filter.prefix.value_or(""));
        break;
      case LifecycleFilter::Form::kFilter:
        w.Open("Filter");
        WriteFilterMembers(w, r.filter);
        w.Close();
        break;
      case LifecycleFilter::Form::kAnd:
        w.Open("Filter");
        w.Open("And");
        WriteFilterMembers(w, r.filter);
        w.Close();
        w.Close();
        break;
    }
    w.Element("Status", r.enabled ? "Enabled" : "Disabled");
    if (r.expiration) {
      w.Open("Expiration");
      if (r.expiration->days) w.Element("Days", std::to_string(*r.expiration->days));
      if (r.expiration->date_ns) w.Element("Date", DateText(*r.expiration->date_ns));
      if (r.expiration->expired_object_delete_marker) {
        w.Element("ExpiredObjectDeleteMarker",
                  *r.expiration->expired_object_delete_marker ? "true" : "false");
      }
      w.Close();
    }
    if (r.noncurrent_expiration) {
      w.Open("NoncurrentVersionExpiration");
      if (r.noncurrent_expiration->noncurrent_days) {
        w.Element("NoncurrentDays", std::to_string(*r.noncurrent_expiration->noncurrent_days));
      }
      if (r.noncurrent_expiration->newer_noncurrent_versions) {
        w.Element("NewerNoncurrentVersions",
                  std::to_string(*r.noncurrent_expiration->newer_noncurrent_versions));
      }
      w.Close();
    }
    if (r.abort_incomplete_upload_days) {
      w.Open("AbortIncompleteMultipartUpload");
      w.Element("DaysAfterInitiation", std::to_string(*r.abort_incomplete_upload_days));
      w.Close();
    }
    w.Close();
  }
  return w.Finish();
}

std::string ExpirationHeader(int64_t date_ns, std::string_view rule_id) {
  // The rule id is the client's text: quotes and backslashes are escaped, and control
  // characters (which could end the header) become '?'.
  std::string id;
  for (char c : rule_id) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      id.push_back('?');
      continue;
    }
    if (c == '"' || c == '\\') id.push_back('\\');
    id.push_back(c);
  }
  return "expiry-date=\"" + FormatHttpDate(date_ns) + "\", rule-id=\"" + id + "\"";
}

}  // namespace maxiofs::s3
