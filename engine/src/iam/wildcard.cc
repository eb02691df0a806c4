#include "wildcard.h"

#include "maxiofs/common/ascii.h"

#include <array>
#include <cstddef>

namespace maxiofs::engine::iam {
namespace {

char Fold(char c, bool ignore_case) { return ignore_case ? AsciiLower(c) : c; }

// Splits an ARN at its first five colons (escaped colons count too: a `\:` cannot occur in a
// valid ARN pattern, as AppendEscaped never escapes a colon). False if there are fewer.
bool SplitArn(std::string_view s, std::array<std::string_view, 6>& parts) {
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = s.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts[i] = s.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = s.substr(start);
  return true;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  // Greedy matching with one backtrack point (the last `*`), the classic linear-space glob.
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      size_t width = 1;
      if (pc == '\\' && p + 1 < pattern.size()) {
        pc = pattern[p + 1];
        width = 2;
      }
      if (Fold(pc, ignore_case) == Fold(text[t], ignore_case)) {
        p += width;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ArnMatch(std::string_view pattern, std::string_view arn) {
  if (pattern == "*") return true;
  std::array<std::string_view, 6> pp, ap;
  if (!SplitArn(pattern, pp) || !SplitArn(arn, ap)) return false;
  for (size_t i = 0; i < 6; ++i) {
    if (!GlobMatch(pp[i], ap[i], /*ignore_case=*/false)) return false;
  }
  return true;
}

}  // namespace maxiofs::engine::iam
