#include "xml/xml_parser.h"

#include "encoding.h"

#include <cstdint>

namespace maxiofs::s3 {

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

namespace {

bool IsNameStart(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || u >= 0x80;
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xc0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xe0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(char(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(char(0xf0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(char(0x80 | (cp & 0x3f)));
  }
}

class Parser {
 public:
  Parser(std::string_view doc, const XmlLimits& limits) : s_(doc), limits_(limits) {}

  std::optional<XmlElement> Run() {
    if (!IsValidUtf8(s_)) return Fail("document is not valid UTF-8");
    // U+0000 is no XML character, literal or referenced (&#0; is refused below too).
    if (s_.find('\0') != std::string_view::npos) return Fail("NUL character in the document");
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // byte order mark
    if (!SkipMisc()) return std::nullopt;
    if (pos_ >= s_.size() || s_[pos_] != '<') return Fail("no root element");
    XmlElement root;
    if (!ParseElement(root, 1)) return std::nullopt;
    if (!SkipMisc()) return std::nullopt;
    if (pos_ != s_.size()) return Fail("content after the root element");
    return root;
  }

  std::string error;

 private:
  std::nullopt_t Fail(std::string_view why) {
    if (error.empty()) error = std::string(why) + " at offset " + std::to_string(pos_);
    return std::nullopt;
  }
  bool FailB(std::string_view why) {
    Fail(why);
    return false;
  }

  bool StartsWith(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }

  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  // Whitespace, comments and processing instructions (including the XML declaration).
  bool SkipMisc() {
    for (;;) {
      SkipSpace();
      if (StartsWith("<!--")) {
        if (!SkipComment()) return false;
      } else if (StartsWith("<?")) {
        size_t end = s_.find("?>", pos_ + 2);
        if (end == std::string_view::npos) return FailB("unterminated processing instruction");
        pos_ = end + 2;
      } else if (StartsWith("<!")) {
        return FailB("DTDs are not allowed");
      } else {
        return true;
      }
    }
  }

  bool SkipComment() {
    size_t end = s_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) return FailB("unterminated comment");
    pos_ = end + 3;
    return true;
  }

  bool ParseName(std::string& name) {
    if (pos_ >= s_.size() || !IsNameStart(s_[pos_])) return FailB("expected a name");
    size_t start = pos_;
    while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
    name.assign(s_.substr(start, pos_ - start));
    return true;
  }

  static std::string LocalName(const std::string& qname) {
    size_t colon = qname.rfind(':');
    return colon == std::string::npos ? qname : qname.substr(colon + 1);
  }

  // Decodes a reference at pos_ ('&' ... ';') into out.
  bool ParseReference(std::string& out) {
    size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) return FailB("bad reference");
    std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    if (ref == "lt") {
      out.push_back('<');
    } else if (ref == "gt") {
      out.push_back('>');
    } else if (ref == "amp") {
      out.push_back('&');
    } else if (ref == "quot") {
      out.push_back('"');
    } else if (ref == "apos") {
      out.push_back('\'');
    } else if (ref.size() >= 2 && ref[0] == '#') {
      bool hex = ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return FailB("bad character reference");
      uint32_t cp = 0;
      for (char c : digits) {
        int d;
        if (c >= '0' && c <= '9') {
          d = c - '0';
        } else if (hex && c >= 'a' && c <= 'f') {
          d = c - 'a' + 10;
        } else if (hex && c >= 'A' && c <= 'F') {
          d = c - 'A' + 10;
        } else {
          return FailB("bad character reference");
        }
        cp = cp * (hex ? 16 : 10) + uint32_t(d);
        if (cp > 0x10ffff) return FailB("character reference out of range");
      }
      if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) return FailB("invalid character reference");
      AppendUtf8(cp, out);
    } else {
      return FailB("unknown entity");
    }
    return true;
  }

  bool ParseAttributes(bool* self_closing) {
    for (;;) {
      size_t before = pos_;
      SkipSpace();
      if (pos_ >= s_.size()) return FailB("unterminated start tag");
      if (s_[pos_] == '>') {
        ++pos_;
        *self_closing = false;
        return true;
      }
      if (StartsWith("/>")) {
        pos_ += 2;
        *self_closing = true;
        return true;
      }
      if (pos_ == before) return FailB("expected whitespace before an attribute");
      std::string name;
      if (!ParseName(name)) return false;
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '=') return FailB("expected '='");
      ++pos_;
      SkipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        return FailB("expected a quoted attribute value");
      }
      char quote = s_[pos_++];
      std::string ignored;
      while (pos_ < s_.size() && s_[pos_] != quote) {
        if (s_[pos_] == '<') return FailB("'<' in attribute value");
        if (s_[pos_] == '&') {
          if (!ParseReference(ignored)) return false;
        } else {
          ++pos_;
        }
      }
      if (pos_ >= s_.size()) return FailB("unterminated attribute value");
      ++pos_;
    }
  }

  bool ParseElement(XmlElement& el, size_t depth) {
    if (depth > limits_.max_depth) return FailB("too deeply nested");
    if (++elements_ > limits_.max_elements) return FailB("too many elements");
    ++pos_;  // '<'
    std::string qname;
    if (!ParseName(qname)) return false;
    // Namespaces in XML: a QName is [NCName ':'] NCName: one colon at most, and each part
    // starts as a name does.
    const size_t colon = qname.find(':');
    if (colon != std::string::npos &&
        (colon == 0 || colon + 1 == qname.size() || !IsNameStart(qname[colon + 1]) ||
         qname[colon + 1] == ':' || qname.find(':', colon + 1) != std::string::npos)) {
      return FailB("malformed element name");
    }
    el.name = LocalName(qname);
    bool self_closing = false;
    if (!ParseAttributes(&self_closing)) return false;
    if (self_closing) return true;
    for (;;) {
      if (pos_ >= s_.size()) return FailB("unterminated element");
      char c = s_[pos_];
      if (c == '<') {
        if (StartsWith("</")) {
          pos_ += 2;
          std::string end_name;
          if (!ParseName(end_name)) return false;
          if (end_name != qname) return FailB("mismatched end tag");
          SkipSpace();
          if (pos_ >= s_.size() || s_[pos_] != '>') return FailB("expected '>'");
          ++pos_;
          return true;
        }
        if (StartsWith("<!--")) {
          if (!SkipComment()) return false;
        } else if (StartsWith("<![CDATA[")) {
          size_t end = s_.find("]]>", pos_ + 9);
          if (end == std::string_view::npos) return FailB("unterminated CDATA");
          el.text.append(s_.substr(pos_ + 9, end - pos_ - 9));
          pos_ = end + 3;
        } else if (StartsWith("<?")) {
          size_t end = s_.find("?>", pos_ + 2);
          if (end == std::string_view::npos) return FailB("unterminated processing instruction");
          pos_ = end + 2;
        } else if (StartsWith("<!")) {
          return FailB("declarations are not allowed");
        } else {
          el.children.emplace_back();
          if (!ParseElement(el.children.back(), depth + 1)) return false;
        }
      } else if (c == '&') {
        if (!ParseReference(el.text)) return false;
      } else {
        if (c == ']' && StartsWith("]]>")) return FailB("']]>' in text");
        el.text.push_back(c);
        ++pos_;
      }
    }
  }

  std::string_view s_;
  XmlLimits limits_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

}  // namespace

std::optional<XmlElement> ParseXml(std::string_view doc, const XmlLimits& limits,
                                   std::string* error) {
  Parser p(doc, limits);
  auto r = p.Run();
  if (!r && error) *error = p.error;
  return r;
}

}  // namespace maxiofs::s3
