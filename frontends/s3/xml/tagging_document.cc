#include "xml/tagging_document.h"

#include "encoding.h"
#include "xml/request_documents.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

namespace maxiofs::s3 {
namespace {

// Far above what any valid set has (50 bucket tags): the engine gives the precise error for
// 11..1000 tags, while a document of thousands is refused before it is copied into a set.
constexpr size_t kMaxParsedTags = 1000;

// The only child named `name`; nullptr when there is none or more than one.
const XmlElement* OnlyChild(const XmlElement& e, std::string_view name) {
  const XmlElement* found = nullptr;
  for (const XmlElement& c : e.children) {
    if (c.name != name) continue;
    if (found != nullptr) return nullptr;
    found = &c;
  }
  return found;
}

}  // namespace

S3Result<engine::TagSet> ParseTaggingDocument(std::string_view body) {
  auto doc = ParseXml(body);
  if (!doc || doc->name != "Tagging") return MalformedXmlError();
  const XmlElement* set = OnlyChild(*doc, "TagSet");
  if (set == nullptr) return MalformedXmlError();
  engine::TagSet tags;
  for (const XmlElement& tag : set->children) {
    if (tag.name != "Tag") return MalformedXmlError();
    if (tags.size() == kMaxParsedTags) return MalformedXmlError();
    const XmlElement* key = OnlyChild(tag, "Key");
    const XmlElement* value = OnlyChild(tag, "Value");
    if (key == nullptr || value == nullptr || !key->children.empty() || !value->children.empty()) {
      return MalformedXmlError();
    }
    tags.push_back({key->text, value->text});
  }
  return tags;
}

std::string WriteTaggingDocument(const engine::TagSet& tags) {
  XmlWriter w;
  w.Open("Tagging", kS3Xmlns);
  w.Open("TagSet");
  for (const engine::Tag& t : tags) {
    w.Open("Tag");
    w.Element("Key", t.key);
    w.Element("Value", t.value);
    w.Close();
  }
  return w.Finish();
}

S3Result<engine::TagSet> ParseTaggingHeader(std::string_view value) {
  const S3Error invalid{S3ErrorCode::kInvalidArgument,
                        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL "
                        "query parameters without tag name duplicates."};
  auto params = ParseQuery(value);
  if (!params) return invalid;
  engine::TagSet tags;
  tags.reserve(params->size());
  for (QueryParam& p : *params) {
    for (const engine::Tag& t : tags) {
      if (t.key == p.name) return invalid;
    }
    tags.push_back({std::move(p.name), std::move(p.value)});
  }
  return tags;
}

}  // namespace maxiofs::s3
