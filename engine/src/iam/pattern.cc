#include "pattern.h"

#include "wildcard.h"

#include "maxiofs/common/ascii.h"

namespace maxiofs::engine::iam {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Pattern::Pattern(std::string_view text, bool wildcards, bool variables) : source_(text) {
  std::string literal;  // compiled text of the current literal run
  auto append_char = [&](char c) {
    if (wildcards && (c == '*' || c == '?')) {
      has_wildcard_ = true;
      literal.push_back(c);
    } else {
      AppendEscaped(std::string_view(&c, 1), literal);
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    if (variables && text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        std::string_view body = text.substr(i + 2, close - i - 2);
        if (body == "*" || body == "?" || body == "$") {
          AppendEscaped(body, literal);
          i = close + 1;
          continue;
        }
        Piece var;
        var.variable = true;
        if (size_t comma = body.find(','); comma != std::string_view::npos) {
          std::string_view def = Trim(body.substr(comma + 1));
          if (def.size() >= 2 && def.front() == '\'' && def.back() == '\'') {
            var.has_default = true;
            var.default_value = std::string(def.substr(1, def.size() - 2));
          }
          body = body.substr(0, comma);
        }
        var.text = AsciiLower(Trim(body));
        if (!literal.empty()) pieces_.push_back(Piece{false, std::move(literal), false, {}});
        literal.clear();
        pieces_.push_back(std::move(var));
        i = close + 1;
        continue;
      }
    }
    append_char(text[i]);
    ++i;
  }
  if (pieces_.empty()) {
    compiled_ = std::move(literal);
  } else if (!literal.empty()) {
    pieces_.push_back(Piece{false, std::move(literal), false, {}});
  }
}

bool Pattern::Resolve(const ConditionValues& ctx, Scratch& scratch, std::string_view& out) const {
  if (pieces_.empty()) {
    out = compiled_;
    return true;
  }
  scratch.clear();
  for (const Piece& p : pieces_) {
    if (!p.variable) {
      scratch += p.text;
      continue;
    }
    auto it = ctx.find(p.text);
    if (it != ctx.end() && it->second.size() == 1) {  // a multivalued key is no variable
      AppendEscaped(it->second.front(), scratch);
    } else if (p.has_default) {
      AppendEscaped(p.default_value, scratch);
    } else {
      return false;
    }
  }
  out = scratch;
  return true;
}

}  // namespace maxiofs::engine::iam
