// Glob matching as IAM policies use it: `*` matches any run of characters (also none), `?`
// exactly one character. Patterns are "compiled" strings in which a backslash makes the next
// character literal, so a policy variable such as ${*} can stand for a literal `*`; EscapeGlob
// produces such a string from plain text.
#pragma once

#include <string>
#include <string_view>

namespace maxiofs::engine::iam {

// Appends `text` to `out` (a std::string or std::pmr::string) with `*`, `?` and `\` escaped,
// so it matches only itself.
template <class String>
void AppendEscaped(std::string_view text, String& out) {
  for (char c : text) {
    if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
}

// True when the compiled glob `pattern` matches all of `text`. ASCII case folding when
// `ignore_case`. Worst case O(|pattern| * |text|), no allocation.
bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case);

// AWS's ArnLike/ArnEquals and Resource matching: both are split into their six colon-separated
// parts (arn:partition:service:region:account:resource; the last part keeps any further
// colons) and each part is matched by GlobMatch on its own, so a wildcard never spans a colon
// of the first five. The pattern "*" alone matches any text. Either side with fewer than six
// parts matches nothing (except pattern "*").
bool ArnMatch(std::string_view pattern, std::string_view arn);

}  // namespace maxiofs::engine::iam
