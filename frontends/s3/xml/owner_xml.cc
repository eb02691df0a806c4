#include "xml/owner_xml.h"

#include "maxiofs/engine/iam.h"

namespace maxiofs::s3 {

void WriteOwnerElement(XmlWriter& w, std::string_view element, std::string_view display_name) {
  w.Open(element);
  w.Element("ID", engine::kCanonicalUserId);
  if (!display_name.empty()) w.Element("DisplayName", display_name);
  w.Close();
}

}  // namespace maxiofs::s3
