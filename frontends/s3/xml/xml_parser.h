// A small, hostile-input-safe XML parser for the request documents S3 accepts
// (CreateBucketConfiguration, Delete, ...). It builds a tiny element tree.
//
// Deliberately limited: no DTD (a <!DOCTYPE> is rejected, so no entity expansion attacks and
// no external entities), only the five predefined entities and numeric character references,
// bounded depth and element count, text must be valid UTF-8. Namespace prefixes are dropped
// from element names (<s3:Key> is "Key"); attributes are checked for syntax and ignored.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maxiofs::s3 {

struct XmlElement {
  std::string name;  // local name
  std::string text;  // concatenated character data directly inside this element
  std::vector<XmlElement> children;

  // The first child named `name`, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
};

struct XmlLimits {
  size_t max_depth = 16;
  size_t max_elements = 20000;
};

// Parses a whole document. nullopt when it is not well-formed or breaks a limit; `error`
// (optional) receives a short reason for the log.
std::optional<XmlElement> ParseXml(std::string_view doc, const XmlLimits& limits = {},
                                   std::string* error = nullptr);

}  // namespace maxiofs::s3
