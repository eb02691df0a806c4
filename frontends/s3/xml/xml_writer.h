// XmlWriter: builds the small XML documents S3 answers with (ListBucketResult, Error, ...).
// Escapes text so any object key round-trips: the five markup characters become entities and
// control characters become numeric references. Not thread-safe; one per document.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maxiofs::s3 {

// `text` with &, <, >, ", ' and control characters escaped.
std::string XmlEscape(std::string_view text);

class XmlWriter {
 public:
  // Starts a document with the XML declaration.
  XmlWriter();

  // Opens element `name` (with an xmlns attribute when `xmlns` is not empty).
  void Open(std::string_view name, std::string_view xmlns = {});
  // Opens element `name` with attributes (name, value); values are escaped.
  void OpenWithAttributes(std::string_view name,
                          const std::vector<std::pair<std::string_view, std::string_view>>& attrs);
  // Closes the innermost open element.
  void Close();
  // <name>escaped text</name>.
  void Element(std::string_view name, std::string_view text);
  // Closes every open element and returns the document.
  std::string Finish();

 private:
  std::string out_;
  std::vector<std::string> open_;
};

// S3's namespace for response documents.
inline constexpr std::string_view kS3Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

}  // namespace maxiofs::s3
