// Fuzzes the S3 front end's XML parser (every request document goes through it). Oracle: a
// parsed tree written back with the XmlWriter the responses use parses again to the same tree.
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace s3 = maxiofs::s3;

namespace {

void Write(const s3::XmlElement& e, s3::XmlWriter& w) {
  w.Open(e.name);
  // The text first: the tree keeps an element's character data as one string.
  if (!e.text.empty()) w.Element("T", e.text);
  for (const auto& child : e.children) Write(child, w);
  w.Close();
}

// `b` is `a` written by Write: the text moved into a <T> child.
bool SameTree(const s3::XmlElement& a, const s3::XmlElement& b) {
  if (a.name != b.name) return false;
  size_t i = 0;
  if (!a.text.empty()) {
    if (b.children.empty() || b.children[0].name != "T" || b.children[0].text != a.text) {
      return false;
    }
    i = 1;
  }
  if (b.children.size() != a.children.size() + i) return false;
  for (const auto& child : a.children) {
    if (!SameTree(child, b.children[i++])) return false;
  }
  return true;
}

size_t Count(const s3::XmlElement& e) {
  size_t n = 1 + (e.text.empty() ? 0 : 1);
  for (const auto& c : e.children) n += Count(c);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view doc(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto tree = s3::ParseXml(doc, {}, &error);
  if (!tree) return 0;
  s3::XmlWriter writer;
  Write(*tree, writer);
  const std::string again = writer.Finish();
  // The rewritten tree is one level deeper (<T>) and may have more elements.
  s3::XmlLimits limits;
  limits.max_depth += 1;
  limits.max_elements = 2 * Count(*tree) + 1;
  auto reparsed = s3::ParseXml(again, limits, &error);
  if (!reparsed || !SameTree(*tree, *reparsed)) std::abort();
  return 0;
}
